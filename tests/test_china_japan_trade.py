"""The China–Japan chapter's key numbers, recomputed from raw CSVs without the chapter's code."""

from __future__ import annotations

import pandas as pd
import pytest

from cjbook.paths import ROOT

PAGE = "book/evidence/china-japan-trade"
DATA = ROOT / "data"


def reference(expected_numbers, name: str) -> float:
    return float(expected_numbers[(PAGE, name)])


@pytest.fixture(scope="module")
def imports() -> pd.DataFrame:
    raw = pd.read_csv(DATA / "comtrade_cn_jp_imports.csv")
    return raw.pivot(index="year", columns="reporter_iso3", values="imports_usd") / 1e9


def test_both_sides_growth_and_balance(imports, expected_numbers):
    total = imports.sum(axis=1)
    years = total.index
    cagr = (total[years.max()] / total[years.min()]) ** (1 / (years.max() - years.min())) - 1
    assert reference(expected_numbers, "cagr_pct") == pytest.approx(100 * cagr)
    assert reference(expected_numbers, "balance_2011_bn") == pytest.approx(
        imports.loc[2011, "CHN"] - imports.loc[2011, "JPN"]
    )
    assert reference(expected_numbers, "n_surplus_years") == (imports["CHN"] > imports["JPN"]).sum()


def test_mirror_gap_is_measured_on_the_one_pair_with_both_records(expected_numbers):
    mirror = pd.read_csv(DATA / "comtrade_mirror_2011.csv").pivot(
        index="iso3", columns="basis", values="value_usd"
    )
    pair = mirror.dropna()
    assert list(pair.index) == ["BRA"]
    gap = 100 * (
        pair.loc["BRA", "partner_reported_imports_from_china"]
        / pair.loc["BRA", "china_reported_exports"]
        - 1
    )
    assert reference(expected_numbers, "mirror_gap_pct") == pytest.approx(gap)
    # China Customs' own 2002 record of trade with Japan was dropped: no year has both records.
    gac = pd.read_csv(DATA / "china_customs_cn_jp_trade.csv")
    assert set(gac["flow"]) == {"total"}


def test_mof_balance_is_negative_every_year(expected_numbers):
    mof = pd.read_csv(DATA / "mof_japan_china_monthly.csv")
    annual = mof.groupby(mof["month"].str[:4].astype(int)).sum(numeric_only=True)
    deficit = annual["imports_from_china_kjpy"] - annual["exports_to_china_kjpy"]
    assert reference(expected_numbers, "mof_deficit_years") == (deficit > 0).sum() == len(annual)
    assert reference(expected_numbers, "mof_deficit_2011_tn") == pytest.approx(deficit[2011] / 1e9)


def test_lu_kejian_checks(expected_numbers):
    claims = (
        pd.read_csv(DATA / "seed_claims.csv")
        .query("source_doc == 'lu2024'")
        .set_index(["period", "claim"])["value"]
    )
    fdi = pd.read_csv(DATA / "japanese_fdi_in_china.csv").set_index("year")["value_usd_million"]
    implied = 100 * (claims[("2023", "japanese_fdi_actual_use")] * 1000 / fdi[2022] - 1)
    assert reference(expected_numbers, "fdi_implied_growth_pct") == pytest.approx(implied)
    assert reference(expected_numbers, "lu_implied_total_2022") == pytest.approx(
        claims[("2023", "china_japan_trade_total")]
        / (1 + claims[("2023", "china_japan_trade_total_growth")] / 100)
    )
    jetro = (
        pd.read_csv(DATA / "jetro_both_sides_trade.csv")
        .query("year == 2024")
        .set_index("flow")["value_usd_thousand"]
    )
    change = 100 * (
        jetro["japan_to_china"] / 1e6 / claims[("2023", "china_imports_from_japan")] - 1
    )
    assert reference(expected_numbers, "imports_change_2024_pct") == pytest.approx(change)


def test_china_share_of_visitors(expected_numbers):
    visitors = pd.read_csv(DATA / "jnto_visitors.csv").pivot(
        index="year", columns="market", values="visitors"
    )
    shares = (visitors["china"] / visitors["all"] * 100).dropna().loc[:2019]
    assert reference(expected_numbers, "vis_first_share") == pytest.approx(shares.iloc[0])
    assert reference(expected_numbers, "vis_last_share") == pytest.approx(shares.iloc[-1])


def test_lu_kejians_2023_mainland_visitors_match_jnto():
    visitors = pd.read_csv(DATA / "jnto_visitors.csv").set_index(["year", "market"])["visitors"]
    claims = pd.read_csv(DATA / "seed_claims.csv").query("source_doc == 'lu2024'")
    lu = claims.set_index(["period", "claim"])["value"]
    jnto = visitors[(2023, "china")]
    assert jnto == 2_425_157  # JNTO via JATA's databank, 2024 edition
    assert round(jnto / 1e6, 2) == lu[("2023", "visitors_to_japan_from_chinese_mainland")]
    total = visitors[(2023, "all")]  # JNTO's January estimate, as Travel Vision reports it
    assert int(total / 1e4) / 100 == lu[("2023", "foreign_visitors_to_japan")]
