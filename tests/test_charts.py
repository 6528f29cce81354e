"""The offline chart renderer: HTML that fetches nothing, a PNG for the PDF, a text alternative."""

import base64
import json
import re
from urllib.parse import unquote

import altair as alt
import pandas as pd
import pytest
import vl_convert as vlc

from cjtrade import charts


@pytest.fixture(autouse=True)
def book_charts(monkeypatch):
    monkeypatch.setenv(charts.BUILD_FLAG, "1")
    charts.enable()
    yield
    alt.renderers.enable("default")
    alt.theme.enable("default")


def line_chart(description="Exports rise from 1 to 3"):
    frame = pd.DataFrame({"year": [2010, 2011, 2012], "value": [1.0, 2.0, 3.0]})
    options = {"description": description} if description else {}
    return alt.Chart(frame, **options).mark_line().encode(x="year:O", y="value:Q")


def test_chart_output_has_html_png_and_text_alternative():
    bundle = line_chart()._repr_mimebundle_()
    assert set(bundle) == {"text/html", "image/png", "text/plain"}
    assert bundle["text/plain"] == "Exports rise from 1 to 3"
    assert base64.b64decode(bundle["image/png"]).startswith(b"\x89PNG\r\n\x1a\n")


def test_chart_html_loads_nothing_from_the_network():
    chart = line_chart()
    html = chart._repr_mimebundle_()["text/html"]
    # The only addresses are identifiers, never fetched: the spec's "$schema" (vega-embed reads
    # it) and the SVG namespaces of the drawing.
    identifiers = [chart.to_dict()["$schema"], "http://www.w3.org/2000/svg"]
    identifiers.append("http://www.w3.org/1999/xlink")
    for identifier in identifiers:
        html = html.replace(identifier, "")
    assert "http://" not in html and "https://" not in html
    assert "<script src" not in html
    assert 'aria-label="Exports rise from 1 to 3"' in html


def test_chart_is_drawn_as_an_svg_image_before_any_script_runs():
    html = line_chart()._repr_mimebundle_()["text/html"]
    image = re.search(r'<div id="vis-[0-9a-f]+" class="cjtrade-chart"[^>]*><img ([^>]*)>', html)
    assert image, html[:300]
    source = re.search(r'src="data:image/svg\+xml,([^"]*)"', image.group(1)).group(1)
    assert unquote(source).startswith("<svg")
    assert re.search(r'width="\d+" height="\d+" alt=""', image.group(1))
    assert 'loading="lazy"' in image.group(1)  # parsed only when it comes near the screen
    assert html.index("</div>") < html.index("<script")


def test_chart_spec_is_stored_for_the_interactive_view():
    chart = line_chart()
    html = chart._repr_mimebundle_()["text/html"]
    element = re.search(r'<div id="(vis-[0-9a-f]+)"', html).group(1)
    stored = re.search(
        rf'<script type="application/json" id="{element}-spec">(.*?)</script>', html, re.S
    )
    assert json.loads(stored.group(1)) == chart.to_dict()


def test_chart_drawn_after_the_page_loaded_is_handed_to_the_loader():
    html = line_chart()._repr_mimebundle_()["text/html"]
    element = re.search(r'<div id="(vis-[0-9a-f]+)"', html).group(1)
    assert f"window.cjtradeChart && window.cjtradeChart('{element}')" in html


def test_same_chart_gets_same_element_id():
    first = line_chart()._repr_mimebundle_()["text/html"]
    second = line_chart()._repr_mimebundle_()["text/html"]
    assert first == second


def test_chart_without_description_is_refused():
    with pytest.raises(charts.ChartDescriptionMissing, match="needs a description"):
        line_chart(description="")._repr_mimebundle_()


def test_theme_sets_colour_blind_safe_palette():
    spec = line_chart().to_dict()
    assert spec["config"]["range"]["category"] == charts.PALETTE


def test_outside_the_book_build_altairs_own_renderer_draws_the_gapped_spec(monkeypatch):
    alt.renderers.enable("default")
    monkeypatch.delenv(charts.BUILD_FLAG)
    charts.enable()
    assert alt.renderers.active == charts.NOTEBOOK_RENDERER
    assert alt.theme.active == charts.THEME
    html = gapped_chart()._repr_mimebundle_()["text/html"]  # Altair's own (outside Jupyter)
    assert re.search(r'"impute":\s*"value"', html)


def gapped_chart(mark="line"):
    """Two series: one with a hole (2012, 2013 missing), one with values 2002 and 2020 only."""
    frame = pd.DataFrame(
        {
            "year": [2010, 2011, 2014, 2015, 2002, 2020],
            "value": [1.0, 2.0, 3.0, 4.0, 5.0, 6.0],
            "series": ["a"] * 4 + ["b"] * 2,
        }
    )
    chart = alt.Chart(frame, description="Two series with gaps")
    return getattr(chart, f"mark_{mark}")().encode(x="year:Q", y="value:Q", color="series:N")


def test_a_line_breaks_at_missing_years_and_shows_its_points():
    spec = charts.break_lines_at_gaps(gapped_chart().to_dict())
    assert spec["transform"] == [
        {
            "impute": "value",
            "key": "year",
            "groupby": ["series"],
            "keyvals": list(range(2002, 2021)),
            "value": None,
        }
    ]
    assert spec["mark"] == {"type": "line", "point": True}
    svg = vlc.vegalite_to_svg(spec)
    line = re.search(r'aria-roledescription="line mark" d="([^"]*)"[^>]*stroke="#0072B2"', svg)
    assert line.group(1).count("M") == 2  # series a: 2010-2011, then 2014-2015


def test_charts_without_gaps_or_lines_are_left_alone():
    whole = pd.DataFrame({"year": [2010, 2011, 2012], "value": [1.0, 2.0, 3.0]})
    chart = alt.Chart(whole).mark_line().encode(x="year:Q", y="value:Q")
    assert charts.break_lines_at_gaps(chart.to_dict()) == chart.to_dict()
    every_fourth = whole.assign(year=[1986, 1990, 1994])  # data every four years: no gap
    chart = alt.Chart(every_fourth).mark_line().encode(x="year:O", y="value:Q")
    assert charts.break_lines_at_gaps(chart.to_dict()) == chart.to_dict()
    bars = gapped_chart("bar").to_dict()
    assert charts.break_lines_at_gaps(bars) == bars


def test_lines_in_layers_and_facets_break_per_series_and_panel():
    base = gapped_chart()
    layered = charts.break_lines_at_gaps((base + base.mark_point()).to_dict())
    assert "transform" in layered["layer"][0] and "transform" not in layered["layer"][1]
    faceted = charts.break_lines_at_gaps(base.facet(column="series:N").to_dict())
    assert faceted["spec"]["transform"][0]["groupby"] == ["series"]


def test_marked_lines_have_one_legend_that_shows_colour_and_marker_and_highlights():
    base = alt.Chart(gapped_chart().data, description="Two series with gaps").encode(
        x="year:Q", y="value:Q"
    )
    spec = charts.break_lines_at_gaps(charts.marked_lines(base, "series").to_dict())
    svg = vlc.vegalite_to_svg(spec)
    legends = re.findall(r'aria-label="([^"]*legend[^"]*)"', svg)
    assert legends == ["Symbol legend for shape and fill color with 2 values: a, b"]
    # each entry's marker has its line's colour
    symbol_fills = re.findall(r'series_legend_symbols"><path [^>]*fill="([^"]*)"', svg)
    line_strokes = re.findall(r'"line mark" d="[^"]*"[^>]*stroke="([^"]*)"', svg)
    assert len(set(symbol_fills)) == 2 and set(symbol_fills) == set(line_strokes)
    # the legend takes clicks (the selection is bound to the legend that exists)
    legend = vlc.vegalite_to_vega(spec)["legends"][0]
    assert legend["encode"]["symbols"]["interactive"] is True
    # the line still breaks at the gap, and draws no second set of points over the markers
    line, points = spec["layer"]
    assert line["transform"][0]["groupby"] == ["series"] and line["mark"]["point"] is False
    assert points["mark"]["type"] == "point" and "transform" not in points


def test_legends_stack_below_the_chart_and_x_labels_never_overprint():
    config = charts.theme()["config"]
    assert config["legend"]["orient"] == "bottom" and config["legend"]["direction"] == "vertical"
    assert config["legend"]["layout"]["bottom"]["direction"] == "vertical"
    assert config["axisX"]["labelOverlap"] is True
