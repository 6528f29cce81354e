"""China's cultural trade chapter: its key numbers, recomputed from the raw CSV files."""

from __future__ import annotations

import pandas as pd
import pytest

from cjbook.paths import ROOT

PAGE = "book/evidence/china-cultural-trade"
DATA = ROOT / "data"


def reference(expected_numbers, name: str) -> float:
    return float(expected_numbers[(PAGE, name)])


@pytest.fixture(scope="module")
def table2() -> pd.DataFrame:
    return pd.read_csv(DATA / "seed_table2_cultural_trade.csv")


def test_rows_that_break_the_identity(table2, expected_numbers):
    gap = table2["net_exports"] - (table2["exports"] - table2["imports"])
    assert reference(expected_numbers, "n_inconsistent") == (gap.abs() > 0.01).sum() == 3
    pp05 = table2.query("year == 2005 and category == 'printed_publications'").iloc[0]
    assert reference(expected_numbers, "pp05_corrected") == pytest.approx(
        pp05["exports"] - pp05["imports"]
    )
    av08 = table2.query("year == 2008 and category == 'audiovisual_products'").iloc[0]
    assert reference(expected_numbers, "av08_implied") == pytest.approx(
        av08["net_exports"] + av08["imports"]
    )


def test_growth_shares_and_coverage(table2, expected_numbers):
    last = table2[table2["year"] == table2["year"].max()].set_index("category")
    assert reference(expected_numbers, "pp_import_share_last") == pytest.approx(
        100 * last.loc["printed_publications", "imports"] / last["imports"].sum()
    )
    assert reference(expected_numbers, "four_exports_last") == pytest.approx(last["exports"].sum())
    films = table2.query("category == 'films'").set_index("year")["imports"]
    growth = (films[films.index.max()] / films[films.index.min()]) ** (
        1 / (films.index.max() - films.index.min())
    ) - 1
    assert reference(expected_numbers, "fastest_import_growth") == pytest.approx(100 * growth)


def test_definitions_kept_apart(expected_numbers):
    totals = (
        pd.read_csv(DATA / "china_cultural_trade_totals.csv")
        .set_index(["definition", "measure", "year"])
        .sort_index()
    )
    value = totals["value_usd_100m"] / 10
    customs_11 = value[("customs_cultural_products", "exports", 2011)]
    customs_12 = value[("customs_cultural_products", "exports", 2012)]
    assert reference(expected_numbers, "customs_growth_pct") == pytest.approx(
        100 * (customs_12 / customs_11 - 1)
    )
    mofcom = value.loc[("mofcom_cultural_products", "exports")]
    cagr = (mofcom.iloc[-1] / mofcom.iloc[0]) ** (1 / (mofcom.index[-1] - mofcom.index[0])) - 1
    assert reference(expected_numbers, "mofcom_export_cagr") == pytest.approx(100 * cagr)


def test_the_papers_visual_arts_share_is_of_total_trade(expected_numbers):
    claims = (
        pd.read_csv(DATA / "seed_claims.csv")
        .query("source_doc == 'seedpaper'")
        .set_index("claim")["value"]
    )
    total = (
        pd.read_csv(DATA / "seed_claims.csv")
        .query(
            "source_doc == 'seedpaper' and period == '2012-01 to 2012-09' "
            "and claim == 'china_cultural_products_trade_total'"
        )["value"]
        .iloc[0]
    )
    share = 100 * claims["visual_arts_exports"] / total
    assert reference(expected_numbers, "va_share_of_total") == pytest.approx(share)
    assert round(share, 1) == claims["visual_arts_exports_share"]


def test_the_last_year_is_the_previous_one_scaled(table2, expected_numbers):
    wide = table2.set_index(["category", "year"])[["exports", "imports"]]
    last = table2["year"].max()
    ratio = (wide.xs(last, level="year") / wide.xs(last - 1, level="year")).stack()
    assert float(expected_numbers[(PAGE, "scale_min")]) == pytest.approx(ratio.min())
    assert float(expected_numbers[(PAGE, "scale_max")]) == pytest.approx(ratio.max())


def test_the_one_china_japan_cultural_goods_figure():
    rows = pd.read_csv(DATA / "cn_jp_cultural_goods.csv", dtype={"hs_chapter": str})
    assert len(rows) == 1
    row = rows.iloc[0]
    assert (row["reporter"], row["partner"], row["flow"], row["hs_chapter"]) == (
        "JPN",
        "CHN",
        "imports",
        "95",
    )
    assert row["value_usd_million"] == pytest.approx(5809.15)  # "58億915万ドル"
