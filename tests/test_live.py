"""`make live`: a reader switches a page to live code, runs a cell and sees its output, offline.

The live edition is built with ``make book-live`` and served with its Jupyter server on 127.0.0.1
(:func:`cjbook.live.live_site`). Headless Chromium clicks the theme's "Live Code" button, waits
for the kernel, opens the page's first code cell, replaces its code and runs it. Every request is
recorded: one to any host other than 127.0.0.1, or a local one that fails, fails the test.
"""

from __future__ import annotations

from urllib.parse import urlparse

import pytest
from conftest import CHROMIUM, CHROMIUM_ARGS, assert_made

from cjbook.live import live_site
from cjbook.paths import ROOT

pytestmark = [pytest.mark.slow, pytest.mark.browser]

LIVE = ROOT / "_build" / "live"
PAGE = "book/evidence/china-japan-trade.html"


@pytest.fixture(scope="module")
def site():
    """The live edition, built with make and served with its Jupyter server on 127.0.0.1."""
    assert_made("book-live")
    with live_site(LIVE) as url:
        yield url


def test_live_code_runs_a_cell_on_the_local_server(site):
    playwright_api = pytest.importorskip("playwright.sync_api")
    requests, failures, errors = [], [], []
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.on("request", lambda request: requests.append(request.url))
        page.on("requestfailed", lambda request: failures.append(request.url))
        page.on(
            "response", lambda response: response.status >= 400 and failures.append(response.url)
        )
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(f"{site}/{PAGE}", wait_until="networkidle")

        page.locator(".dropdown-launch-buttons .dropdown-toggle").click()
        page.locator(".btn-launch-thebe").click()
        page.wait_for_function("window.thebe?.session?.kernel?.status === 'idle'", timeout=60_000)

        cell = page.locator(".cell").first
        source_toggle = cell.locator(
            "details.above-input > summary"
        )  # the source of a hide-input cell
        if source_toggle.count():
            source_toggle.click()
        cell.locator(".CodeMirror").click()
        page.keyboard.press("Control+A")
        page.keyboard.type("print(6 * 7)")
        cell.locator(".thebe-run-button").click()
        output = cell.locator(
            ".cell_output, .thebe-output"
        )  # the cell's output, replaced by the new one
        output.get_by_text("42", exact=True).wait_for(timeout=30_000)
        page.screenshot(path=str(LIVE / "test_live.png"))
        browser.close()

    foreign = [
        url
        for url in requests
        if urlparse(url).hostname not in ("127.0.0.1", None) and not url.startswith("data:")
    ]
    assert foreign == [], f"requests leaving 127.0.0.1: {foreign}"
    assert any(
        url.startswith("ws://127.0.0.1") or "/api/kernels" in url for url in requests
    )  # the server was used
    failures = [url for url in failures if not url.endswith("/favicon.ico")]
    assert failures == [], f"failed requests: {failures}"
    assert errors == [], f"JavaScript errors: {errors}"
