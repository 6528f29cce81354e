"""Rebuild data/wdi_2011.csv (GDP and population) from the World Bank API; needs network access.

Usage: ``python scripts/refresh_wdi.py [--year 2011] [--iso3 CHN JPN ...] [--out PATH]``
(see :mod:`cjbook.refresh_commands`).
"""

from cjbook.refresh_commands import refresh_wdi

if __name__ == "__main__":
    refresh_wdi()
