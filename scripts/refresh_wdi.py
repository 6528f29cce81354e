"""Rebuild data/wdi_2011.csv (GDP and population) from the World Bank API; needs network access.

Usage: ``python scripts/refresh_wdi.py [--year 2011] [--iso3 CHN JPN ...] [--out PATH]``. Review the
new file against the old one, then record the printed checksum in data/datapackage.json.
"""

import argparse
import sys
from pathlib import Path

from cjtrade.refresh import RefreshError, fetch_wdi, write_csv

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "data" / "wdi_2011.csv"
# China and the seed paper's 16 partners.
DEFAULT_ISO3 = ["CHN", "AUS", "CAN", "JPN", "FRA", "ZAF", "BRA", "ESP", "HKG", "NZL", "ROU", "USA", "ARG", "RUS", "SAU", "KOR", "DEU"]


def main(argv: list[str] | None = None) -> None:
    """Parse the command line, fetch the indicators and write the CSV file."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--year", type=int, default=2011, help="data year (default: 2011)")
    parser.add_argument(
        "--iso3", nargs="+", default=DEFAULT_ISO3, help="default: China and its 16 partners"
    )
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="default: data/wdi_2011.csv")
    args = parser.parse_args(argv)
    try:
        write_csv(fetch_wdi(args.iso3, args.year), args.out)
    except RefreshError as err:
        sys.exit(f"{parser.prog}: error: {err}")


if __name__ == "__main__":
    main()
