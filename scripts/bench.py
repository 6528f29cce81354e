"""Time the three builds a contributor waits for, and the Guide's Table 1 PPML two ways.

Usage: ``python scripts/bench.py [--estimation-only | --largest-fit]`` (or ``make bench``).
Prints one line per build with seconds and the pages it wrote (clean HTML; a rebuild with nothing
changed; a rebuild after one chapter's source is touched; PDF), then the PPML with exporter-year
and importer-year fixed effects fitted by pyfixest (fixed effects absorbed) and by statsmodels' GLM
with a dummy per fixed effect, with their ln DIST estimates and the ratio of the times, and last
the largest fit of the book's art panel in rows per second (:func:`time_largest_fit`). Exits
non-zero if a build fails, the two estimates differ, or a target is missed: clean build <= 180 s;
no-change rebuild <= 5 s writing no page; one chapter touched: that chapter and its parent in the
table of contents (the root page, which Sphinx re-reads for the chapter's title) written, no other
page.
"""

import argparse
import re
import resource
import shutil
import subprocess
import sys
import time

from cjbook.paths import ROOT
from cjbook.serve import toc_pages
from cjtrade import data, structural

BUILD = ROOT / "_build"
TOUCHED = "book/evidence/rcep"  # the chapter whose source the one-chapter rebuild touches
TARGETS = {  # build -> (seconds, pages it may write; None: any)
    "clean HTML build": (180.0, None),
    "cached no-change rebuild": (5.0, set()),
    "rebuild after one chapter is touched": (15.0, {TOUCHED, toc_pages()[0]}),
}
WRITTEN = re.compile(r"writing output\.\.\.\S*\s+\[\s*\d+%\]\s+\S*?(book/[\w/-]+)")


def timed(label: str, target: str) -> bool:
    """Run ``make <target>``, print its wall-clock seconds and pages written, and return whether
    it met its targets (:data:`TARGETS`); a failed build aborts."""
    start, cpu_start = time.perf_counter(), _children_cpu()
    result = subprocess.run(
        ["make", "--no-print-directory", target], cwd=ROOT, capture_output=True, text=True
    )
    seconds, cpu = time.perf_counter() - start, _children_cpu() - cpu_start
    if result.returncode != 0:
        sys.exit(f"{label} failed (make {target}):\n{(result.stdout + result.stderr)[-3000:]}")
    written = set(WRITTEN.findall(re.sub(r"\x1b\[[0-9;]*m", "", result.stdout)))
    limit, allowed = TARGETS.get(label, (None, None))
    met = (limit is None or seconds <= limit) and (allowed is None or written <= allowed)
    targets = "" if limit is None else f" (target <= {limit:.0f} s"
    if allowed is not None:
        targets += f", writing at most {len(allowed)} page(s)"
    verdict = f"{targets}: {'met' if met else 'MISSED'})" if targets else ""
    print(
        f"{label}: {seconds:.1f} s (CPU {cpu:.1f} s), {len(written)} page(s) written{verdict}",
        flush=True,
    )
    return met


def _children_cpu() -> float:
    """CPU seconds (user and system) of this process's finished children: on a shared machine,
    the part of a build's time that other work cannot lengthen."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


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
    met = [
        timed("clean HTML build", "book"),
        timed("cached no-change rebuild", "book"),
    ]
    (ROOT / f"{TOUCHED}.md").touch()  # same text, newer time: Sphinx reads it again
    met.append(timed("rebuild after one chapter is touched", "book"))
    met.append(timed("PDF build (cached execution)", "pdf"))
    agree = time_table1_ppml()
    time_largest_fit()
    return 0 if all(met) and agree else 1


if __name__ == "__main__":
    sys.exit(main())
