"""Trade in works of art and in print and recorded media: the OECD BIMTS panel, shaped for the book.

The data package holds two groups of HS 2017 headings, traded among 190 countries every year
1995-2024 (OECD's balanced merchandise trade statistics, millions of US dollars):

* ``art``: works of art and antiques (9701, 9702, 9703, 9706);
* ``media``: print and recorded media, *including blank storage* (4901, 4902, 4904, 3706, 8523);
  heading 8523 (recording media, recorded or not, smart cards) dominates it.

Neither group is "cultural goods" as a whole: chapter 95 and most of chapter 49 are missing, and
8523 is mostly not cultural. :data:`GROUPS` carries the names the book prints.

:func:`flows` returns a group's full panel (every ordered pair, every year, zeros included);
:func:`gravity_panel` joins the CEPII covariates and the trade-agreement indicator into the
exporter-importer-year panel that :mod:`cjtrade.structural` estimates on. There are no domestic
flows in this panel, so the structural functions that need them (intra-national distance, the
general-equilibrium step) refuse it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import altair as alt
import numpy as np
import pandas as pd
import pyfixest as pf

from cjtrade import charts, structural
from cjtrade.data import load


@dataclass(frozen=True)
class Group:
    """One group of HS headings: its resource and the name the text gives it."""

    resource: str
    name: str
    short: str
    headings: str


GROUPS = {
    "art": Group(
        "bimts_art_antiques", "works of art and antiques", "art", "HS 9701, 9702, 9703, 9706"
    ),
    "media": Group(
        "bimts_print_media",
        "print and recorded media, including blank storage",
        "print and media",
        "HS 4901, 4902, 4904, 3706, 8523",
    ),
}
YEARS = tuple(range(1995, 2025))
EVERY_FOURTH_YEAR = tuple(range(1996, 2025, 4))  # 1996, 2000, ..., 2024: the Guide's spacing


def flows(group: str) -> pd.DataFrame:
    """Every ordered pair of the 190 countries, every year, with the group's trade (zeros kept)."""
    frame = load(GROUPS[group].resource)
    frame["year"] = frame["year"].astype("int64")
    return frame.rename(columns={"value": "trade"})


def agreements() -> pd.DataFrame:
    """The trade-agreement indicator for ordered pairs: exporter, importer, year, RTA (0/1)."""
    pairs = load("trade_agreements").astype({"year": "int64", "rta": "int64"})
    forward = pairs.rename(columns={"country_a": "exporter", "country_b": "importer"})
    backward = pairs.rename(columns={"country_a": "importer", "country_b": "exporter"})
    both = pd.concat([forward, backward], ignore_index=True).rename(columns={"rta": "RTA"})
    return both[["exporter", "importer", "year", "RTA"]]


def _country_codes(frame: pd.DataFrame, columns: Iterable[str], countries: pd.Index) -> list:
    return [countries.get_indexer(frame[column]) for column in columns]


def gravity_panel(group: str, years: Iterable[int] = YEARS) -> pd.DataFrame:
    """The panel :mod:`cjtrade.structural` takes: exporter, importer, pair_id, year, trade,
    DIST, CNTG, LANG, CLNY and RTA for the years in *years*.

    ``pair_id`` identifies the *ordered* pair (exporter to importer), so that pair fixed effects
    are directional; DIST is CEPII's distance between the most populous cities, in km. The
    covariates are looked up by country index rather than merged on names: the panel has a million
    rows and the chapters build several.
    """
    years = sorted(set(years))
    trade = flows(group)
    trade = trade[trade["year"].isin(years)].reset_index(drop=True)
    countries = pd.Index(sorted(load("bimts_countries")["iso3"].astype(str)))
    n = len(countries)
    exporter, importer = _country_codes(trade, ["exporter", "importer"], countries)
    gravity = load("bimts_gravity")
    g_exp, g_imp = _country_codes(gravity, ["exporter", "importer"], countries)
    columns = {"DIST": "dist_km", "CNTG": "CNTG", "LANG": "LANG", "CLNY": "CLNY"}
    grids = {}
    for name, source in columns.items():
        grid = np.full((n, n), np.nan)
        grid[g_exp, g_imp] = gravity[source].astype(float).to_numpy()
        grids[name] = grid
    pacts = agreements()
    first = YEARS[0]
    rta = np.zeros((n, n, len(YEARS)), dtype="int64")
    a, b = _country_codes(pacts, ["exporter", "importer"], countries)
    rta[a, b, pacts["year"].to_numpy() - first] = pacts["RTA"].to_numpy()
    panel = trade[["exporter", "importer"]].astype(str)
    panel["pair_id"] = exporter * n + importer + 1
    panel["year"] = trade["year"].astype("int64")
    panel["trade"] = trade["trade"].astype(float)
    panel["DIST"] = grids["DIST"][exporter, importer]
    for name in ("CNTG", "LANG", "CLNY"):
        panel[name] = grids[name][exporter, importer].astype("int64")
    panel["RTA"] = rta[exporter, importer, panel["year"].to_numpy() - first]
    return panel


def bilateral(group: str, pairs: Iterable[tuple[str, str]]) -> pd.DataFrame:
    """Trade of each (exporter, importer) in *pairs*, one column per pair, one row per year."""
    frame = flows(group).set_index(["exporter", "importer"])
    columns = {f"{e}→{i}": frame.loc[(e, i)].set_index("year")["trade"] for e, i in pairs}
    return pd.DataFrame(columns)


def world_totals(group: str) -> pd.DataFrame:
    """Each country's exports to and imports from the world in the group: country, year, flows."""
    frame = flows(group)
    exports = frame.groupby(["exporter", "year"])["trade"].sum().rename("exports")
    imports = frame.groupby(["importer", "year"])["trade"].sum().rename("imports")
    exports.index.names = imports.index.names = ["country", "year"]
    return pd.concat([exports, imports], axis=1).reset_index()


def partner_shares(group: str, pairs: Iterable[tuple[str, str]]) -> pd.DataFrame:
    """For each (exporter, importer): the flow as a percentage of the exporter's exports to the
    world and of the importer's imports from the world in the group, by year."""
    frame = flows(group)
    totals = world_totals(group).set_index(["country", "year"])
    rows = []
    for exporter, importer in pairs:
        flow = frame[(frame["exporter"] == exporter) & (frame["importer"] == importer)]
        flow = flow.set_index("year")["trade"]
        rows.append(
            pd.DataFrame(
                {
                    "pair": f"{exporter}→{importer}",
                    "year": flow.index,
                    "trade": flow.to_numpy(),
                    "share_of_exports": 100 * flow / totals.loc[exporter]["exports"],
                    "share_of_imports": 100 * flow / totals.loc[importer]["imports"],
                }
            )
        )
    return pd.concat(rows, ignore_index=True)


def pair_chart(long: pd.DataFrame, value: str, title: str, y_title: str, description: str):
    """A line chart of one *value* column by year, one line per ``pair`` (click the legend to
    highlight one), on a logarithmic scale: the flows differ by orders of magnitude. Zeros, which a
    log scale cannot show, are left out of the chart (and stay in the tables)."""
    pick, highlight = charts.legend_highlight("pair")
    shown = long[long[value] > 0]
    return (
        alt.Chart(shown, title=title, description=description)
        .mark_line(point=True)
        .encode(
            x=alt.X("year:Q", title=None, axis=alt.Axis(format="d")),
            y=alt.Y(f"{value}:Q", title=y_title, scale=alt.Scale(type="log")),
            color=alt.Color("pair:N", title=None),
            opacity=highlight,
            tooltip=["year:Q", "pair:N", alt.Tooltip(f"{value}:Q", format=",.2f")],
        )
        .add_params(pick)
    )


# --- one exporter's cross-section: the seed paper's question on these goods ---------------------

# The seed paper's "same cultural circle" dummy is 1 for Japan, Korea and Hong Kong, partners that
# "belong to the East Asian cultural circle". Its own rule covers more of the panel's countries:
# the rest of the historical sphere of Chinese writing and Confucian institutions (North Korea,
# Viet Nam) and the other special administrative region, Macao, since the paper counts Hong Kong.
# Singapore, majority ethnic Chinese but not part of that sphere, is left to an exercise.
PAPER_CIRCLE = ("JPN", "KOR", "HKG")
EAST_ASIAN_CIRCLE = ("JPN", "KOR", "PRK", "VNM", "HKG", "MAC")


def seed_flows(group: str, year: int = 2011, exporter: str = "CHN") -> pd.DataFrame:
    """*exporter*'s exports in the group to every partner in *year*, in US dollars, in the form
    :func:`cjtrade.gravity.seed_sample` takes (iso3, basis, value_usd). A partner bought nothing is
    left out, as the log-linear regression must leave it out; :func:`cross_section` keeps it."""
    frame = flows(group)
    chosen = frame[(frame["exporter"] == exporter) & (frame["year"] == year) & (frame["trade"] > 0)]
    return pd.DataFrame(
        {
            "iso3": chosen["importer"].to_numpy(),
            "basis": f"bimts_{group}_{year}",
            "value_usd": 1e6 * chosen["trade"].to_numpy(),
        }
    )


def cross_section(group: str, year: int = 2011, exporter: str = "CHN") -> pd.DataFrame:
    """One row per partner of *exporter* in *year*: exports (zeros kept), the partner's imports of
    the group from everyone else (its spending on the goods, the mass variable of a one-exporter
    gravity equation without GDP data), CEPII distance and dummies, and both cultural-circle
    dummies (:data:`PAPER_CIRCLE`, :data:`EAST_ASIAN_CIRCLE`)."""
    frame = flows(group)
    frame = frame[frame["year"] == year]
    imports = frame.groupby("importer")["trade"].sum()
    from_exporter = frame[frame["exporter"] == exporter].set_index("importer")["trade"]
    gravity = load("bimts_gravity").astype({"exporter": str, "importer": str})
    gravity = gravity[gravity["exporter"] == exporter].set_index("importer")
    table = pd.DataFrame(
        {
            "exports": from_exporter,
            "imports_from_others": imports.reindex(from_exporter.index) - from_exporter,
            "dist": gravity["dist_km"].astype(float),
            "contig": gravity["CNTG"].astype(int),
            "lang": gravity["LANG"].astype(int),
        }
    ).rename_axis("iso3")
    table["scc_paper"] = table.index.isin(PAPER_CIRCLE).astype(int)
    table["scc_circle"] = table.index.isin(EAST_ASIAN_CIRCLE).astype(int)
    return table.reset_index()


# --- RCEP's first years ---------------------------------------------------------------------------


def rcep_entry_years() -> pd.Series:
    """Year each RCEP member's membership entered into force; a member without a date in
    ``rcep_members`` is left out (Myanmar's ratification is contested; Indonesia's date was read
    only on an unnamed portal, so the package leaves it blank)."""
    members = load("rcep_members").dropna(subset=["entry_into_force"])
    return members.set_index("iso3")["entry_into_force"].dt.year.astype("int64")


def add_rcep_timing(sample: pd.DataFrame, pre_years: Iterable[int] = ()) -> pd.DataFrame:
    """Add ``RCEP`` (1 once both countries' memberships are in force) and, for a pre-trend check,
    ``RCEP_PRE_<year>`` (1 in *year* on pairs of future members, before RCEP is in force)."""
    entry = rcep_entry_years()
    exporter_entry = sample["exporter"].map(entry)
    importer_entry = sample["importer"].map(entry)
    members = exporter_entry.notna() & importer_entry.notna()
    start = np.fmax(exporter_entry, importer_entry)
    frame = sample.copy()
    frame["RCEP"] = (members & (frame["year"] >= start)).astype("int64")
    for year in pre_years:
        before = members & (frame["year"] == year) & (frame["year"] < start)
        frame[f"RCEP_PRE_{year}"] = before.astype("int64")
    return frame


def trading_pairs(sample: pd.DataFrame) -> pd.DataFrame:
    """Rows of the pairs with a positive flow in some year of *sample*: the only ones PPML with pair
    fixed effects can use (a pair that never trades is "separated" and dropped), kept beforehand so
    the estimation does not carry a million zeros it will discard."""
    traded = sample.groupby("pair_id")["trade"].transform("sum") > 0
    return sample[traded].reset_index(drop=True)


SINGLETON_MESSAGE = r"(\d+) singleton fixed effect\(s\) dropped"
# pyfixest's default convergence tolerance for the fixed effects (1e-6) leaves the standard errors
# of the three-way models varying in the eighth digit from one run to the next; at 1e-10 they agree
# to the twelfth, which `make verify` (relative tolerance 1e-9) needs.
FIXEF_TOL = 1e-10


def fit(estimator: str, formula: str, data: pd.DataFrame):
    """:func:`cjtrade.structural.fit` with the fixed effects solved to :data:`FIXEF_TOL` (pyfixest's
    default alternating-projections demeaner), and pyfixest's warning about singletons counted
    instead of printed.

    With pair fixed effects, a fixed effect that has a single observation (a country that trades
    with one partner in one year of the sample, say) fits it perfectly and carries no information;
    pyfixest drops it and warns. The count is kept on the model as ``singletons`` so that a chapter
    reports it; any other warning is passed on.
    """
    model, model.singletons = structural.counting_warnings(
        SINGLETON_MESSAGE,
        lambda: structural.fit(
            estimator, formula, data, demeaner=pf.MapDemeaner(fixef_tol=FIXEF_TOL)
        ),
    )
    return model
