"""The HTML book: every page built, every glued number in its page, nothing fetched from outside."""

from __future__ import annotations

import gzip
import html
import json
import re
from pathlib import Path

import pytest

from cjbook.paths import ROOT
from cjbook.serve import toc_pages

pytestmark = pytest.mark.slow


def page_text(page: Path) -> str:
    """Return a page's visible text, roughly: tags stripped, entities decoded, spaces collapsed."""
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", page.read_text(encoding="utf-8"), flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", body)))


def test_every_toc_page_is_built(built_html):
    missing = [p for p in toc_pages() if not (built_html / f"{p}.html").is_file()]
    assert missing == []


def test_no_page_shows_an_error_or_a_failed_glue(built_html):
    for page in built_html.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        for marker in (
            "Failed to format",
            "Traceback (most recent call last)",
            "CellExecutionError",
        ):
            assert marker not in text, f"{marker!r} in {page.relative_to(built_html)}"


NEGATIVE_ZERO = re.compile(r"<td[^>]*>\s*(?:<p>)?\s*[-−]0(?:\.0+)?%?\s*(?:</p>)?\s*</td>")


def test_no_table_cell_shows_a_negative_zero(built_html):
    """A value that rounds to zero keeps a digit that shows its sign ("-0.03"), or is "0"."""
    cells = {
        page.relative_to(built_html).as_posix(): NEGATIVE_ZERO.findall(page.read_text("utf-8"))
        for page in built_html.rglob("*.html")
    }
    assert {page: found for page, found in cells.items() if found} == {}


GLUE_ROLE = re.compile(r"\{glue(?::text|:)?\}`([^`:]+)(?::([^`]+))?`")


def as_shown(value: str, spec: str) -> str:
    """How glue shows a recorded *value* with a format *spec*: an int stays an int (2,425,157)."""
    if not spec:
        return value.strip("'")
    return format(int(value) if value.lstrip("-").isdigit() else float(value), spec)


def rendered_forms(source: str, name: str, value: str) -> list[str]:
    """Return how each reference to glued *name* in a page's MyST *source* shows *value*."""
    forms = []
    for key, spec in GLUE_ROLE.findall(source):
        if key == name:
            forms.append(as_shown(value, spec))
    return forms


def test_manifest_lists_glued_values_and_each_quoted_value_appears_in_its_page(built_html):
    manifest = json.loads((built_html / "numbers.json").read_text(encoding="utf-8"))
    assert len(manifest) >= 10
    quoted = 0
    for row in manifest:
        source = (ROOT / f"{row['page']}.md").read_text(encoding="utf-8")
        text = page_text(built_html / f"{row['page']}.html")
        for form in rendered_forms(source, row["name"], row["value"]):
            assert form in text, f"{row['page']}::{row['name']} should show {form!r}"
            quoted += 1
    assert quoted >= 10


def test_pages_load_no_script_or_style_from_another_host(built_html):
    external = re.compile(r"""<(?:script|link)\b[^>]*(?:src|href)=["'](?:https?:)?//""", re.I)
    for page in built_html.rglob("*.html"):
        found = external.findall(page.read_text(encoding="utf-8"))
        assert found == [], f"{page.relative_to(built_html)} loads {found}"


def test_offline_assets_are_served_by_the_site(built_html):
    bundle = (built_html / "_static" / "vega-bundle.js").read_text(encoding="utf-8")
    assert "window.vegaEmbed" in bundle


def test_maths_is_drawn_at_build_time_and_no_page_loads_a_maths_script(built_html):
    theory = (built_html / "book" / "gravity" / "theory.html").read_text(encoding="utf-8")
    assert theory.count("<mjx-container") >= 20 and "<mjx-assistive-mml" in theory
    for page in built_html.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert not re.search(r"<script[^>]*mathjax", text, re.IGNORECASE), page.name
        assert "\\(" not in text and "\\[" not in text, f"TeX left for a browser in {page.name}"


def test_pages_use_no_deprecated_aria_role(built_html):
    for page in built_html.rglob("*.html"):
        assert 'role="doc-biblioentry"' not in page.read_text(encoding="utf-8"), page.name


def test_the_index_lists_every_numbered_figure_and_table(built_html):
    caption = re.compile(r'<span class="caption-number">(Figure|Table) (\d+\.\d+)')
    index_page = built_html / "book" / "appendix" / "figures-tables.html"
    in_pages = {
        match
        for page in built_html.rglob("*.html")
        if page != index_page
        for match in caption.findall(page.read_text(encoding="utf-8"))
    }
    listed = set(re.findall(r"(Figure|Table) (\d+\.\d+) :", page_text(index_page)))
    assert in_pages, "the book has numbered figures and tables"
    assert listed == in_pages


def test_the_chart_loader_is_loaded_only_where_charts_are_drawn(built_html):
    """Pages with charts load the small loader that fetches Vega on demand; no page loads Vega."""
    with_charts = 0
    for page in built_html.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        has_charts = 'class="cjtrade-chart"' in text
        with_charts += has_charts
        assert ("cjtrade-charts.js" in text) == has_charts, page.relative_to(built_html)
        assert "vega-bundle.js" not in text, page.relative_to(built_html)
    assert with_charts >= 10


@pytest.mark.slow
def test_every_gzip_copy_holds_its_file(built_html):
    """A host sends the copy: it must be the file as the build left it (the theme rewrites
    pygments.css at the end of the build; a copy made before that served other colours)."""
    copies = sorted(built_html.rglob("*.gz"))
    assert len(copies) > 20
    stale = [
        str(copy.relative_to(built_html))
        for copy in copies
        if gzip.decompress(copy.read_bytes()) != copy.with_suffix("").read_bytes()
    ]
    assert stale == []


def test_chinese_and_japanese_words_carry_their_language(built_html):
    intro = (built_html / "book" / "intro" / "intro.html").read_text(encoding="utf-8")
    assert '<span lang="zh-Hans">文化产业</span>' in intro
    assert '<span lang="ja">コンテンツ産業</span>' in intro


def test_no_repository_is_linked_until_one_is_recorded(built_html):
    intro = (built_html / "book" / "intro" / "intro.html").read_text(encoding="utf-8")
    assert "btn-source-repository-button" not in intro  # `repository: url:` is empty
    assert "How to run this book" in intro
    assert 'make</span> <span class="pre">setup' in intro  # the way in, without an address
