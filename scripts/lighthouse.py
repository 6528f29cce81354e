"""Audit every page of the built book with Lighthouse, in Debian's Chromium, from 127.0.0.1.

Usage: ``python scripts/lighthouse.py [--runs 3] [--plain-pages 3] [--min-performance P]
[--min-accessibility A]``
(``make lighthouse``). Needs the HTML book (``make book``) and ``npm install`` in scripts/lighthouse
(the Makefile does it). One Chromium and one Node process (``lighthouse/audit.mjs``) serve every
audit of a run (:class:`Auditor`): about 7 s an audit, where the command line took 12. Each page is
audited in Lighthouse's default mobile profile (simulated slow 4G and a slow CPU) as a static host
serves it (gzip copies of text files: the gated mode). One audit decides a page that clears the
minimum by :data:`CLEAR_MARGIN`; a page nearer the minimum is audited up to *--runs* times, stopping
once most of them reach it; a page whose median falls short is audited as many times again, and the
median of all its runs decides. The *--plain-pages* heaviest pages are also audited once as a bare
file server serves them (uncompressed; performance reported, not gated). Prints each page's scores,
transferred bytes, paint times and the host's benchmark index, writes them to
_build/lighthouse.json, and exits non-zero if a page's accessibility, or its performance as served
compressed, is below the minimum (:data:`MIN_PERFORMANCE`, :data:`MIN_ACCESSIBILITY`), or a page
transfers more than :data:`MAX_BYTES` compressed.
"""

from __future__ import annotations

import argparse
import json
import socket
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from cjbook.paths import ROOT
from cjbook.serve import precompress, serve, toc_pages

RUNNER = ROOT / "scripts" / "lighthouse" / "audit.mjs"  # Lighthouse from its node_modules
CHROMIUM = "/usr/bin/chromium"  # Debian's
CHROME_FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --disable-background-networking "
    "--disable-component-update --no-first-run --disable-sync"
)
MODES = {"gzip": True, "plain": False}  # served with the gzip copies, or without them
# The gate (issue 14): every page at 0.90 or more, served with gzip. A page whose median of three
# audits falls short is audited three times more and the median of all six decides: on a shared
# 2-core machine a slow spell raises total blocking time for every audit in it.
MIN_PERFORMANCE = 0.90
# One audit at the minimum plus this decides (issue 23: CI time). Audits of one page in one run of
# the whole site spread by 0.04 at most in the last three CI runs (0.99/0.95/0.99, 0.93/0.96/0.94),
# so a page at 0.95 or more would not have a median of three below 0.90.
CLEAR_MARGIN = 0.05
MIN_ACCESSIBILITY = 1.0
MAX_BYTES = 1_000_000  # what a page may transfer, served with gzip
METRICS = {  # Lighthouse audit -> the name reported here
    "total-byte-weight": "bytes",
    "first-contentful-paint": "fcp_ms",
    "largest-contentful-paint": "lcp_ms",
    "total-blocking-time": "tbt_ms",
}


class LighthouseFailed(RuntimeError):
    """Lighthouse could not audit a page (its error is the message)."""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Auditor:
    """One Chromium and one Node process running Lighthouse, for every audit of a run.

    Lighthouse's command line, started for each audit, spent about 5 s of its 12 starting Node and
    exiting after the report was written, and another second starting and stopping Chromium.
    Here Chromium is started once, with a profile of its own and a debugging port, and
    ``lighthouse/audit.mjs`` audits one URL a request with Lighthouse's default settings (which
    reset the browser's storage and cache before each audit, as the command line does).
    Started at the first audit; :meth:`close` stops both.
    """

    def __init__(self) -> None:
        self.chromium: subprocess.Popen | None = None
        self.node: subprocess.Popen | None = None
        self.profile: tempfile.TemporaryDirectory | None = None

    def _start(self) -> None:
        port = _free_port()
        self.profile = tempfile.TemporaryDirectory(prefix="lighthouse-chromium-")
        self.chromium = subprocess.Popen(
            [
                CHROMIUM,
                *CHROME_FLAGS.split(),
                f"--remote-debugging-port={port}",
                f"--user-data-dir={self.profile.name}",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self.node = subprocess.Popen(
            ["node", str(RUNNER), str(port)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            cwd=RUNNER.parent,
        )

    def run(self, url: str, categories: tuple[str, ...]) -> dict:
        """The figures of one audit of *url*: category scores, audits' values, benchmark index."""
        if self.node is None or self.node.poll() is not None:
            self.close()
            self._start()
        request = {"url": url, "categories": list(categories), "audits": list(METRICS)}
        self.node.stdin.write(json.dumps(request) + "\n")
        self.node.stdin.flush()
        answer = self.node.stdout.readline()
        if not answer:
            raise LighthouseFailed(f"{RUNNER.name} stopped (exit status {self.node.wait()})")
        found = json.loads(answer)
        if "error" in found:
            raise LighthouseFailed(found["error"])
        return found

    def close(self) -> None:
        if self.node is not None:
            self.node.stdin.close()
            self.node.wait(timeout=30)
        if self.chromium is not None:
            self.chromium.kill()
            self.chromium.wait()
        if self.profile is not None:
            self.profile.cleanup()
        self.chromium = self.node = self.profile = None


AUDITOR = Auditor()


def audit(
    url: str, categories: tuple[str, ...] = ("performance", "accessibility"), attempts: int = 3
) -> dict[str, float]:
    """Run Lighthouse on *url*; return its *categories*' scores (0 to 1), bytes transferred and
    paint times.

    Lighthouse sometimes gives up waiting for Chromium on a loaded machine ("Waiting for DevTools
    protocol response has exceeded the allotted time"); such a run is tried again.
    """
    for attempt in range(1, attempts + 1):
        try:
            found = AUDITOR.run(url, categories)
        except LighthouseFailed as error:
            if attempt == attempts:
                raise
            print(f"{url}: Lighthouse failed ({error}), trying again", flush=True)
            continue
        scores = {name: found["categories"][name] for name in categories}
        metrics = {name: round(found["audits"][key]) for key, name in METRICS.items()}
        # Lighthouse's measure of the host's speed when the audit ran (a fast desktop: 1500-2000)
        metrics["benchmark_index"] = round(found["benchmarkIndex"])
        return {**scores, **metrics}
    raise AssertionError("unreachable")


def median_run(runs: list[dict[str, float]]) -> dict[str, float]:
    """Return the median performance score of *runs*, with the other figures of the run nearest it.

    For an even number of runs the median is the mean of the middle two, as usual; the scores of
    every run are kept under ``runs``.
    """
    performance = round(statistics.median(run["performance"] for run in runs), 3)
    nearest = min(runs, key=lambda run: abs(run["performance"] - performance))
    return {**nearest, "performance": performance, "runs": [run["performance"] for run in runs]}


def audit_page(url: str, count: int, floor: float = 0.0) -> dict[str, float]:
    """One audit of *url* if it scores *floor* plus :data:`CLEAR_MARGIN` or more; otherwise the
    median of up to *count* audits, and if that is below *floor*, *count* more are run and the
    median of all of them is kept.

    Audits stop as soon as most of the *count* are at or above *floor* (two of three): the median
    of *count* would then be at or above it too, whatever the rest scored. On a shared 2-core
    machine a slow spell lowers every audit in it (the same page scored 0.98 in one run of the
    whole site and 0.89 three times in a row in another, both idle but for the audits): audits
    taken a minute later decide, and every score stays in the report.
    """
    majority = count // 2 + 1
    runs: list[dict[str, float]] = [audit(url)]
    if runs[0]["performance"] >= round(floor + CLEAR_MARGIN, 2):  # scores have two decimals
        return median_run(runs)
    while len(runs) < count and sum(run["performance"] >= floor for run in runs) < majority:
        runs.append(audit(url))
    if median_run(runs)["performance"] < floor:
        print(f"{url}: median below {floor:.2f}; {count} more audits", flush=True)
        runs += [audit(url) for _ in range(count)]
    return median_run(runs)


def audit_site(
    site: Path, runs: int, pages: list[str], plain_pages: int = 0, min_performance: float = 0.0
) -> dict[str, dict[str, dict]]:
    """Audit *pages* of *site* served with gzip (up to *runs* times each, gated at
    *min_performance*: see :func:`audit_page`), then the *plain_pages* of them that transfer the
    most, once each, served uncompressed (performance only: what a page's accessibility is does not
    depend on compression). Returns the median run by page and mode."""
    try:
        return _audit_site(site, runs, pages, plain_pages, min_performance)
    finally:
        AUDITOR.close()


def _audit_site(
    site: Path, runs: int, pages: list[str], plain_pages: int, min_performance: float
) -> dict[str, dict[str, dict]]:
    results: dict[str, dict[str, dict]] = {page: {} for page in pages}
    with serve(site, use_gzip=MODES["gzip"]) as base:
        for page in pages:
            results[page]["gzip"] = _report(
                page, "gzip", audit_page(f"{base}/{page}.html", runs, min_performance)
            )
    heaviest = sorted(pages, key=lambda page: results[page]["gzip"]["bytes"], reverse=True)
    with serve(site, use_gzip=MODES["plain"]) as base:
        for page in heaviest[:plain_pages]:
            found = median_run([audit(f"{base}/{page}.html", categories=("performance",))])
            results[page]["plain"] = _report(page, "plain", found)
    return results


def _report(page: str, mode: str, found: dict) -> dict:
    """Print one page's result in one mode; return it."""
    accessibility = (
        f", accessibility {found['accessibility']:.2f}" if "accessibility" in found else ""
    )
    print(
        f"{page} [{mode}]: performance {found['performance']:.2f} "
        f"(runs {', '.join(f'{s:.2f}' for s in found['runs'])}){accessibility}, "
        f"{found['bytes'] / 1e6:.2f} MB, "
        f"FCP {found['fcp_ms'] / 1e3:.1f} s, LCP {found['lcp_ms'] / 1e3:.1f} s, "
        f"TBT {found['tbt_ms']} ms, host benchmark {found['benchmark_index']}",
        flush=True,
    )
    return found


def failures(results: dict, min_performance: float, min_accessibility: float) -> list[str]:
    """Return a line for each page below a minimum or too heavy (performance, bytes: with gzip)."""
    failing = []
    for page, modes in results.items():
        for mode, found in modes.items():
            if found.get("accessibility", 1.0) < min_accessibility:
                failing.append(f"{page} [{mode}]: accessibility {found['accessibility']:.2f}")
        served = modes.get("gzip")
        if served and served["performance"] < min_performance:
            failing.append(f"{page} [gzip]: performance {served['performance']:.2f}")
        if served and served["bytes"] > MAX_BYTES:
            failing.append(f"{page} [gzip]: {served['bytes']} bytes > {MAX_BYTES}")
    return failing


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, default=ROOT / "_build" / "html")
    parser.add_argument("--output", type=Path, default=ROOT / "_build" / "lighthouse.json")
    parser.add_argument(
        "--runs", type=int, default=3, help="audits of each page with gzip (gated on their median)"
    )
    parser.add_argument(
        "--plain-pages",
        type=int,
        default=3,
        help="the heaviest pages audited once uncompressed (reported)",
    )
    parser.add_argument("--pages", nargs="+", default=toc_pages(), help="default: every page")
    parser.add_argument("--min-performance", type=float, default=MIN_PERFORMANCE)
    parser.add_argument("--min-accessibility", type=float, default=MIN_ACCESSIBILITY)
    args = parser.parse_args()
    precompress(args.site)  # a no-op on a site the build already compressed
    results = audit_site(args.site, args.runs, args.pages, args.plain_pages, args.min_performance)
    args.output.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    failing = failures(results, args.min_performance, args.min_accessibility)
    for line in failing:
        print(
            f"FAIL {line} (minimum: performance {args.min_performance}, "
            f"accessibility {args.min_accessibility})"
        )
    return 1 if failing else 0


if __name__ == "__main__":
    sys.exit(main())
