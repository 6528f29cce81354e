"""Provenance: each row names its primary source and the tier of the copy read; checked."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from conftest import rewrite_descriptor

from cjbook.paths import ROOT
from cjtrade import data, provenance

# The command line that runs data-check: cjtrade's today, cjbook's once the build package has it.
CLI = "cjbook" if (ROOT / "cjbook" / "__main__.py").exists() else "cjtrade"


def rewrite_package(data_dir: Path, change) -> None:
    """Apply *change* to the descriptor's resources, by name, and write it back."""
    rewrite_descriptor(
        data_dir, lambda package: change({r["name"]: r for r in package["resources"]})
    )


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
    ("url", "host"),
    [
        ("https://blog.goo.ne.jp./ks_season/e/eb38", "blog.goo.ne.jp"),
        ("http://222.198.130.40:8081/view/Subject/showsubject.aspx?id=1", "222.198.130.40"),
        ("HTTPS://WWW.JETRO.GO.JP/biznews/2023/07/85e5acaaf8133b50.html", "www.jetro.go.jp"),
    ],
)
def test_the_host_of_a_copy_drops_port_case_and_trailing_dot(url, host):
    assert provenance.host_of(url) == host


def test_every_copy_is_on_a_recorded_host_and_every_record_is_used():
    package = data.read_package()
    used = {
        provenance.host_of(url)
        for resource in package["resources"]
        for _, url, _ in provenance.copies(resource, data.DATA_DIR)
    }
    assert used == set(package["copyHosts"])


def test_a_news_outlet_record_names_its_publisher():
    outlets = [r for r in data.read_package()["copyHosts"].values() if r["kind"] == "news outlet"]
    assert outlets and all(r["publisher"].strip() for r in outlets)


def test_a_row_read_on_an_unknown_host_fails_naming_file_row_and_rule(data_copy):
    rewrite_cell(data_copy, "cool_japan_content.csv", 1, "url", "https://example-reposts.net/a/1")
    problems = provenance.problems(data.read_package(data_copy), data_copy)
    assert any(
        "cool_japan_content.csv: row 2: rule 'registered-host'" in p and "example-reposts.net" in p
        for p in problems
    ), problems


def test_a_source_read_on_an_unknown_host_fails(data_copy):
    rewrite_package(
        data_copy,
        lambda r: r["wdi_2011"]["sources"][0].update(path="https://mirror.example.org/wdi.csv"),
    )
    problems = provenance.problems(data.read_package(data_copy), data_copy)
    assert any(
        "wdi_2011.csv: source 1: rule 'registered-host'" in p and "mirror.example.org" in p
        for p in problems
    ), problems


def rewrite_hosts(data_dir: Path, change) -> None:
    """Apply *change* to the copyHosts registry in *data_dir* and write it back."""
    rewrite_descriptor(data_dir, lambda package: change(package["copyHosts"]))


def test_a_host_record_without_a_kind_fails(data_copy):
    rewrite_hosts(data_copy, lambda hosts: hosts["asia.nikkei.com"].update(kind="blog"))
    problems = provenance.problems(data.read_package(data_copy), data_copy)
    assert any("copyHosts['asia.nikkei.com']: rule 'host-record'" in p for p in problems)


def test_a_news_outlet_without_its_publisher_fails(data_copy):
    rewrite_hosts(data_copy, lambda hosts: hosts["asia.nikkei.com"].pop("publisher"))
    problems = provenance.problems(data.read_package(data_copy), data_copy)
    assert any("asia.nikkei.com" in p and "names its publisher" in p for p in problems), problems


def test_a_host_record_no_copy_uses_fails(data_copy):
    rewrite_hosts(
        data_copy,
        lambda hosts: hosts.update({"unused.example.org": {"kind": "publisher", "name": "X"}}),
    )
    problems = provenance.problems(data.read_package(data_copy), data_copy)
    assert any("unused.example.org" in p and "no copy is read there" in p for p in problems)


def test_a_primary_copy_on_a_news_outlet_fails(data_copy):
    rewrite_cell(data_copy, "jnto_visitors.csv", 2, "tier", "primary")  # a china.org.cn report
    problems = provenance.problems(data.read_package(data_copy), data_copy)
    assert any("jnto_visitors.csv: row 3: rule 'tier-host'" in p for p in problems), problems


def test_a_named_authors_site_carries_press_claims_only(data_copy):
    assert provenance.problems(data.read_package(data_copy), data_copy) == []
    rewrite_cell(data_copy, "press_ip_balance_2018.csv", 3, "tier", "official-republication")
    problems = provenance.problems(data.read_package(data_copy), data_copy)
    assert any(
        "press_ip_balance_2018.csv: row 4: rule 'tier-host'" in p and "named author" in p
        for p in problems
    ), problems


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
