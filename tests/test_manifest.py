"""The numbers manifest comparison reports every changed, missing or new value by name."""

import json

import pytest

from cjbook import manifest
from cjbook.__main__ import main


def write_manifest(path, rows):
    path.write_text(json.dumps([{"page": p, "name": n, "value": v} for p, n, v in rows]))
    return path


def test_identical_manifests_have_no_differences(tmp_path):
    rows = [("book/a", "x", "1.527264"), ("book/a", "label", "'Japan'")]
    a = manifest.read_manifest(write_manifest(tmp_path / "a.json", rows))
    assert manifest.differences(a, dict(a)) == []


def test_a_changed_number_is_reported_with_both_values():
    lines = manifest.differences({("book/a", "beta"): "1.527264"}, {("book/a", "beta"): "1.6"})
    assert lines == ["book/a::beta: expected '1.527264', got '1.6'"]


def test_missing_and_new_names_are_reported():
    lines = manifest.differences({("p", "old"): "1"}, {("p", "new"): "2"})
    assert lines == [
        "p::new: new value '2', not in the reference manifest",
        "p::old: expected '1', missing from this build",
    ]


@pytest.mark.parametrize(
    ("expected", "actual", "same"),
    [
        ("0.815740", "0.8157400000000001", True),  # floating-point noise
        ("0.815740", "0.815741", False),  # a real change in the sixth decimal
        ("2011", "2011", True),
        ("'Japan'", "'Japan '", False),  # text must match exactly
        ("1,234", "1234", False),  # formatted text is text, not a number
    ],
)
def test_same_value_tolerates_only_floating_point_noise(expected, actual, same):
    assert manifest.same_value(expected, actual) is same


def test_compare_command_fails_and_names_the_difference(tmp_path, capsys):
    expected = write_manifest(tmp_path / "e.json", [("p", "r2", "0.815740")])
    actual = write_manifest(tmp_path / "a.json", [("p", "r2", "0.9")])
    assert main(["numbers-compare", str(expected), str(actual)]) == 1
    out = capsys.readouterr().out
    assert "DIFF p::r2: expected '0.815740', got '0.9'" in out
    assert "1 checked, 1 difference(s)" in out


def test_compare_command_passes_on_equal_manifests(tmp_path):
    path = write_manifest(tmp_path / "e.json", [("p", "n", "16")])
    assert main(["numbers-compare", str(path), str(path)]) == 0


def test_a_missing_manifest_is_a_clear_error(tmp_path):
    with pytest.raises(FileNotFoundError, match="numbers manifest is missing"):
        manifest.read_manifest(tmp_path / "absent.json")
