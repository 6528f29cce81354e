"""Fetch China's trade in HS chapters 49, 95 and 97 by partner from the UN Comtrade API.

Needs network access and a UN Comtrade subscription key (comtradedeveloper.un.org): pass ``--key``
or set ``COMTRADE_API_KEY``. Usage: ``python scripts/refresh_comtrade.py --years 2010 2011
[--partners 392 410] [--include-world] [--out PATH]``. Partners are M49 codes (default: all).
"""

import argparse
import os
import sys
from pathlib import Path

from cjtrade.refresh import RefreshError, fetch_comtrade_cultural, write_csv

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "data" / "refresh" / "comtrade_china_hs_49_95_97.csv"
KEY_VARIABLE = "COMTRADE_API_KEY"


def main(argv: list[str] | None = None) -> None:
    """Parse the command line, fetch the trade records and write the CSV file."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
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
        "--out", type=Path, default=DEFAULT_OUT, help="default: data/refresh/" + DEFAULT_OUT.name
    )
    args = parser.parse_args(argv)
    if not args.key:
        parser.error(f"no UN Comtrade subscription key: pass --key or set {KEY_VARIABLE}")
    try:
        frame = fetch_comtrade_cultural(args.key, args.years, args.partners, args.include_world)
        write_csv(frame, args.out)
    except RefreshError as err:
        sys.exit(f"{parser.prog}: error: {err}")


if __name__ == "__main__":
    main()
