"""Rebuild the book's BIMTS panel of art and media trade from the copy in ``../shared/data``.

Reads the commit-pinned copy of OECD BIMTS (HS 2017) edge lists made by the repository
``TAD600/Global_Cultural_Trade_Network`` (one column per year, one row per exporter-importer
pair) and writes, into ``data/``:

* ``bimts_countries.csv``: the 190 countries of the panel (ISO alpha-3, name, continent);
* ``bimts_art_antiques.csv`` and ``bimts_print_media.csv``: one row per exporter, importer and
  year with a *positive* flow (the loader adds the zeros back);
* ``bimts_gravity.csv``: CEPII distance, contiguity, common official language and colonial tie
  for every ordered pair.

Values are kept exactly as in the copy (millions of US dollars, rounded there to 4 decimals).
Usage: ``python scripts/build_cultural_panel.py [SOURCE_DIR] [--out data]``; afterwards run
``make data-hash``.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pandas as pd

# The shared data folder sits beside the main checkout (../shared/data); pass it when elsewhere.
SOURCE = Path(__file__).resolve().parents[2] / "shared" / "data" / "bimts-cultural"
GROUPS = {
    "unique_edgelist.csv": "bimts_art_antiques.csv",
    "reproducible_edgelist.csv": "bimts_print_media.csv",
}
COVARIATES = {
    "distance_edgelist.csv": "log_dist",
    "contiguity_edgelist.csv": "contig",
    "language_edgelist.csv": "comlang_off",
    "colonizer_edgelist.csv": "colony",
}


def long_positive(wide: pd.DataFrame) -> pd.DataFrame:
    """Melt one column per year into rows (exporter, importer, year, value); keep values > 0."""
    flows = wide.melt(id_vars=["iso_o", "iso_d"], var_name="year", value_name="value")
    flows = flows.rename(columns={"iso_o": "exporter", "iso_d": "importer"})
    flows["year"] = flows["year"].astype(int)
    flows = flows[flows["value"] > 0]
    return flows.sort_values(["exporter", "importer", "year"]).reset_index(drop=True)


def gravity_covariates(source: Path) -> pd.DataFrame:
    """One row per ordered pair: distance in km (exp of the copy's log) and the three dummies."""
    frames = [
        pd.read_csv(source / name).set_index(["iso_o", "iso_d"])[[column]]
        for name, column in COVARIATES.items()
    ]
    gravity = pd.concat(frames, axis=1, join="outer").reset_index()
    if gravity.isna().any().any():
        raise SystemExit("a covariate file lacks some pairs the others have")
    gravity["dist_km"] = np.exp(gravity["log_dist"]).round(3)
    gravity = gravity.rename(
        columns={
            "iso_o": "exporter",
            "iso_d": "importer",
            "contig": "CNTG",
            "comlang_off": "LANG",
            "colony": "CLNY",
        }
    )
    columns = ["exporter", "importer", "dist_km", "CNTG", "LANG", "CLNY"]
    return gravity[columns].sort_values(["exporter", "importer"]).reset_index(drop=True)


def countries(source: Path, codes: list[str]) -> pd.DataFrame:
    """The panel's countries with the copy's name and continent (CEPII GeoDist)."""
    nodes = pd.read_csv(source / "nodal_fixed.csv").drop_duplicates("iso_o")
    table = pd.DataFrame({"iso3": codes}).merge(
        nodes[["iso_o", "country", "continent"]].rename(columns={"iso_o": "iso3"}),
        on="iso3",
        how="left",
        validate="one_to_one",
    )
    if table.isna().any().any():
        raise SystemExit(f"no name for: {table.loc[table.isna().any(axis=1), 'iso3'].tolist()}")
    return table.rename(columns={"country": "name"})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", nargs="?", type=Path, default=SOURCE)
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parents[1] / "data")
    args = parser.parse_args()
    gravity = gravity_covariates(args.source)
    codes = sorted(set(gravity["exporter"]))
    countries(args.source, codes).to_csv(args.out / "bimts_countries.csv", index=False)
    gravity.to_csv(args.out / "bimts_gravity.csv", index=False)
    for source_name, out_name in GROUPS.items():
        flows = long_positive(pd.read_csv(args.source / source_name))
        unknown = (set(flows["exporter"]) | set(flows["importer"])) - set(codes)
        if unknown:
            raise SystemExit(f"{source_name}: countries without covariates: {unknown}")
        flows.to_csv(args.out / out_name, index=False, float_format="%.4f")
        print(f"{out_name}: {len(flows)} positive flows")


if __name__ == "__main__":
    main()
