"""Japan's balance of payments: the refresh from the Bank of Japan's zips, the annual and net
arithmetic of :mod:`cjtrade.bop`, and the published identities the two resources must satisfy.

The refresh is tested on small zips built here in the flat files' own layout (four blank header
cells, then the periods; one row per series), and, where the official zips are on this machine
(a ``shared/data/boj-bop`` folder above the repository), on the real files: the rebuilt CSVs must
equal the committed ones byte for byte.
"""

from __future__ import annotations

import csv
import hashlib
import io
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from cjbook.paths import ROOT
from cjbook.refresh import RefreshError
from cjbook.refresh_bop import (
    FLOWS,
    NATIONAL_ITEMS,
    PARTNERS,
    REGIONAL_ITEMS,
    national_code,
    national_ip_cultural,
    refresh_bop,
    regional_code,
    regional_services,
)
from cjtrade import bop, data

STAT = "Regional Balance of Payments (Quarterly) (Data Based on the BPM6)"
UNIT = "100 million Yen"


# ---------------------------------------------------------------- fixture zips in the files' layout


def regional_rows(periods: list[str], value=lambda code, period: "1.5") -> list[list[str]]:
    """Every regional series the refresh reads, with descriptions as the Bank writes them."""
    rows = []
    for partner, (_, partner_label) in PARTNERS.items():
        for item, (_, item_path) in REGIONAL_ITEMS.items():
            for flow, (_, flow_label) in FLOWS.items():
                if flow == "N" and item:
                    continue
                code = regional_code(flow, partner, item)
                description = "/".join(["Services", *item_path, partner_label, flow_label])
                rows.append([code, STAT, description, UNIT, *(value(code, p) for p in periods)])
    return rows


def national_rows(periods: list[str], value=lambda code, period: "2.25") -> list[list[str]]:
    rows = []
    for item, (_, item_path) in NATIONAL_ITEMS.items():
        for flow, (_, flow_label) in FLOWS.items():
            code = national_code(flow, item)
            description = "/".join(["Services", "Other services", *item_path, flow_label])
            rows.append(
                [code, "Balance of Payments", description, UNIT, *(value(code, p) for p in periods)]
            )
    return rows


def write_zip(path: Path, member: str, periods: list[str], rows: list[list[str]]) -> Path:
    """A zip holding one flat-file CSV: a header of four blank cells and the periods, then rows."""
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(["", "", "", "", *periods])
    writer.writerows(rows)
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(member, text.getvalue())
    return path


QUARTERS = ["201401", "201402", "201403", "201404", "201501"]
MONTHS = ["202512", "202601", "202602", "202603"]


@pytest.fixture
def zips(tmp_path: Path) -> tuple[Path, Path]:
    """A regional zip with one suppressed cell, a national zip whose last month is not yet out."""

    def regional_value(code, period):
        return "NA" if (code, period) == ("BPBP6QSDCN98", "201402") else f"{period[-1]}.125"

    def national_value(code, period):
        return "" if period == "202603" else "7.00000001"

    regional = write_zip(
        tmp_path / "regbp_q_en.zip",
        "regbp_q_en.csv",
        QUARTERS,
        regional_rows(QUARTERS, regional_value),
    )
    national = write_zip(
        tmp_path / "bp_m_en.zip", "bp_m_en.csv", MONTHS, national_rows(MONTHS, national_value)
    )
    return regional, national


def test_refresh_writes_both_files_with_values_as_printed(zips, tmp_path, capsys):
    regional_zip, national_zip = zips
    out_regional, out_national = tmp_path / "regional.csv", tmp_path / "national.csv"
    refresh_bop(
        [
            str(regional_zip),
            str(national_zip),
            "--regional-out",
            str(out_regional),
            "--national-out",
            str(out_national),
        ]
    )
    regional = pd.read_csv(out_regional, dtype=str, keep_default_na=False)
    assert list(regional.columns) == [
        "quarter",
        "partner",
        "item",
        "flow",
        "value_jpy_100m",
        "series_code",
    ]
    # six partners x (two flows for each of three items + the net of total services) x 5 quarters
    assert len(regional) == 6 * 7 * 5
    china_pcr = regional.query("series_code == 'BPBP6QSDCN98'").set_index("quarter")[
        "value_jpy_100m"
    ]
    assert china_pcr["2014Q2"] == "", "a suppressed cell (NA) stays missing"
    assert china_pcr["2015Q1"] == "1.125", "values are written as printed"
    assert set(regional.query("flow == 'net'")["item"]) == {"services_total"}
    national = pd.read_csv(out_national, dtype=str, keep_default_na=False)
    assert list(national["month"].unique()) == ["2025-12", "2026-01", "2026-02"], (
        "a month no series has reached yet is left out"
    )
    assert set(national["value_jpy_100m"]) == {"7.00000001"}
    assert len(national) == 6 * 3 * 3
    assert "sha256:" in capsys.readouterr().out


def test_refresh_selects_partners(zips):
    regional_zip, _ = zips
    frame = regional_services(regional_zip, ["CN"])
    assert set(frame["partner"]) == {"china"}
    with pytest.raises(RefreshError, match="unknown partner code"):
        regional_services(regional_zip, ["XX"])


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda rows: [r for r in rows if r[0] != "BPBP6QSCCN95"],
            r"series BPBP6QSCCN95 \(.*\) is missing",
        ),
        (
            lambda rows: [
                [*r[:2], "Services/Travel/P.R. China/Credit", *r[3:]]
                if r[0] == "BPBP6QSCCN95"
                else r
                for r in rows
            ],
            "BPBP6QSCCN95 is 'Services/Travel/P.R. China/Credit', expected",
        ),
        (lambda rows: [[*r[:3], "Million Yen", *r[4:]] for r in rows], "is in 'Million Yen'"),
        (
            lambda rows: [[*r[:5], "x", *r[6:]] if r[0] == "BPBP6QSCKR98" else r for r in rows],
            "series BPBP6QSCKR98, period 201402: 'x' is not a number or NA",
        ),
        (
            lambda rows: [[*r[:5], "", *r[6:]] if r[0] == "BPBP6QSCKR98" else r for r in rows],
            "series BPBP6QSCKR98 is blank in period 201402, inside the published range",
        ),
        (lambda rows: [rows[0][:-1], *rows[1:]], "row 2 has 8 cells, the header 9"),
    ],
    ids=[
        "missing-series",
        "wrong-description",
        "wrong-unit",
        "not-a-number",
        "blank-inside",
        "short-row",
    ],
)
def test_refresh_stops_on_bad_input_naming_file_series_and_rule(tmp_path, change, message):
    rows = change(regional_rows(QUARTERS))
    path = write_zip(tmp_path / "regbp_q_en.zip", "regbp_q_en.csv", QUARTERS, rows)
    with pytest.raises(RefreshError, match=message) as caught:
        regional_services(path)
    assert str(path) in str(caught.value)


def test_refresh_stops_on_a_wrong_zip(tmp_path):
    other = write_zip(tmp_path / "other.zip", "other.csv", QUARTERS, [])
    with pytest.raises(RefreshError, match=r"the zip holds no bp_m_en\.csv"):
        national_ip_cultural(other)
    with pytest.raises(RefreshError, match="no such file"):
        national_ip_cultural(tmp_path / "absent.zip")
    bad = write_zip(tmp_path / "bad.zip", "bp_m_en.csv", ["2026-01"], national_rows(["2026-01"]))
    with pytest.raises(RefreshError, match="not a month"):
        national_ip_cultural(bad)


def test_refresh_command_exits_with_the_error(tmp_path):
    with pytest.raises(SystemExit, match=r"refresh_bop\.py: error: .*no such file"):
        refresh_bop([str(tmp_path / "a.zip"), str(tmp_path / "b.zip")])


def official_zips() -> dict[str, Path] | None:
    """The official zips in a ``shared/data/boj-bop`` folder above the repository, if any."""
    for parent in ROOT.parents:
        folder = parent / "shared" / "data" / "boj-bop"
        if (folder / "regbp_q_en.zip").is_file() and (folder / "bp_m_en.zip").is_file():
            return {"regional": folder / "regbp_q_en.zip", "national": folder / "bp_m_en.zip"}
    return None


@pytest.mark.skipif(official_zips() is None, reason="the official Bank of Japan zips are not here")
def test_refresh_from_the_official_zips_reproduces_the_committed_files(tmp_path):
    zips = official_zips()
    for name, resource in [
        ("regional", "bop_japan_services_by_partner"),
        ("national", "bop_japan_ip_cultural_world_monthly"),
    ]:
        source = data.metadata(resource)["sources"][0]["table"]
        assert hashlib.sha256(zips[name].read_bytes()).hexdigest() in source, (
            f"{zips[name]} is not the zip the data package records"
        )
    out = {name: tmp_path / f"{name}.csv" for name in zips}
    refresh_bop(
        [
            str(zips["regional"]),
            str(zips["national"]),
            "--regional-out",
            str(out["regional"]),
            "--national-out",
            str(out["national"]),
        ]
    )
    assert (
        out["regional"].read_bytes()
        == (data.DATA_DIR / "bop_japan_services_by_partner.csv").read_bytes()
    )
    assert (
        out["national"].read_bytes()
        == (data.DATA_DIR / "bop_japan_ip_cultural_world_monthly.csv").read_bytes()
    )


# ------------------------------------------------------------------------------- cjtrade.bop


def quarters(values: dict[str, float | None], **keys) -> pd.DataFrame:
    return pd.DataFrame(
        [{"quarter": q, **keys, "value_jpy_100m": v, "series_code": "X"} for q, v in values.items()]
    ).astype({"value_jpy_100m": "float64"})


def test_annual_sums_a_year_only_where_every_quarter_is_published():
    frame = quarters(
        {
            "2014Q1": 1.0,
            "2014Q2": 2.0,
            "2014Q3": 3.0,
            "2014Q4": 4.0,  # complete
            "2015Q1": 1.0,
            "2015Q2": None,
            "2015Q3": 3.0,
            "2015Q4": 4.0,  # one suppressed
            "2016Q1": 1.0,
            "2016Q2": 2.0,
            "2016Q3": 3.0,  # not yet published
        },
        partner="china",
    )
    totals = bop.annual(frame).set_index("year")["value_jpy_100m"]
    assert totals[2014] == 10.0
    assert np.isnan(totals[2015]) and np.isnan(totals[2016])
    assert list(bop.annual(frame).columns) == ["partner", "year", "value_jpy_100m"]


def test_annual_needs_twelve_months_and_keeps_series_apart():
    months = pd.DataFrame(
        [
            {"month": f"{year}-{m:02d}", "item": item, "value_jpy_100m": 1.0}
            for year, last in [(2024, 12), (2025, 11)]
            for m in range(1, last + 1)
            for item in ["copyrights", "industrial_property"]
        ]
    )
    totals = bop.annual(months).set_index(["item", "year"])["value_jpy_100m"]
    assert totals[("copyrights", 2024)] == 12.0 and totals[("industrial_property", 2024)] == 12.0
    assert totals[["copyrights", "industrial_property"]].xs(2025, level="year").isna().all()


def test_annual_refuses_a_repeated_period_and_an_unknown_period_column():
    frame = quarters({"2014Q1": 1.0, "2014Q2": 2.0, "2014Q3": 3.0})
    repeated = pd.concat([frame, frame.iloc[[0]]])
    with pytest.raises(ValueError, match="period repeated within a series"):
        bop.annual(repeated)
    with pytest.raises(ValueError, match="exactly one period column"):
        bop.annual(frame.rename(columns={"quarter": "year"}))


def test_add_net_computes_missing_nets_and_keeps_published_ones():
    rows = [
        ("2014Q1", "ip_charges", "receipts", 10.0, "C95"),
        ("2014Q1", "ip_charges", "payments", 4.0, "D95"),
        ("2014Q2", "ip_charges", "receipts", 10.0, "C95"),
        ("2014Q2", "ip_charges", "payments", None, "D95"),
        ("2014Q1", "services_total", "receipts", 50.0, "C"),
        ("2014Q1", "services_total", "payments", 20.0, "D"),
        ("2014Q1", "services_total", "net", 30.5, "N"),
    ]
    frame = pd.DataFrame(rows, columns=["quarter", "item", "flow", "value_jpy_100m", "series_code"])
    result = bop.add_net(frame)
    net = result[result["flow"] == "net"].set_index(["quarter", "item"])
    assert net.loc[("2014Q1", "ip_charges"), "value_jpy_100m"] == 6.0
    assert np.isnan(net.loc[("2014Q2", "ip_charges"), "value_jpy_100m"])
    assert net.loc[("2014Q1", "services_total"), "value_jpy_100m"] == 30.5, "published net kept"
    assert len(net) == 3
    assert net.loc[("2014Q1", "ip_charges"), "series_code"] == "computed: C95 minus D95"
    with pytest.raises(ValueError, match="without payments"):
        bop.add_net(frame[frame["flow"] != "payments"])


# ------------------------------------------------------------- identities of the published data


@pytest.fixture(scope="module")
def regional() -> pd.DataFrame:
    return data.load("bop_japan_services_by_partner")


@pytest.fixture(scope="module")
def national() -> pd.DataFrame:
    return data.load("bop_japan_ip_cultural_world_monthly")


def test_regional_world_ip_receipts_equal_the_national_monthly_series(regional, national):
    by_partner = bop.annual(regional.query("partner == 'total' and item == 'ip_charges'"))
    world = bop.annual(national.query("item == 'ip_charges'"))
    merged = by_partner.merge(world, on=["flow", "year"], suffixes=("_regional", "_national"))
    assert set(merged["year"]) == set(range(2014, 2026))
    gap = (merged["value_jpy_100m_regional"] - merged["value_jpy_100m_national"]).abs()
    assert gap.max() < 0.01
    receipts = merged.query("flow == 'receipts'").set_index("year")["value_jpy_100m_regional"]
    assert round(receipts[2014]) == 39_607 and round(receipts[2025]) == 81_634  # the README's check


def test_published_net_is_receipts_minus_payments(regional, national):
    for frame in (regional.query("item == 'services_total'"), national):
        published = frame[frame["flow"] == "net"]
        computed = bop.add_net(frame[frame["flow"] != "net"]).query("flow == 'net'")
        keys = [c for c in frame.columns if c not in ("flow", "value_jpy_100m", "series_code")]
        both = published.merge(computed, on=keys, suffixes=("_published", "_computed"))
        assert len(both) == len(published)
        gap = (both["value_jpy_100m_published"] - both["value_jpy_100m_computed"]).abs()
        assert gap.max() < 0.01


def test_national_sub_items_add_up_to_their_items(national):
    wide = national.pivot(index=["month", "flow"], columns="item", values="value_jpy_100m")
    ip_gap = wide["industrial_property"] + wide["copyrights"] - wide["ip_charges"]
    assert ip_gap.abs().max() < 0.01
    pcr_parts = wide["audiovisual"] + wide["other_personal_cultural_recreational"]
    pcr_gap = (pcr_parts - wide["personal_cultural_recreational"]).dropna()
    assert pcr_gap.abs().max() < 0.01
    assert wide.isna().sum().sum() == 1, "the file suppresses exactly one national cell"


def test_only_small_cultural_cells_are_suppressed(regional):
    suppressed = regional[regional["value_jpy_100m"].isna()]
    assert set(suppressed["item"]) == {"personal_cultural_recreational"}
    assert "total" not in set(suppressed["partner"])
