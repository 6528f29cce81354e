"""The BIMTS panel of art and media trade, the agreement indicator and the panel loader's rules."""

from __future__ import annotations

import json
import shutil
import warnings

import numpy as np
import pandas as pd
import pytest

from cjbook.paths import ROOT
from cjtrade import cultural, data, structural

N_COUNTRIES, N_YEARS = 190, 30


# --- the loader's panel rules, on a three-country package -------------------------------------


@pytest.fixture
def tiny_package(tmp_path):
    """A package of two resources copied from the real descriptors: three countries, their flows
    of works of art in 1995-2024 (positive flows only), written so that a test may corrupt them."""
    package = data.read_package()
    keep = {r["name"]: r for r in package["resources"]}
    countries, art = keep["bimts_countries"], json.loads(json.dumps(keep["bimts_art_antiques"]))
    target = tmp_path / "data"
    target.mkdir()
    (target / countries["path"]).write_text(
        "iso3,name,continent\nCHN,China,Asia\nJPN,Japan,Asia\nKOR,South Korea,Asia\n"
    )
    rows = [f"CHN,JPN,{year},{1 + year % 7}.5" for year in cultural.YEARS]
    rows += ["JPN,KOR,2013,0.25"]
    (target / art["path"]).write_text("exporter,importer,year,value\n" + "\n".join(rows) + "\n")
    package["resources"] = [countries, art]
    (target / "datapackage.json").write_text(json.dumps(package))
    data.rehash(target)
    return target


def corrupt(directory, line: int, text: str | None) -> None:
    """Replace (or, with None, delete) data line *line* (1 = first row after the header)."""
    path = directory / "bimts_art_antiques.csv"
    lines = path.read_text().splitlines()
    if text is None:
        del lines[line]
    else:
        lines[line] = text
    path.write_text("\n".join(lines) + "\n")
    data.rehash(directory)  # a rehash must not let a broken file through


def test_a_clean_panel_comes_back_with_every_pair_and_year_and_zeros(tiny_package):
    art = data.load("bimts_art_antiques", tiny_package)
    assert len(art) == 3 * 2 * N_YEARS
    assert art.duplicated(["exporter", "importer", "year"]).sum() == 0
    row = art.query("exporter == 'JPN' and importer == 'KOR'").set_index("year")["value"]
    assert row[2013] == 0.25 and row.drop(2013).eq(0).all()
    assert art.query("exporter == 'KOR'")["value"].eq(0).all()


@pytest.mark.parametrize(
    ("line", "text", "message"),
    [
        (3, "CHN,JPN,1996,9.0", r"row 4: primary-key: "),
        (3, "CHN,JPN,1997,-1.0", r"row 4, field 'value': constraint-error.*minimum"),
        (3, "CHN,TWN,1997,1.0", r"row 4: rule 'country-list': importer 'TWN' is not in"),
        (30, None, r"rule 'missing-year': no row for year\(s\) \[2024\]"),
    ],
    ids=["duplicated pair-year", "negative value", "unknown country", "missing year"],
)
def test_a_broken_panel_stops_naming_file_row_and_rule(tiny_package, line, text, message):
    corrupt(tiny_package, line, text)
    with pytest.raises(data.DataError, match=r"bimts_art_antiques\.csv: .*" + message):
        data.load("bimts_art_antiques", tiny_package)


def test_an_incomplete_covariate_table_names_the_missing_pairs(tmp_path):
    target = tmp_path / "data"
    shutil.copytree(ROOT / "data", target)
    path = target / "bimts_gravity.csv"
    lines = path.read_text().splitlines()
    path.write_text("\n".join(lines[:1] + lines[2:]) + "\n")
    data.rehash(target)
    with pytest.raises(data.DataError, match=r"bimts_gravity\.csv: rule 'missing-pair': 1 pair"):
        data.load("bimts_gravity", target)


# --- the real panel ----------------------------------------------------------------------------


def test_each_group_is_the_full_panel_with_the_readmes_checks():
    art, media = cultural.flows("art"), cultural.flows("media")
    for frame in (art, media):
        assert len(frame) == N_COUNTRIES * (N_COUNTRIES - 1) * N_YEARS
        assert (frame["trade"] >= 0).all()
    value = art.set_index(["exporter", "importer", "year"])["trade"]
    assert value["CHN", "JPN", 2000] == pytest.approx(12.0, abs=0.05)
    assert value["JPN", "CHN", 2024] == pytest.approx(50.7, abs=0.05)
    assert value["CHN", "JPN", 2013] == pytest.approx(300.9, abs=0.05)
    assert value["GBR", "USA", 2019] == pytest.approx(4591.1, abs=0.05)
    media_value = media.set_index(["exporter", "importer", "year"])["trade"]
    assert media_value["CHN", "JPN", 2010] == pytest.approx(267.6, abs=0.05)
    assert media_value["JPN", "CHN", 2010] == pytest.approx(499.6, abs=0.05)


def in_force(table: pd.DataFrame, a: str, b: str) -> list[int]:
    a, b = sorted((a, b))
    rows = table[(table["country_a"] == a) & (table["country_b"] == b) & (table["rta"] == 1)]
    return sorted(rows["year"].astype(int))


def test_the_agreement_indicator_has_the_known_pairs():
    table = data.load("trade_agreements")
    assert in_force(table, "CHN", "KOR") == list(range(2002, 2025))  # APTA, then their FTA
    assert in_force(table, "CHN", "JPN") == [2022, 2023, 2024]  # RCEP only
    assert in_force(table, "JPN", "KOR") == [2022, 2023, 2024]
    for partner in ("FRA", "DEU", "KOR", "JPN", "ALB"):
        years = in_force(table, "GBR", partner)
        assert 2019 in years and 2020 not in years and 2021 in years, partner
    assert in_force(table, "FRA", "DEU") == list(cultural.YEARS)
    check = data.load("trade_agreements_wto_check").set_index("name")
    assert check.loc["China Korea", ["desta_year", "wto_year"]].tolist() == [2015, 2015]


def test_the_ordered_indicator_is_symmetric():
    rta = cultural.agreements().set_index(["exporter", "importer", "year"])["RTA"]
    assert rta["CHN", "KOR", 2010] == rta["KOR", "CHN", 2010] == 1
    assert rta["JPN", "CHN", 2021] == rta["CHN", "JPN", 2021] == 0
    assert len(rta) == N_COUNTRIES * (N_COUNTRIES - 1) * N_YEARS


def test_the_gravity_panel_passes_the_structural_checks_but_has_no_domestic_flows():
    panel = cultural.gravity_panel("art", years=(2012, 2013))
    assert len(panel) == 2 * N_COUNTRIES * (N_COUNTRIES - 1)
    structural.validate_panel(panel, years=(2012, 2013))
    with pytest.raises(structural.PanelError, match="no domestic flow"):
        structural.guide_sample(panel, years=(2012, 2013), require_domestic=True)


def test_ppml_on_the_art_panel_matches_statsmodels_glm_with_dummies_number_for_number():
    """A small sample (the 20 largest exporters of 2016, two years): absorbed fixed effects and
    explicit dummies give the same coefficients and pair-clustered standard errors."""
    panel = cultural.gravity_panel("art", years=(2016, 2020))
    exports = panel[panel["year"] == 2016].groupby("exporter")["trade"].sum()
    countries = exports.nlargest(20).index
    small = panel[panel["exporter"].isin(countries) & panel["importer"].isin(countries)]
    sample = structural.guide_sample(small, years=(2016, 2020))
    absorbed = structural.fit("fepois", structural.TABLE1_FORMULAS["PPML"][1], sample)
    dummies = structural.ppml_with_dummies(sample)
    assert absorbed.separated == 0 and absorbed._N == 2 * 20 * 19
    for term in structural.GRAVITY_TERMS:
        assert dummies.loc[term, "coef"] == pytest.approx(absorbed.coef()[term], abs=1e-6), term
        assert dummies.loc[term, "se"] == pytest.approx(absorbed.se()[term], rel=1e-4), term
    assert (dummies["N"] == absorbed._N).all()


def test_rcep_timing_starts_with_the_later_member_and_marks_only_earlier_member_years():
    sample = pd.DataFrame(
        {
            "exporter": ["CHN", "CHN", "CHN", "JPN", "PHL", "MMR", "USA", "IDN"],
            "importer": ["JPN", "JPN", "JPN", "PHL", "JPN", "JPN", "JPN", "JPN"],
            "year": [2021, 2022, 2024, 2022, 2023, 2023, 2023, 2023],
        }
    )
    timed = cultural.add_rcep_timing(sample, pre_years=(2021, 2022))
    # The Philippines from 2023; Myanmar (contested) and Indonesia (no date in the package) left out
    assert timed["RCEP"].tolist() == [0, 1, 1, 0, 1, 0, 0, 0]
    assert timed["RCEP_PRE_2021"].tolist() == [1, 0, 0, 0, 0, 0, 0, 0]
    assert timed["RCEP_PRE_2022"].tolist() == [0, 0, 0, 1, 0, 0, 0, 0]


def test_trading_pairs_keeps_exactly_the_pairs_ppml_with_pair_effects_can_use():
    sample = pd.DataFrame({"pair_id": [1, 1, 2, 2, 3], "trade": [0.0, 2.0, 0.0, 0.0, 1.0]})
    assert cultural.trading_pairs(sample)["pair_id"].tolist() == [1, 1, 3]


def test_the_seed_flows_leave_out_zeros_and_the_cross_section_keeps_them():
    seed = cultural.seed_flows("art", 2011).set_index("iso3")["value_usd"]
    every = cultural.cross_section("art", 2011).set_index("iso3")
    assert seed["JPN"] == pytest.approx(67.804e6)
    assert len(every) == N_COUNTRIES - 1 and (every["exports"] == 0).sum() == len(every) - len(seed)
    assert every.loc[list(cultural.EAST_ASIAN_CIRCLE), "scc_circle"].eq(1).all()
    assert every["scc_paper"].sum() == len(cultural.PAPER_CIRCLE)


def test_fit_counts_singletons_instead_of_warning_and_solves_fixed_effects_tightly():
    """Five countries trade every pair in two years; a sixth exports once, a singleton that
    pyfixest drops: the count is on the model, no warning escapes, and the tolerance is tight."""
    countries = "ABCDE"
    rows = [(e, i, y) for e in countries for i in countries if e != i for y in (2000, 2004)]
    frame = pd.DataFrame([*rows, ("F", "A", 2004)], columns=["exporter", "importer", "year"])
    generator = np.random.default_rng(2024)
    frame["trade"] = generator.uniform(1, 5, len(frame))
    frame["x"] = generator.normal(size=len(frame))
    frame["pair_id"] = pd.factorize(frame["exporter"] + frame["importer"])[0]
    frame["exp_time"] = frame["exporter"] + frame["year"].astype(str)
    frame["imp_time"] = frame["importer"] + frame["year"].astype(str)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        model = cultural.fit("fepois", "trade ~ x | exp_time + imp_time + pair_id", frame)
    assert not [w for w in caught if "singleton" in str(w.message)]
    assert not [w for w in caught if "fixef_tol" in str(w.message)], "no deprecated argument"
    assert model.singletons == 1 and model.separated == 0
    used = model._N
    assert used == len(frame) - 1
    assert model._fixef_tol == cultural.FIXEF_TOL
