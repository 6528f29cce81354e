"""The refresh commands: rebuild source tables from the World Bank and UN Comtrade APIs.

Both need network access; ``scripts/refresh_wdi.py`` and ``scripts/refresh_comtrade.py`` run them.
Review a new file against the old one, then record its checksum (``make data-hash``).

- ``python scripts/refresh_wdi.py [--year 2011] [--iso3 CHN JPN ...] [--out PATH]`` rebuilds
  ``data/wdi_2011.csv`` (GDP and population).
- ``python scripts/refresh_comtrade.py --years 2010 2011 [--partners 392 410] [--include-world]
  [--out PATH]`` fetches China's trade in HS chapters 49, 95 and 97 by partner (M49 codes, default
  all); it needs a UN Comtrade subscription key (comtradedeveloper.un.org): pass ``--key`` or set
  ``COMTRADE_API_KEY``.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from cjbook.paths import ROOT
from cjbook.refresh import RefreshError, fetch_comtrade_cultural, fetch_wdi, write_csv

WDI_OUT = ROOT / "data" / "wdi_2011.csv"
# China and the seed paper's 16 partners.
WDI_ISO3 = [
    *("CHN", "AUS", "CAN", "JPN", "FRA", "ZAF", "BRA", "ESP", "HKG"),
    *("NZL", "ROU", "USA", "ARG", "RUS", "SAU", "KOR", "DEU"),
]
COMTRADE_OUT = ROOT / "data" / "refresh" / "comtrade_china_hs_49_95_97.csv"
KEY_VARIABLE = "COMTRADE_API_KEY"


def refresh_wdi(argv: list[str] | None = None) -> None:
    """Parse the command line, fetch the indicators and write the CSV file."""
    parser = argparse.ArgumentParser(
        prog="refresh_wdi.py", description="Rebuild data/wdi_2011.csv from the World Bank API."
    )
    parser.add_argument("--year", type=int, default=2011, help="data year (default: 2011)")
    parser.add_argument(
        "--iso3", nargs="+", default=WDI_ISO3, help="default: China and its 16 partners"
    )
    parser.add_argument("--out", type=Path, default=WDI_OUT, help="default: data/wdi_2011.csv")
    args = parser.parse_args(argv)
    try:
        write_csv(fetch_wdi(args.iso3, args.year), args.out)
    except RefreshError as err:
        sys.exit(f"{parser.prog}: error: {err}")


def refresh_comtrade(argv: list[str] | None = None) -> None:
    """Parse the command line, fetch the trade records and write the CSV file."""
    parser = argparse.ArgumentParser(
        prog="refresh_comtrade.py",
        description="Fetch China's trade in HS chapters 49, 95 and 97 by partner from UN Comtrade.",
    )
    parser.add_argument(
        "--years", type=int, nargs="+", default=[2011], help="data years (default: 2011)"
    )
    parser.add_argument(
        "--partners", type=int, nargs="+", help="M49 partner codes (default: all partners)"
    )
    parser.add_argument(
        "--include-world", action="store_true", help="keep the World aggregate (partner 0)"
    )
    parser.add_argument(
        "--key", default=os.environ.get(KEY_VARIABLE), help=f"default: ${KEY_VARIABLE}"
    )
    parser.add_argument(
        "--out", type=Path, default=COMTRADE_OUT, help="default: data/refresh/" + COMTRADE_OUT.name
    )
    args = parser.parse_args(argv)
    if not args.key:
        parser.error(f"no UN Comtrade subscription key: pass --key or set {KEY_VARIABLE}")
    try:
        frame = fetch_comtrade_cultural(args.key, args.years, args.partners, args.include_world)
        write_csv(frame, args.out)
    except RefreshError as err:
        sys.exit(f"{parser.prog}: error: {err}")
