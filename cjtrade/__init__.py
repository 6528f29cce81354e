"""Shared code for the book *China–Japan Cultural Trade*.

Chapters import from here so that data loading, validation, charts and estimation are written
once and tested once:

- :mod:`cjtrade.data` loads a resource of the data package after checking its checksum and schema;
- :mod:`cjtrade.charts` holds the chart theme and the offline renderer for Altair charts;
- :mod:`cjtrade.numbers` reads and compares the manifest of numbers quoted in the prose.
"""

from cjtrade.data import DataError, load

__all__ = ["DataError", "load"]
