"""Rebuild Japan's balance-of-payments resources from the Bank of Japan's two flat-file zips.

Usage: ``python scripts/refresh_bop.py REGIONAL_ZIP NATIONAL_ZIP [--partners CN KR ...]
[--regional-out PATH] [--national-out PATH]``, where REGIONAL_ZIP is ``regbp_q_en.zip`` and
NATIONAL_ZIP ``bp_m_en.zip`` (see :mod:`cjbook.refresh_bop`). Reads local files only.
"""

from cjbook.refresh_bop import refresh_bop

if __name__ == "__main__":
    refresh_bop()
