"""Shared code for the book *China–Japan Cultural Trade*.

Chapters import from here so that data loading, validation, charts and estimation are written
once and tested once:

- :mod:`cjtrade.data` loads a resource of the data package after checking its checksum and schema;
- :mod:`cjtrade.classification` says which HS codes are cultural goods in this book (chapters 49, 95, 97);
- :mod:`cjtrade.kpi` computes the growth rates that policy targets require and that series achieved;
- :mod:`cjtrade.gravity` estimates the gravity equation (OLS, White's test, PPML, the seed replication);
- :mod:`cjtrade.rcep` counts RCEP members in force by date and the time from signing to entry into force;
- :mod:`cjtrade.geo` computes great-circle distances between capitals from GeoNames;
- :mod:`cjtrade.charts` holds the chart theme and the offline renderer for Altair charts;
- :mod:`cjtrade.tables` shows tables that render in both the HTML book and the PDF;
- :mod:`cjtrade.numbers` reads and compares the manifest of numbers quoted in the prose;
- :mod:`cjtrade.reproducibility` builds the tables of the reproducibility report;
- :mod:`cjtrade.refresh` rebuilds source tables from the World Bank and UN Comtrade APIs;
- :mod:`cjtrade.site` lists the book's pages and serves the built site for browser checks;
- :mod:`cjtrade.live` serves the live-code edition with its local Jupyter server (``make live``);
- :mod:`cjtrade.sphinxext` is the Sphinx extension behind the strict, offline, verifiable build.
"""

from cjtrade.data import DataError, load

__all__ = ["DataError", "load"]
