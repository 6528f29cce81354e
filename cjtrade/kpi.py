"""Growth arithmetic for policy targets and key performance indicators (KPIs).

A target such as "¥20 trillion by 2033" implies a growth rate from the latest actual value; this
module computes that rate and the rate a series achieved in the past, both as compound annual
rates, so the two can be compared on the same footing. It also splits a series observed in
scattered years into *runs* of consecutive years, so a chart can draw lines only where every year
is observed and leave the gaps as gaps.
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import pairwise

import pandas as pd


def cagr(start: float, end: float, years: float) -> float:
    """Compound annual growth rate taking *start* to *end* in *years* years (0.1 = 10% a year)."""
    if years <= 0:
        raise ValueError(f"the number of years must be positive, got {years}")
    if start <= 0 or end <= 0:
        raise ValueError(f"both values must be positive, got {start} and {end}")
    return (end / start) ** (1 / years) - 1


def required_rate(
    latest_year: int, latest_value: float, target_year: int, target_value: float
) -> float:
    """The constant annual growth rate that takes the latest actual value to the target in time."""
    return cagr(latest_value, target_value, target_year - latest_year)


def span_rate(series: pd.Series) -> tuple[int, int, float]:
    """First year, last year and compound annual growth between them, for a series indexed by year.

    Missing values are dropped first; the rate uses only the two end points, whatever lies between.
    """
    observed = series.dropna().sort_index()
    if len(observed) < 2:
        raise ValueError("a growth rate needs at least two observed years")
    first, last = int(observed.index[0]), int(observed.index[-1])
    return first, last, cagr(float(observed.iloc[0]), float(observed.iloc[-1]), last - first)


def runs(years: Iterable[int]) -> list[int]:
    """Number the runs of consecutive years: ``[2016, 2017, 2019, 2020]`` → ``[0, 0, 1, 1]``.

    The years must be sorted and distinct. A chart that draws a line per run joins only adjacent
    years, so a missing year appears as a gap instead of an interpolated segment.
    """
    years = [int(y) for y in years]
    if any(b <= a for a, b in pairwise(years)):
        raise ValueError(f"years must be sorted and distinct, got {years}")
    labels, run = [], 0
    for i, year in enumerate(years):
        if i and year != years[i - 1] + 1:
            run += 1
        labels.append(run)
    return labels
