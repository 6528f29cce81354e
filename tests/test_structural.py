"""Structural gravity: the Advanced Guide's panel, its validation, the Guide's published results."""

from __future__ import annotations

import json

import frictionless
import pytest

from cjtrade import data

PANEL = "agtpa_manufacturing_panel"


# --- the data resource -------------------------------------------------------------------------


def test_panel_has_the_guides_rows_countries_and_years():
    panel = data.load(PANEL)
    assert len(panel) == 99_981
    assert panel["exporter"].nunique() == panel["importer"].nunique() == 69
    assert sorted(panel["year"].unique()) == list(range(1986, 2007))
    assert (panel["exporter"] == panel["importer"]).sum() == 69 * 21  # every domestic flow
    chn_usa = panel.query("exporter == 'CHN' and importer == 'USA' and year == 2006")
    assert round(float(chn_usa["trade"].iloc[0])) == 241_537


def test_pair_id_is_symmetric():
    panel = data.load(PANEL)
    ids = panel.drop_duplicates(["exporter", "importer"])[["exporter", "importer", "pair_id"]]
    mirrored = ids.rename(columns={"exporter": "importer", "importer": "exporter"})
    joined = ids.merge(mirrored, on=["exporter", "importer"], suffixes=("", "_mirror"))
    assert len(joined) == 69 * 69
    assert (joined["pair_id"] == joined["pair_id_mirror"]).all()


def _corrupt(data_copy, old: str, new: str, line: int) -> None:
    path = data_copy / f"{PANEL}.csv"
    lines = path.read_text().splitlines()
    assert old in lines[line - 1]
    lines[line - 1] = lines[line - 1].replace(old, new, 1)
    path.write_text("\n".join(lines) + "\n")
    data.rehash(data_copy)  # a careless checksum "fix" must not get past the schema


@pytest.mark.parametrize(
    ("old", "new", "rule"),
    [
        (
            ",61288.59026286057,",
            ",-61288.59026286057,",
            r"field 'trade': constraint-error: "
            r'constraint "minimum" is "0"',
        ),
        ("ARG,ARG,", "ARG,XXX,", r"field 'importer': constraint-error: constraint \"enum\""),
        (",1987,", ",2007,", r"field 'year': constraint-error: constraint \"maximum\" is \"2006\""),
        (",1987,", ",1986,", r"primary-key: the primary key \['exporter', 'importer', 'year'\]"),
        (",1987,", ",1987.5,", r"field 'year': type-error"),
    ],
)
def test_a_corrupted_panel_fails_naming_file_row_and_rule(data_copy, old, new, rule):
    _corrupt(data_copy, old, new, line=3 if "1987" in old else 2)
    row = 3 if "1987" in old else 2
    with pytest.raises(
        data.DataError, match=rf"{PANEL}\.csv: 1 schema error\(s\): row {row}[,:] {rule}"
    ):
        data.load(PANEL, data_copy)


def test_fast_validation_reports_what_frictionless_reports(tmp_path, monkeypatch):
    """On a small file with one error of each kind, both validators name the same rows and rules."""
    schema = data.resource_descriptor(PANEL)["schema"]
    rows = [
        "exporter,importer,pair_id,year,trade,DIST,CNTG,LANG,CLNY,RTA",
        "ARG,ARG,12339,1986,1.5,533.9,0,0,0,0",
        "ARG,AUS,1,1986,-2,12044.5,0,0,0,0",  # negative trade
        "ARG,AUS,1,1987,3,12044.5,2,0,0,0",  # CNTG not 0/1
        "ARG,ZZZ,1,1987,3,12044.5,0,0,0,0",  # unknown importer
        "ARG,AUT,x,1987,3,11751.1,0,0,0,0",  # pair_id not an integer
        "ARG,AUT,2,1985,,11751.1,0,0,0,0",  # year too early, trade missing
    ]
    path = tmp_path / "panel.csv"
    path.write_text("\n".join(rows) + "\n")
    fast = {
        (e.get("rowNumber"), e.get("fieldName"), e["type"])
        for e in data._fast_schema_errors(schema, path)
    }
    report = frictionless.Resource(
        {"name": "p", "path": "panel.csv", "format": "csv", "schema": schema},
        basepath=str(tmp_path),
    ).validate()
    slow = {(e.row_number, e.field_name, e.type) for t in report.tasks for e in t.errors}
    assert fast == slow
    assert len(fast) == 6


def test_panel_entry_records_source_copy_licence_and_unit():
    descriptor = data.metadata(PANEL)
    sources = json.dumps(descriptor["sources"])
    assert (
        "AdvancedGuideFiles.zip" in sources
        and "bc5d4da01080470d8679e1293216de4e79ab0077" in sources
    )
    assert descriptor["licenses"][0]["name"] == "CC-BY-4.0"
    trade = next(f for f in descriptor["schema"]["fields"] if f["name"] == "trade")
    assert "million" not in trade["unit"]  # the scale is not documented by the source
