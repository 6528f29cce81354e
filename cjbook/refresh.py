"""Rebuild the book's source tables from the World Bank and UN Comtrade APIs.

This is the only code in the project that talks to a network service, and the book never calls it:
chapters read the committed CSV files through :func:`cjtrade.data.load`. The fetch functions return
tidy frames and raise :class:`RefreshError` on any refusal, gap or unexpected shape, because a
refreshed file that is quietly incomplete would pass its checksum once re-hashed and then mislead.
:func:`write_csv` writes byte-stable files and prints the checksum to record in the data package.
The command-line front ends are ``scripts/refresh_wdi.py`` and ``scripts/refresh_comtrade.py``.
"""

from __future__ import annotations

import contextlib
import io
from collections.abc import Iterable
from pathlib import Path

import comtradeapicall
import pandas as pd
import wbgapi as wb

from cjtrade.data import sha256_of

WDI_SOURCE = 2  # World Development Indicators in the World Bank API
WDI_SERIES = {"NY.GDP.MKTP.CD": "gdp_current_usd", "SP.POP.TOTL": "population"}
WDI_DATA_URL = "sources/{source}/series/{series}/country/{economy}/time/{time}"

CHINA_M49 = 156
CULTURAL_HS_CHAPTERS = (
    "49",
    "95",
    "97",
)  # printed matter; toys and games; works of art and antiques
COMTRADE_FLOWS = ("X", "M")
WORLD_M49 = 0  # Comtrade's partner "World": the sum over all partners
# Records the API may return per call with a free subscription key; a full page may be truncated.
COMTRADE_MAX_RECORDS = 100_000
# Comtrade v1 record field -> our column; primaryValue is FOB for exports and CIF for imports.
COMTRADE_FIELDS = {
    "reporterISO": "reporter_iso3",
    "partnerISO": "partner_iso3",
    "partnerCode": "partner_code",
    "refYear": "year",
    "flowCode": "flow",
    "cmdCode": "hs_chapter",
    "primaryValue": "trade_value_usd",
}
COMTRADE_DTYPES = {
    "reporter_iso3": "string",
    "partner_iso3": "string",
    "partner_code": "int64",
    "year": "int64",
    "flow": "string",
    "hs_chapter": "string",
    "trade_value_usd": "float64",
}


class RefreshError(RuntimeError):
    """An API refused a request or answered with something unusable; the message names both."""


def fetch_wdi(iso3_codes: Iterable[str], year: int = 2011) -> pd.DataFrame:
    """Return GDP (current US$) and population of each economy in *year* from the World Bank API.

    One row per economy, sorted by ``iso3``, with columns ``iso3, country, year, gdp_current_usd,
    population``. ``country`` is the name the API gives. Uses ``wbgapi.refetch`` on the data
    endpoint, which pages and splits over-long URLs; ``wbgapi.data.fetch`` would first query three
    metadata endpoints (concepts, economies, periods) that this table does not need. A missing
    value raises instead of becoming a blank cell.
    """
    codes = sorted({code.upper() for code in iso3_codes})
    time = f"YR{year}"
    try:
        rows = list(
            wb.refetch(
                WDI_DATA_URL,
                ["series", "economy"],
                source=WDI_SOURCE,
                series=";".join(WDI_SERIES),
                economy=";".join(codes),
                time=time,
            )
        )
    except wb.APIError as err:
        raise RefreshError(f"World Bank API: {err}") from err
    names, values = {}, {}
    for row in rows:
        economy, name, series, period, value = _wdi_record(row)
        names[economy] = name
        values[economy, series, period] = value
    missing = [
        f"{code} {series}"
        for code in codes
        for series in WDI_SERIES
        if values.get((code, series, time)) is None
    ]
    if missing:
        raise RefreshError(f"World Bank API: no {year} value for {', '.join(missing)}")
    frame = pd.DataFrame({"iso3": codes, "country": [names[code] for code in codes], "year": year})
    for series, column in WDI_SERIES.items():
        frame[column] = [values[code, series, time] for code in codes]
    return frame.astype(
        {
            "iso3": "string",
            "country": "string",
            "year": "int64",
            "gdp_current_usd": "float64",
            "population": "int64",
        }
    )


def _wdi_record(row: dict) -> tuple:
    """Return (economy id, economy name, series id, time id, value) of one data-endpoint record."""
    try:
        by_concept = {item["concept"].lower(): item for item in row["variable"]}
        economy, series, period = by_concept["country"], by_concept["series"], by_concept["time"]
        return economy["id"], economy["value"], series["id"], period["id"], row["value"]
    except (KeyError, TypeError, AttributeError) as err:
        raise RefreshError(
            f"World Bank API: unexpected data record {row!r} (missing {err})"
        ) from None


def fetch_comtrade_cultural(
    subscription_key: str,
    years: Iterable[int],
    partners: Iterable[int] | None = None,
    include_world: bool = False,
) -> pd.DataFrame:
    """Return China's exports and imports of HS chapters 49, 95 and 97 by partner and year.

    Queries the UN Comtrade v1 API (``comtradeapicall.getFinalData``: annual, HS as reported,
    reporter 156, flows X and M, classic breakdown) for all partners or the M49 codes in
    *partners*. Columns: ``reporter_iso3, partner_iso3, partner_code, year, flow, hs_chapter,
    trade_value_usd`` (``primaryValue``: FOB for exports, CIF for imports, as China reports them).
    ``partner_iso3`` is Comtrade's code and is not ISO for areas such as "Areas, nes". The World
    aggregate (partner 0) is dropped unless *include_world*. Raises :class:`RefreshError` on a
    missing key, an HTTP error, zero rows, missing fields or a possibly truncated answer.
    """
    if not subscription_key:
        # Without a key comtradeapicall quietly uses the preview endpoint (500 records at most).
        raise RefreshError(
            "UN Comtrade API: a subscription key is required (comtradedeveloper.un.org)"
        )
    period = ",".join(str(int(year)) for year in years)
    partner_codes = None if partners is None else ",".join(str(int(code)) for code in partners)
    chapters = ",".join(CULTURAL_HS_CHAPTERS)
    where = f"UN Comtrade API (getFinalData: reporter {CHINA_M49}, HS {chapters}, period {period})"
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):  # the library prints HTTP errors and returns None
        raw = comtradeapicall.getFinalData(
            subscription_key,
            typeCode="C",
            freqCode="A",
            clCode="HS",
            period=period,
            reporterCode=str(CHINA_M49),
            cmdCode=chapters,
            flowCode=",".join(COMTRADE_FLOWS),
            partnerCode=partner_codes,
            partner2Code=None,
            customsCode=None,
            motCode=None,
            maxRecords=COMTRADE_MAX_RECORDS,
            format_output="JSON",
            breakdownMode="classic",
            includeDesc=True,
        )
    if raw is None:
        raise RefreshError(
            f"{where}: request failed: {printed.getvalue().strip() or 'no response'}"
        )
    return _tidy_comtrade(raw, where, include_world)


def _tidy_comtrade(raw: pd.DataFrame, where: str, include_world: bool) -> pd.DataFrame:
    """Check a getFinalData frame; keep our columns, one row per partner, year, flow, chapter."""
    if raw.empty:
        raise RefreshError(
            f"{where}: returned zero rows (comtradeapicall drops the API's 'error' text; "
            "check the key, the years and the codes)"
        )
    missing = sorted(set(COMTRADE_FIELDS) - set(raw.columns))
    if missing:
        raise RefreshError(f"{where}: response lacks field(s) {', '.join(missing)}")
    if len(raw) >= COMTRADE_MAX_RECORDS:
        raise RefreshError(
            f"{where}: {len(raw)} records reach the per-call limit; may be truncated"
        )
    frame = raw[list(COMTRADE_FIELDS)].rename(columns=COMTRADE_FIELDS)
    blank = [column for column in frame if frame[column].isna().any()]
    if blank:
        raise RefreshError(f"{where}: blank values in {', '.join(blank)}")
    if not include_world:
        frame = frame[frame["partner_code"] != WORLD_M49]
    key = ["partner_code", "year", "flow", "hs_chapter"]
    if frame.duplicated(key).any():
        raise RefreshError(
            f"{where}: several records per {', '.join(key)} (not the classic breakdown?)"
        )
    frame = frame.astype(COMTRADE_DTYPES).sort_values(
        ["year", "flow", "hs_chapter", "partner_code"]
    )
    return frame.reset_index(drop=True)


def write_csv(df: pd.DataFrame, path: str | Path) -> str:
    """Write *df* as UTF-8 CSV with LF line ends and no index; print and return its SHA-256.

    The data package records each file's checksum and the loader refuses a file that does not
    match, so a refreshed file stays unusable until its ``hash`` in ``data/datapackage.json`` is
    updated; the printed reminder says so rather than editing the package behind a reviewer's back.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    df.to_csv(path, index=False, encoding="utf-8", lineterminator="\n")
    digest = sha256_of(path)
    print(f"wrote {path}: {len(df)} rows, sha256:{digest}")
    print(
        f'Reminder: set this resource\'s "hash" in data/datapackage.json to "sha256:{digest}" '
        "after reviewing the change (cjtrade.data.load refuses the file until then)."
    )
    return digest
