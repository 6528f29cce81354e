"""Tables for the reproducibility report: the environment and the data checksums.

The report lets a reader of the printed book check it against a re-execution: the versions it was
built with and the SHA-256 of every data file. (The reference numbers that ``make verify``
compares a fresh build against are printed by the build itself, ``{reference-numbers}``.)
"""

from __future__ import annotations

import platform
from importlib.metadata import version

import pandas as pd

from cjtrade import data

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
