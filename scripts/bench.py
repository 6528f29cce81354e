"""Time the three builds a contributor waits for, and the Guide's Table 1 PPML two ways.

Usage: ``python scripts/bench.py [--estimation-only | --largest-fit]`` (or ``make bench``).
Prints one line per build with seconds (clean HTML, cached no-change HTML, PDF), then the PPML
with exporter-year and importer-year fixed effects fitted by pyfixest (fixed effects absorbed) and
by statsmodels' GLM with a dummy per fixed effect, with their ln DIST estimates and the ratio of
the times, and last the largest fit of the book's art panel in rows per second
(:func:`time_largest_fit`). Exits non-zero if a build fails, the two estimates differ, or the HTML
targets (clean <= 180 s, cached <= 15 s) are missed.
"""

import argparse
import shutil
import subprocess
import sys
import time

from cjbook.paths import ROOT
from cjtrade import data, structural

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


def time_table1_ppml() -> bool:
    """Fit Table 1's PPML with pyfixest and with GLM and dummies; print times, estimates, ratio.

    Returns whether the two ln DIST estimates agree (to 1e-6). The GLM builds a dense 186 MB
    design matrix and peaks near 3.5 GB of memory (measured): what absorbing the effects saves.
    """
    sample = structural.international(
        structural.guide_sample(data.load("agtpa_manufacturing_panel"))
    )
    start = time.perf_counter()
    absorbed = structural.fit("fepois", structural.TABLE1_FORMULAS["PPML"][1], sample)
    fast = time.perf_counter() - start
    start = time.perf_counter()
    dummies = structural.ppml_with_dummies(sample)
    slow = time.perf_counter() - start
    pyfixest_b, glm_b = float(absorbed.coef()["ln_DIST"]), float(dummies.loc["ln_DIST", "coef"])
    print(
        f"Table 1 PPML, pyfixest (fixed effects absorbed): {fast:.2f} s, ln DIST {pyfixest_b:.4f}"
    )
    print(
        f"Table 1 PPML, statsmodels GLM with {sample['exp_time'].nunique()} + "
        f"{sample['imp_time'].nunique()} fixed-effect levels as dummies: {slow:.1f} s, "
        f"ln DIST {glm_b:.4f}"
    )
    print(f"ratio GLM / pyfixest: {slow / fast:.0f}", flush=True)
    return abs(pyfixest_b - glm_b) < 1e-6


def time_largest_fit() -> None:
    """Time the book's largest fit: PPML of art trade on the agreement dummy with exporter-year,
    importer-year and pair fixed effects, every year 1995-2024 (about a million rows, pyfixest).

    Prints the rows passed in, the rows estimated on (pyfixest drops the pairs and country-years
    that never trade, "separated"), the seconds and the rows per second, to compare machines.
    """
    from cjtrade import cultural  # the BIMTS panel; not needed by the build timings

    sample = structural.guide_sample(cultural.gravity_panel("art"), years=cultural.YEARS)
    start = time.perf_counter()
    model = structural.fit("fepois", f"trade ~ RTA | {structural.PAIR_FE}", sample)
    seconds = time.perf_counter() - start
    print(
        f"largest fit, art 1995-2024, three-way fixed effects (pyfixest): {len(sample):,} rows in, "
        f"{model._N:,} estimated ({model.separated:,} separated), {seconds:.1f} s, "
        f"{len(sample) / seconds:,.0f} rows/s, RTA {float(model.coef()['RTA']):.4f}",
        flush=True,
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--estimation-only", action="store_true", help="skip the three builds")
    parser.add_argument("--largest-fit", action="store_true", help="time only the largest fit")
    arguments = parser.parse_args()
    if arguments.largest_fit:
        time_largest_fit()
        return 0
    if arguments.estimation_only:
        return 0 if time_table1_ppml() else 1
    shutil.rmtree(BUILD, ignore_errors=True)
    results = {
        "clean HTML build": timed("clean HTML build", "book"),
        "cached no-change rebuild": timed("cached no-change rebuild", "book"),
        "PDF build (cached execution)": timed("PDF build (cached execution)", "pdf"),
    }
    missed = [label for label, limit in TARGETS.items() if results[label] > limit]
    agree = time_table1_ppml()
    time_largest_fit()
    return 1 if missed or not agree else 0


if __name__ == "__main__":
    sys.exit(main())
