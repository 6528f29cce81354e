"""Structural gravity on an exporter-importer-year panel: the Advanced Guide's three applications.

Yotov, Piermartini, Monteiro and Larch (2016), *An Advanced Guide to Trade Policy Analysis*,
estimate on a panel of manufacturing trade (69 countries, 1986-2006, domestic flows included)

* traditional gravity four ways (Table 1): OLS; OLS with remoteness indexes; OLS with
  exporter-year and importer-year fixed effects; PPML with the same fixed effects;
* the "distance puzzle": year-specific distance elasticities, which fall over time only once
  intra-national flows are in the sample;
* the effect of regional trade agreements (RTAs) with pair fixed effects, a lead, lags and
  globalisation border dummies.

Every function takes any panel with the columns of :data:`PANEL_COLUMNS` (the book's resource
``agtpa_manufacturing_panel``, or a panel built from UN Comtrade by :func:`panel_from_comtrade`),
checks it with :func:`validate_panel`, and estimates with ``pyfixest`` (``feols``/``fepois``,
standard errors clustered by country pair). The Guide's own Stata programs fix the samples and
specifications; this module is an independent Python implementation of them.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyfixest as pf
import statsmodels.api as sm
from scipy import stats

PANEL_COLUMNS = ["exporter", "importer", "pair_id", "year", "trade"]
GRAVITY_COLUMNS = ["DIST", "CNTG", "LANG", "CLNY", "RTA"]
GUIDE_YEARS = tuple(range(1986, 2007, 4))  # the Guide's 4-year intervals, 1986 ... 2006
CLUSTER = {"CRV1": "pair_id"}
# Small-sample factor G/(G-1) for G pair clusters, without the (N-1)/(N-K) factor: what Stata's
# ppml applies, and what reproduces every standard error of the R port of the Guide (tradepolicy),
# from which the book's resource agtpa_published_results was transcribed. Stata's
# `regress ..., cluster()`, which the Guide's do-files use for OLS, also multiplies the variance by
# (N-1)/(N-K), K counting every dummy variable: :func:`stata_regress_se` gives that version.
GUIDE_SSC = pf.ssc(k_adj=False, G_adj=True)
GRAVITY_TERMS = ["ln_DIST", "CNTG", "LANG", "CLNY"]
MULTILATERAL_FE = "exp_time + imp_time"


class PanelError(ValueError):
    """A panel cannot be used for structural gravity; the message names the rule and the rows."""


def _rows(frame: pd.DataFrame, mask: pd.Series, limit: int = 5) -> str:
    shown = frame.loc[mask, ["exporter", "importer", "year"]].head(limit)
    rows = "; ".join(f"{e}->{i} {y}" for e, i, y in shown.itertuples(index=False))
    more = f" (and {int(mask.sum()) - limit} more)" if mask.sum() > limit else ""
    return f"{rows}{more}"


def validate_panel(
    panel: pd.DataFrame,
    years: Iterable[int] | None = None,
    require_domestic: bool = False,
    columns: Sequence[str] = PANEL_COLUMNS + GRAVITY_COLUMNS,
) -> pd.DataFrame:
    """Return a clean copy of *panel* (plain str/int/float columns) or raise :class:`PanelError`.

    Checked, because each silently biases or breaks a fixed-effects gravity estimate: every
    column present and filled; each year of *years* present; no exporter-importer-year twice;
    no negative trade; positive distances; and, if *require_domestic*, a domestic flow
    (exporter == importer) for every country and year, without which intra-national trade,
    the border effects and the general-equilibrium step are not identified.
    """
    missing = [c for c in columns if c not in panel.columns]
    if missing:
        raise PanelError(f"panel lacks column(s) {', '.join(missing)}")
    frame = panel[list(columns)].copy()
    blank = [c for c in columns if frame[c].isna().any()]
    if blank:
        first = frame[blank[0]].isna()
        raise PanelError(f"missing values in {', '.join(blank)}: {_rows(frame, first)}")
    frame["exporter"] = frame["exporter"].astype(str)
    frame["importer"] = frame["importer"].astype(str)
    for column in set(columns) & {"pair_id", "year", "CNTG", "LANG", "CLNY", "RTA"}:
        frame[column] = frame[column].astype("int64")
    for column in set(columns) & {"trade", "DIST"}:
        frame[column] = frame[column].astype("float64")
    if years is not None:
        absent = sorted(set(years) - set(frame["year"]))
        if absent:
            raise PanelError(f"year(s) {absent} of the declared grid are missing from the panel")
    duplicated = frame.duplicated(["exporter", "importer", "year"], keep=False)
    if duplicated.any():
        raise PanelError(f"duplicated exporter-importer-year rows: {_rows(frame, duplicated)}")
    negative = frame["trade"] < 0
    if negative.any():
        raise PanelError(
            f"negative trade in {int(negative.sum())} row(s): {_rows(frame, negative)}"
        )
    if "DIST" in frame and (frame["DIST"] <= 0).any():
        bad = frame["DIST"] <= 0
        raise PanelError(f"non-positive distance (no logarithm): {_rows(frame, bad)}")
    if require_domestic:
        _check_domestic_flows(frame)
    return frame


def _check_domestic_flows(frame: pd.DataFrame) -> None:
    countries = sorted(set(frame["exporter"]) | set(frame["importer"]))
    domestic = frame.loc[frame["exporter"] == frame["importer"], ["exporter", "year"]]
    have = set(domestic.itertuples(index=False, name=None))
    lacking = [
        (c, y) for y in sorted(frame["year"].unique()) for c in countries if (c, y) not in have
    ]
    if lacking:
        shown = "; ".join(f"{c} {y}" for c, y in lacking[:5])
        more = f" (and {len(lacking) - 5} more)" if len(lacking) > 5 else ""
        raise PanelError(
            f"no domestic flow (exporter == importer) for {len(lacking)} country-year(s): "
            f"{shown}{more}"
        )


def guide_sample(
    panel: pd.DataFrame, years: Sequence[int] = GUIDE_YEARS, require_domestic: bool = False
) -> pd.DataFrame:
    """Return the estimation sample: *years* only, with the variables every model uses.

    Adds ``ln_trade`` (missing where trade is zero: OLS drops those rows, PPML keeps them),
    ``ln_DIST``, ``domestic`` (1 for exporter == importer), and the fixed-effect identifiers
    ``exp_time`` and ``imp_time`` (country x year).
    """
    frame = validate_panel(panel, years, require_domestic)
    frame = frame[frame["year"].isin(years)].reset_index(drop=True)
    frame["ln_trade"] = np.log(frame["trade"].where(frame["trade"] > 0))
    frame["ln_DIST"] = np.log(frame["DIST"])
    frame["domestic"] = (frame["exporter"] == frame["importer"]).astype("int64")
    frame["exp_time"] = frame["exporter"] + "_" + frame["year"].astype(str)
    frame["imp_time"] = frame["importer"] + "_" + frame["year"].astype(str)
    return frame


def international(sample: pd.DataFrame) -> pd.DataFrame:
    """Rows with exporter != importer (the traditional gravity sample)."""
    return sample[sample["domestic"] == 0].reset_index(drop=True)


# --- Table 1: traditional gravity --------------------------------------------------------------


def add_output_expenditure_remoteness(sample: pd.DataFrame) -> pd.DataFrame:
    """Add ln output ``ln_Y``, ln expenditure ``ln_E`` and the two remoteness indexes.

    Y (E) is the exporter's (importer's) total sales in the year, domestic sales included.
    Exporter remoteness is the sum over its partners of DIST / (E_j / world E) (all rows of the
    sample, domestic included, as in the Guide), importer remoteness the sum of DIST / (Y_i /
    world Y): distance weighted by the partner's share of world spending or output.
    """
    frame = sample.copy()
    frame["Y"] = frame.groupby(["exporter", "year"])["trade"].transform("sum")
    frame["E"] = frame.groupby(["importer", "year"])["trade"].transform("sum")
    world_e = frame.groupby("year")["trade"].transform("sum")  # world output = world spending
    frame["ln_Y"], frame["ln_E"] = np.log(frame["Y"]), np.log(frame["E"])
    frame["REM_EXP"] = (
        (frame["DIST"] / (frame["E"] / world_e))
        .groupby([frame["exporter"], frame["year"]])
        .transform("sum")
    )
    frame["REM_IMP"] = (
        (frame["DIST"] / (frame["Y"] / world_e))
        .groupby([frame["importer"], frame["year"]])
        .transform("sum")
    )
    frame["ln_REM_EXP"], frame["ln_REM_IMP"] = np.log(frame["REM_EXP"]), np.log(frame["REM_IMP"])
    return frame


TABLE1_FORMULAS = {
    "OLS": ("feols", "ln_trade ~ ln_DIST + CNTG + LANG + CLNY + ln_Y + ln_E"),
    "Remoteness": (
        "feols",
        "ln_trade ~ ln_DIST + CNTG + LANG + CLNY + ln_Y + ln_E + ln_REM_EXP + ln_REM_IMP",
    ),
    "Fixed effects": ("feols", f"ln_trade ~ ln_DIST + CNTG + LANG + CLNY | {MULTILATERAL_FE}"),
    "PPML": ("fepois", f"trade ~ ln_DIST + CNTG + LANG + CLNY | {MULTILATERAL_FE}"),
}


SEPARATION_MESSAGE = r"(\d+) observations removed because of separation"


def fit(estimator: str, formula: str, data: pd.DataFrame, **options):
    """Fit one model with pair-clustered standard errors scaled as the Guide's are.

    PPML drops observations whose fixed effects predict them perfectly (a pair that never trades
    under pair fixed effects: "separation"); pyfixest warns, and the count is kept on the model
    as ``separated`` so that a chapter can report it instead of printing a warning. *options* go
    to pyfixest unchanged (``demeaner=pf.MapDemeaner(fixef_tol=...)``, for example).
    """
    function = {"feols": pf.feols, "fepois": pf.fepois}[estimator]
    model, model.separated = counting_warnings(
        SEPARATION_MESSAGE,
        lambda: function(formula, data=data, vcov=CLUSTER, ssc=GUIDE_SSC, **options),
    )
    return model


def counting_warnings(pattern: str, call):
    """Run *call* (no arguments); return its result and the sum of the counts that its warnings
    matching *pattern* (a message whose first group is a number) report.

    Those warnings are not printed, so that a chapter reports the count instead; any other warning
    is passed on.
    """
    with warnings.catch_warnings(record=True) as caught:
        warnings.filterwarnings("always", message=pattern)
        result = call()
    count = 0
    for warning in caught:
        found = re.match(pattern, str(warning.message))
        if found:
            count += int(found.group(1))
        else:
            warnings.warn_explicit(
                warning.message, warning.category, warning.filename, warning.lineno
            )
    return result, count


def table1_models(sample: pd.DataFrame) -> dict:
    """The four columns of the Guide's Table 1, fitted on international flows of *sample*."""
    data = international(add_output_expenditure_remoteness(sample))
    return {name: fit(est, formula, data) for name, (est, formula) in TABLE1_FORMULAS.items()}


def ppml_with_dummies(
    data: pd.DataFrame, regressors: Sequence[str] = GRAVITY_TERMS
) -> pd.DataFrame:
    """The PPML of :func:`fit` the textbook way: statsmodels' GLM with a dummy per fixed effect.

    Every exporter-year and importer-year gets a column of its own (one importer is the reference
    in every year, as the two sets of dummies would otherwise be collinear), so the design matrix is
    dense: 28,152 rows by 826 columns (186 MB) for the Guide's Table 1, and each of GLM's iterations
    solves a least-squares problem that size, where pyfixest absorbs the fixed effects instead of
    estimating them. Returns the coefficients of *regressors* with pair-clustered standard errors
    scaled as :data:`GUIDE_SSC` scales them, so the two methods can be compared number for number
    (``make bench`` times them; a test compares them on a small sample).
    """
    reference = data["importer"].min()
    importer_years = pd.get_dummies(data["imp_time"], dtype=float)
    importer_years = importer_years.loc[:, ~importer_years.columns.str.startswith(f"{reference}_")]
    exporter_years = pd.get_dummies(data["exp_time"], dtype=float)
    design = pd.concat(
        [data[list(regressors)].astype(float), exporter_years, importer_years], axis=1
    )
    pairs = pd.factorize(data["pair_id"])[0]
    result = sm.GLM(data["trade"].to_numpy(float), design.to_numpy(), family=sm.families.Poisson())
    result = result.fit(
        method="IRLS",
        wls_method="lstsq",
        cov_type="cluster",
        cov_kwds={"groups": pairs, "use_correction": False},
    )
    clusters = len(np.unique(pairs))
    k = len(regressors)
    return pd.DataFrame(
        {
            "coef": result.params[:k],
            "se": result.bse[:k] * np.sqrt(clusters / (clusters - 1)),
            "N": int(result.nobs),
        },
        index=list(regressors),
    )


@dataclass(frozen=True)
class ResetTest:
    """RESET test: does the square of the fitted linear index add explanatory power?"""

    coefficient: float
    statistic: float
    p_value: float


def reset_test(model, estimator: str, formula: str, data: pd.DataFrame) -> ResetTest:
    """Refit *formula* with the squared linear prediction of *model* added; Wald-test it.

    The linear index includes the fixed effects, as Stata's ``predict, xb`` after a regression
    with explicit dummies does. A small p-value says the functional form is misspecified.
    """
    augmented = data.copy()
    augmented["fit2"] = np.asarray(model.predict(newdata=augmented, type="link")) ** 2
    lhs, rhs = formula.split("~", 1)
    terms, _, fixed = rhs.partition("|")
    refit = fit(
        estimator, f"{lhs}~{terms.strip()} + fit2" + (f" | {fixed}" if fixed else ""), augmented
    )
    coefficient, se = float(refit.coef()["fit2"]), float(refit.se()["fit2"])
    statistic = (coefficient / se) ** 2
    return ResetTest(coefficient, statistic, float(stats.chi2.sf(statistic, 1)))


def stata_regress_se(model) -> pd.Series:
    """Standard errors as Stata's ``regress ..., cluster()`` reports them for a :func:`fit` OLS.

    Stata, given the fixed effects as explicit dummy variables, scales the clustered variance by
    (N-1)/(N-K) · G/(G-1), with K the rank of the whole design: the regressors, the constant and
    every non-redundant dummy. :data:`GUIDE_SSC` applies G/(G-1) only, so the result is the
    model's standard errors times sqrt((N-1)/(N-K)). Returns them, with K as ``.attrs["K"]``.
    """
    n = int(model._N)
    k = _design_rank(model)
    se = model.se() * np.sqrt((n - 1) / (n - k))
    se.attrs["K"] = k
    return se


def absorbed_effects(model) -> list[str]:
    """The fixed effects a pyfixest *model* absorbs, by name (``["exp_time", "imp_time"]``)."""
    return [name.strip() for name in model._fixef.split("+")] if model._fixef else []


def _design_rank(model) -> int:
    """Rank of [constant, regressors, one dummy per level of each fixed effect] of *model*.

    Without fixed effects the constant is among the coefficients; with them it lies in the span of
    the dummies, whose redundancies are counted here instead.
    """
    coefficients = len(model.coef())
    fixed = absorbed_effects(model)
    if not fixed:
        return coefficients
    data = model._data
    levels = [data[f].astype(str) for f in fixed]
    counts = sum(level.nunique() for level in levels)
    if len(levels) == 1:
        return coefficients + counts
    # Two sets of dummies: redundant ones are the connected components of their bipartite graph
    # (each component adds one linear dependence); a third set is not needed by the Guide's OLS.
    if len(levels) > 2:
        raise ValueError("stata_regress_se handles one or two fixed effects")
    first, second = pd.factorize(levels[0])[0], pd.factorize(levels[1])[0]
    components = _components(first, second + first.max() + 1, counts)
    return coefficients + counts - components


def _components(a: np.ndarray, b: np.ndarray, nodes: int) -> int:
    """Number of connected components of the graph with edges a[k]-b[k] on *nodes* nodes."""
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    graph = coo_matrix((np.ones(len(a)), (a, b)), shape=(nodes, nodes))
    return int(connected_components(graph, directed=False)[0])


def coefficient_table(models: dict, terms: Sequence[str]) -> pd.DataFrame:
    """Coefficient, standard error and N of *terms* in each model: one row per model and term."""
    rows = []
    for name, model in models.items():
        coef, se = model.coef(), model.se()
        for term in terms:
            if term in coef.index:
                rows.append(
                    {
                        "model": name,
                        "term": term,
                        "coef": float(coef[term]),
                        "se": float(se[term]),
                        "N": int(model._N),
                    }
                )
    return pd.DataFrame(rows)


def guide_comparison(models: dict, terms: Sequence[str], printed: pd.DataFrame) -> pd.DataFrame:
    """One row per model and term: the Guide's coefficient, s.e. and N beside the recomputed ones.

    *printed* holds the rows of the resource ``agtpa_published_results`` for one application;
    a number the source does not print is missing (NaN), never filled in.
    """
    printed = printed.astype({"model": str, "term": str, "statistic": str})
    guide = (
        printed[printed["statistic"].isin(["coefficient", "se"])]
        .pivot(index=["model", "term"], columns="statistic", values="value")
        .rename(columns={"coefficient": "coef. (Guide)", "se": "s.e. (Guide)"})
        .reset_index()
    )
    here = coefficient_table(models, terms).rename(
        columns={"coef": "coef. (here)", "se": "s.e. (here)", "N": "N (here)"}
    )
    table = guide.merge(here, on=["model", "term"], how="right")
    n_guide = printed[printed["statistic"] == "N"].set_index("model")["value"].astype(int)
    table["N (Guide)"] = table["model"].map(n_guide).astype("Int64")
    columns = ["coef. (Guide)", "coef. (here)", "s.e. (Guide)", "s.e. (here)", "N (Guide)"]
    return table[["model", "term", *columns, "N (here)"]]


def as_text(frame: pd.DataFrame, decimals: int = 3) -> pd.DataFrame:
    """Numbers as the tables print them: floats to *decimals*, integers with thousands
    separators, and a dash where the source prints nothing."""

    def cell(value):
        if pd.isna(value):
            return "–"
        if isinstance(value, (int, np.integer)):
            return f"{value:,}"
        return f"{value:.{decimals}f}" if isinstance(value, (float, np.floating)) else value

    return frame.astype(object).map(cell)


# --- the distance puzzle -----------------------------------------------------------------------


def add_year_distances(sample: pd.DataFrame) -> pd.DataFrame:
    """Add ``ln_DIST_<year>`` (ln distance in that year, else 0; always 0 for domestic flows),
    ``ln_DIST_INTRA`` (ln intra-national distance on domestic rows) and ``SMCTRY`` (home dummy),
    and ``intra_pair`` (the country on domestic rows, "international" otherwise)."""
    frame = sample.copy()
    for year in sorted(frame["year"].unique()):
        on = (frame["year"] == year) & (frame["domestic"] == 0)
        frame[f"ln_DIST_{year}"] = frame["ln_DIST"].where(on, 0.0)
    frame["SMCTRY"] = frame["domestic"]
    frame["ln_DIST_INTRA"] = frame["ln_DIST"] * frame["SMCTRY"]
    frame["intra_pair"] = frame["exporter"].where(frame["domestic"] == 1, "international")
    return frame


DISTANCE_MODELS = {
    # name: (estimator, extra regressors, extra fixed effects, international flows only)
    "OLS": ("feols", "", "", True),
    "PPML": ("fepois", "", "", True),
    "PPML + intra-national distance": ("fepois", " + ln_DIST_INTRA", "", False),
    "PPML + home bias": ("fepois", " + ln_DIST_INTRA + SMCTRY", "", False),
    "PPML + country-specific home FE": ("fepois", "", " + intra_pair", False),
}


def distance_formula(years: Sequence[int], extra: str = "", extra_fe: str = "", lhs="trade") -> str:
    """The year-specific distance formula, ``<lhs> ~ ln_DIST_1986 + ... + CLNY<extra> | FE``."""
    distances = " + ".join(f"ln_DIST_{year}" for year in years)
    return f"{lhs} ~ {distances} + CNTG + LANG + CLNY{extra} | {MULTILATERAL_FE}{extra_fe}"


def distance_puzzle_models(sample: pd.DataFrame) -> dict:
    """The Guide's five distance-puzzle regressions on *sample* (with domestic flows)."""
    data = add_year_distances(sample)
    years = sorted(data["year"].unique())
    models = {}
    for name, (estimator, extra, extra_fe, intl_only) in DISTANCE_MODELS.items():
        lhs = "ln_trade" if estimator == "feols" else "trade"
        rows = international(data) if intl_only else data
        models[name] = fit(estimator, distance_formula(years, extra, extra_fe, lhs), rows)
    return models


@dataclass(frozen=True)
class Change:
    """A nonlinear function of coefficients with its delta-method standard error."""

    estimate: float
    se: float

    @property
    def p_value(self) -> float:
        """Two-sided p-value against zero (normal approximation, as Stata's ``nlcom``)."""
        return float(2 * stats.norm.sf(abs(self.estimate / self.se)))


def covariance(model) -> pd.DataFrame:
    """The (clustered) covariance matrix of *model*'s coefficients, labelled by term."""
    terms = model.coef().index
    return pd.DataFrame(model._vcov, index=terms, columns=terms)


def pct_change_between(model, first: str, last: str) -> Change:
    """100 (b_last - b_first) / b_first with its delta-method standard error."""
    b = model.coef()
    vcov = covariance(model)
    b0, b1 = float(b[first]), float(b[last])
    gradient = np.array([-100 * b1 / b0**2, 100 / b0])
    cov = vcov.loc[[first, last], [first, last]].to_numpy()
    return Change(100 * (b1 - b0) / b0, float(np.sqrt(gradient @ cov @ gradient)))


def distance_elasticities(models: dict) -> pd.DataFrame:
    """Year-specific distance elasticities of each model: model, year, coef, se."""
    table = coefficient_table(models, list(next(iter(models.values())).coef().index))
    table = table[table["term"].str.match(r"ln_DIST_\d{4}$")].copy()
    table["year"] = table["term"].str[-4:].astype(int)
    return table[["model", "year", "coef", "se", "N"]].reset_index(drop=True)


# --- the effects of regional trade agreements --------------------------------------------------


def add_rta_timing(sample: pd.DataFrame, panel: pd.DataFrame, lags=(4, 8, 12), leads=(4,)):
    """Add ``RTA_LAG<k>`` and ``RTA_LEAD<k>``: the pair's RTA status k years earlier or later.

    Read from the annual *panel*. A year outside the panel (before its first or after its last
    year) takes the status of the nearest year the panel has: a lead in 2006 assumes the pair's
    status of 2006 still held four years later (in the Guide's panel every pair's status is 0
    until 1989, so lags assume nothing). The Guide's own lead and lag variables came with its
    dataset and code differently (:func:`add_guide_timing`); the chapter reports both.
    """
    status = validate_panel(
        panel, columns=["exporter", "importer", "pair_id", "year", "trade", "RTA"]
    )
    status = status.set_index(["exporter", "importer", "year"])["RTA"]
    first, last = (
        status.index.get_level_values("year").min(),
        status.index.get_level_values("year").max(),
    )
    frame = sample.copy()
    shifts = {f"RTA_LAG{k}": -k for k in lags} | {f"RTA_LEAD{k}": k for k in leads}
    for name, shift in shifts.items():
        when = (frame["year"] + shift).clip(first, last)
        keys = pd.MultiIndex.from_arrays([frame["exporter"], frame["importer"], when])
        frame[name] = status.reindex(keys).to_numpy()
        if frame[name].isna().any():
            raise PanelError(
                f"{name}: the annual panel lacks some pair-years: "
                f"{_rows(frame, frame[name].isna())}"
            )
        frame[name] = frame[name].astype("int64")
    return frame


GUIDE_TIMING = {
    "rta_lead4": "RTA_LEAD4",
    "rta_lag4": "RTA_LAG4",
    "rta_lag8": "RTA_LAG8",
    "rta_lag12": "RTA_LAG12",
}


def add_guide_timing(sample: pd.DataFrame, timing: pd.DataFrame) -> pd.DataFrame:
    """Add the Guide's own ``RTA_LEAD4``, ``RTA_LAG4``, ``RTA_LAG8`` and ``RTA_LAG12``.

    *timing* is the resource ``agtpa_rta_timing`` (the variables the Guide's dataset came with,
    one row per exporter, importer and year). They are not leads and lags of the panel's ``RTA``
    column: the Guide codes the status of 2010 for the lead in 2006, and its lags switch on for
    some agreements that ``RTA`` never records. Raises :class:`PanelError` naming the rows of
    *sample* that *timing* lacks.
    """
    key = ["exporter", "importer", "year"]
    columns = timing[key + list(GUIDE_TIMING)].astype({"exporter": str, "importer": str})
    columns = columns.astype({"year": "int64"}).rename(columns=GUIDE_TIMING)
    frame = sample.drop(columns=list(GUIDE_TIMING.values()), errors="ignore")
    frame = frame.merge(columns, on=key, how="left", validate="one_to_one")
    lacking = frame[list(GUIDE_TIMING.values())].isna().any(axis=1)
    if lacking.any():
        raise PanelError(f"the Guide's timing variables lack rows: {_rows(frame, lacking)}")
    return frame.astype(dict.fromkeys(GUIDE_TIMING.values(), "int64"))


def add_border_dummies(sample: pd.DataFrame) -> pd.DataFrame:
    """Add ``INTL_BRDR_<year>`` (1 on international flows of that year) for every year but the last,
    which is the reference: the dummies trace how crossing any border got cheaper over time."""
    frame = sample.copy()
    for year in sorted(frame["year"].unique())[:-1]:
        frame[f"INTL_BRDR_{year}"] = ((frame["year"] == year) & (frame["domestic"] == 0)).astype(
            "int64"
        )
    return frame


PAIR_FE = f"{MULTILATERAL_FE} + pair_id"


def rta_formulas(years: Sequence[int]) -> dict[str, tuple[str, str, bool]]:
    """The Guide's RTA specifications: name -> (estimator, formula, international flows only)."""
    lags = "RTA + RTA_LAG4 + RTA_LAG8 + RTA_LAG12"
    borders = " + ".join(f"INTL_BRDR_{year}" for year in sorted(years)[:-1])
    return {
        "OLS": (
            "feols",
            f"ln_trade ~ ln_DIST + CNTG + LANG + CLNY + RTA | {MULTILATERAL_FE}",
            True,
        ),
        "PPML": ("fepois", f"trade ~ ln_DIST + CNTG + LANG + CLNY + RTA | {MULTILATERAL_FE}", True),
        "Domestic flows": (
            "fepois",
            f"trade ~ ln_DIST + CNTG + LANG + CLNY + RTA | {MULTILATERAL_FE} + intra_pair",
            False,
        ),
        "Pair FE": ("fepois", f"trade ~ RTA | {PAIR_FE}", False),
        "Lead": ("fepois", f"trade ~ RTA + RTA_LEAD4 | {PAIR_FE}", False),
        "Lags": ("fepois", f"trade ~ {lags} | {PAIR_FE}", False),
        "Globalisation": ("fepois", f"trade ~ {lags} + {borders} | {PAIR_FE}", False),
    }


def rta_models(
    sample: pd.DataFrame, panel: pd.DataFrame, timing: pd.DataFrame | None = None
) -> dict:
    """The Guide's seven RTA regressions on *sample* (its columns 1 to 7).

    The leads and lags are built from the annual *panel*'s ``RTA`` (:func:`add_rta_timing`), or,
    given *timing* (the resource ``agtpa_rta_timing``), are the Guide's own
    (:func:`add_guide_timing`), which reproduce its published lead and lag rows. Column 3,
    "Domestic flows", adds domestic flows with one fixed effect per country's domestic trade
    (``intra_pair``) but no pair fixed effects.
    """
    timed = add_rta_timing(sample, panel) if timing is None else add_guide_timing(sample, timing)
    data = add_border_dummies(timed)
    data["intra_pair"] = data["exporter"].where(data["domestic"] == 1, "international")
    years = sorted(data["year"].unique())
    return {
        name: fit(estimator, formula, international(data) if intl_only else data)
        for name, (estimator, formula, intl_only) in rta_formulas(years).items()
    }


def linear_combination(
    model, terms: Sequence[str], weights: Sequence[float] | None = None
) -> Change:
    """Weighted sum of the coefficients of *terms* (all weights 1 unless given) with its standard
    error (Stata's ``lincom``)."""
    terms = list(terms)
    w = np.ones(len(terms)) if weights is None else np.asarray(weights, dtype=float)
    b = model.coef()[terms].to_numpy()
    vcov = covariance(model).loc[terms, terms].to_numpy()
    return Change(float(w @ b), float(np.sqrt(w @ vcov @ w)))


def dummy_effect_pct(coefficient: float, se: float) -> Change:
    """A dummy's effect on trade, 100 (exp(b) - 1) percent, with its delta-method s.e."""
    return Change(100 * np.expm1(coefficient), 100 * np.exp(coefficient) * se)


def tariff_equivalent_pct(coefficient: float, se: float, sigma: float) -> Change:
    """The ad-valorem tariff cut equivalent to a dummy's effect, with its delta-method s.e.

    Trade falls with costs as tau^(1-sigma), so a dummy that multiplies trade by exp(b) lowers
    trade costs by the factor exp(-b/(sigma-1)): the same as removing a tariff of
    100 (exp(b/(sigma-1)) - 1) percent.
    """
    scale = 1 / (sigma - 1)
    value = 100 * np.expm1(coefficient * scale)
    return Change(float(value), float(100 * np.exp(coefficient * scale) * scale * se))


def home_premium(model, ln_distance: float, year: int) -> Change:
    """Log premium of buying at home over abroad at the same distance *ln_distance*, in *year*.

    In the distance-puzzle model with ``ln_DIST_INTRA`` and ``SMCTRY``, a domestic flow over
    distance d has the log term SMCTRY + b_intra ln d, an international one b_year ln d; the
    premium is SMCTRY + (b_intra - b_year) ln d, with its delta-method (here exact, linear)
    standard error from the clustered covariance. At ln d = 0 it is the SMCTRY coefficient alone.
    """
    terms = ["SMCTRY", "ln_DIST_INTRA", f"ln_DIST_{year}"]
    return linear_combination(model, terms, weights=[1.0, ln_distance, -ln_distance])


def coefficient_correlation(model, first: str, second: str) -> float:
    """Correlation of two estimated coefficients of *model* (from its clustered covariance)."""
    vcov = covariance(model)
    scale = np.sqrt(vcov.loc[first, first] * vcov.loc[second, second])
    return float(vcov.loc[first, second] / scale)


@dataclass(frozen=True)
class Jackknife:
    """Split-panel jackknife of one coefficient: estimate, half-sample mean and corrected value."""

    estimate: float
    half_mean: float
    corrected: float
    halves: tuple[float, ...]

    @property
    def bias(self) -> float:
        """Estimated incidental-parameter bias, estimate - corrected."""
        return self.estimate - self.corrected


def split_panel_jackknife(
    data: pd.DataFrame,
    formula: str,
    term: str,
    splits: int = 1,
    seed: int = 0,
    estimate: float | None = None,
) -> Jackknife:
    """Weidner and Zylkin's (2021) split-panel jackknife for a three-way PPML coefficient.

    With exporter-year, importer-year and pair fixed effects, PPML is biased by order 1/N (N
    countries), because each exporter-year and importer-year effect is estimated from N flows.
    Splitting the exporters in two random halves and the importers in two, and estimating on each
    of the four exporter-half x importer-half subsamples, doubles that bias; so
    2 b - mean(b_subsamples) removes it to first order. With *splits* > 1 the subsample mean is
    averaged over several random splits. The splits come from ``numpy.random.default_rng(seed)``,
    so the result is the same on every run. *estimate*, if given, is the full-sample coefficient
    already fitted (saves one regression).
    """
    estimator = "fepois"
    full = float(fit(estimator, formula, data).coef()[term]) if estimate is None else estimate
    exporters = np.array(sorted(data["exporter"].unique()))
    importers = np.array(sorted(data["importer"].unique()))
    rng = np.random.default_rng(seed)
    halves = []
    for _ in range(splits):
        exp_half = set(rng.permutation(exporters)[: len(exporters) // 2])
        imp_half = set(rng.permutation(importers)[: len(importers) // 2])
        in_exp = data["exporter"].isin(exp_half)
        in_imp = data["importer"].isin(imp_half)
        for rows in (in_exp & in_imp, in_exp & ~in_imp, ~in_exp & in_imp, ~in_exp & ~in_imp):
            halves.append(float(fit(estimator, formula, data[rows]).coef()[term]))
    half_mean = float(np.mean(halves))
    return Jackknife(full, half_mean, 2 * full - half_mean, tuple(halves))


# --- a panel from UN Comtrade ------------------------------------------------------------------


def panel_from_comtrade(
    pull: pd.DataFrame,
    gravity: pd.DataFrame,
    rta: pd.DataFrame,
    chapters: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Turn a Comtrade pull (``cjbook.refresh.fetch_comtrade_cultural``) into a gravity panel.

    Each directed flow exporter -> importer is the importer's reported imports (``flow == "M"``)
    where the pull has them, else the exporter's reported exports (``"X"``): the usual mirror
    rule, since customs record imports more carefully. Values are summed over the HS chapters
    in *chapters* (default: all in the pull). *gravity* gives DIST, CNTG, LANG, CLNY per
    exporter-importer pair and *rta* gives RTA per exporter, importer and year; a flow without
    them raises :class:`PanelError` naming the pairs. The pull has no domestic flows, so only
    the international-flow models run on the result.
    """
    rows = pull if chapters is None else pull[pull["hs_chapter"].isin(chapters)]
    imports = rows[rows["flow"] == "M"].rename(
        columns={"partner_iso3": "exporter", "reporter_iso3": "importer"}
    )
    exports = rows[rows["flow"] == "X"].rename(
        columns={"reporter_iso3": "exporter", "partner_iso3": "importer"}
    )
    key = ["exporter", "importer", "year"]
    totals = [
        part.groupby(key, as_index=False)["trade_value_usd"].sum() for part in (imports, exports)
    ]
    reported_by_importer = totals[0].set_index(key).index
    mirrored = totals[1][~totals[1].set_index(key).index.isin(reported_by_importer)]
    flows = pd.concat([totals[0], mirrored]).rename(columns={"trade_value_usd": "trade"})
    flows["exporter"], flows["importer"] = (
        flows["exporter"].astype(str),
        flows["importer"].astype(str),
    )
    panel = flows.merge(gravity, on=["exporter", "importer"], how="left").merge(
        rta, on=key, how="left"
    )
    lacking = panel[GRAVITY_COLUMNS].isna().any(axis=1)
    if lacking.any():
        raise PanelError(f"no gravity variables or RTA status for: {_rows(panel, lacking)}")
    pairs = panel[["exporter", "importer"]].apply(sorted, axis=1, result_type="expand")
    panel["pair_id"] = pd.factorize(pairs[0] + "_" + pairs[1])[0] + 1
    ordered = panel[PANEL_COLUMNS + GRAVITY_COLUMNS].sort_values(key).reset_index(drop=True)
    return validate_panel(ordered)
