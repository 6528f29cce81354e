"""The site in headless Chromium: what pages load, when charts become interactive, and search.

Playwright drives Debian's ``/usr/bin/chromium`` (never a downloaded browser). The site is served
from a local HTTP server on 127.0.0.1 as a static host serves it (gzip copies of text files). The
theme's 1.5 MB icon script and the search index stay off the pages; a chart becomes interactive
only when it comes into view; search works from its own page, with one search field, and quotes
prose. (Every page, offline and on a phone's screen: ``test_phone.py``.)
"""

from __future__ import annotations

import re
from urllib.parse import urlparse

import pytest
from conftest import visible

from cjbook.serve import serve

pytestmark = [pytest.mark.slow, pytest.mark.browser]


@pytest.fixture(scope="module")
def site(built_html):
    """The built HTML, served on 127.0.0.1 at a free port."""
    with serve(built_html) as url:
        yield url


def _requests_of(browser, url: str) -> list:
    """Load *url* until the network is idle; return its responses."""
    page = browser.new_page()
    responses = []
    page.on("response", lambda response: responses.append(response))
    page.goto(url, wait_until="networkidle")
    page.close()
    return responses


def test_pages_are_served_compressed_without_the_icon_script_or_search_index(site, browser):
    responses = _requests_of(browser, f"{site}/book/gravity/theory.html")
    names = [urlparse(response.url).path.rsplit("/", 1)[-1] for response in responses]
    assert responses[0].headers.get("content-encoding") == "gzip"
    assert "cjbook-icons.woff" in names
    unwanted = {"fontawesome.js", "searchindex.js", "vega-bundle.js", "fa-solid-900.woff2"}
    unwanted |= {"fa-brands-400.woff2"}
    assert not unwanted & set(names), names


def test_chart_becomes_interactive_only_when_it_comes_into_view(site, browser):
    page = browser.new_page()
    page.goto(f"{site}/book/evidence/china-japan-trade.html", wait_until="networkidle")
    chart = visible(page.locator(".cjtrade-chart"))[-1]  # far below the first screen
    assert chart.get_attribute("data-interactive") is None
    chart.scroll_into_view_if_needed()
    chart.and_(page.locator('[data-interactive="yes"]')).wait_for(timeout=30_000)
    assert "vega-embed" in (chart.get_attribute("class") or "")
    page.close()


MARK_OPACITIES = """(chart) => [...chart.querySelectorAll('g.role-mark path')].map(
    (mark) => [mark.getAttribute('aria-label') || '', mark.getAttribute('opacity') || '1'])"""


def test_clicking_a_legend_entry_highlights_its_series_and_fades_the_others(site, browser):
    """Fig 5.2's caption asks the reader to click a legend entry; lines and markers respond."""
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    page.goto(f"{site}/book/evidence/china-japan-trade.html", wait_until="networkidle")
    chart = page.locator("#fig-cjt-bases .cjtrade-chart")
    chart.scroll_into_view_if_needed()
    chart.and_(page.locator('[data-interactive="yes"]')).wait_for(timeout=30_000)
    assert chart.locator(".role-legend").count() == 1  # one legend: colour and marker together
    chart.locator(".role-legend-label text", has_text="MOFCOM").click()
    page.wait_for_timeout(300)
    marks = chart.evaluate(MARK_OPACITIES)
    picked = {opacity for label, opacity in marks if "basis: MOFCOM" in label}
    faded = {opacity for label, opacity in marks if "basis: MOFCOM" not in label}
    page.close()
    assert picked == {"1"} and faded == {"0.15"}


def test_search_finds_pages(site, browser):
    page = browser.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{site}/search.html?q=gravity", wait_until="networkidle")
    page.locator("#search-results ul.search li").first.wait_for(timeout=30_000)
    assert page.locator("#search-results ul.search li").count() > 0
    page.close()
    assert errors == [], f"JavaScript errors: {errors}"


def _search(browser, site, query: str, width: int = 390):
    """The search page for *query*, once every result is listed with its quote."""
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto(f"{site}/search.html?q={query}", wait_until="networkidle")
    page.wait_for_function(
        "() => /Search finished/.test(document.querySelector('#search-results').textContent)"
        " && [...document.querySelectorAll('#search-results li')]"
        ".every((item) => item.querySelector('p.context'))",
        timeout=30_000,
    )
    return page


@pytest.mark.parametrize("width", [390, 1366])
def test_search_page_has_one_field_with_the_query_clear_of_its_magnifier(site, browser, width):
    page = _search(browser, site, "gravity", width)
    fields = visible(page.locator("form.bd-search, button.search-button-field"))
    assert len(fields) == 1, [field.evaluate("e => e.outerHTML.slice(0, 80)") for field in fields]
    icon, field = fields[0].locator(".fa-magnifying-glass"), fields[0].locator("input")
    text_starts = field.evaluate(
        "i => i.getBoundingClientRect().left + parseFloat(getComputedStyle(i).paddingLeft)"
    )
    assert icon.bounding_box()["x"] + icon.bounding_box()["width"] <= text_starts
    page.close()


# The text of a page a search result may quote: its prose, not its tables, code or buttons.
PROSE = """async (url) => {
  const html = new DOMParser().parseFromString(await (await fetch(url)).text(), 'text/html');
  const notProse = 'table, pre, script, style, .cell_input, .cell_output, .bd-header-article, '
    + '.headerlink, mjx-container, .onlyprint';  // as cjtrade-search.js
  html.querySelectorAll(notProse).forEach((element) => element.remove());
  return html.querySelector('[role="main"]').textContent.replace(/\\s+/g, ' ').trim();
}"""


@pytest.mark.parametrize("query", ["RTA", "gravity"])
def test_search_results_quote_prose_around_the_query(site, browser, query):
    page = _search(browser, site, query)
    results = page.locator("#search-results ul.search li")
    found = {}
    for index in range(results.count()):
        link = results.nth(index).locator("a").first
        snippet = results.nth(index).locator("p.context").first.text_content()
        found[link.get_attribute("href").split("#")[0]] = snippet
        quoted = " ".join(snippet.strip(".").split())
        prose = page.evaluate(PROSE, link.evaluate("a => a.href"))
        unspaced = re.sub(r"\s+", "", quoted)  # (blocks joined with or without a space)
        assert unspaced in re.sub(r"\s+", "", prose), f"{link.text_content()}: {snippet!r}"
        if re.search(rf"\b{query}", prose, re.I):  # (found by a table only: the page's start)
            assert query.lower() in quoted.lower(), f"{link.text_content()}: {snippet!r}"
    if query == "RTA":  # the RCEP chapter is found though it never abbreviates the term
        assert {"book/evidence/rcep.html", "book/appendix/glossary.html"} <= set(found), found
    page.close()
