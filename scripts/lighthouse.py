"""Audit every page of the built book with Lighthouse, in Debian's Chromium, from 127.0.0.1.

Usage: ``python scripts/lighthouse.py [--min-accessibility 0.95]`` (``make lighthouse``). Needs the
HTML book (``make book``) and ``npm ci`` in scripts/lighthouse (the Makefile does it). Prints the
performance and accessibility score of each page, writes them to _build/lighthouse.json, and exits
non-zero if a page's accessibility score is below the minimum. Performance is reported, not gated:
Lighthouse simulates a slow mobile network, and a local server sends files uncompressed.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from cjbook.paths import ROOT
from cjbook.serve import serve, toc_pages

LIGHTHOUSE = ROOT / "scripts" / "lighthouse" / "node_modules" / ".bin" / "lighthouse"
CHROME_FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --disable-background-networking "
    "--disable-component-update --no-first-run --disable-sync"
)


def audit(url: str) -> dict[str, float]:
    """Run Lighthouse on *url*; return its performance and accessibility scores (0 to 1)."""
    with tempfile.TemporaryDirectory() as scratch:
        report = Path(scratch) / "report.json"
        subprocess.run(
            [
                str(LIGHTHOUSE),
                url,
                "--only-categories=performance,accessibility",
                "--output=json",
                f"--output-path={report}",
                "--quiet",
                f"--chrome-flags={CHROME_FLAGS}",
            ],
            check=True,
            env={**os.environ, "CHROME_PATH": "/usr/bin/chromium"},
            timeout=300,
        )
        categories = json.loads(report.read_text(encoding="utf-8"))["categories"]
    return {name: categories[name]["score"] for name in ("performance", "accessibility")}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--min-accessibility", type=float, default=0.95)
    args = parser.parse_args()
    results = {}
    with serve(ROOT / "_build" / "html") as base:
        for page in toc_pages():
            results[page] = audit(f"{base}/{page}.html")
            print(
                f"{page}: performance {results[page]['performance']:.2f}, "
                f"accessibility {results[page]['accessibility']:.2f}",
                flush=True,
            )
    (ROOT / "_build" / "lighthouse.json").write_text(
        json.dumps(results, indent=1) + "\n", encoding="utf-8"
    )
    failing = [p for p, s in results.items() if s["accessibility"] < args.min_accessibility]
    for page in failing:
        print(
            f"FAIL {page}: accessibility {results[page]['accessibility']:.2f}"
            f" < {args.min_accessibility}"
        )
    return 1 if failing else 0


if __name__ == "__main__":
    sys.exit(main())
