"""Pruned stylesheets (``cjbook.sphinxext.unused_css``): the rules kept and dropped, and no dropped
rule matching an element of a page.

The browser test loads every page in Chromium, on a phone's and a desktop's screen, as loaded and
with what a reader opens (search dialog, sidebar, download menu, a tooltip), and asks the page
itself whether any selector of a dropped rule matches one of its elements. A rule that matches no
element changes nothing, so the pages look as they did with the stylesheets whole.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import visible

from cjbook.serve import serve, toc_pages
from cjbook.sphinxext.assets import UNPRUNED_CSS
from cjbook.sphinxext.unused_css import (
    Vocabulary,
    built_name_patterns,
    dropped_selectors,
    pruned_stylesheet,
    served_scripts,
    site_vocabulary,
)

CSS = """/*! licence: kept */
/* a comment: dropped */
.used { color: red }
.unused { color: blue }
.unused, .used > p { margin: 0 }
p:not(.unused) { padding: 0 }
:is(.unused, .other) a { padding: 1px }
#used-id .unused { color: green }
@media (min-width: 40em) { .unused { color: red } .used { color: blue } }
@media print { .unused { color: red } }
@font-face { font-family: X; src: url(x.woff) }
.bs-popover-auto { color: red }
"""


def _pruned(words: set[str], patterns=()) -> str:
    return pruned_stylesheet(CSS, Vocabulary(words, patterns))


def test_rules_needing_a_name_no_page_has_are_dropped():
    pruned = _pruned({"used", "used-id"})
    assert "licence: kept" in pruned and "a comment" not in pruned
    assert ".used { color: red }" in pruned
    assert ".unused { color: blue }" not in pruned
    assert ".unused, .used > p" in pruned  # one selector may match: the whole list stays
    assert "p:not(.unused)" in pruned and ":is(.unused, .other) a" in pruned
    assert "#used-id .unused" not in pruned
    assert "@media (min-width: 40em) {.used { color: blue }\n}" in pruned
    assert "@media print" not in pruned  # nothing left inside
    assert "@font-face" in pruned


def test_names_scripts_build_are_kept():
    script = 'el.classList.add(`bs-${this._placement}-auto`); x = "tooltip-" + y; z = `${a}-b`;'
    patterns = built_name_patterns(script)
    assert [pattern.pattern for pattern in patterns] == ["tooltip\\-[\\w-]*", "bs\\-[\\w-]*\\-auto"]
    assert ".bs-popover-auto" in _pruned(set(), patterns)
    assert ".bs-popover-auto" not in _pruned(set())


def test_scripts_are_followed_from_pages(tmp_path):
    static = tmp_path / "_static"
    static.mkdir()
    (static / "a.js").write_text('load("b.js")', encoding="utf-8")
    (static / "b.js").write_text("", encoding="utf-8")
    (static / "unused.js").write_text("", encoding="utf-8")
    page = tmp_path / "page.html"
    page.write_text('<script src="_static/a.js"></script>', encoding="utf-8")
    assert served_scripts(tmp_path, [page]) == [static / "a.js", static / "b.js"]


# --- the built site, in Chromium -------------------------------------------------------------

# The dropped selectors that match an element of the page, in any state: pseudo-elements and
# the pseudo-classes of a reader's actions (hover, focus, ...) are taken off first, so a rule that
# would apply once the reader hovers or focuses something counts as matching now.
PSEUDO_ELEMENTS = (
    r"::?(before|after|first-line|first-letter|marker|placeholder|selection|backdrop"
    r"|file-selector-button|-(webkit|moz|ms)-[\w-]+)(\([^)]*\))?"
)
ACTION_CLASSES = (
    r":(hover|focus|focus-visible|focus-within|active|visited|target|checked|disabled|enabled"
    r"|indeterminate|placeholder-shown|-webkit-autofill|autofill)\b"
)
MATCHING = """([selectors, pseudoElements, actionClasses]) => selectors.filter((selector) => {
  const element = selector.replace(new RegExp(pseudoElements, 'g'), '')
    .replace(new RegExp(actionClasses, 'g'), '');
  try { return document.querySelector(element.trim() || '*') !== null; }
  catch (error) { return false; }  // Chromium rejects the selector: its rule never applies
})"""
WIDTHS = {"phone": 412, "desktop": 1280}


def _first_visible(page, selector: str):
    shown = visible(page.locator(selector))
    assert shown, f"nothing visible matches {selector}"
    return shown[0]


def _open_everything(page) -> None:
    """Open every dropdown, solution and collapsed cell of the page's text."""
    page.evaluate("() => document.querySelectorAll('details').forEach((d) => { d.open = true; })")
    page.evaluate(
        "() => document.querySelectorAll('button.toggle-button').forEach((b) => b.click())"
    )


PAGE_STATES = {  # on every page, one after the other
    "as loaded": lambda page: None,
    "everything opened": _open_everything,
    "scrolled down": lambda page: page.evaluate("() => window.scrollTo(0, 3000)"),
}
CHROME_STATES = {  # the theme's own components, the same on every page: tried on one, each alone
    "search dialog": lambda page: _first_visible(page, "button.search-button__button").click(),
    "sidebar": lambda page: _first_visible(page, "button.primary-toggle").click(),
    "download menu": lambda page: _first_visible(page, "button.dropdown-toggle").click(),
    "tooltip": lambda page: _first_visible(page, '[data-bs-toggle="tooltip"]').hover(),
}
CHROME_PAGE = "book/intro/intro"


@pytest.fixture(scope="module")
def dropped(built_html) -> list[str]:
    """Every selector of every rule the build dropped from the site's stylesheets."""
    originals = built_html.parent / UNPRUNED_CSS
    assert originals.is_dir(), f"{originals} is missing: the build did not prune the stylesheets"
    vocabulary = site_vocabulary(built_html)
    selectors = []
    for original in sorted(originals.rglob("*.css")):
        selectors += dropped_selectors(original.read_text(encoding="utf-8"), vocabulary)
    return selectors


def _matching_after(page, act, dropped: list[str]) -> list[str]:
    act(page)
    page.wait_for_timeout(300)  # transitions, tooltips
    return page.evaluate(MATCHING, [dropped, PSEUDO_ELEMENTS, ACTION_CLASSES])


def _opened(browser, url: str, width: int):
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto(url, wait_until="networkidle")
    return page


@pytest.mark.slow
@pytest.mark.browser
@pytest.mark.parametrize("page_name", toc_pages())
def test_no_dropped_rule_matches_an_element(built_html, dropped, browser, page_name):
    assert len(dropped) > 1000  # the theme's rules for components the book does not use
    widths = WIDTHS if page_name == CHROME_PAGE else {"phone": WIDTHS["phone"]}
    with serve(built_html) as base:
        url = f"{base}/{page_name}.html"
        for screen, width in widths.items():
            page = _opened(browser, url, width)
            for state, act in PAGE_STATES.items():
                matching = _matching_after(page, act, dropped)
                assert matching == [], f"{screen}, {state}: dropped rules would apply: {matching}"
            page.close()
            for state, act in CHROME_STATES.items() if page_name == CHROME_PAGE else ():
                page = _opened(browser, url, width)
                matching = _matching_after(page, act, dropped)
                page.close()
                assert matching == [], f"{screen}, {state}: dropped rules would apply: {matching}"


@pytest.mark.slow
def test_every_stylesheet_is_pruned_and_its_original_kept(built_html):
    originals = built_html.parent / UNPRUNED_CSS
    static = built_html / "_static"
    assert sorted(p.relative_to(static) for p in static.rglob("*.css")) == sorted(
        p.relative_to(originals) for p in originals.rglob("*.css")
    )
    theme = Path("styles") / "pydata-sphinx-theme.css"
    assert (static / theme).stat().st_size < (originals / theme).stat().st_size / 2
    assert re.search(r"\.bd-header\b", (static / theme).read_text(encoding="utf-8"))
