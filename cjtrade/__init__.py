"""The analysis code of the book *China–Japan Cultural Trade*: what its chapters import.

Data loading and validation, estimation, charts, tables and prose helpers are written once here
and tested once; chapters import nothing else of the project (the build lives in ``cjbook``).

- :mod:`cjtrade.data` loads a resource of the data package after checking its checksum and schema;
- :mod:`cjtrade.classification` says which HS codes are cultural goods (chapters 49, 95, 97);
- :mod:`cjtrade.kpi` computes growth rates that policy targets require and that series achieved;
- :mod:`cjtrade.gravity` estimates the gravity equation (OLS, White's test, PPML, the seed paper);
- :mod:`cjtrade.rcep` counts RCEP members in force by date and the time to entry into force;
- :mod:`cjtrade.geo` computes great-circle distances between capitals from GeoNames;
- :mod:`cjtrade.charts` holds the chart theme and the renderer for Jupyter, the site and the PDF;
- :mod:`cjtrade.notebook` shows a chapter's glued figures in its downloaded notebook;
- :mod:`cjtrade.tables` shows tables that render in both the HTML book and the PDF;
- :mod:`cjtrade.prose` glues the values the text quotes and writes years, dates and changes;
- :mod:`cjtrade.reproducibility` builds the tables of the reproducibility report;
- :mod:`cjtrade.environment` names the setting by which the build tells charts to draw offline.
"""

__all__ = ["DataError", "load"]


def __getattr__(name: str):
    """``cjtrade.load`` and ``cjtrade.DataError``, imported on first use: a module that needs a
    light part of the package (the build reads :mod:`cjtrade.environment`) loads no pandas."""
    if name in __all__:
        from cjtrade import data

        return getattr(data, name)
    raise AttributeError(f"module 'cjtrade' has no attribute {name!r}")
