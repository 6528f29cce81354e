"""RCEP membership arithmetic: who is in force when, and how long ratification took.

The functions take the ``rcep_members`` resource as loaded by :func:`cjtrade.data.load` (one row
per signatory, ``signed`` and ``entry_into_force`` as dates, the latter empty where contested).
"""

from __future__ import annotations

import re

import pandas as pd

# Final provisions of the RCEP Agreement, as the METI/MOFA notice and the data description state
# them: the agreement enters into force for the depositing signatories 60 days after at least six
# ASEAN and three non-ASEAN signatories have deposited their instruments of ratification.
ENTRY_RULE = {"ASEAN": 6, "non-ASEAN": 3, "days_after_deposit": 60}

DAYS_PER_MONTH = 365.25 / 12  # the average calendar month, used to express gaps in months

_DEPOSIT = re.compile(r"instrument deposited (\d{4}-\d{2}-\d{2})")


def months(days: float) -> float:
    """Express a number of days in average calendar months (365.25 / 12 days each)."""
    return float(days) / DAYS_PER_MONTH


def ratification_gaps(members: pd.DataFrame) -> pd.DataFrame:
    """Return, for each member with a date, the days and months from signing to entry into force.

    Members without an entry-into-force date (a contested status) are left out, not filled in.
    """
    dated = members.dropna(subset=["entry_into_force"]).copy()
    days = (pd.to_datetime(dated["entry_into_force"]) - pd.to_datetime(dated["signed"])).dt.days
    dated["days"] = days.astype(int)
    dated["months"] = dated["days"].map(months)
    return dated[
        ["iso3", "member", "group", "signed", "entry_into_force", "days", "months"]
    ].reset_index(drop=True)


def in_force_counts(members: pd.DataFrame) -> pd.DataFrame:
    """Return how many members the agreement is in force for on each entry-into-force date.

    One row per distinct date, in order, with the members that joined on that date, the number
    that joined, and the cumulative number in force (overall and by ASEAN / non-ASEAN group).
    """
    dated = members.dropna(subset=["entry_into_force"]).assign(
        entry_into_force=lambda d: pd.to_datetime(d["entry_into_force"])
    )
    rows = []
    for date, joined in dated.groupby("entry_into_force", sort=True):
        rows.append(
            {
                "date": date,
                "joined": ", ".join(sorted(joined["member"])),
                "n_joined": len(joined),
                "asean_joined": int((joined["group"] == "ASEAN").sum()),
                "non_asean_joined": int((joined["group"] == "non-ASEAN").sum()),
            }
        )
    table = pd.DataFrame(rows)
    table["in_force"] = table["n_joined"].cumsum()
    table["asean_in_force"] = table["asean_joined"].cumsum()
    table["non_asean_in_force"] = table["non_asean_joined"].cumsum()
    return table


def meets_entry_rule(asean: int, non_asean: int, rule: dict | None = None) -> bool:
    """Whether *asean* and *non_asean* deposits are enough for the agreement to enter into force."""
    rule = ENTRY_RULE if rule is None else rule
    return asean >= rule["ASEAN"] and non_asean >= rule["non-ASEAN"]


def deposit_dates(members: pd.DataFrame) -> pd.DataFrame:
    """Return members whose note records a deposit date, and the days to entry into force."""
    found = members["note"].fillna("").str.extract(_DEPOSIT, expand=False)
    out = members.assign(deposited=pd.to_datetime(found)).dropna(
        subset=["deposited", "entry_into_force"]
    )
    out = out.assign(
        days_after_deposit=(
            pd.to_datetime(out["entry_into_force"]) - out["deposited"]
        ).dt.days.astype(int)
    )
    return out[
        ["iso3", "member", "deposited", "entry_into_force", "days_after_deposit"]
    ].reset_index(drop=True)
