"""Fetch China's trade in HS chapters 49, 95 and 97 by partner from the UN Comtrade API.

Usage: ``python scripts/refresh_comtrade.py --years 2010 2011 [--partners 392 410]
[--include-world] [--out PATH] [--key KEY]`` (see :mod:`cjbook.refresh_commands`).
"""

from cjbook.refresh_commands import refresh_comtrade

if __name__ == "__main__":
    refresh_comtrade()
