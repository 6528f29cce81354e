"""Provenance: each row names its primary source and the tier of the copy read; checked."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from cjbook.paths import ROOT
from cjtrade import data, provenance

# The command line that runs data-check: cjtrade's today, cjbook's once the build package has it.
CLI = "cjbook" if (ROOT / "cjbook" / "__main__.py").exists() else "cjtrade"


def rewrite_package(data_dir: Path, change) -> None:
    """Apply *change* to the descriptor in *data_dir* and write it back."""
    path = data_dir / "datapackage.json"
    package = json.loads(path.read_text(encoding="utf-8"))
    change({r["name"]: r for r in package["resources"]})
    path.write_text(json.dumps(package, indent=2, ensure_ascii=False), encoding="utf-8")


def rewrite_cell(data_dir: Path, file: str, row: int, column: str, value: str) -> None:
    """Set *column* of data row *row* (1 = first data row) of *file*, then record the checksums."""
    path = data_dir / file
    with open(path, encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        fields, rows = reader.fieldnames, list(reader)
    rows[row - 1][column] = value
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    data.rehash(data_dir)


def test_the_package_has_no_provenance_problem():
    assert provenance.problems(data.read_package(), data.DATA_DIR) == []


def test_every_source_or_row_has_a_tier_and_a_complete_primary_citation():
    for resource in data.read_package()["resources"]:
        if "primarySources" in resource:
            rows = data.load(resource["name"])
            assert set(rows["tier"]) <= set(provenance.TIERS), resource["name"]
            assert set(rows["primary"]) <= set(resource["primarySources"]), resource["name"]
            citations = resource["primarySources"].values()
        else:
            assert all(s["tier"] in provenance.TIERS for s in resource["sources"]), resource["name"]
            citations = [s["primary"] for s in resource["sources"]]
        for citation in citations:
            assert all(citation[f].strip() for f in provenance.CITATION_FIELDS), resource["name"]


@pytest.mark.parametrize(
    ("url", "kind"),
    [
        ("http://222.198.130.40:8081/view/Subject/showsubject.aspx?id=1", "bare IP address"),
        ("https://blog.goo.ne.jp./ks_season/e/eb38", "personal blog"),
        ("https://yomi.tokyo/agate/asahi/newsplus/1546094998/a", "forum archive"),
        (
            "https://www.yumpu.com/en/document/view/57114331/mapping-culture/28",
            "document-sharing site",
        ),
        ("https://wg1qu9pf.user.webaccel.jp/n/2018/03/07/28588", "anonymous hosting"),
    ],
)
def test_anonymous_copies_are_recognised(url, kind):
    assert provenance.anonymous_kind(url) == kind


@pytest.mark.parametrize(
    "url",
    [
        "https://www.jata-net.or.jp/databank/jata-trend/2024_statsindex/2024_10/",
        "https://www.jetro.go.jp/biznews/2023/07/85e5acaaf8133b50.html",
        "https://github.com/datasets/gdp/blob/0be54c18/data/gdp.csv",
        "https://www.nikkei.com/article/DGXZQOUA015YD001022022000000/",
    ],
)
def test_named_publishers_are_not_anonymous(url):
    assert provenance.anonymous_kind(url) is None


def test_a_row_without_a_tier_fails_naming_file_row_and_rule(data_copy):
    rewrite_cell(data_copy, "jnto_visitors.csv", 3, "tier", "")
    problems = provenance.problems(data.read_package(data_copy), data_copy)
    assert any("jnto_visitors.csv: row 4: rule 'tier'" in p for p in problems), (
        problems
    )  # data row 3 is line 4 of the file, as frictionless counts


def test_a_row_with_an_unknown_primary_source_fails(data_copy):
    rewrite_cell(data_copy, "japanese_fdi_in_china.csv", 1, "primary", "someone")
    problems = provenance.problems(data.read_package(data_copy), data_copy)
    assert any(
        "japanese_fdi_in_china.csv: row 2: rule 'primary-citation': primary 'someone'" in p
        for p in problems
    ), problems


def test_a_row_read_in_a_forum_archive_fails(data_copy):
    rewrite_cell(data_copy, "cool_japan_content.csv", 1, "url", "https://yomi.tokyo/agate/x")
    problems = provenance.problems(data.read_package(data_copy), data_copy)
    assert any(
        "cool_japan_content.csv: row 2: rule 'no-anonymous-copy'" in p and "forum archive" in p
        for p in problems
    ), problems


def test_a_source_without_a_primary_citation_fails(data_copy):
    rewrite_package(data_copy, lambda r: r["wdi_2011"]["sources"][0].pop("primary"))
    problems = provenance.problems(data.read_package(data_copy), data_copy)
    assert any("wdi_2011.csv: source 1" in p and "'primary-citation'" in p for p in problems)


def test_an_incomplete_primary_citation_names_the_missing_field(data_copy):
    rewrite_package(data_copy, lambda r: r["jnto_visitors"]["primarySources"]["jnto"].pop("date"))
    problems = provenance.problems(data.read_package(data_copy), data_copy)
    assert any("primarySources['jnto']" in p and "lacks date" in p for p in problems), problems


def test_a_source_with_an_unknown_tier_fails(data_copy):
    rewrite_package(data_copy, lambda r: r["wdi_2011"]["sources"][1].update(tier="blog"))
    problems = provenance.problems(data.read_package(data_copy), data_copy)
    assert any("wdi_2011.csv: source 2" in p and "tier 'blog'" in p for p in problems)


def test_a_replaced_row_must_name_its_new_copy(data_copy):
    rewrite_package(data_copy, lambda r: r["jnto_visitors"]["provenanceChanges"][0].pop("now"))
    problems = provenance.problems(data.read_package(data_copy), data_copy)
    assert any("provenanceChanges[1]" in p and "names its copy" in p for p in problems)


def test_data_check_reports_provenance_problems(data_copy):
    rewrite_cell(data_copy, "jnto_visitors.csv", 1, "tier", "rumour")
    assert any("rule 'tier'" in p for p in data.check_package(data_copy))


def test_the_data_check_command_fails_on_a_row_without_a_tier(data_copy):
    rewrite_cell(data_copy, "jta_inbound_spending.csv", 1, "tier", "")
    result = subprocess.run(
        [sys.executable, "-m", CLI, "data-check"],
        cwd=ROOT,
        env={"CJTRADE_DATA_DIR": str(data_copy), "PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    assert "jta_inbound_spending.csv: row 2: rule 'tier'" in result.stderr


def test_no_row_rests_on_an_anonymous_copy():
    for resource in data.read_package()["resources"]:
        urls = list(data.load(resource["name"]).get("url", []))
        urls += [s.get("path", "") for s in resource["sources"]]
        assert not [u for u in urls if provenance.anonymous_kind(u)], resource["name"]


def test_the_gap_filled_jnto_china_series_is_complete_2013_to_2023():
    visitors = data.load("jnto_visitors").query("market == 'china'")
    years = set(visitors["year"])
    assert set(range(2013, 2024)) <= years
    jata = visitors[visitors["year"].between(2013, 2023)]
    assert (jata["tier"] == "official-republication").all()


def test_tier_counts_cover_every_row():
    package = data.read_package()
    counts = provenance.tier_counts(package, data.DATA_DIR)
    # the rows stored in each file: a panel resource loads with its zeros added
    stored = [pd.read_csv(data.DATA_DIR / r["path"]) for r in package["resources"]]
    assert sum(counts.values()) == sum(len(rows) for rows in stored)
    assert set(counts) == set(provenance.TIERS)
