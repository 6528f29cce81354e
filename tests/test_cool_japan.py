"""The Cool Japan chapter's key numbers, recomputed from the raw CSV files with plain pandas.

Each value is compared with the committed reference (book/appendix/reference-numbers.json), which
the book build is held to, so a change in a data file or in the chapter's arithmetic fails here.
"""

import pandas as pd
import pytest

from cjbook.paths import ROOT

PAGE = "book/evidence/cool-japan"
DATA = ROOT / "data"


@pytest.fixture(scope="module")
def content():
    return pd.read_csv(DATA / "cool_japan_content.csv").set_index(["series", "year"])[
        "value_jpy_100m"
    ]


@pytest.fixture(scope="module")
def visitors():
    return pd.read_csv(DATA / "jnto_visitors.csv").pivot(
        index="year", columns="market", values="visitors"
    )


@pytest.fixture(scope="module")
def spending():
    frame = pd.read_csv(DATA / "jta_inbound_spending.csv")
    return frame.pivot(index="year", columns="market", values="spending_jpy_billion")


def rate(start, end, years):
    return 100 * ((end / start) ** (1 / years) - 1)


def reference(expected_numbers, name):
    return float(expected_numbers[(PAGE, name)])


def test_content_targets_and_required_growth(content, expected_numbers):
    latest = content.loc[("humanmedia_content_overseas", 2023)]
    interim, final = (
        content.loc[("content_overseas_sales", 2028)],
        content.loc[("content_overseas_sales", 2033)],
    )
    assert reference(expected_numbers, "content_target_tn") == pytest.approx(
        content.loc[("content_overseas_sales", 2033)] / 1e4
    )
    assert reference(expected_numbers, "content_interim_tn") == pytest.approx(
        content.loc[("content_overseas_sales", 2028)] / 1e4
    )
    assert reference(expected_numbers, "need_final_pct") == pytest.approx(rate(latest, final, 10))
    assert reference(expected_numbers, "need_interim_pct") == pytest.approx(
        rate(latest, interim, 5)
    )
    assert reference(expected_numbers, "need_second_half_pct") == pytest.approx(
        rate(interim, final, 5)
    )


def test_content_growth_across_the_break_is_reported_as_such(content, expected_numbers):
    humanmedia = content.loc["humanmedia_content_overseas"]
    # The 2011 estimate was read only on a blog platform and dropped: one year before the break.
    assert [y for y in humanmedia.index if y < 2022] == [2020]
    assert reference(expected_numbers, "n_old_years") == 1
    across = rate(humanmedia.loc[2020], humanmedia.loc[2023], 3)
    assert reference(expected_numbers, "break_year") == 2022
    assert reference(expected_numbers, "across_rate_pct") == pytest.approx(across)
    anime = rate(
        content.loc[("aja_anime_overseas", 2016)], content.loc[("aja_anime_overseas", 2023)], 7
    )
    assert reference(expected_numbers, "aja_rate_pct") == pytest.approx(anime)


def test_all_sector_target_and_gehrke_agree(content, expected_numbers):
    claims = pd.read_csv(DATA / "seed_claims.csv").set_index(["source_doc", "claim"])["value"]
    target_tn = content.loc[("cool_japan_overseas_related_industries", 2033)] / 1e4
    assert claims.loc[("gehrke2024", "cool_japan_economic_impact_target")] == target_tn
    assert reference(expected_numbers, "cj_target_tn") == pytest.approx(target_tn)
    # The 2023 base was read only in an anonymous copy and dropped (issue 12): no required rate.
    assert ("cool_japan_overseas_related_industries", 2023) not in content.index


def test_tourism_required_and_past_growth(visitors, spending, expected_numbers):
    targets = pd.read_csv(DATA / "japan_inbound_targets.csv").set_index("year")
    assert reference(expected_numbers, "need_vis_pct") == pytest.approx(
        rate(visitors.loc[2024, "all"], targets.loc[2030, "visitors"], 6)
    )
    assert reference(expected_numbers, "vis_rate_pct") == pytest.approx(
        rate(visitors.loc[2010, "all"], visitors.loc[2024, "all"], 14)
    )
    assert reference(expected_numbers, "need_sp_pct") == pytest.approx(
        rate(spending.loc[2024, "all"], targets.loc[2030, "spending_jpy_billion"], 6)
    )
    assert reference(expected_numbers, "sp_rate_pct") == pytest.approx(
        rate(spending.loc[2019, "all"], spending.loc[2024, "all"], 5)
    )


def test_china_shares(visitors, spending, expected_numbers):
    assert reference(expected_numbers, "share_first_pct") == pytest.approx(
        100 * visitors.loc[2010, "china"] / visitors.loc[2010, "all"]
    )
    assert reference(expected_numbers, "share_last_pct") == pytest.approx(
        100 * visitors.loc[2019, "china"] / visitors.loc[2019, "all"]
    )
    rise = visitors.loc[2019] - visitors.loc[2010]
    assert reference(expected_numbers, "cn_contrib_pct") == pytest.approx(
        100 * rise["china"] / rise["all"]
    )
    assert reference(expected_numbers, "cn_spend_share_pct") == pytest.approx(
        100 * spending.loc[2024, "china"] / spending.loc[2024, "all"]
    )


def test_cool_japan_fund_record_holds_together():
    fund = pd.read_csv(DATA / "cool_japan_fund.csv").set_index(["measure", "as_of"])
    end = "2024-03-31"
    capital = fund.loc[("capital_total", end), "value_jpy_100m"]
    government = fund.loc[("capital_government", end), "value_jpy_100m"]
    assert round(100 * government / capital) == 92  # the report's "政府出資の割合が92%"
    exits_in = fund.loc[("exits_support", end), "value_jpy_100m"]
    exits_back = fund.loc[("exits_recovered", end), "value_jpy_100m"]
    assert exits_in - exits_back == pytest.approx(105, abs=1)  # reported as a loss of 104 (rounded)
    losses = fund.xs("cumulative_loss")["value_jpy_100m"]
    assert losses.is_monotonic_increasing and losses.iloc[-1] == 397
    assert (fund["tier"] == "press-report").all()  # the audit report itself was not read


def test_content_sales_beside_copyright_and_audiovisual_receipts(content, expected_numbers):
    monthly = pd.read_csv(DATA / "bop_japan_ip_cultural_world_monthly.csv").query(
        "flow == 'receipts' and month.str.startswith('2023')"
    )
    receipts = monthly.groupby("item")["value_jpy_100m"].sum()
    assert reference(expected_numbers, "bop_cr_hm_year_tn") == pytest.approx(
        receipts["copyrights"] / 1e4
    )
    share = 100 * (receipts["copyrights"] + receipts["audiovisual"])
    share /= content.loc[("humanmedia_content_overseas", 2023)]
    assert reference(expected_numbers, "bop_of_hm_pct") == pytest.approx(share)
