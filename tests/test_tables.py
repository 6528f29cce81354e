"""Markdown tables: numbers formatted by default, recorded values kept verbatim on request."""

import re

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

from cjtrade import tables


def test_numbers_are_formatted_by_default():
    text = tables.markdown(pd.DataFrame({"value": [1234.5]}))
    assert "1,234.50" in text


def test_verbatim_keeps_recorded_text():
    text = tables.markdown(pd.DataFrame({"name": ["first_year"], "value": ["1995"]}), verbatim=True)
    assert " 1995 |" in text and "1,995" not in text


def test_verbatim_numbers_keep_their_sign_and_align_right():
    frame = pd.DataFrame({"capital": ["Moscow", "Tokyo"], "difference_pct": [-0.04, 1.25]})
    text = tables.markdown(tables.fixed(frame, decimals=1), verbatim=True)
    header_rule = text.splitlines()[1]
    assert header_rule.startswith("|:-") and header_rule.endswith("-:|")  # text left, numbers right
    assert " -0.04 |" in text and " -0.0 |" not in text


def test_a_caption_makes_a_numbered_table_directive():
    text = tables.show(pd.DataFrame({"a": [1]}), caption="Mirror gap", name="tbl-gap").data
    assert text.startswith("```{table} Mirror gap\n:name: tbl-gap\n\n|")
    assert text.endswith("\n```")


def test_without_a_caption_the_table_is_plain_markdown():
    assert tables.show(pd.DataFrame({"a": [1]})).data.startswith("|")


@pytest.fixture
def fits():
    """An OLS and a Poisson GLM on the same seeded data."""
    rng = np.random.default_rng(5)
    X = sm.add_constant(pd.DataFrame({"x": rng.normal(size=50)}))
    counts = rng.poisson(np.exp(1 + 0.5 * X["x"]))
    return sm.OLS(np.log1p(counts), X).fit(), sm.GLM(counts, X, family=sm.families.Poisson()).fit()


def test_a_regression_table_puts_each_standard_error_in_parentheses_beneath_its_coefficient(fits):
    ols, poisson = fits
    frame = tables.regression_frame(
        {"OLS": ols, "PPML": poisson}, labels={"x": "slope"}, rows={"Errors": ["HC1", "HC0"]}
    ).set_index("")
    rows = list(frame.index)
    assert rows[:2] == ["slope", ""]  # the labelled term first, its standard error beneath
    assert frame.iloc[0]["OLS"] == f"{ols.params['x']:.3f}"
    assert frame.iloc[1]["PPML"] == f"({poisson.bse['x']:.3f})"
    assert frame.loc["N"].tolist() == ["50", "50"]
    assert frame.loc["R²"].tolist() == [f"{ols.rsquared:.3f}", ""]
    mcfadden = 1 - poisson.llf / poisson.llnull
    assert frame.loc["Pseudo R²"].tolist() == ["", f"{mcfadden:.3f}"]
    assert frame.loc["Errors"].tolist() == ["HC1", "HC0"]


def test_a_regression_table_with_a_caption_is_numbered_and_centres_the_models(fits):
    text = tables.regression({"(1)": fits[0]}, caption="OLS", name="tbl-ols").data
    assert text.startswith("```{table} OLS\n:name: tbl-ols\n\n|")
    assert re.search(r"^\|:-+\|:-+:\|$", text, re.MULTILINE), "the model column is centred"
