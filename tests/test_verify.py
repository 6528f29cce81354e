"""`make verify` re-executes everything from scratch and matches the committed numbers."""

import json

import pytest

from cjbook.paths import REFERENCE_NUMBERS

pytestmark = pytest.mark.slow


def test_make_verify_reproduces_every_committed_number(verification):
    returncode, output = verification.result()
    assert returncode == 0, output[-4000:]
    assert "0 difference(s)" in output
    expected = json.loads(REFERENCE_NUMBERS.read_text(encoding="utf-8"))
    assert f"numbers: {len(expected)} checked" in output
