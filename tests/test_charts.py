"""The offline chart renderer: HTML that fetches nothing, a PNG for the PDF, a text alternative."""

import base64
import json
import re
from urllib.parse import unquote

import altair as alt
import pandas as pd
import pytest

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


def test_outside_the_book_build_altairs_own_renderer_is_kept(monkeypatch):
    alt.renderers.enable("default")
    monkeypatch.delenv(charts.BUILD_FLAG)
    charts.enable()
    assert alt.renderers.active == "default"
    assert alt.theme.active == charts.THEME
