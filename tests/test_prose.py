"""The prose helpers write years, dates, changes and names the way the book's sentences need."""

import numpy as np
import pandas as pd
import pytest

from cjtrade import prose


def test_years_are_compressed_into_ranges():
    assert (
        prose.years_text([2016, 2011, 2012, 2014, 2017, 2018, 2012]) == "2011–2012, 2014, 2016–2018"
    )
    assert prose.years_text([]) == ""


def test_percentage_change_and_dates():
    assert prose.pct_change(50, 60) == pytest.approx(20.0)
    assert prose.pct_change(80, 60) == pytest.approx(-25.0)
    assert prose.long_date(pd.Timestamp("2022-01-01")) == "1 January 2022"


def test_country_names_take_the_article_they_need():
    assert prose.country_in_prose("Philippines") == "the Philippines"
    assert prose.country_in_prose("Japan") == "Japan"


def test_glued_values_are_plain_python():
    assert type(prose.plain(np.float64(1.5))) is float
    assert type(prose.plain(np.int64(3))) is int
    assert prose.plain("text") == "text"
