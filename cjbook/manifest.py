"""Compare the manifest of numbers quoted in the book with the committed reference.

The build writes ``numbers.json`` (see :mod:`cjbook.sphinxext.quoted_numbers`): every glued
value with its page and name. ``make verify`` re-executes the whole book from scratch and runs

    python -m cjbook numbers-compare book/appendix/reference-numbers.json \
        _build/verify/_build/html/numbers.json

which prints each difference by page and name with both values and exits non-zero if there is
any. Numbers are compared to a relative tolerance of 1e-9 (floating-point noise across BLAS
builds); anything else must match exactly.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

REL_TOL = 1e-9


def read_manifest(path: Path) -> dict[tuple[str, str], str]:
    """Return ``{(page, name): value}`` from a manifest file; a missing file is an error."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"{path}: numbers manifest is missing (build the book first)")
    return {
        (row["page"], row["name"]): row["value"]
        for row in json.loads(path.read_text(encoding="utf-8"))
    }


def _as_number(text: str) -> float | None:
    try:
        return float(text.replace("'", ""))
    except ValueError:
        return None


def same_value(expected: str, actual: str) -> bool:
    """True if two glued values agree: numerically within REL_TOL, otherwise as identical text."""
    a, b = _as_number(expected), _as_number(actual)
    if a is not None and b is not None:
        return math.isclose(a, b, rel_tol=REL_TOL, abs_tol=1e-12)
    return expected == actual


def differences(expected: dict, actual: dict) -> list[str]:
    """Return one line per disagreement: changed values, and names missing on either side."""
    lines = []
    for key in sorted(expected.keys() | actual.keys()):
        label = f"{key[0]}::{key[1]}"
        if key not in actual:
            lines.append(f"{label}: expected {expected[key]!r}, missing from this build")
        elif key not in expected:
            lines.append(f"{label}: new value {actual[key]!r}, not in the reference manifest")
        elif not same_value(expected[key], actual[key]):
            lines.append(f"{label}: expected {expected[key]!r}, got {actual[key]!r}")
    return lines
