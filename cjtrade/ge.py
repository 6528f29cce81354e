"""General-equilibrium counterfactuals with structural gravity (GEPPML).

The method is that of Anderson, Larch and Yotov (2018) as taught in Chapter 2 of Yotov,
Piermartini, Monteiro and Larch (2016), *An Advanced Guide to Trade Policy Analysis* (the Guide):

1. **Trade costs.** PPML on a panel with exporter-year, importer-year and pair fixed effects and a
   policy dummy (``RTA``) gives the policy effect and, from the pair fixed effects, the level of
   every pair's trade costs; pairs that never trade get costs predicted from distance, contiguity,
   language and colony (the Guide's two-stage procedure, Anderson and Yotov 2016).
2. **Baseline and conditional scenarios.** PPML of trade on exporter and importer fixed effects
   with the trade costs as an offset. Its first-order conditions say that fitted row and column
   sums equal observed output and expenditure, so the fit is the biproportional (RAS) scaling
   of the cost matrix to those margins: :func:`solve_biproportional` computes it exactly in
   milliseconds instead of running a regression.
3. **Full-endowment scenario.** Factory-gate prices, output and expenditure adjust.
   :func:`solve_full_guide` repeats the Guide's own loop and stopping rule (successive price
   changes differ by less than 0.01); :func:`solve_full` solves the same equilibrium to
   convergence by a damped fixed point on factory-gate prices and raises
   :class:`ConvergenceError` when it does not converge.

Functions take any exporter–importer–year panel with the columns of the book's
``agtpa_manufacturing_panel`` resource (``exporter, importer, pair_id, year, trade, DIST, CNTG,
LANG, CLNY, RTA``), domestic flows (``exporter == importer``) included.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd
import pyfixest as pf

from cjtrade.structural import CLUSTER, GUIDE_SSC, GUIDE_YEARS, PanelError, validate_panel

SIGMA = 7.0
REFERENCE = "DEU"
GUIDE_TOLERANCE = 0.01
GRAVITY_VARIABLES = ("ln_DIST", "CNTG", "LANG", "CLNY")


class ConvergenceError(RuntimeError):
    """An iterative solver stopped before meeting its convergence criterion."""


def check_panel(panel: pd.DataFrame, years: tuple[int, ...]) -> pd.DataFrame:
    """Return a clean copy of *panel*, or raise :class:`~cjtrade.structural.PanelError`.

    On top of the book's panel rules (:func:`cjtrade.structural.validate_panel`: columns,
    years, duplicates, negative trade, a domestic flow for every country and year), the GE
    step needs every exporter–importer pair in every year, since it works on square matrices.
    """
    frame = validate_panel(panel, years, require_domestic=True)
    frame = frame[frame["year"].isin(years)]
    countries = set(frame["exporter"]) | set(frame["importer"])
    counts = frame.groupby("year").size()
    short = counts[counts != len(countries) ** 2]
    if not short.empty:
        raise PanelError(
            f"year(s) {short.index.tolist()} lack some exporter-importer pairs: "
            f"{short.tolist()} rows instead of {len(countries)}² = {len(countries) ** 2}"
        )
    return frame


def _prepare(panel: pd.DataFrame, years: tuple[int, ...]) -> pd.DataFrame:
    """Keep *years*, type the columns and add the fixed-effect identifiers of the Guide.

    International pairs keep their (symmetric) ``pair_id``; all domestic flows share one pair
    category, ``"domestic"``, whose effect is the normalisation (trade costs at home = 1).
    """
    frame = check_panel(panel, years).copy()
    frame["ln_DIST"] = np.log(frame["DIST"].astype(float))
    frame["exp_year"] = frame["exporter"] + "_" + frame["year"].astype(str)
    frame["imp_year"] = frame["importer"] + "_" + frame["year"].astype(str)
    domestic = frame["exporter"] == frame["importer"]
    frame["pair"] = np.where(domestic, "domestic", frame["pair_id"].astype(str))
    return frame.reset_index(drop=True)


@dataclass(frozen=True)
class CostEstimates:
    """Stage 1 of the Guide's trade-cost estimation: the policy effect and the pair effects.

    ``pair_effects`` maps a pair category to its estimated fixed effect relative to domestic
    flows (so domestic trade costs are exp(0) = 1); pairs that never trade are absent.
    """

    data: pd.DataFrame
    policy: str
    coef: float
    se: float
    n_obs: int
    n_dropped: int
    pair_effects: pd.Series

    def interval(self, level: float = 0.95) -> tuple[float, float]:
        """Normal-approximation confidence interval for the policy coefficient."""
        from scipy import stats

        z = stats.norm.ppf(0.5 + level / 2)
        return self.coef - z * self.se, self.coef + z * self.se


def estimate_costs(
    panel: pd.DataFrame, years: tuple[int, ...] = GUIDE_YEARS, policy: str = "RTA"
) -> CostEstimates:
    """PPML of trade on *policy* with exporter-year, importer-year and pair fixed effects.

    The Guide's Stage 1: pairs with no trade in any year are separated (pyfixest drops them and
    they get predicted costs in :func:`baseline_world`). Standard errors are clustered by pair.
    """
    frame = _prepare(panel, years)
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*separation.*")
        fit = pf.fepois(
            f"trade ~ {policy} | exp_year + imp_year + pair",
            data=frame,
            vcov=CLUSTER,
            ssc=GUIDE_SSC,
        )
    pairs = _pair_effects(fit, frame)
    return CostEstimates(
        data=frame,
        policy=policy,
        coef=float(fit.coef()[policy]),
        se=float(fit.se()[policy]),
        n_obs=int(fit._N),
        n_dropped=len(frame) - int(fit._N),
        pair_effects=pairs,
    )


def _pair_effects(fit, frame: pd.DataFrame) -> pd.Series:
    """Pair fixed effects relative to domestic flows, recovered from a fitted pyfixest PPML.

    ``fixef()`` returns the effects of a dummy coding in which the first level of the second
    and third factors is the reference (effect 0, absent from its dictionary); the reference
    level is put back, and the effects are checked to rebuild the model's linear predictor.
    """
    effects = fit.fixef(atol=1e-12, btol=1e-12)
    sample = frame.loc[fit._data.index] if len(fit._data) != len(frame) else frame
    levels = {name: sample[name].unique() for name in ("exp_year", "imp_year", "pair")}
    values = {
        name: pd.Series(effects[f"C({name})"], dtype=float).reindex(levels[name], fill_value=0.0)
        for name in levels
    }
    eta = sum(values[name].reindex(sample[name]).to_numpy() for name in levels)
    eta = eta + fit.coef().to_numpy() @ sample[list(fit.coef().index)].to_numpy().T
    error = float(np.max(np.abs(eta - np.asarray(fit._Y_hat_link).ravel())))
    if error > 1e-6:
        raise ConvergenceError(f"fixed effects rebuild the linear predictor only to {error:.2g}")
    pairs = values["pair"]
    return pairs - pairs["domestic"]


@dataclass(frozen=True)
class World:
    """One year's world: observed flows and the trade-cost matrices of the GE analysis.

    ``trade[i, j]`` is the flow from ``countries[i]`` to ``countries[j]``; ``cost_bar`` holds
    the pair costs without the policy (the Guide's t̄_ij, already raised to 1 − σ), and
    ``policy`` the policy dummy, so that baseline costs are ``cost_bar * exp(coef * policy)``.
    """

    countries: tuple[str, ...]
    year: int
    trade: np.ndarray
    cost_bar: np.ndarray
    policy: np.ndarray
    coef: float
    reference: str = REFERENCE
    stage2: pd.Series | None = None

    @property
    def output(self) -> np.ndarray:
        """Value of output Y_i: the row sums of observed trade (domestic sales included)."""
        return self.trade.sum(axis=1)

    @property
    def expenditure(self) -> np.ndarray:
        """Value of expenditure E_j: the column sums of observed trade."""
        return self.trade.sum(axis=0)

    @property
    def ref(self) -> int:
        """Position of the reference country, whose importer fixed effect is normalised to 1."""
        if self.reference not in self.countries:
            raise PanelError(f"reference country {self.reference!r} is not in the panel")
        return self.countries.index(self.reference)

    def costs(self, policy: np.ndarray | None = None, coef: float | None = None) -> np.ndarray:
        """Trade costs t̄_ij · exp(coef · policy_ij): baseline by default, or a counterfactual."""
        policy = self.policy if policy is None else policy
        coef = self.coef if coef is None else coef
        return self.cost_bar * np.exp(coef * policy)

    def policy_with(self, members: list[str], value: float = 1.0) -> np.ndarray:
        """The policy matrix with every pair of distinct *members* set to *value*."""
        unknown = sorted(set(members) - set(self.countries))
        if unknown:
            raise PanelError(f"countries not in the panel: {unknown}")
        index = [self.countries.index(c) for c in members]
        policy = self.policy.copy()
        for i in index:
            for j in index:
                if i != j:
                    policy[i, j] = value
        return policy

    def index(self, country: str) -> int:
        """Position of *country* in the matrices."""
        return self.countries.index(country)


def _square(frame: pd.DataFrame, column: str, countries: list[str]) -> np.ndarray:
    """Pivot a long exporter–importer column into an N×N matrix in the order of *countries*."""
    wide = frame.pivot(index="exporter", columns="importer", values=column)
    return wide.reindex(index=countries, columns=countries).to_numpy(dtype=float)


def baseline_world(estimates: CostEstimates, year: int, reference: str = REFERENCE) -> World:
    """The world of *year* with a complete trade-cost matrix (the Guide's Stage 2).

    Pair costs come from the Stage-1 pair effects; pairs without one (never traded) get the
    prediction of a PPML of the known costs on log distance, contiguity, language and colony
    with exporter and importer fixed effects, estimated on *year*'s international pairs.
    """
    frame = estimates.data[estimates.data["year"] == year].copy()
    if frame.empty:
        raise PanelError(f"year {year} is not among the estimation years")
    frame["t_bar"] = np.exp(frame["pair"].map(estimates.pair_effects))
    international = frame[frame["exporter"] != frame["importer"]]
    known = international.dropna(subset=["t_bar"])
    formula = "t_bar ~ " + " + ".join(GRAVITY_VARIABLES) + " | exporter + importer"
    fit = pf.fepois(formula, data=known, vcov=CLUSTER)
    missing = frame["t_bar"].isna()
    if missing.any():
        frame.loc[missing, "t_bar"] = np.asarray(
            fit.predict(newdata=frame.loc[missing], type="response")
        )
    countries = sorted(set(frame["exporter"]))
    return World(
        countries=tuple(countries),
        year=year,
        trade=_square(frame, "trade", countries),
        cost_bar=_square(frame, "t_bar", countries),
        policy=_square(frame, estimates.policy, countries),
        coef=estimates.coef,
        reference=reference,
        stage2=fit.coef(),
    )


def solve_biproportional(
    costs: np.ndarray,
    output: np.ndarray,
    expenditure: np.ndarray,
    ref: int,
    tol: float = 1e-12,
    max_iter: int = 10_000,
) -> tuple[np.ndarray, np.ndarray]:
    """Exporter and importer effects (A, B) with A_i B_j t_ij summing to *output* and *expenditure*.

    These are exp() of the fixed effects of the PPML ``X_ij ~ exporter + importer`` with offset
    ln t_ij, because that PPML's first-order conditions are exactly these row and column sums.
    The importer effect of position *ref* is normalised to 1 (the Guide's reference country).
    Raises ConvergenceError if the largest relative error in the margins stays above *tol*.
    """
    output, expenditure = np.asarray(output, float), np.asarray(expenditure, float)
    if not np.isclose(output.sum(), expenditure.sum(), rtol=1e-9):
        raise ValueError(
            f"total output {output.sum():.6g} differs from total expenditure "
            f"{expenditure.sum():.6g}: no matrix has these margins"
        )
    importer = np.ones_like(expenditure)
    for _ in range(max_iter):
        exporter = output / (costs @ importer)
        importer = expenditure / (costs.T @ exporter)
        rows = exporter * (costs @ importer)
        if np.max(np.abs(rows / output - 1)) < tol:
            scale = importer[ref]
            return exporter * scale, importer / scale
    raise ConvergenceError(
        f"biproportional scaling did not reach relative error {tol:g} in {max_iter} iterations"
    )


@dataclass(frozen=True)
class Equilibrium:
    """A solved scenario: fixed effects, margins and the indexes the Guide reports.

    ``price`` is the change in factory-gate prices relative to the baseline (1 in the
    baseline and conditional scenarios); ``iterations`` counts the full-endowment updates;
    ``expenditure_scale`` is the common factor applied to expenditure in :func:`solve_full`.
    """

    costs: np.ndarray
    exporter_fe: np.ndarray
    importer_fe: np.ndarray
    output: np.ndarray
    expenditure: np.ndarray
    expenditure_ref: float
    price: np.ndarray
    iterations: int = 0
    expenditure_scale: float = 1.0

    @property
    def flows(self) -> np.ndarray:
        """Fitted bilateral flows A_i B_j t_ij."""
        return self.exporter_fe[:, None] * self.importer_fe[None, :] * self.costs

    @property
    def omr(self) -> np.ndarray:
        """Outward multilateral resistance Π_i^{1−σ} = Y_i E_R / exp(π_i)."""
        return self.output * self.expenditure_ref / self.exporter_fe

    @property
    def imr(self) -> np.ndarray:
        """Inward multilateral resistance P_j^{1−σ} = E_j / (exp(χ_j) E_R)."""
        return self.expenditure / (self.importer_fe * self.expenditure_ref)

    @property
    def exports(self) -> np.ndarray:
        """Each country's total exports: fitted flows to other countries."""
        flows = self.flows
        return flows.sum(axis=1) - np.diag(flows)


def solve_fixed(world: World, costs: np.ndarray) -> Equilibrium:
    """Baseline or conditional scenario: output and expenditure fixed at their observed values."""
    output, expenditure = world.output, world.expenditure
    exporter, importer = solve_biproportional(costs, output, expenditure, world.ref)
    return Equilibrium(
        costs=costs,
        exporter_fe=exporter,
        importer_fe=importer,
        output=output,
        expenditure=expenditure,
        expenditure_ref=float(expenditure[world.ref]),
        price=np.ones_like(output),
    )


def _price_change(exporter_new, exporter_old, eref_new, eref_old, sigma) -> np.ndarray:
    """Factory-gate price change implied by exporter effects: ((A'/A)/(E_R'/E_R))^(1/(1−σ))."""
    return ((exporter_new / exporter_old) / (eref_new / eref_old)) ** (1 / (1 - sigma))


@dataclass(frozen=True)
class GuideLoop:
    """The Guide's full-endowment loop: its result and the stopping statistics by iteration."""

    equilibrium: Equilibrium
    history: pd.DataFrame


def solve_full_guide(
    world: World,
    baseline: Equilibrium,
    conditional: Equilibrium,
    sigma: float = SIGMA,
    tol: float | None = GUIDE_TOLERANCE,
    iterations: int | None = None,
) -> GuideLoop:
    """The Guide's full-endowment loop, step by step (its do-file, Step III.b).

    Each pass rescales the latest fitted flows by the latest changes in factory-gate prices
    and multilateral resistances, refits the constrained PPML (biproportional scaling here),
    updates output, expenditure (E = φY) and prices, and compares the latest two price
    changes. With *tol* it stops as the Guide does, once both the standard deviation and the
    absolute value of the maximum of that difference (over all exporter–importer rows) are
    at most *tol*; with ``tol=None`` it runs exactly *iterations* passes, to show what
    continuing the same update does. The full-endowment indexes are then built from the last
    pass, as the Guide builds them.
    """
    if tol is None and iterations is None:
        raise ValueError("give a tolerance or a number of iterations")
    n = len(world.countries)
    costs, ref = conditional.costs, world.ref
    phi = world.expenditure / world.output
    prev_price = np.zeros(n)
    price = _price_change(conditional.exporter_fe, baseline.exporter_fe, 1.0, 1.0, sigma)
    state = conditional
    omr_change = imr_change = np.ones(n)
    history = []
    limit = iterations if tol is None else 1_000
    for step in range(1, limit + 1):
        scaled = (
            state.flows
            * price[:, None]
            * price[None, :]
            / (omr_change[:, None] * imr_change[None, :])
        )
        exporter, importer = solve_biproportional(
            costs, scaled.sum(axis=1), scaled.sum(axis=0), ref
        )
        fitted = exporter[:, None] * importer[None, :] * costs
        output = fitted.sum(axis=1)
        expenditure = phi * output
        new = Equilibrium(
            costs=costs,
            exporter_fe=exporter,
            importer_fe=importer,
            output=output,
            expenditure=expenditure,
            expenditure_ref=float(expenditure[ref]),
            price=price,
            iterations=step,
        )
        new_price = _price_change(
            new.exporter_fe, state.exporter_fe, new.expenditure_ref, state.expenditure_ref, sigma
        )
        omr_change, imr_change = new.omr / state.omr, new.imr / state.imr
        difference = np.repeat(price - prev_price, n)
        sd, top = float(difference.std(ddof=1)), abs(float(difference.max()))
        history.append(
            {"iteration": step, "sd": sd, "max": top, "max_abs": float(np.abs(difference).max())}
        )
        prev_price, price, state = price, new_price, new
        if tol is not None and sd <= tol and top <= tol:
            break
    else:
        if tol is not None:
            raise ConvergenceError(f"the Guide's loop did not meet its rule in {limit} passes")
    full_price = _price_change(
        state.exporter_fe,
        baseline.exporter_fe,
        state.expenditure_ref,
        baseline.expenditure_ref,
        sigma,
    )
    output = full_price * world.output
    result = replace(state, output=output, price=full_price)
    return GuideLoop(equilibrium=result, history=pd.DataFrame(history).set_index("iteration"))


def guide_exports(world: World, loop: Equilibrium) -> np.ndarray:
    """Exports in the Guide's full scenario: X = Y E t / (IMR · OMR) with E = φ · Y_FULL.

    The Guide builds full-endowment flows from the final output (``Y_FULL``) and its
    expenditure ``φ Y_FULL``, but with the loop's last multilateral resistances.
    """
    phi = world.expenditure / world.output
    omr = loop.output * loop.expenditure_ref / loop.exporter_fe
    flows = (
        loop.output[:, None]
        * (phi * loop.output)[None, :]
        * loop.costs
        / (omr[:, None] * loop.imr[None, :])
    )
    return flows.sum(axis=1) - np.diag(flows)


def solve_full(
    world: World,
    baseline: Equilibrium,
    costs: np.ndarray,
    sigma: float = SIGMA,
    damping: float = 0.5,
    tol: float = 1e-10,
    max_iter: int = 2_000,
    start: np.ndarray | None = None,
) -> Equilibrium:
    """Full-endowment equilibrium by a damped fixed point on factory-gate prices.

    For price changes p̂: output is p̂_i Y_i; expenditure is φ_j p̂_j Y_j with the Guide's fixed
    ratios φ = E/Y, scaled by one common factor so that world expenditure equals world output
    (once relative prices change, fixed ratios alone cannot keep the world's deficits summing to
    zero; the factor is returned as ``expenditure_scale``); the constrained PPML
    (biproportional scaling) gives exporter effects A', and prices must equal
    ((A'/A)/(E_R'/E_R))^(1/(1−σ)). Each step moves log prices a fraction *damping* of the way
    to that value. Raises ConvergenceError if the largest change in log prices is still above
    *tol* after *max_iter* steps. *start* (price changes) is the first guess, 1 for every
    country by default; a nearby solution saves steps when many similar scenarios are solved.
    """
    if not 0 < damping <= 1:
        raise ValueError(f"damping must be in (0, 1], got {damping}")
    phi = world.expenditure / world.output
    ref = world.ref
    log_price = np.zeros(len(world.countries)) if start is None else np.log(start)
    for step in range(1, max_iter + 1):
        output = np.exp(log_price) * world.output
        scale = output.sum() / (phi * output).sum()
        expenditure = scale * phi * output
        exporter, importer = solve_biproportional(costs, output, expenditure, ref)
        target = np.log(
            _price_change(
                exporter, baseline.exporter_fe, expenditure[ref], baseline.expenditure_ref, sigma
            )
        )
        gap = float(np.max(np.abs(target - log_price)))
        if not np.isfinite(gap):
            break
        if gap < tol:
            return Equilibrium(
                costs=costs,
                exporter_fe=exporter,
                importer_fe=importer,
                output=output,
                expenditure=expenditure,
                expenditure_ref=float(expenditure[ref]),
                price=np.exp(target),
                iterations=step,
                expenditure_scale=float(scale),
            )
        log_price = log_price + damping * (target - log_price)
    raise ConvergenceError(
        f"full-endowment prices did not converge: largest log-price change {gap:.3g} > {tol:g} "
        f"after {step} steps (damping {damping}); try a smaller damping"
    )


def guide_table(
    world: World,
    baseline: Equilibrium,
    conditional: Equilibrium,
    full: Equilibrium,
    full_exports: np.ndarray,
    sigma: float = SIGMA,
) -> pd.DataFrame:
    """The Guide's Step IV indexes for a policy that the counterfactual *removes*.

    Percent changes from the counterfactual to the baseline (the effect of the policy that
    exists), with the Guide's own formulas: exports (conditional and full), the factory-gate
    price as (1 − p̂)·100, outward and inward multilateral resistances as changes in Π and P,
    and real GDP Y/P.
    """

    def index(bln, cfl):
        return (bln ** (1 / (1 - sigma)) / cfl ** (1 / (1 - sigma)) - 1) * 100

    real_bln = baseline.output / baseline.imr ** (1 / (1 - sigma))
    real_full = full.output / full.imr ** (1 / (1 - sigma))
    return pd.DataFrame(
        {
            "exports_conditional": (baseline.exports / conditional.exports - 1) * 100,
            "exports_full": (baseline.exports / full_exports - 1) * 100,
            "real_gdp_full": (real_bln / real_full - 1) * 100,
            "imr_full": index(baseline.imr, full.imr),
            "omr_full": index(baseline.omr, full.omr),
            "imr_conditional": index(baseline.imr, conditional.imr),
            "omr_conditional": index(baseline.omr, conditional.omr),
            "price_full": (1 - full.price) * 100,
            "output": world.output,
        },
        index=pd.Index(world.countries, name="country"),
    )


def effects(
    world: World, before: Equilibrium, after: Equilibrium, sigma: float = SIGMA
) -> pd.DataFrame:
    """Percent changes from *before* to *after* for every country, exact (not first-order).

    Exports, factory-gate price, output, inward and outward multilateral resistances (as P and
    Π), real GDP Y/P, and welfare by the domestic-trade-share formula of Arkolakis, Costinot
    and Rodríguez-Clare (2012), λ̂_jj^{1/(1−σ)}; with expenditure a fixed share of output the
    last two are the same number at a converged equilibrium.
    """

    def pct(new, old):
        return (new / old - 1) * 100

    def root(x):
        return x ** (1 / (1 - sigma))

    own_share = np.diag(after.flows) / after.expenditure
    own_share_before = np.diag(before.flows) / before.expenditure
    return pd.DataFrame(
        {
            "exports": pct(after.exports, before.exports),
            "price": pct(after.price, before.price),
            "output": pct(after.output, before.output),
            "imr": pct(root(after.imr), root(before.imr)),
            "omr": pct(root(after.omr), root(before.omr)),
            "real_gdp": pct(after.output / root(after.imr), before.output / root(before.imr)),
            "welfare": pct(root(own_share), root(own_share_before)),
        },
        index=pd.Index(world.countries, name="country"),
    )


def bilateral_change(before: Equilibrium, after: Equilibrium, world: World, i: str, j: str):
    """Percent change in the flow from country *i* to country *j*."""
    a, b = world.index(i), world.index(j)
    return (after.flows[a, b] / before.flows[a, b] - 1) * 100


def new_partner_shares(world: World, policy: np.ndarray, members: list[str]) -> pd.DataFrame:
    """For each of *members*: its new preferential partners under *policy* and its trade with them.

    A new partner is a member with which the country has no agreement in the baseline (policy 0)
    and one under *policy*. ``expenditure_share`` is the share of the country's expenditure
    bought from its new partners, ``output_share`` the share of its output sold to them (observed
    baseline flows, %): the trade that the agreement makes cheaper.
    """
    rows = {}
    for country in members:
        i = world.index(country)
        new = [j for j in range(len(world.countries)) if policy[i, j] > world.policy[i, j]]
        rows[country] = {
            "new_partners": ", ".join(world.countries[j] for j in new),
            "n_new": len(new),
            "expenditure_share": 100 * world.trade[new, i].sum() / world.expenditure[i],
            "output_share": 100 * world.trade[i, new].sum() / world.output[i],
        }
    return pd.DataFrame.from_dict(rows, orient="index").rename_axis("country")


def decomposition(
    world: World,
    baseline: Equilibrium,
    conditional: Equilibrium,
    full: Equilibrium,
    sigma: float = SIGMA,
) -> pd.DataFrame:
    """The partial (direct), conditional and full-endowment effects of one cost change, %.

    *Partial* (the direct effect): each flow changes by the change in its trade cost alone,
    with multilateral resistances, prices, output and expenditure held, so exports change by
    sum_j X_ij t̂_ij / sum_j X_ij; real income does not move. *Conditional*: the multilateral
    resistances adjust (output and expenditure held). *Full endowment*: factory-gate prices,
    output and expenditure adjust as well. Real income is real manufacturing income Y/P.
    """
    ratio = conditional.costs / baseline.costs
    flows = baseline.flows
    off = ~np.eye(len(world.countries), dtype=bool)
    direct = (flows * ratio * off).sum(axis=1) / (flows * off).sum(axis=1)
    cond = effects(world, baseline, conditional, sigma)
    fully = effects(world, baseline, full, sigma)
    return pd.DataFrame(
        {
            "exports_partial": (direct - 1) * 100,
            "exports_conditional": cond["exports"],
            "exports_full": fully["exports"],
            "real_income_conditional": cond["real_gdp"],
            "real_income_full": fully["real_gdp"],
        },
        index=pd.Index(world.countries, name="country"),
    )


def conditional_by_hat_algebra(
    baseline: Equilibrium, costs: np.ndarray, ref: int
) -> tuple[np.ndarray, np.ndarray]:
    """Conditional-scenario flows and inward-resistance changes by exact hat algebra.

    An independent route to :func:`solve_fixed`: it uses only the baseline flows X_ij and the
    cost changes t̂_ij = t'_ij / t_ij, not the cost levels or the fixed effects. With output and
    expenditure held, X'_ij = X_ij t̂_ij / (Ω̂_i Φ̂_j), where Ω̂_i = Σ_j (X_ij/Y_i) t̂_ij / Φ̂_j and
    Φ̂_j = Σ_i (X_ij/E_j) t̂_ij / Ω̂_i; these 2N equations, with Φ̂ of the reference country
    set to 1, are solved by Newton's method (``scipy.optimize.root``). Returns the counterfactual
    flows and the change in each inward multilateral resistance P_j^{1-σ}, which is Φ̂_j.
    """
    from scipy import optimize

    flows = baseline.flows
    t_hat = costs / baseline.costs
    out_shares = flows / flows.sum(axis=1, keepdims=True)
    in_shares = flows / flows.sum(axis=0, keepdims=True)
    n = len(flows)

    def unpack(z):
        phi = np.exp(np.insert(z[n:], ref, 0.0))
        return np.exp(z[:n]), phi

    def residuals(z):
        omega, phi = unpack(z)
        outward = np.log((out_shares * t_hat / phi[None, :]).sum(axis=1)) - np.log(omega)
        inward = np.log((in_shares * t_hat / omega[:, None]).sum(axis=0)) - np.log(phi)
        return np.concatenate([outward, np.delete(inward, ref)])

    solution = optimize.root(residuals, np.zeros(2 * n - 1), method="hybr", tol=1e-13)
    error = float(np.max(np.abs(residuals(solution.x))))
    if error > 1e-10:  # judged by the residuals: hybr may stop "not making progress" at 1e-15
        raise ConvergenceError(f"hat algebra stopped at residual {error:.2g}: {solution.message}")
    omega, phi = unpack(solution.x)
    return flows * t_hat / (omega[:, None] * phi[None, :]), phi


def policy_draws(coef: float, se: float, draws: int, seed: int) -> np.ndarray:
    """*draws* values of the policy coefficient from N(coef, se²), seeded: the same every run."""
    return coef + se * np.random.default_rng(seed).standard_normal(draws)


def counterfactual_draws(
    world: World, policy: np.ndarray, coefs: np.ndarray, sigma: float = SIGMA
) -> pd.DataFrame:
    """Full-endowment effects of *policy* for each policy coefficient in *coefs* (one row each).

    The Monte Carlo of Anderson, Larch and Yotov (2018) for general-equilibrium effects: for
    each draw the baseline costs t̄_ij exp(b RTA_ij) and the counterfactual ones are rebuilt with
    that coefficient, both scenarios are re-solved, and real manufacturing income Y/P is
    compared. Returns the percentage change of every country (columns) for every draw (rows).
    Draws are solved in increasing order, each starting from the prices of the one before.
    """
    rows, price = {}, None
    for position in np.argsort(coefs, kind="stable"):
        coef = float(coefs[position])
        base = solve_fixed(world, world.costs(coef=coef))
        solved = solve_full(world, base, world.costs(policy, coef=coef), sigma=sigma, start=price)
        price = solved.price
        rows[position] = effects(world, base, solved, sigma=sigma)["real_gdp"].to_numpy()
    ordered = [rows[position] for position in range(len(coefs))]
    return pd.DataFrame(ordered, columns=list(world.countries)).rename_axis("draw")
