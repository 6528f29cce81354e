"""Values for the prose: glued under their names, and written the way the book writes them.

Every number a sentence quotes is computed in a code cell and inserted with myst-nb's ``glue``
(the build's numbers manifest then records it for ``make verify``). :func:`glue_all` glues a whole
mapping of named values at once, as plain Python numbers, so a chapter's bookkeeping cell is one
call; the other helpers format years, dates and changes the same way in every chapter.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd
from myst_nb import glue


def plain(value: object) -> object:
    """Return *value* as a plain Python object: a NumPy scalar becomes an int, float or bool.

    A glued NumPy float would print as ``np.float64(…)`` in the numbers manifest.
    """
    return value.item() if isinstance(value, np.generic) else value


def glue_all(values: Mapping[str, object]) -> None:
    """Glue each value of *values* under its name, for the text only (not shown where computed)."""
    for name, value in values.items():
        glue(name, plain(value), display=False)


def pct_change(before: float, after: float) -> float:
    """Percentage change from *before* to *after* (``pct_change(50, 60)`` is 20, up to rounding)."""
    return float(100 * (after / before - 1))


def years_text(years: Iterable[int]) -> str:
    """Years compressed into ranges, as the prose writes them: ``2011–2012, 2014, 2016–2018``."""
    ranges: list[list[int]] = []
    for year in sorted({int(y) for y in years}):
        if ranges and year == ranges[-1][1] + 1:
            ranges[-1][1] = year
        else:
            ranges.append([year, year])
    return ", ".join(f"{a}–{b}" if a != b else f"{a}" for a, b in ranges)


# Country names that take the definite article in running English prose.
NAMES_WITH_ARTICLE = frozenset({"Philippines", "Netherlands", "United States", "United Kingdom"})


def country_in_prose(name: str) -> str:
    """A country's name as a sentence needs it: ``the Philippines``, ``Japan``."""
    return f"the {name}" if name in NAMES_WITH_ARTICLE else str(name)


def long_date(day: pd.Timestamp) -> str:
    """A date as the prose writes it: ``1 January 2022``."""
    return f"{day.day} {day:%B %Y}"
