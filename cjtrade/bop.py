"""Balance-of-payments arithmetic: annual totals that respect suppressed cells, and net balances.

The Ministry of Finance and the Bank of Japan publish Japan's services trade quarter by quarter
(by partner) and month by month (world totals), in 100 million yen. Two rules keep a chapter from
reporting more than the tables hold:

- :func:`annual` sums a year only where every quarter (or month) of it is published. A quarter the
  compilers suppress (``NA``, a missing value in the data package) or a year the file has not yet
  reached gives no annual total, never a partial sum shown as a whole year.
- :func:`add_net` computes the net balance (receipts minus payments) where the file does not
  publish one, as the regional file does not for its sub-items; a net balance is missing where
  either side is, and a published net balance is never replaced.
"""

from __future__ import annotations

import pandas as pd

VALUE = "value_jpy_100m"
PERIODS_PER_YEAR = {"quarter": 4, "month": 12}
FLOW = "flow"
CODE = "series_code"


def _period_column(frame: pd.DataFrame) -> str:
    found = [column for column in PERIODS_PER_YEAR if column in frame.columns]
    if len(found) != 1:
        raise ValueError(
            f"a balance-of-payments frame needs exactly one period column of "
            f"{list(PERIODS_PER_YEAR)}; found {found}"
        )
    return found[0]


def _keys(frame: pd.DataFrame, *exclude: str) -> list[str]:
    """The columns that identify a series: every column but the period, value and code."""
    return [c for c in frame.columns if c not in {VALUE, CODE, *exclude}]


def annual(frame: pd.DataFrame) -> pd.DataFrame:
    """Return annual totals of a quarterly or monthly frame; missing unless every period is there.

    *frame* has a ``quarter`` (``2014Q1``) or ``month`` (``1996-01``) column, the value column
    ``value_jpy_100m`` and any key columns (partner, item, flow); ``series_code`` is dropped. The
    result has the key columns, ``year`` and the value, one row per series and year, with a missing
    value where a period of the year is suppressed or not yet published. A period repeated within
    one series raises :class:`ValueError`, since it would count towards a complete year twice.
    """
    period = _period_column(frame)
    keys = _keys(frame, period)
    repeated = frame.duplicated([*keys, period])
    if repeated.any():
        first = frame.loc[repeated, [*keys, period]].iloc[0].tolist()
        raise ValueError(f"period repeated within a series: {first}")
    table = frame.assign(year=frame[period].str[:4].astype(int))
    grouped = table.groupby([*keys, "year"], sort=True, dropna=False)[VALUE]
    totals = grouped.sum(min_count=1).where(grouped.count() == PERIODS_PER_YEAR[period])
    return totals.reset_index()


def add_net(frame: pd.DataFrame) -> pd.DataFrame:
    """Return *frame* with a ``net`` row (receipts minus payments) for every series that lacks one.

    *frame* is tidy with a ``flow`` column of ``receipts``, ``payments`` and, where published,
    ``net``. A computed row's ``series_code`` (if the column exists) names the two codes it is
    computed from, so it can never be mistaken for a published series. The net is missing where
    receipts or payments are.
    """
    keys = _keys(frame, FLOW)
    sides = frame[frame[FLOW].isin(["receipts", "payments"])]
    wide = sides.pivot(index=keys, columns=FLOW, values=VALUE)
    missing_side = sorted({"receipts", "payments"} - set(wide.columns))
    if missing_side:
        raise ValueError(f"cannot compute a net balance without {', '.join(missing_side)}")
    published = frame[frame[FLOW] == "net"].set_index(keys).index
    wide = wide[~wide.index.isin(published)]
    net = (wide["receipts"] - wide["payments"]).rename(VALUE).reset_index().assign(flow="net")
    if CODE in frame.columns:
        codes = sides.pivot(index=keys, columns=FLOW, values=CODE).loc[wide.index]
        net[CODE] = ("computed: " + codes["receipts"] + " minus " + codes["payments"]).to_numpy()
    return pd.concat([frame, net[frame.columns]], ignore_index=True)
