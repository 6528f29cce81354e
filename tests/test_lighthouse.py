"""Lighthouse (Debian's Chromium) rates every page's accessibility at 0.95 or more."""

import json

import pytest
from conftest import run_make

from cjbook.paths import ROOT
from cjbook.serve import toc_pages

pytestmark = [pytest.mark.slow, pytest.mark.browser]


def test_every_page_meets_the_accessibility_target(built_html):
    result = run_make("lighthouse")
    assert result.returncode == 0, (result.stdout + result.stderr)[-3000:]
    scores = json.loads((ROOT / "_build" / "lighthouse.json").read_text(encoding="utf-8"))
    assert set(scores) == set(toc_pages())
    assert min(s["accessibility"] for s in scores.values()) >= 0.95
