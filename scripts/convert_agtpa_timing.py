"""Write data/agtpa_rta_timing.csv: the Advanced Guide's own RTA lead and lag variables.

The Guide's Chapter 1 RTA application estimates its lead and lag rows with variables that came
with its dataset (``RTA_LEAD4``, ``RTA_LAG4`` ...), not with variables built from its ``RTA``
column. The R package of the Guide's solutions (``tradepolicy``) distributes them in
``data/agtpa_applications.rda``; this script converts that file once, so that the book reads
only CSV at build time and needs no R-data reader.

Usage: ``python scripts/convert_agtpa_timing.py PATH/agtpa_applications.rda [--out CSV]``.
Needs the ``rdata`` package (in the ``book`` extra). Before writing, every row is checked against
the book's ``agtpa_manufacturing_panel`` (same exporter, importer, year, pair_id, trade and RTA);
any difference stops the script naming the rows. Then run ``make data-hash``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import pandas as pd

from cjtrade import data

KEY = ["exporter", "importer", "year"]
TIMING = ["rta_lead4", "rta_lag3", "rta_lag4", "rta_lag6", "rta_lag8", "rta_lag9", "rta_lag12"]


def read_applications(path: Path) -> pd.DataFrame:
    """The ``agtpa_applications`` table of the R data file, with plain string and integer types."""
    import warnings

    import rdata

    with warnings.catch_warnings():  # rdata names the tibble classes it reads as data frames
        warnings.filterwarnings("ignore", message="Missing constructor for R class")
        frame = rdata.read_rda(path)["agtpa_applications"]
    frame = frame.astype({"exporter": str, "importer": str})
    integers = ["pair_id", "year", "rta", *TIMING]
    for column in integers:
        whole = frame[column].round()
        if frame[column].isna().any() or not np.array_equal(whole, frame[column]):
            sys.exit(f"{path}: column {column} is not a whole number in every row")
        frame[column] = whole.astype("int64")
    return frame.reset_index(drop=True)


def check_same_rows(applications: pd.DataFrame, panel: pd.DataFrame) -> None:
    """Stop unless the R file holds exactly the panel's flows (keys, pair_id, trade and RTA)."""
    merged = panel.merge(applications, on=KEY, how="outer", indicator=True)
    unmatched = merged[merged["_merge"] != "both"]
    if not unmatched.empty:
        sys.exit(f"rows in only one of the two files: {unmatched[KEY].head().to_dict('records')}")
    different = (
        (merged["pair_id_x"] != merged["pair_id_y"])
        | (merged["RTA"] != merged["rta"])
        | ~np.isclose(merged["trade_x"], merged["trade_y"], rtol=1e-12, atol=0)
    )
    if different.any():
        sys.exit(f"rows that differ from the panel: {merged.loc[different, KEY].head()}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("rda", type=Path, help="agtpa_applications.rda of the tradepolicy package")
    parser.add_argument("--out", type=Path, default=data.DATA_DIR / "agtpa_rta_timing.csv")
    args = parser.parse_args(argv)
    applications = read_applications(args.rda)
    check_same_rows(applications, data.load("agtpa_manufacturing_panel"))
    timing = applications[KEY + TIMING].sort_values(KEY).reset_index(drop=True)
    timing.to_csv(args.out, index=False)
    print(f"wrote {len(timing):,} rows to {args.out}")


if __name__ == "__main__":
    main()
