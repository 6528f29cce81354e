"""Gravity-model estimation: the log-linear OLS of the seed paper, its diagnostics, and PPML.

The seed paper estimates, for China's exports to 16 partners in 2011,

    ln(Ex_j) = a + b1 ln(GDP_j) + b2 ln(POP_j) + b3 ln(DIST_j) + b4 SCC_j + e_j

by OLS and checks heteroskedasticity with White's test computed by hand (n·R² of an auxiliary
regression against a chi-squared critical value). Santos Silva and Tenreyro (2006) show that
under heteroskedasticity the log-linear OLS is biased and recommend Poisson pseudo-maximum
likelihood (PPML) on levels, which :func:`fit_ppml` provides.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations_with_replacement

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy import stats
from statsmodels.stats.outliers_influence import variance_inflation_factor


def design(frame: pd.DataFrame, logs: list[str], levels: list[str] = ()) -> pd.DataFrame:
    """Return regressors ``ln_<col>`` for *logs* and untransformed *levels*, with a constant.

    Raises ValueError naming any column that is not strictly positive, since its log is undefined.
    """
    bad = [c for c in logs if (frame[c] <= 0).any() or frame[c].isna().any()]
    if bad:
        raise ValueError(f"cannot take logs of non-positive or missing values in: {', '.join(bad)}")
    columns = {f"ln_{c}": np.log(frame[c].astype(float)) for c in logs}
    columns.update({c: frame[c].astype(float) for c in levels})
    return sm.add_constant(pd.DataFrame(columns, index=frame.index), has_constant="add")


def fit_ols(y: pd.Series, X: pd.DataFrame, cov_type: str = "nonrobust"):
    """OLS of *y* on *X*; ``cov_type="HC1"`` or ``"HC3"`` gives heteroskedasticity-robust errors.

    Tests and intervals use the t distribution with n − k degrees of freedom whatever the
    covariance. statsmodels' default for robust errors is the normal distribution, an asymptotic
    approximation that ignores that the variance is estimated from n − k residual degrees of
    freedom: with 13 observations and 4 parameters the 5% two-sided critical value is 2.26 under
    t(9), not 1.96, so normal p-values are too small. t(n − k) is exact for classical errors when
    the errors are normal, and the usual small-sample convention for robust ones (Stata's
    ``regress, vce(robust)``, pyfixest's ``feols``).
    """
    return sm.OLS(y.astype(float), X).fit(cov_type=cov_type, use_t=True)


@dataclass(frozen=True)
class WhiteTest:
    """White's heteroskedasticity test as n·R² of the auxiliary regression."""

    statistic: float
    df: int
    p_value: float
    critical_5pct: float

    @property
    def rejects_homoskedasticity(self) -> bool:
        """True if n·R² exceeds the 5% chi-squared critical value."""
        return self.statistic > self.critical_5pct


def white_auxiliary(result) -> np.ndarray:
    """Slopes of White's auxiliary regression: regressors, squares and cross-products.

    Duplicates (the square of a dummy equals the dummy) are dropped, so the number of columns is
    the test's degrees of freedom: 13 for the seed paper's four regressors with one dummy.
    """
    X = result.model.exog
    slopes = [i for i, n in enumerate(result.model.exog_names) if n != "const"]
    columns = [X[:, i] for i in slopes]
    columns += [X[:, i] * X[:, j] for i, j in combinations_with_replacement(slopes, 2)]
    return _independent_columns(np.column_stack(columns))


def white_test(result) -> WhiteTest:
    """White's test: n·R² of the squared residuals on :func:`white_auxiliary`'s columns.

    The null is homoskedasticity, i.e. every slope of the auxiliary regression is zero; n·R² is
    compared with the chi-squared distribution whose degrees of freedom are those slopes. Raises
    ValueError when the auxiliary regression has as many parameters as observations.
    """
    aux = sm.add_constant(white_auxiliary(result), has_constant="add")
    if aux.shape[1] >= result.nobs:
        raise ValueError(
            f"White's auxiliary regression has {aux.shape[1]} parameters for {int(result.nobs)} "
            "observations: it fits perfectly, so n·R² equals n whatever the data and the test is "
            "undefined"
        )
    aux_fit = sm.OLS(result.resid**2, aux).fit()
    df = aux.shape[1] - 1
    statistic = float(result.nobs * aux_fit.rsquared)
    return WhiteTest(
        statistic=statistic,
        df=int(df),
        p_value=float(stats.chi2.sf(statistic, df)),
        critical_5pct=float(stats.chi2.ppf(0.95, df)),
    )


def _independent_columns(matrix: np.ndarray, tol: float = 1e-10) -> np.ndarray:
    """Keep columns that add rank, in order (a dummy's square equals the dummy, for example)."""
    kept: list[np.ndarray] = []
    for column in matrix.T:
        candidate = np.column_stack([*kept, column])
        if (
            np.linalg.matrix_rank(candidate, tol=tol * max(1.0, np.abs(candidate).max()))
            == len(kept) + 1
        ):
            kept.append(column)
    return np.column_stack(kept)


SEED_REGRESSORS = {"gdp_current_usd": "gdp", "population": "pop", "distcap_km": "dist"}

# How the seed model's terms are printed in regression tables, in the order they are listed.
TERM_LABELS = {
    "ln_gdp": "ln GDP",
    "ln_pop": "ln POP",
    "ln_dist": "ln DIST",
    "scc": "SCC",
    "const": "Constant",
}


def seed_sample(partners: pd.DataFrame, wdi: pd.DataFrame, flows: pd.DataFrame, basis: str):
    """Assemble the seed paper's cross-section: one row per partner with trade on *basis*.

    Joins the partners (SCC rule, CEPII distance), WDI GDP and population, and the flows
    reported on *basis*; returns ``(sample, excluded)`` where *excluded* lists each partner
    without a flow and why, so a chapter can show who is left out instead of dropping them silently.
    """
    chosen = flows.loc[flows["basis"] == basis, ["iso3", "value_usd"]]
    merged = partners.merge(wdi, on="iso3", how="left", validate="one_to_one").merge(
        chosen, on="iso3", how="left", validate="one_to_one"
    )
    missing = merged["value_usd"].isna()
    excluded = merged.loc[missing, ["iso3", "partner"]].assign(
        reason=f"no {basis} value in the data package"
    )
    sample = merged.loc[~missing].rename(columns=SEED_REGRESSORS).reset_index(drop=True)
    sample["exports"] = sample["value_usd"].astype(float)
    return sample, excluded.reset_index(drop=True)


@dataclass(frozen=True)
class SeedReplication:
    """The seed paper's regressions re-estimated on the data package (:func:`replicate_seed`)."""

    partners: pd.DataFrame
    sample: pd.DataFrame
    excluded: pd.DataFrame
    X_full: pd.DataFrame
    y: pd.Series
    full: object  # statsmodels results: ln GDP, ln POP, ln DIST, SCC
    final: object  # the paper's final model, without ln DIST

    @property
    def X_final(self) -> pd.DataFrame:
        """Regressors of the final model: the full set less ``ln_dist``."""
        return self.X_full.drop(columns="ln_dist")


def replicate_seed(basis: str = "partner_reported_imports_from_china") -> SeedReplication:
    """Load the data package; fit the seed paper's full and final OLS models on flows of *basis*."""
    from cjtrade.data import load  # deferred: estimation code above does not need the data package

    partners = load("gravity_partners")
    sample, excluded = seed_sample(partners, load("wdi_2011"), load("comtrade_mirror_2011"), basis)
    X_full = design(sample, ["gdp", "pop", "dist"], ["scc"])
    y = np.log(sample["exports"]).rename("ln_exports")
    full = fit_ols(y, X_full)
    final = fit_ols(y, X_full.drop(columns="ln_dist"))
    return SeedReplication(partners, sample, excluded, X_full, y, full, final)


@dataclass(frozen=True)
class DummyEffect:
    """The percentage effect of a dummy in a log (or PPML) equation, with its delta-method s.e."""

    percent: float
    std_error: float


def dummy_effect(result, term: str) -> DummyEffect:
    """Percentage effect 100·(exp(β)−1) of dummy *term*, and its delta-method standard error.

    In ``ln y = ... + β·D``, switching D from 0 to 1 multiplies y by exp(β), so the effect is
    exp(β)−1, not β: β is a difference in log points. The delta method linearises g(β) = exp(β)−1
    around the estimate, so its standard error is exp(β)·se(β), using the result's covariance.
    """
    beta, se = float(result.params[term]), float(result.bse[term])
    return DummyEffect(
        percent=float(100 * np.expm1(beta)), std_error=float(100 * np.exp(beta) * se)
    )


def fit_ppml(y: pd.Series, X: pd.DataFrame):
    """PPML: a Poisson GLM of trade *levels* on *X*, with heteroskedasticity-robust errors.

    The errors are the plain sandwich (HC0): statsmodels' GLM applies no degrees-of-freedom
    correction even when asked for "HC1", so asking for HC0 says what is computed. pyfixest's
    ``vcov="hetero"`` multiplies them by sqrt(n / (n - k)). Tests and intervals use t(n − k), as
    :func:`fit_ols` does: a pseudo-likelihood estimator has no exact small-sample distribution,
    and with a dozen observations the t reference is the conservative choice (pyfixest and Stata
    use the normal for Poisson models, which gives smaller p-values).
    """
    poisson = sm.GLM(y.astype(float), X, family=sm.families.Poisson())
    return poisson.fit(cov_type="HC0", use_t=True)


def vif(X: pd.DataFrame) -> pd.Series:
    """Variance inflation factor of each non-constant regressor of design *X*.

    statsmodels' ``variance_inflation_factor``: 1 / (1 − R²) of the regressor on all the other
    columns of *X*. Those must include the constant, or R² is uncentred and the factors are wrong,
    so a design without a ``const`` column is refused (:func:`design` adds one).
    """
    if "const" not in X.columns:
        raise ValueError("the design has no 'const' column: VIFs need the regressions' constant")
    exog = X.astype(float).to_numpy()
    values = {
        column: variance_inflation_factor(exog, i)
        for i, column in enumerate(X.columns)
        if column != "const"
    }
    return pd.Series(values, name="VIF", dtype=float)


def lognormal_factor(result) -> float:
    """exp(s²/2): the factor that turns exp(fitted ln y) into a mean if the log errors are normal.

    exp(x'β̂) estimates the median of y, not its mean; with normal, homoskedastic log errors of
    variance σ², E[y | x] = exp(x'β + σ²/2). *s²* is the OLS residual variance (``mse_resid``).
    """
    return float(np.exp(result.mse_resid / 2))


def smearing_factor(result) -> float:
    """Duan's (1983) smearing estimate of E[exp(ε)]: the mean of the exponentiated residuals.

    It drops the normality that :func:`lognormal_factor` needs, but still assumes that the log
    errors have the same distribution for every observation (homoskedasticity): under
    heteroskedasticity E[exp(ε) | x] varies with x and no single factor is right.
    """
    return float(np.mean(np.exp(result.resid)))


def simulate_log_linearisation_bias(
    n_reps: int, n_obs: int, beta: float = 1.0, seed: int = 2006
) -> pd.DataFrame:
    """Monte Carlo of Santos Silva and Tenreyro (2006): OLS on logs versus PPML on levels.

    Each replication draws ``x ~ N(0, 1)`` and ``y = exp(1 + beta·x) · eta`` where ``eta`` is
    log-normal with mean one and a variance that rises with ``x``:
    ``Var(ln eta | x) = (1 + tanh x) / 2``, bounded so that the design stays well behaved.
    The conditional mean of ``y`` is exactly ``exp(1 + beta·x)``, so PPML is consistent, while
    ``E[ln eta | x] = -(1 + tanh x) / 4`` falls with ``x`` and biases OLS on ``ln y`` downwards.
    Returns one row per replication with the two slope estimates. Simulated data, not real data.
    """
    rng = np.random.default_rng(seed)
    rows = []
    for _ in range(n_reps):
        x = rng.normal(size=n_obs)
        log_variance = (1 + np.tanh(x)) / 2
        eta = np.exp(rng.normal(-log_variance / 2, np.sqrt(log_variance)))
        y = np.exp(1 + beta * x) * eta
        X = sm.add_constant(x)
        ols = sm.OLS(np.log(y), X).fit().params[1]
        ppml = sm.GLM(y, X, family=sm.families.Poisson()).fit().params[1]
        rows.append({"ols": float(ols), "ppml": float(ppml)})
    return pd.DataFrame(rows)
