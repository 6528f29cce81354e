"""Time the three builds a contributor waits for: clean HTML, cached no-change HTML, and PDF.

Usage: ``python scripts/bench.py`` (or ``make bench``). Prints one line per build with seconds,
and exits non-zero if a build fails or the HTML targets (clean <= 180 s, cached <= 15 s) are missed.
"""

import shutil
import subprocess
import sys
import time

from cjbook.paths import ROOT

BUILD = ROOT / "_build"
TARGETS = {"clean HTML build": 180.0, "cached no-change rebuild": 15.0}


def timed(label: str, target: str) -> float:
    """Run ``make <target>`` and return its wall-clock seconds; a failed build aborts."""
    start = time.perf_counter()
    result = subprocess.run(
        ["make", "--no-print-directory", target], cwd=ROOT, capture_output=True, text=True
    )
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        sys.exit(f"{label} failed (make {target}):\n{(result.stdout + result.stderr)[-3000:]}")
    limit = TARGETS.get(label)
    verdict = (
        ""
        if limit is None
        else f" (target <= {limit:.0f} s: {'met' if seconds <= limit else 'MISSED'})"
    )
    print(f"{label}: {seconds:.1f} s{verdict}", flush=True)
    return seconds


def main() -> int:
    shutil.rmtree(BUILD, ignore_errors=True)
    results = {
        "clean HTML build": timed("clean HTML build", "book"),
        "cached no-change rebuild": timed("cached no-change rebuild", "book"),
        "PDF build (cached execution)": timed("PDF build (cached execution)", "pdf"),
    }
    missed = [label for label, limit in TARGETS.items() if results[label] > limit]
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
