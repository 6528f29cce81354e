"""Rebuild the balance-of-payments resources from the Bank of Japan's flat files (no network).

The Ministry of Finance and the Bank of Japan publish Japan's balance of payments as flat files on
the Bank's Time-Series Data Search site: ``regbp_q_en.zip`` (the regional balance of payments,
quarterly, by partner) and ``bp_m_en.zip`` (the national balance of payments, monthly, world
totals with sub-items). Each holds one CSV: a header row whose first four cells are blank and whose
other cells name the periods (``201401`` is 2014Q1 in the quarterly file, January 2014 in the
monthly one), then one row per series: code, statistic, description, unit, values.

:func:`regional_services` and :func:`national_ip_cultural` read the series the book uses and return
tidy frames with every value exactly as printed in the file (the text, not a re-formatted float),
``NA`` (a cell the compilers suppress) as a missing value, and periods the file does not yet reach
(blank cells at the end of a row) left out. Anything else stops with a :class:`RefreshError`
naming the file, the series and the rule: a missing series, a description that no longer matches
its code, a unit other than 100 million yen, a cell that is not a number, a blank inside a series.

``python scripts/refresh_bop.py REGIONAL_ZIP NATIONAL_ZIP`` writes both CSV files; review the
change, then record the checksums with ``make data-hash``.
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
import zipfile
from collections.abc import Iterable, Mapping
from pathlib import Path

import pandas as pd

from cjbook.paths import ROOT
from cjbook.refresh import RefreshError, write_csv

UNIT = "100 million Yen"
SUPPRESSED = "NA"

# Partner code in the regional series codes -> (our key, the partner as the description names it).
PARTNERS = {
    "": ("total", "Total"),
    "CN": ("china", "P.R. China"),
    "KR": ("korea", "R.Korea"),
    "US": ("united_states", "U.S.A."),
    "HK": ("hong_kong", "Hong Kong"),
    "TW": ("taiwan", "Taiwan"),
}
IP = "Charges for the use of intellectual property n.i.e."
PCR = "Personal, cultural, and recreational services"
# Item code -> (our key, the path of the item in the description).
REGIONAL_ITEMS = {
    "": ("services_total", ()),
    "95": ("ip_charges", ("Other services", IP)),
    "98": ("personal_cultural_recreational", ("Other services", PCR)),
}
# Flow code -> (our key, the flow as the description names it).
FLOWS = {"C": ("receipts", "Credit"), "D": ("payments", "Debit"), "N": ("net", "Net balance")}
# The regional file publishes a net balance by partner only for total services.
REGIONAL_NET_ITEMS = {""}

NATIONAL_ITEMS = {
    "906": ("ip_charges", (IP,)),
    "9061": ("industrial_property", (IP, "Charges for the use of industrial property n.i.e.")),
    "9062": ("copyrights", (IP, "Charges for the use of copyrights n.i.e.")),
    "909": ("personal_cultural_recreational", (PCR,)),
    "9091": ("audiovisual", (PCR, "Audiovisual and related services")),
    "9092": (
        "other_personal_cultural_recreational",
        (PCR, "Other personal, cultural, and recreational services"),
    ),
}

REGIONAL_OUT = ROOT / "data" / "bop_japan_services_by_partner.csv"
NATIONAL_OUT = ROOT / "data" / "bop_japan_ip_cultural_world_monthly.csv"


def regional_code(flow: str, partner: str, item: str) -> str:
    """The code of a regional series: ``BPBP6QSCCN95`` is IP charges, China, credit."""
    return f"BPBP6QS{flow}{partner}{item}"


def national_code(flow: str, item: str) -> str:
    """The code of a national monthly series: ``BPBP6JYNSC9062`` is copyrights, credit."""
    return f"BPBP6JYNS{flow}{item}"


def read_flat_file(zip_path: str | Path, member: str) -> tuple[list[str], dict[str, list[str]]]:
    """Return the periods and the rows by series code of the CSV *member* of a Bank of Japan zip."""
    zip_path = Path(zip_path)
    try:
        with zipfile.ZipFile(zip_path) as archive:
            text = archive.read(member).decode("utf-8")
    except FileNotFoundError:
        raise RefreshError(f"{zip_path}: no such file") from None
    except zipfile.BadZipFile:
        raise RefreshError(f"{zip_path}: not a zip file") from None
    except KeyError:
        raise RefreshError(f"{zip_path}: the zip holds no {member}") from None
    rows = list(csv.reader(io.StringIO(text)))
    where = f"{zip_path}:{member}"
    if not rows or rows[0][:4] != ["", "", "", ""] or len(rows[0]) < 5:
        raise RefreshError(f"{where}: row 1 is not a header of four blank cells and the periods")
    periods = rows[0][4:]
    series = {}
    for number, row in enumerate(rows[1:], start=2):
        if len(row) != len(rows[0]):
            raise RefreshError(
                f"{where}: row {number} has {len(row)} cells, the header {len(rows[0])}"
            )
        series[row[0]] = row
    return periods, series


def _values(
    where: str, row: list[str], periods: list[str], description: str
) -> dict[str, str | None]:
    """Check one series row and return its values by period (``None`` where suppressed)."""
    code = row[0]
    if row[2] != description:
        raise RefreshError(f"{where}: series {code} is {row[2]!r}, expected {description!r}")
    if row[3] != UNIT:
        raise RefreshError(f"{where}: series {code} is in {row[3]!r}, expected {UNIT!r}")
    values = {}
    for period, cell in zip(periods, row[4:], strict=True):
        if cell == SUPPRESSED:
            values[period] = None
            continue
        if cell == "":
            values[period] = ""
            continue
        try:
            float(cell)
        except ValueError:
            raise RefreshError(
                f"{where}: series {code}, period {period}: {cell!r} is not a number or NA"
            ) from None
        values[period] = cell
    return values


def _published_periods(where: str, columns: Mapping[str, dict[str, str | None]]) -> list[str]:
    """The periods up to the last one any series reaches; a blank before it is an error."""
    periods = list(next(iter(columns.values())))
    reached = [p for p in periods if any(values[p] != "" for values in columns.values())]
    if not reached:
        raise RefreshError(f"{where}: the series hold no values")
    kept = periods[: periods.index(reached[-1]) + 1]
    for code, values in columns.items():
        blank = [p for p in kept if values[p] == ""]
        if blank:
            raise RefreshError(
                f"{where}: series {code} is blank in period {blank[0]}, inside the published "
                "range (a suppressed cell is NA, not blank)"
            )
    return kept


def _tidy(
    where: str,
    periods: list[str],
    series: dict[str, list[str]],
    wanted: Iterable[tuple[str, dict[str, str], str]],
    period_name: str,
    period_label,
) -> pd.DataFrame:
    """One row per wanted series and period: its keys, the period, the value, the code."""
    wanted = list(wanted)
    columns = {}
    for code, _, description in wanted:
        if code not in series:
            raise RefreshError(f"{where}: series {code} ({description}) is missing")
        columns[code] = _values(where, series[code], periods, description)
    kept = _published_periods(where, columns)
    records = [
        {
            period_name: period_label(where, period),
            **keys,
            "value_jpy_100m": columns[code][period],
            "series_code": code,
        }
        for code, keys, _ in wanted
        for period in kept
    ]
    return pd.DataFrame.from_records(records).astype({"value_jpy_100m": "object"})


def _quarter(where: str, period: str) -> str:
    if len(period) != 6 or not period.isdigit() or period[4:] not in ("01", "02", "03", "04"):
        raise RefreshError(f"{where}: header period {period!r} is not a quarter (YYYY01-YYYY04)")
    return f"{period[:4]}Q{int(period[4:])}"


def _month(where: str, period: str) -> str:
    if len(period) != 6 or not period.isdigit() or not 1 <= int(period[4:]) <= 12:
        raise RefreshError(f"{where}: header period {period!r} is not a month (YYYYMM)")
    return f"{period[:4]}-{period[4:]}"


def regional_services(
    zip_path: str | Path, partners: Iterable[str] = tuple(PARTNERS)
) -> pd.DataFrame:
    """Japan's services trade with each partner, from the regional balance of payments (quarterly).

    Columns ``quarter, partner, item, flow, value_jpy_100m, series_code``; items are total
    services, charges for the use of intellectual property and personal, cultural and recreational
    services; flows are receipts (credit) and payments (debit), and the net balance where the file
    publishes one (total services only). *partners* are the codes of :data:`PARTNERS`.
    """
    unknown = sorted(set(partners) - set(PARTNERS))
    if unknown:
        raise RefreshError(f"unknown partner code(s) {', '.join(unknown)}; known: {list(PARTNERS)}")
    periods, series = read_flat_file(zip_path, "regbp_q_en.csv")
    wanted = []
    for partner in partners:
        partner_key, partner_label = PARTNERS[partner]
        for item, (item_key, item_path) in REGIONAL_ITEMS.items():
            for flow, (flow_key, flow_label) in FLOWS.items():
                if flow == "N" and item not in REGIONAL_NET_ITEMS:
                    continue
                description = "/".join(["Services", *item_path, partner_label, flow_label])
                keys = {"partner": partner_key, "item": item_key, "flow": flow_key}
                wanted.append((regional_code(flow, partner, item), keys, description))
    where = f"{zip_path}:regbp_q_en.csv"
    return _tidy(where, periods, series, wanted, "quarter", _quarter)


def national_ip_cultural(zip_path: str | Path) -> pd.DataFrame:
    """Japan's IP charges and cultural services with the world, monthly, with their sub-items.

    Columns ``month, item, flow, value_jpy_100m, series_code``: charges for the use of
    intellectual property and its two parts (industrial property, copyrights), and personal,
    cultural and recreational services and its two parts (audiovisual and related, other); each
    as receipts, payments and net balance, as the national monthly file publishes them.
    """
    periods, series = read_flat_file(zip_path, "bp_m_en.csv")
    wanted = [
        (
            national_code(flow, item),
            {"item": item_key, "flow": flow_key},
            "/".join(["Services", "Other services", *item_path, flow_label]),
        )
        for item, (item_key, item_path) in NATIONAL_ITEMS.items()
        for flow, (flow_key, flow_label) in FLOWS.items()
    ]
    where = f"{zip_path}:bp_m_en.csv"
    return _tidy(where, periods, series, wanted, "month", _month)


def refresh_bop(argv: list[str] | None = None) -> None:
    """Parse the command line, read both zips and write both CSV files."""
    parser = argparse.ArgumentParser(
        prog="refresh_bop.py",
        description=(
            "Rebuild the balance-of-payments resources from the Bank of Japan's flat files "
            "regbp_q_en.zip (regional, quarterly) and bp_m_en.zip (national, monthly)."
        ),
    )
    parser.add_argument("regional_zip", type=Path, help="path of regbp_q_en.zip")
    parser.add_argument("national_zip", type=Path, help="path of bp_m_en.zip")
    parser.add_argument(
        "--partners",
        nargs="+",
        default=list(PARTNERS),
        metavar="CODE",
        help="partner codes (default: the total, CN, KR, US, HK and TW; '' is the total)",
    )
    parser.add_argument(
        "--regional-out", type=Path, default=REGIONAL_OUT, help=f"default: data/{REGIONAL_OUT.name}"
    )
    parser.add_argument(
        "--national-out", type=Path, default=NATIONAL_OUT, help=f"default: data/{NATIONAL_OUT.name}"
    )
    args = parser.parse_args(argv)
    try:
        regional = regional_services(args.regional_zip, args.partners)
        national = national_ip_cultural(args.national_zip)
    except RefreshError as err:
        sys.exit(f"{parser.prog}: error: {err}")
    write_csv(regional, args.regional_out)
    write_csv(national, args.national_out)
