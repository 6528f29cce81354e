"""Tables for the reproducibility report: environment, data checksums, and the verified numbers.

The report lets a reader of the printed book check it against a re-execution: the versions it was
built with, the SHA-256 of every data file, and every number quoted in the text as recorded in
the reference manifest that ``make verify`` compares a fresh build against.
"""

from __future__ import annotations

import platform
from importlib.metadata import version
from pathlib import Path

import pandas as pd

from cjtrade import data, numbers

ROOT = Path(__file__).resolve().parent.parent
REFERENCE_NUMBERS = ROOT / "tests" / "expected_numbers.json"
KEY_PACKAGES = (
    "jupyter-book",
    "myst-nb",
    "sphinx",
    "sphinx-exercise",
    "pandas",
    "numpy",
    "scipy",
    "statsmodels",
    "altair",
    "vl-convert-python",
    "frictionless",
)


def environment() -> pd.DataFrame:
    """Return the Python version and the installed version of each key package."""
    rows = [{"component": "Python", "version": platform.python_version()}]
    rows += [{"component": name, "version": version(name)} for name in KEY_PACKAGES]
    return pd.DataFrame(rows)


def data_checksums() -> pd.DataFrame:
    """Return each data file with its row count and the SHA-256 its loader verified."""
    rows = []
    for resource in data.read_package()["resources"]:
        rows.append(
            {
                "file": resource["path"],
                "rows": len(data.load(resource["name"])),
                "sha256": resource["hash"].removeprefix("sha256:"),
            }
        )
    return pd.DataFrame(rows)


def reference_numbers(path: Path = REFERENCE_NUMBERS) -> pd.DataFrame:
    """Return every number quoted in the book, by page and name, from the reference manifest."""
    manifest = numbers.read_manifest(path)
    rows = [
        {"page": page, "name": name, "value": value}
        for (page, name), value in sorted(manifest.items())
    ]
    return pd.DataFrame(rows, columns=["page", "name", "value"])
