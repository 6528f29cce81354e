"""Growth arithmetic for targets: compound rates on known answers, and runs of consecutive years."""

import pandas as pd
import pytest

from cjtrade import kpi


def test_cagr_of_a_doubling_in_one_year_is_100_percent():
    assert kpi.cagr(5.0, 10.0, 1) == pytest.approx(1.0)


def test_cagr_compounds_rather_than_averages():
    # 100 → 121 in two years is 10% a year, not 10.5% (the simple average).
    assert kpi.cagr(100.0, 121.0, 2) == pytest.approx(0.10)


def test_cagr_can_be_negative():
    assert kpi.cagr(100.0, 81.0, 2) == pytest.approx(-0.10)


@pytest.mark.parametrize(("start", "end", "years"), [(0.0, 1.0, 1), (1.0, -1.0, 1), (1.0, 2.0, 0)])
def test_cagr_rejects_impossible_inputs(start, end, years):
    with pytest.raises(ValueError):
        kpi.cagr(start, end, years)


def test_required_rate_counts_years_between_latest_actual_and_target():
    # From 5 in 2023 to 20 in 2033 needs 4 ** (1/10) - 1 a year.
    assert kpi.required_rate(2023, 5.0, 2033, 20.0) == pytest.approx(4**0.1 - 1)


def test_span_rate_uses_the_first_and_last_observed_years():
    series = pd.Series([None, 100.0, 150.0, 400.0, None], index=[2009, 2010, 2011, 2012, 2013])
    first, last, rate = kpi.span_rate(series)
    assert (first, last) == (2010, 2012)
    assert rate == pytest.approx(1.0)


def test_span_rate_needs_two_observations():
    with pytest.raises(ValueError):
        kpi.span_rate(pd.Series([None, 3.0], index=[2010, 2011]))


def test_runs_break_at_missing_years():
    assert kpi.runs([2016, 2017, 2019, 2020, 2021, 2023]) == [0, 0, 1, 1, 1, 2]


def test_isolated_years_are_runs_of_one():
    assert kpi.runs([2010, 2017, 2019]) == [0, 1, 2]


def test_runs_reject_unsorted_years():
    with pytest.raises(ValueError):
        kpi.runs([2017, 2016])
