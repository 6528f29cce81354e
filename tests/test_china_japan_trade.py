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


def quarterly_bop() -> pd.DataFrame:
    """The regional balance of payments, one column per series code, one row per quarter."""
    raw = pd.read_csv(DATA / "bop_japan_services_by_partner.csv")
    return raw.pivot(index="quarter", columns="series_code", values="value_jpy_100m")


def test_ip_receipts_from_china_korea_and_the_us(expected_numbers):
    codes = quarterly_bop()
    years = codes.index.str[:4].astype(int)
    for name, code in [("cn", "BPBP6QSCCN95"), ("kr", "BPBP6QSCKR95"), ("us", "BPBP6QSCUS95")]:
        annual = codes[code].groupby(years).sum() / 10  # ¥100 million -> ¥ billion
        assert reference(expected_numbers, f"ip_{name}_first_bn") == pytest.approx(annual[2014])
        assert reference(expected_numbers, f"ip_{name}_last_bn") == pytest.approx(annual[2025])
    # The figures the closing note quotes, to the ¥0.1 billion.
    china = codes["BPBP6QSCCN95"].groupby(years).sum() / 10
    assert (round(china[2014], 1), round(china[2025], 1)) == (455.4, 649.8)


def test_copyright_share_of_world_ip_receipts(expected_numbers):
    monthly = pd.read_csv(DATA / "bop_japan_ip_cultural_world_monthly.csv").query(
        "flow == 'receipts' and month < '2026'"
    )
    annual = monthly.pivot(index="month", columns="item", values="value_jpy_100m")
    annual = annual.groupby(annual.index.str[:4].astype(int)).sum()
    share = 100 * annual["copyrights"] / annual["ip_charges"]
    assert reference(expected_numbers, "cr_share_first") == pytest.approx(share[1996])
    assert reference(expected_numbers, "cr_share_ip_first") == pytest.approx(share[2014])
    assert reference(expected_numbers, "cr_share_last") == pytest.approx(share[2025])


def test_the_press_figure_is_the_first_quarters(expected_numbers):
    codes = quarterly_bop()
    net = codes["BPBP6QSCCN95"] - codes["BPBP6QSDCN95"]
    claims = pd.read_csv(DATA / "press_ip_balance_2018.csv").set_index("partner")
    assert reference(expected_numbers, "press_cn_q1") == pytest.approx(net["2018Q1"])
    assert reference(expected_numbers, "press_cn_h1") == pytest.approx(net["2018Q1":"2018Q2"].sum())
    assert abs(net["2018Q1"] / claims.loc["china", "net_jpy_100m"] - 1) < 0.01
    assert reference(expected_numbers, "press_cn_q1_pct") == pytest.approx(
        100 * (net["2018Q1"] / net["2017Q1"] - 1)
    )
