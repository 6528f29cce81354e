"""Markdown tables: numbers formatted by default, recorded values kept verbatim on request."""

import pandas as pd

from cjtrade import tables


def test_numbers_are_formatted_by_default():
    text = tables.markdown(pd.DataFrame({"value": [1234.5]}))
    assert "1,234.50" in text


def test_verbatim_keeps_recorded_text():
    text = tables.markdown(pd.DataFrame({"name": ["first_year"], "value": ["1995"]}), verbatim=True)
    assert "| 1995 " in text and "1,995" not in text


def test_a_caption_makes_a_numbered_table_directive():
    text = tables.show(pd.DataFrame({"a": [1]}), caption="Mirror gap", name="tbl-gap").data
    assert text.startswith("```{table} Mirror gap\n:name: tbl-gap\n\n|")
    assert text.endswith("\n```")


def test_without_a_caption_the_table_is_plain_markdown():
    assert tables.show(pd.DataFrame({"a": [1]})).data.startswith("|")
