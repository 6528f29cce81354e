"""Tests of the API refresh tooling against recorded-format responses, with the network blocked.

Both client libraries end up in urllib3: wbgapi through ``requests.get`` and comtradeapicall through
``urllib3.PoolManager.request``. The ``api`` fixture replaces the one method both reach,
``HTTPConnectionPool.urlopen``, with a fake server that answers from ``tests/fixtures``, so each
library's own URL building, response handling and error paths run unchanged. Every socket
connection and DNS lookup fails, so a request that escapes the fake fails the test instead of
reaching the World Bank or UN Comtrade.
"""

from __future__ import annotations

import hashlib
import io
import json
import socket
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pandas as pd
import pytest
import urllib3
import urllib3.connectionpool

from cjbook import refresh_commands
from cjbook.paths import ROOT
from cjbook.refresh import RefreshError, fetch_comtrade_cultural, fetch_wdi, write_csv

FIXTURES = Path(__file__).resolve().parent / "fixtures"
WB_HOST, COMTRADE_HOST = "api.worldbank.org", "comtradeapi.un.org"
KEY = "test-key-not-real"
WDI_COLUMNS = ["iso3", "country", "year", "gdp_current_usd", "population"]
COMTRADE_COLUMNS = [
    "reporter_iso3",
    "partner_iso3",
    "partner_code",
    "year",
    "flow",
    "hs_chapter",
    "trade_value_usd",
]


def fixture_json(name: str):
    """Return the parsed fixture *name* (so a test can alter one field before serving it)."""
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


class FakeServer:
    """Answers urllib3 requests by host from registered JSON bodies; records every URL asked for."""

    def __init__(self) -> None:
        self.answers: dict[str, tuple[int, bytes]] = {}
        self.calls: list = []

    def serve(self, host: str, body, status: int = 200) -> None:
        """Answer every request to *host* with *body* (a fixture name or a JSON-able object)."""
        data = (
            (FIXTURES / body).read_bytes() if isinstance(body, str) else json.dumps(body).encode()
        )
        self.answers[host] = (status, data)

    def urlopen(self, pool, method, url, *args, **kwargs):
        """Stand-in for ``HTTPConnectionPool.urlopen``: a real urllib3 response of stored bytes."""
        full = urlsplit(url if "://" in url else f"{pool.scheme}://{pool.host}{url}")
        self.calls.append(full)
        status, data = self.answers[full.hostname]
        return urllib3.HTTPResponse(
            body=io.BytesIO(data),
            status=status,
            reason="OK" if status == 200 else "Unauthorized",
            headers={"Content-Type": "application/json"},
            preload_content=False,
        )

    def queries(self, host: str) -> list[dict[str, list[str]]]:
        """The parsed query strings of the requests made to *host*."""
        return [parse_qs(call.query) for call in self.calls if call.hostname == host]


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    """Make any real connection attempt (or DNS lookup) raise."""

    def refuse(*args, **kwargs):
        raise AssertionError(f"network access attempted in a test: {args!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


@pytest.fixture
def api(monkeypatch) -> FakeServer:
    """The fake World Bank and UN Comtrade server, installed where both libraries' requests meet."""
    server = FakeServer()
    monkeypatch.setattr(
        urllib3.connectionpool.HTTPConnectionPool,
        "urlopen",
        lambda pool, method, url, *args, **kwargs: server.urlopen(
            pool, method, url, *args, **kwargs
        ),
    )
    return server


def test_the_network_guard_blocks_connections():
    with pytest.raises(AssertionError, match="network access"):
        socket.create_connection(("api.worldbank.org", 443), timeout=1)


# World Bank ---------------------------------------------------------------------------------------


def test_fetch_wdi_parses_the_data_endpoint(api):
    api.serve(WB_HOST, "wdi_gdp_pop_2011.json")
    frame = fetch_wdi(["KOR", "chn", "JPN"], 2011)
    assert list(frame.columns) == WDI_COLUMNS
    assert frame["iso3"].tolist() == ["CHN", "JPN", "KOR"]
    assert frame["country"].tolist() == ["China", "Japan", "Korea, Rep."]
    assert [str(t) for t in frame.dtypes] == ["string", "string", "int64", "float64", "int64"]
    assert (frame["year"] == 2011).all()
    chn = frame.set_index("iso3").loc["CHN"]
    assert chn["gdp_current_usd"] == 7572553836875.34
    assert chn["population"] == 1344130000
    assert frame.set_index("iso3").loc["KOR", "population"] == 49779440


def test_fetch_wdi_asks_for_both_indicators_in_one_request(api):
    api.serve(WB_HOST, "wdi_gdp_pop_2011.json")
    fetch_wdi(["CHN", "JPN", "KOR"], 2011)
    assert len(api.calls) == 1
    call = api.calls[0]
    assert (call.scheme, call.hostname) == ("https", WB_HOST)
    segments = call.path.split("/")
    assert segments[:5] == ["", "v2", "en", "sources", "2"]
    dims = dict(zip(segments[5::2], segments[6::2], strict=True))
    assert set(dims["series"].split(";")) == {"NY.GDP.MKTP.CD", "SP.POP.TOTL"}
    assert dims["country"].split(";") == ["CHN", "JPN", "KOR"]
    assert dims["time"] == "YR2011"
    assert api.queries(WB_HOST)[0]["format"] == ["json"]


def test_fetch_wdi_refuses_a_missing_value(api):
    payload = fixture_json("wdi_gdp_pop_2011.json")
    payload["source"]["data"][-1]["value"] = None  # KOR population
    api.serve(WB_HOST, payload)
    with pytest.raises(RefreshError, match=r"World Bank API: no 2011 value for KOR SP\.POP\.TOTL"):
        fetch_wdi(["CHN", "JPN", "KOR"])


def test_fetch_wdi_refuses_an_economy_the_api_did_not_return(api):
    api.serve(WB_HOST, "wdi_gdp_pop_2011.json")
    with pytest.raises(RefreshError, match=r"DEU NY\.GDP\.MKTP\.CD, DEU SP\.POP\.TOTL"):
        fetch_wdi(["CHN", "DEU", "JPN", "KOR"])


def test_fetch_wdi_reports_the_api_error_message(api):
    api.serve(WB_HOST, "wdi_error_invalid_value.json")
    with pytest.raises(
        RefreshError,
        match=r"World Bank API.*Invalid value: The provided parameter value is not valid",
    ):
        fetch_wdi(["CHN", "XXX"])


def test_fetch_wdi_refuses_a_record_without_its_concepts(api):
    payload = fixture_json("wdi_gdp_pop_2011.json")
    del payload["source"]["data"][0]["variable"][0]  # the Country concept
    api.serve(WB_HOST, payload)
    with pytest.raises(RefreshError, match=r"World Bank API: unexpected data record.*'country'"):
        fetch_wdi(["CHN", "JPN", "KOR"])


# UN Comtrade --------------------------------------------------------------------------------------


def test_fetch_comtrade_returns_tidy_rows_without_the_world(api):
    api.serve(COMTRADE_HOST, "comtrade_china_hs_49_95_97_synthetic.json")
    frame = fetch_comtrade_cultural(KEY, [2011])
    assert list(frame.columns) == COMTRADE_COLUMNS
    assert frame.dtypes.astype(str).tolist() == [
        "string",
        "string",
        "int64",
        "int64",
        "string",
        "string",
        "float64",
    ]
    assert len(frame) == 4  # five records in the fixture, one of them the World aggregate
    assert 0 not in frame["partner_code"].tolist() and "W00" not in frame["partner_iso3"].tolist()
    assert set(frame["reporter_iso3"]) == {"CHN"}
    assert set(frame["hs_chapter"]) == {"49", "95", "97"}
    row = frame.set_index(["partner_iso3", "flow", "hs_chapter"]).loc[("JPN", "M", "97")]
    assert (row["partner_code"], row["year"], row["trade_value_usd"]) == (392, 2011, 2222222.0)


def test_fetch_comtrade_keeps_the_world_when_asked(api):
    api.serve(COMTRADE_HOST, "comtrade_china_hs_49_95_97_synthetic.json")
    frame = fetch_comtrade_cultural(KEY, [2011], include_world=True)
    world = frame[frame["partner_code"] == 0]
    assert len(frame) == 5
    assert world[["partner_iso3", "flow", "hs_chapter"]].values.tolist() == [["W00", "X", "49"]]


def test_fetch_comtrade_asks_for_china_hs_49_95_97_both_flows(api):
    api.serve(COMTRADE_HOST, "comtrade_china_hs_49_95_97_synthetic.json")
    fetch_comtrade_cultural(KEY, [2010, 2011], partners=[392, 410])
    assert len(api.calls) == 1
    assert (api.calls[0].scheme, api.calls[0].path) == ("https", "/data/v1/get/C/A/HS")
    query = api.queries(COMTRADE_HOST)[0]
    assert query["reportercode"] == ["156"]  # comtradeapicall sends this parameter in lower case
    assert set(query["cmdCode"][0].split(",")) == {"49", "95", "97"}
    assert set(query["flowCode"][0].split(",")) == {"X", "M"}
    assert query["period"] == ["2010,2011"]
    assert query["partnerCode"] == ["392,410"]
    assert query["breakdownMode"] == ["classic"]
    assert query["subscription-key"] == [KEY]


def test_fetch_comtrade_reports_an_http_error_without_leaking_the_key(api):
    api.serve(COMTRADE_HOST, "comtrade_error_401.json", status=401)
    with pytest.raises(RefreshError) as caught:
        fetch_comtrade_cultural(KEY, [2011])
    message = str(caught.value)
    assert message.startswith(
        "UN Comtrade API (getFinalData: reporter 156, HS 49,95,97, period 2011)"
    )
    assert "Access denied due to invalid subscription key" in message
    assert KEY not in message


def test_fetch_comtrade_refuses_zero_rows(api):
    api.serve(COMTRADE_HOST, "comtrade_empty.json")
    with pytest.raises(RefreshError, match=r"UN Comtrade API .*returned zero rows"):
        fetch_comtrade_cultural(KEY, [2011])


def test_fetch_comtrade_refuses_records_missing_a_field(api):
    payload = fixture_json("comtrade_china_hs_49_95_97_synthetic.json")
    for record in payload["data"]:
        del record["primaryValue"]
    api.serve(COMTRADE_HOST, payload)
    with pytest.raises(RefreshError, match=r"lacks field.*primaryValue"):
        fetch_comtrade_cultural(KEY, [2011])


def test_fetch_comtrade_refuses_a_breakdown_with_duplicate_rows(api):
    payload = fixture_json("comtrade_china_hs_49_95_97_synthetic.json")
    payload["data"].append(dict(payload["data"][1], motCode=1000))
    api.serve(COMTRADE_HOST, payload)
    with pytest.raises(
        RefreshError, match="several records per partner_code, year, flow, hs_chapter"
    ):
        fetch_comtrade_cultural(KEY, [2011])


def test_fetch_comtrade_needs_a_key_and_sends_nothing_without_one(api):
    with pytest.raises(RefreshError, match="UN Comtrade API: a subscription key is required"):
        fetch_comtrade_cultural("", [2011])
    assert api.calls == []


# Writing and the command lines --------------------------------------------------------------------


def test_write_csv_is_utf8_lf_without_index_and_prints_the_checksum(tmp_path, capsys):
    frame = pd.DataFrame({"iso3": ["KOR"], "country": ["Korea, Rep."], "population": [49779440]})
    path = tmp_path / "sub" / "out.csv"
    digest = write_csv(frame, path)
    data = path.read_bytes()
    assert data == b'iso3,country,population\nKOR,"Korea, Rep.",49779440\n'
    assert digest == hashlib.sha256(data).hexdigest()
    out = capsys.readouterr().out
    assert f"sha256:{digest}" in out and "data/datapackage.json" in out


def test_refresh_wdi_cli_writes_the_csv(api, tmp_path, capsys):
    api.serve(WB_HOST, "wdi_gdp_pop_2011.json")
    out = tmp_path / "wdi.csv"
    refresh_commands.refresh_wdi(["--iso3", "CHN", "JPN", "KOR", "--out", str(out)])
    assert out.read_text(encoding="utf-8") == (
        "iso3,country,year,gdp_current_usd,population\n"
        "CHN,China,2011,7572553836875.34,1344130000\n"
        "JPN,Japan,2011,6157459594823.72,127817277\n"
        'KOR,"Korea, Rep.",2011,1202463682633.85,49779440\n'
    )
    assert "sha256:" in capsys.readouterr().out


def test_refresh_wdi_cli_defaults():
    assert len(set(refresh_commands.WDI_ISO3)) == 17 and "CHN" in refresh_commands.WDI_ISO3
    assert refresh_commands.WDI_OUT == ROOT / "data" / "wdi_2011.csv"


def test_refresh_comtrade_cli_without_a_key_fails_clearly(api, monkeypatch, capsys):
    monkeypatch.delenv("COMTRADE_API_KEY", raising=False)
    with pytest.raises(SystemExit) as caught:
        refresh_commands.refresh_comtrade(["--years", "2011"])
    assert caught.value.code == 2
    assert "COMTRADE_API_KEY" in capsys.readouterr().err
    assert api.calls == []


def test_refresh_comtrade_cli_reads_the_key_from_the_environment(api, monkeypatch, tmp_path):
    monkeypatch.setenv("COMTRADE_API_KEY", KEY)
    api.serve(COMTRADE_HOST, "comtrade_china_hs_49_95_97_synthetic.json")
    out = tmp_path / "comtrade.csv"
    refresh_commands.refresh_comtrade(["--out", str(out)])
    assert api.queries(COMTRADE_HOST)[0]["subscription-key"] == [KEY]
    written = pd.read_csv(out)
    assert list(written.columns) == COMTRADE_COLUMNS and len(written) == 4


def test_refresh_comtrade_cli_turns_an_api_error_into_a_message(api):
    api.serve(COMTRADE_HOST, "comtrade_empty.json")
    with pytest.raises(SystemExit) as caught:
        refresh_commands.refresh_comtrade(["--key", KEY, "--out", "/nonexistent/never-written.csv"])
    assert ": error: UN Comtrade API" in str(
        caught.value.code
    )  # the program name depends on argv[0]
    assert "zero rows" in str(caught.value.code)
