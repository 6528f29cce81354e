"""Gravity estimation recovers known coefficients; the hand-made White test matches statsmodels."""

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from statsmodels.stats.diagnostic import het_white

from cjtrade import gravity


@pytest.fixture
def simulated():
    """A seeded gravity data set with known elasticities: GDP 1.5, POP -0.8, DIST -1.0, SCC 1.1."""
    rng = np.random.default_rng(2011)
    n = 400
    frame = pd.DataFrame(
        {
            "gdp": np.exp(rng.normal(27, 1.2, n)),
            "pop": np.exp(rng.normal(17, 1.0, n)),
            "dist": np.exp(rng.normal(8.8, 0.5, n)),
            "scc": (rng.random(n) < 0.2).astype(float),
        }
    )
    X = gravity.design(frame, ["gdp", "pop", "dist"], ["scc"])
    beta = np.array([-20.0, 1.5, -0.8, -1.0, 1.1])
    frame["exports"] = np.exp(X.to_numpy() @ beta + rng.normal(0, 0.3, n))
    return frame, X


def test_ols_recovers_known_elasticities(simulated):
    frame, X = simulated
    result = gravity.fit_ols(np.log(frame["exports"]), X)
    expected = {"ln_gdp": 1.5, "ln_pop": -0.8, "ln_dist": -1.0, "scc": 1.1}
    for name, value in expected.items():
        assert result.params[name] == pytest.approx(value, abs=0.08)


def test_ppml_recovers_elasticities_with_homoskedastic_log_errors(simulated):
    frame, X = simulated
    result = gravity.fit_ppml(frame["exports"], X)
    assert result.params["ln_gdp"] == pytest.approx(1.5, abs=0.1)
    assert result.params["ln_dist"] == pytest.approx(-1.0, abs=0.15)


def test_white_statistic_equals_statsmodels_het_white(simulated):
    frame, X = simulated
    continuous = X.drop(columns="scc")  # het_white keeps a dummy's square, so compare without one
    result = gravity.fit_ols(np.log(frame["exports"]), continuous)
    ours = gravity.white_test(result)
    lm, lm_p, _, _ = het_white(result.resid, result.model.exog)
    assert ours.statistic == pytest.approx(lm, rel=1e-10)
    assert ours.p_value == pytest.approx(lm_p, rel=1e-8)
    assert ours.df == 9  # 3 regressors, 3 squares, 3 cross-products


def test_white_test_drops_the_square_of_a_dummy(simulated):
    frame, X = simulated
    result = gravity.fit_ols(np.log(frame["exports"]), X)
    assert gravity.white_test(result).df == 13  # 4 + 4 squares − 1 (scc² = scc) + 6 cross-products


def test_white_test_rejects_under_strong_heteroskedasticity():
    rng = np.random.default_rng(7)
    x = rng.uniform(1, 10, 500)
    y = 1 + 2 * x + rng.normal(0, 1, 500) * x**1.5
    result = gravity.fit_ols(pd.Series(y), gravity.design(pd.DataFrame({"x": x}), [], ["x"]))
    assert gravity.white_test(result).rejects_homoskedasticity


def test_design_refuses_logs_of_non_positive_values():
    with pytest.raises(ValueError, match="non-positive or missing values in: gdp"):
        gravity.design(pd.DataFrame({"gdp": [1.0, 0.0]}), ["gdp"])


def test_vif_of_orthogonal_regressors_is_one():
    X = pd.DataFrame({"const": 1.0, "a": [1, -1, 1, -1], "b": [1, 1, -1, -1]}, dtype=float)
    assert gravity.vif(X).to_dict() == pytest.approx({"a": 1.0, "b": 1.0})


def test_vif_agrees_with_the_textbook_formula(simulated):
    """statsmodels' VIF equals 1 / (1 − R²), R² from numpy least squares on the other regressors."""
    _, X = simulated
    noise = np.random.default_rng(4).normal(0, 0.3, len(X))
    X = X.assign(ln_gdp_pc=X["ln_gdp"] - X["ln_pop"] + noise)  # collinear with both, by design
    textbook = {}
    for column in X.columns.drop("const"):
        others = X.drop(columns=column).to_numpy()
        target = X[column].to_numpy()
        residual = target - others @ np.linalg.lstsq(others, target, rcond=None)[0]
        r2 = 1 - residual @ residual / ((target - target.mean()) ** 2).sum()
        textbook[column] = 1 / (1 - r2)
    ours = gravity.vif(X)
    assert ours.to_dict() == pytest.approx(textbook, rel=1e-9)
    assert ours["ln_gdp_pc"] > 10  # the test has teeth: one factor is far from 1


def test_vif_refuses_a_design_without_a_constant():
    with pytest.raises(ValueError, match="no 'const' column"):
        gravity.vif(pd.DataFrame({"a": [1.0, 2.0, 4.0], "b": [1.0, 0.0, 2.0]}))


@pytest.mark.parametrize("cov_type", ["nonrobust", "HC1", "HC3"])
def test_ols_tests_use_t_with_n_minus_k_degrees_of_freedom(simulated, cov_type):
    frame, X = simulated
    small = slice(0, 13)  # the seed sample's size: 13 observations, 5 parameters
    result = gravity.fit_ols(np.log(frame["exports"])[small], X[small], cov_type=cov_type)
    t_ratio = result.params / result.bse
    assert result.pvalues.to_numpy() == pytest.approx(2 * stats.t.sf(abs(t_ratio), 13 - 5))
    assert (result.pvalues > 2 * stats.norm.sf(abs(t_ratio))).all()  # t's tails are fatter
    low, high = result.conf_int().T.to_numpy()
    assert high - low == pytest.approx(2 * stats.t.ppf(0.975, 8) * result.bse.to_numpy())


def test_ppml_tests_use_t_with_n_minus_k_degrees_of_freedom(simulated):
    frame, X = simulated
    result = gravity.fit_ppml(frame["exports"][:13], X[:13])
    t_ratio = result.params / result.bse
    assert result.pvalues.to_numpy() == pytest.approx(2 * stats.t.sf(abs(t_ratio), 13 - 5))


def test_smearing_recovers_the_mean_of_non_normal_errors_where_the_lognormal_factor_does_not():
    """Uniform log errors on (−2, 2): E[exp(ε)] = sinh(2)/2 ≈ 1.81, but exp(σ²/2) ≈ 1.95."""
    rng = np.random.default_rng(1983)
    x = rng.normal(size=20_000)
    X = gravity.design(pd.DataFrame({"x": x}), [], ["x"])
    result = gravity.fit_ols(pd.Series(1 + x + rng.uniform(-2, 2, x.size)), X)
    truth = np.sinh(2) / 2
    assert gravity.smearing_factor(result) == pytest.approx(truth, rel=0.01)
    assert gravity.lognormal_factor(result) == pytest.approx(np.exp(4 / 6), rel=0.01)
    assert gravity.smearing_factor(result) == pytest.approx(
        np.mean(np.exp(result.resid)), rel=1e-12
    )


def test_both_retransformations_agree_under_normal_homoskedastic_errors():
    rng = np.random.default_rng(2)
    x = rng.normal(size=20_000)
    X = gravity.design(pd.DataFrame({"x": x}), [], ["x"])
    result = gravity.fit_ols(pd.Series(1 + x + rng.normal(0, 0.8, x.size)), X)
    expected = np.exp(0.8**2 / 2)
    assert gravity.smearing_factor(result) == pytest.approx(expected, rel=0.01)
    assert gravity.lognormal_factor(result) == pytest.approx(expected, rel=0.01)


def test_white_test_refuses_a_saturated_auxiliary_regression():
    rng = np.random.default_rng(3)
    frame = pd.DataFrame(
        {
            "a": rng.random(13) + 1,
            "b": rng.random(13) + 1,
            "c": rng.random(13) + 1,
            "d": (rng.random(13) < 0.3).astype(float),
        }
    )
    X = gravity.design(frame, ["a", "b", "c"], ["d"])
    result = gravity.fit_ols(pd.Series(rng.normal(size=13)), X)
    with pytest.raises(ValueError, match="13 parameters for 13 observations"):
        gravity.white_test(result)


def test_seed_sample_keeps_partners_with_flows_and_lists_the_others():
    partners = pd.DataFrame(
        {
            "iso3": ["JPN", "ZAF"],
            "partner": ["Japan", "South Africa"],
            "scc": [1, 0],
            "distcap_km": [2098.1, 11674.6],
        }
    )
    wdi = pd.DataFrame(
        {"iso3": ["JPN", "ZAF"], "gdp_current_usd": [6.1e12, 4.2e11], "population": [127, 51]}
    )
    flows = pd.DataFrame({"iso3": ["JPN"], "basis": ["mirror"], "value_usd": [183882189759]})
    sample, excluded = gravity.seed_sample(partners, wdi, flows, "mirror")
    assert list(sample["iso3"]) == ["JPN"] and sample.loc[0, "exports"] == 183882189759.0
    assert {"gdp", "pop", "dist"} <= set(sample.columns)
    assert excluded.to_dict("records") == [
        {"iso3": "ZAF", "partner": "South Africa", "reason": "no mirror value in the data package"}
    ]


def test_replicate_seed_fits_both_models_on_the_partners_with_data():
    seed = gravity.replicate_seed()
    assert len(seed.sample) + len(seed.excluded) == len(seed.partners) == 16
    assert list(seed.full.params.index) == ["const", "ln_gdp", "ln_pop", "ln_dist", "scc"]
    assert "ln_dist" not in seed.final.params.index and seed.final.nobs == len(seed.sample)
    # Independent check: numpy least squares on the raw CSV columns gives the same coefficients.
    X = np.column_stack(
        [
            np.ones(len(seed.sample)),
            np.log(seed.sample["gdp"]),
            np.log(seed.sample["pop"]),
            seed.sample["scc"],
        ]
    )
    beta = np.linalg.lstsq(X, np.log(seed.sample["value_usd"].astype(float)), rcond=None)[0]
    assert beta == pytest.approx(seed.final.params.to_numpy(), rel=1e-10)


def test_monte_carlo_reproduces_the_log_linearisation_bias():
    estimates = gravity.simulate_log_linearisation_bias(n_reps=150, n_obs=400, beta=1.0, seed=1)
    assert estimates.shape == (150, 2)
    assert estimates["ppml"].mean() == pytest.approx(1.0, abs=0.05)  # consistent
    assert estimates["ols"].mean() < 0.9  # E[ln eta | x] = -(1 + tanh x)/4 pulls the slope down


def test_monte_carlo_is_reproducible_from_its_seed():
    first = gravity.simulate_log_linearisation_bias(n_reps=3, n_obs=50, seed=7)
    second = gravity.simulate_log_linearisation_bias(n_reps=3, n_obs=50, seed=7)
    assert first.equals(second)


def test_dummy_effect_is_exp_beta_minus_one_not_beta(simulated):
    frame, X = simulated
    result = gravity.fit_ols(np.log(frame["exports"]), X)
    effect = gravity.dummy_effect(result, "scc")
    beta, se = result.params["scc"], result.bse["scc"]
    assert effect.percent == pytest.approx(100 * (np.exp(beta) - 1))
    assert effect.percent > 150  # true β 1.1: exp(1.1) − 1 is about 200%, far from "110%"
    # Delta method: the derivative of exp(b) − 1 at the estimate, times the standard error.
    h = 1e-6
    slope = (np.expm1(beta + h) - np.expm1(beta - h)) / (2 * h)
    assert effect.std_error == pytest.approx(100 * slope * se, rel=1e-6)


def test_white_auxiliary_of_the_seed_model_has_twelve_slopes_in_this_sample():
    seed = gravity.replicate_seed()
    # 4 regressors + 3 squares (SCC² = SCC) + 6 cross-products = 13 terms; with only three SCC
    # partners, SCC and its three cross-products (zero outside those rows) have rank 3, so 12.
    assert gravity.white_auxiliary(seed.full).shape[1] == 12  # not the 5 the paper's test used
    assert gravity.white_auxiliary(seed.final).shape[1] == 8  # 3 + 2 squares + 3 cross-products
