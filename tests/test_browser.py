"""Every page in headless Chromium: charts draw, and no request leaves 127.0.0.1.

Playwright drives Debian's ``/usr/bin/chromium`` (never a downloaded browser). The site is served
from a local HTTP server on 127.0.0.1; every request the pages make is recorded, and one to any
other host, or a local request that fails, fails the test.
"""

from __future__ import annotations

from urllib.parse import urlparse

import pytest

from cjbook.serve import serve, toc_pages

pytestmark = [pytest.mark.slow, pytest.mark.browser]

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def site(built_html):
    """The built HTML, served on 127.0.0.1 at a free port."""
    with serve(built_html) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    playwright_api = pytest.importorskip("playwright.sync_api")
    with playwright_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.mark.parametrize("page_name", toc_pages())
def test_page_draws_its_charts_offline(site, browser, page_name):
    page = browser.new_page()
    requests, failures, errors = [], [], []
    page.on("request", lambda request: requests.append(request.url))
    page.on("requestfailed", lambda request: failures.append(request.url))
    page.on("response", lambda response: response.status >= 400 and failures.append(response.url))
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{site}/{page_name}.html", wait_until="networkidle")

    charts = page.locator(".cjtrade-chart")
    for index in range(charts.count()):
        charts.nth(index).locator("svg").first.wait_for(state="attached", timeout=15_000)
    page.close()

    foreign = [
        url
        for url in requests
        if urlparse(url).hostname not in ("127.0.0.1", None) and not url.startswith("data:")
    ]
    assert foreign == [], f"requests leaving 127.0.0.1: {foreign}"
    failures = [
        url for url in failures if not url.endswith("/favicon.ico")
    ]  # the browser's own request
    assert failures == [], f"failed requests: {failures}"
    assert errors == [], f"JavaScript errors: {errors}"
