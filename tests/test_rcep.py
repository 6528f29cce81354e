"""The RCEP chapter: glued numbers recomputed from the raw CSVs, and cjtrade.rcep on known answers.

The recomputation reads the CSV files with the standard library and pandas only, never the chapter's
code or :mod:`cjtrade.rcep`, so a mistake in either shows up as a mismatch with the reference.
"""

from __future__ import annotations

import csv
from datetime import date
from statistics import median

import pandas as pd
import pytest

from cjbook.paths import ROOT
from cjtrade import rcep

PAGE = "book/evidence/rcep"


def rows(name: str) -> list[dict[str, str]]:
    with open(ROOT / "data" / f"{name}.csv", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def ref(expected_numbers, name: str) -> float:
    return float(expected_numbers[(PAGE, name)])


def days_to_force() -> dict[str, int]:
    """Days from signing to entry into force, by ISO code, for members with a date."""
    out = {}
    for row in rows("rcep_members"):
        if row["entry_into_force"]:
            out[row["iso3"]] = (
                date.fromisoformat(row["entry_into_force"]) - date.fromisoformat(row["signed"])
            ).days
    return out


def test_membership_counts_match_the_reference(expected_numbers):
    members = rows("rcep_members")
    assert ref(expected_numbers, "n_members") == len(members)
    assert ref(expected_numbers, "n_asean") == sum(r["group"] == "ASEAN" for r in members)
    assert ref(expected_numbers, "n_dated") == sum(bool(r["entry_into_force"]) for r in members)
    assert ref(expected_numbers, "n_dates") == len(
        {r["entry_into_force"] for r in members if r["entry_into_force"]}
    )
    first = min(r["entry_into_force"] for r in members if r["entry_into_force"])
    cohort = [r for r in members if r["entry_into_force"] == first]
    assert ref(expected_numbers, "n_first") == len(cohort)
    assert ref(expected_numbers, "n_first_asean") == sum(r["group"] == "ASEAN" for r in cohort)


def test_ratification_gaps_match_the_reference(expected_numbers):
    gaps = days_to_force()
    assert ref(expected_numbers, "korea_days") == gaps["KOR"]
    assert ref(expected_numbers, "korea_months") == pytest.approx(gaps["KOR"] * 12 / 365.25)
    assert ref(expected_numbers, "first_gap_days") == min(gaps.values())
    assert ref(expected_numbers, "longest_days") == max(gaps.values())
    assert ref(expected_numbers, "median_gap_months") == pytest.approx(
        median(gaps.values()) * 12 / 365.25
    )
    assert ref(expected_numbers, "korea_extra_days") == gaps["KOR"] - min(gaps.values())


def test_tariff_shares_match_the_reference(expected_numbers):
    shares = pd.read_csv(ROOT / "data" / "rcep_tariff_commitments.csv")
    japan_all = shares.query("importer == 'JPN' and scope == 'all goods'").set_index("measure")[
        "value_pct"
    ]
    assert ref(expected_numbers, "murc_jp_all_pct") == pytest.approx(
        japan_all["tariff lines eliminated"]
    )
    china_industrial = shares.query("reported_by == 'NHK'").set_index("when")["value_pct"]
    assert ref(expected_numbers, "nhk_before_pct") == pytest.approx(china_industrial["before RCEP"])
    assert ref(expected_numbers, "nhk_after_pct") == japan_all["tariff lines eliminated"]
    assert ref(expected_numbers, "overall_pct") == pytest.approx(
        shares.query("importer == 'ALL'")["value_pct"].item()
    )
    assert ref(expected_numbers, "n_measures") == shares["measure"].nunique()


def test_trade_comparisons_match_the_reference(expected_numbers):
    eif_year = int(
        min(r["entry_into_force"] for r in rows("rcep_members") if r["entry_into_force"])[:4]
    )
    assert ref(expected_numbers, "eif_year") == eif_year
    jetro = pd.read_csv(ROOT / "data" / "jetro_both_sides_trade.csv")
    total = jetro.query("flow == 'total'").set_index("year")["value_usd_thousand"]
    before, after = total[total.index < eif_year].index.max(), total.index.max()
    assert ref(expected_numbers, "jetro_pre_year") == before
    assert ref(expected_numbers, "jetro_change_pct") == pytest.approx(
        100 * (total[after] / total[before] - 1)
    )
    flow = jetro.query("flow == 'japan_to_china'").set_index("year")["value_usd_thousand"]
    pre = flow[flow.index < eif_year].index.max()
    assert ref(expected_numbers, "imp_change_pct") == pytest.approx(
        100 * (flow.loc[flow.index.max()] / flow[pre] - 1)
    )

    gac = (
        pd.read_csv(ROOT / "data" / "china_customs_cn_jp_trade.csv")
        .query("flow == 'total'")
        .set_index("year")
    )
    claims = pd.read_csv(ROOT / "data" / "seed_claims.csv")
    lu = claims.query(
        "source_doc == 'lu2024' and period == '2023' and claim == 'china_japan_trade_total'"
    )["value"].item()
    assert ref(expected_numbers, "lu_total_bn") == pytest.approx(lu)
    assert ref(expected_numbers, "gac_lu_change_pct") == pytest.approx(
        100 * (lu / (gac.loc[2020, "value_usd_100m"] / 10) - 1)
    )
    comtrade = pd.read_csv(ROOT / "data" / "comtrade_cn_jp_imports.csv")
    assert ref(expected_numbers, "comtrade_last_year") == comtrade["year"].max()


# cjtrade.rcep on a small frame whose answers are known by hand.

TOY = pd.DataFrame(
    {
        "iso3": ["AAA", "BBB", "CCC", "DDD"],
        "member": ["A", "B", "C", "D"],
        "group": ["ASEAN", "ASEAN", "non-ASEAN", "ASEAN"],
        "signed": pd.to_datetime(["2020-01-01"] * 4),
        "entry_into_force": pd.to_datetime(["2020-03-01", "2020-03-01", "2021-01-01", None]),
        "note": [None, None, "instrument deposited 2020-11-02", "contested"],
    }
)


def test_ratification_gaps_leave_out_members_without_a_date():
    gaps = rcep.ratification_gaps(TOY).set_index("iso3")
    assert list(gaps.index) == ["AAA", "BBB", "CCC"]
    assert gaps.loc["AAA", "days"] == 60  # 2020 is a leap year: 31 + 29 days
    assert gaps.loc["CCC", "days"] == 366
    assert gaps.loc["CCC", "months"] == pytest.approx(12 * 366 / 365.25)


def test_in_force_counts_are_cumulative_by_date_and_group():
    counts = rcep.in_force_counts(TOY)
    assert list(counts["in_force"]) == [2, 3]
    assert list(counts["asean_in_force"]) == [2, 2]
    assert list(counts["non_asean_in_force"]) == [0, 1]
    assert counts.loc[0, "joined"] == "A, B"


def test_entry_rule_needs_both_thresholds():
    assert rcep.meets_entry_rule(6, 3)
    assert not rcep.meets_entry_rule(5, 9)
    assert not rcep.meets_entry_rule(10, 2)
    assert rcep.months(365.25) == pytest.approx(12)


def test_deposit_dates_are_read_from_the_note():
    deposits = rcep.deposit_dates(TOY)
    assert list(deposits["iso3"]) == ["CCC"]
    assert deposits["days_after_deposit"].item() == 60
