"""Measuring cultural trade: the chapter's counts and ratios, recomputed from the raw CSV files."""

import csv

import pytest

from cjbook.paths import ROOT

PAGE = "book/concepts/measuring"


def rows(name: str) -> list[dict]:
    with open(ROOT / "data" / f"{name}.csv", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_counts_of_domains_chapters_and_headings(expected_numbers):
    hs = rows("hs_cultural_headings")
    assert int(expected_numbers[(PAGE, "n_domains")]) == len(rows("unesco_fcs2009_domains"))
    assert (
        int(expected_numbers[(PAGE, "n_chapters")]) == sum(r["level"] == "chapter" for r in hs) == 3
    )
    assert int(expected_numbers[(PAGE, "n_headings")]) == sum(r["level"] == "heading" for r in hs)


def test_every_heading_belongs_to_its_chapter():
    for row in rows("hs_cultural_headings"):
        assert row["code"].startswith(row["chapter"])


def test_unesco_against_customs_ratio(expected_numbers):
    exports = [r for r in rows("china_cultural_trade_totals") if r["measure"] == "exports"]
    first = {}
    for r in sorted(exports, key=lambda r: int(r["year"])):
        first.setdefault(r["definition"], float(r["value_usd_100m"]))
    ratio = first["unesco_cultural_goods"] / first["customs_cultural_products"]
    assert float(expected_numbers[(PAGE, "unesco_vs_customs")]) == pytest.approx(ratio)
