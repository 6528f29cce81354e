"""Markdown tables: numbers formatted by default, recorded values kept verbatim on request."""

import pandas as pd

from cjtrade import tables


def test_numbers_are_formatted_by_default():
    text = tables.markdown(pd.DataFrame({"value": [1234.5]}))
    assert "1,234.50" in text


def test_verbatim_keeps_recorded_text():
    text = tables.markdown(pd.DataFrame({"name": ["first_year"], "value": ["1995"]}), verbatim=True)
    assert "| 1995 " in text and "1,995" not in text
