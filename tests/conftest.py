"""Shared fixtures: the repository root, a scratch copy of the data package, and built outputs.

The slow fixtures run the same `make` targets a reader runs, so the tests exercise the real
commands. The execution cache makes a repeated `make book` cheap.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from cjbook.manifest import read_manifest
from cjbook.paths import REFERENCE_NUMBERS, ROOT

HTML = ROOT / "_build" / "html"
PDF = ROOT / "_build" / "latex" / "china-japan-cultural-trade.pdf"
CHROMIUM = "/usr/bin/chromium"  # Debian's; Playwright never downloads a browser here
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


def run_make(target: str) -> subprocess.CompletedProcess:
    """Run ``make <target>`` in the repository, capturing output for the assertion message."""
    return subprocess.run(
        ["make", "--no-print-directory", target],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=3600,
    )


def assert_made(target: str) -> None:
    """Run ``make <target>`` and fail with the tail of its output if it does not succeed."""
    result = run_make(target)
    tail = "\n".join((result.stdout + result.stderr).splitlines()[-60:])
    assert result.returncode == 0, f"make {target} failed:\n{tail}"


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A private copy of ``data/`` that a test may corrupt."""
    target = tmp_path / "data"
    shutil.copytree(ROOT / "data", target)
    return target


def rewrite_descriptor(data_dir: Path, change) -> None:
    """Apply *change* to the whole ``datapackage.json`` in *data_dir* and write it back."""
    path = data_dir / "datapackage.json"
    package = json.loads(path.read_text(encoding="utf-8"))
    change(package)
    path.write_text(json.dumps(package, indent=2, ensure_ascii=False), encoding="utf-8")


@pytest.fixture(scope="session")
def built_html() -> Path:
    """The HTML book, built (or brought up to date) with ``make book``."""
    assert_made("book")
    return HTML


@pytest.fixture(scope="module")
def browser():
    """Headless Chromium, driven by Playwright."""
    playwright_api = pytest.importorskip("playwright.sync_api")
    with playwright_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def visible(locator) -> list:
    """The elements of a Playwright *locator* on show (not those in a collapsed solution, say)."""
    return [locator.nth(i) for i in range(locator.count()) if locator.nth(i).is_visible()]


class Background:
    """A ``make`` target running in the background, its output kept in a file."""

    def __init__(self, target: str, log: Path) -> None:
        self.log = log
        with log.open("w", encoding="utf-8") as output:
            self.process = subprocess.Popen(
                ["make", "--no-print-directory", target], cwd=ROOT, stdout=output, stderr=output
            )

    def result(self) -> tuple[int, str]:
        """Wait for the target; return its exit status and output."""
        returncode = self.process.wait(timeout=3600)
        return returncode, self.log.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def verification(tmp_path_factory) -> Background:
    """``make verify``, started in the background by the first test that asks for it.

    It executes every page from scratch, one kernel at a time, so it uses one of the machine's two
    cores: the downloaded-notebook test asks for it first and runs on the other core meanwhile, and
    the verify test waits for its result. Lighthouse, which times pages, runs before both.
    """
    background = Background("verify", tmp_path_factory.mktemp("verify") / "make-verify.log")
    yield background
    if background.process.poll() is None:  # a session cut short
        background.process.kill()


@pytest.fixture(scope="session")
def built_pdf(built_html: Path) -> Path:
    """The PDF book, built with ``make pdf`` after the HTML (it reuses the execution cache)."""
    assert_made("pdf")
    return PDF


@pytest.fixture(scope="session")
def expected_numbers() -> dict[tuple[str, str], str]:
    """The committed reference numbers by (page, name); `make verify` holds the build to them.

    A chapter test recomputes a value independently from the raw CSV and compares it with this
    reference, so the chain raw file → reference → built page is checked end to end.
    """
    return read_manifest(REFERENCE_NUMBERS)


pytest_plugins = ("sphinx.testing.fixtures",)


@pytest.fixture(scope="session")
def rootdir() -> Path:
    """Where the small test books of the Sphinx extension's jobs live (``testroot="name"``)."""
    return ROOT / "tests" / "sphinx-roots"
