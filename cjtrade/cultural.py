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

import numpy as np
import pandas as pd

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


def gravity_panel(group: str, years: Iterable[int] = YEARS) -> pd.DataFrame:
    """The panel :mod:`cjtrade.structural` takes: exporter, importer, pair_id, year, trade,
    DIST, CNTG, LANG, CLNY and RTA for the years in *years*.

    ``pair_id`` identifies the *ordered* pair (exporter to importer), so that pair fixed effects
    are directional; DIST is CEPII's distance between the most populous cities, in km.
    """
    years = sorted(set(years))
    trade = flows(group)
    trade = trade[trade["year"].isin(years)]
    gravity = load("bimts_gravity").rename(columns={"dist_km": "DIST"})
    gravity = gravity.astype({"exporter": str, "importer": str})
    gravity[["CNTG", "LANG", "CLNY"]] = gravity[["CNTG", "LANG", "CLNY"]].astype("int64")
    gravity["pair_id"] = np.arange(1, len(gravity) + 1)
    rta = agreements()
    panel = trade.merge(gravity, on=["exporter", "importer"], how="left", validate="many_to_one")
    panel = panel.merge(rta, on=["exporter", "importer", "year"], how="left", validate="1:1")
    columns = ["exporter", "importer", "pair_id", "year", "trade", "DIST", "CNTG", "LANG", "CLNY"]
    return panel[[*columns, "RTA"]].reset_index(drop=True)


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
