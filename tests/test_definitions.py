"""Cultural and creative industries: the chapter's counts, recomputed from the raw CSV files."""

import csv

from cjbook.paths import ROOT

PAGE = "book/concepts/definitions"


def rows(name: str) -> list[dict]:
    with open(ROOT / "data" / f"{name}.csv", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_nbs_2018_counts_and_fields(expected_numbers):
    categories = [r for r in rows("nbs_culture_classification") if r["edition"] == "2018"]
    counts = {r["level_en"]: int(r["n_categories"]) for r in rows("nbs_classification_levels")}
    assert int(expected_numbers[(PAGE, "n_major")]) == counts["major categories"] == len(categories)
    assert set(counts) == {"major categories"}  # medium and small counts were dropped
    assert int(expected_numbers[(PAGE, "n_core")]) == sum(r["field"] == "core" for r in categories)
    assert int(expected_numbers[(PAGE, "n_related")]) == sum(
        r["field"] == "related" for r in categories
    )


def test_2018_codes_run_from_01_in_order():
    codes = [r["code"] for r in rows("nbs_culture_classification") if r["edition"] == "2018"]
    assert codes == [f"{i:02d}" for i in range(1, len(codes) + 1)]


def test_the_papers_figures_have_three_branches_each(expected_numbers):
    figures = rows("seed_culture_industry_figures")
    for number in ("1", "2"):
        assert sum(r["figure"] == number for r in figures) == 3
    assert int(expected_numbers[(PAGE, "n_layers_2004")]) == sum(
        r["figure"] == "1" for r in figures
    )
