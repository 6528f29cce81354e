"""Chart theme and an offline renderer for Altair, so charts work in the HTML book and the PDF.

Altair's default renderer loads Vega, Vega-Lite and vega-embed from a CDN, so a chart is blank
offline. The book's renderer instead emits

- ``text/html``: the chart drawn as an SVG image by vl-convert, and its spec, which the site's chart
  loader turns into the interactive Vega view (Vega served by the site itself, loaded only when a
  chart comes into view or is touched; see :func:`_html`);
- ``image/png``: the same chart drawn by vl-convert, which the LaTeX/PDF builder picks;
- ``text/plain``: the chart's description, the text alternative for screen readers.

Call :func:`enable` once at the top of a chapter. The offline renderer is used only while the book
is being built (the build sets ``CJTRADE_BOOK_BUILD``); in a notebook a student runs in Jupyter,
Altair's own renderer draws the charts, with the book's theme.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
from urllib.parse import quote

import altair as alt
import vl_convert as vlc

from cjtrade.environment import BUILD_FLAG

THEME = "cjtrade"
RENDERER = "cjtrade-offline"
PNG_SCALE = 2
WIDTH = 560
HEIGHT = 300

FADED = 0.15  # opacity of the series a legend selection does not pick

# Okabe–Ito palette: distinguishable with the common forms of colour blindness.
PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000"]


def theme() -> alt.theme.ThemeConfig:
    """Return the book's chart theme: readable fonts, a colour-blind-safe palette, fixed size."""
    return {
        "config": {
            "view": {"continuousWidth": WIDTH, "continuousHeight": HEIGHT, "stroke": None},
            "font": "Noto Sans, Helvetica, Arial, sans-serif",
            "range": {"category": PALETTE},
            "axis": {"labelFontSize": 12, "titleFontSize": 13, "gridColor": "#e6e6e6"},
            "legend": {
                "labelFontSize": 12,
                "titleFontSize": 13,
                "orient": "bottom",
                "labelLimit": 320,
            },
            "title": {"fontSize": 15, "anchor": "start"},
        }
    }


def legend_highlight(field: str) -> tuple[alt.Parameter, alt.ConditionalValueDefnumberExprRef]:
    """Return a legend selection on *field* and the opacity encoding it drives.

    Add the selection to the chart (``.add_params``) and encode ``opacity`` with the second item:
    clicking a legend entry then highlights that series and fades the others.
    """
    pick = alt.selection_point(fields=[field], bind="legend")
    return pick, alt.condition(pick, alt.value(1.0), alt.value(FADED))


class ChartDescriptionMissing(ValueError):
    """A chart has no ``description``: it would have no text alternative for screen readers."""


def _element_id(spec: dict) -> str:
    """Return an element id derived from the spec, so two builds write identical HTML."""
    digest = hashlib.sha256(json.dumps(spec, sort_keys=True).encode("utf-8")).hexdigest()
    return f"vis-{digest[:12]}"


def _image(spec: dict) -> str:
    """Return the chart drawn by vl-convert as an ``<img>`` holding its SVG (a ``data:`` address).

    One element, where the same SVG inline would add hundreds (every tick and label) for the
    browser to style and lay out before the page can respond; loaded lazily, so the browser parses
    the drawings below the screen only when they come near it. The figure around it carries the
    text alternative, so the image itself is marked decorative.
    """
    svg = vlc.vegalite_to_svg(spec)
    width, height = re.search(r'<svg[^>]*\bwidth="([\d.]+)"[^>]*\bheight="([\d.]+)"', svg).groups()
    source = "data:image/svg+xml," + quote(svg, safe=" =:/;,'()!*-._~")
    return (
        f'<img loading="lazy" decoding="async" src="{source}" '
        f'width="{width}" height="{height}" alt="">'
    )


def _html(spec: dict, description: str) -> str:
    """Return the chart's static drawing, its spec, and the call that makes it interactive.

    The drawing (vl-convert's SVG of the same spec, as an image) is in the page, so a reader sees
    the chart as soon as the page paints, without any script. The book's chart loader
    (``_static/cjtrade-charts.js``) swaps in the interactive Vega view (tooltips, legend
    selection), loading the Vega bundle only when a chart comes into view or is touched. A chart
    drawn after the page has loaded (a cell run in the live edition) is handed to the loader at
    once; without a loader, the drawing stays.
    """
    element = _element_id(spec)
    label = description.replace('"', "&quot;")
    payload = json.dumps(spec, sort_keys=True).replace("</", "<\\/")
    return (
        f'<div id="{element}" class="cjtrade-chart" role="figure" aria-label="{label}">'
        f"{_image(spec)}</div>\n"
        f'<script type="application/json" id="{element}-spec">{payload}</script>\n'
        f"<script>window.cjtradeChart && window.cjtradeChart('{element}');</script>"
    )


def render(spec: dict, **_: object) -> dict:
    """Altair renderer: return the HTML, PNG and text versions of a Vega-Lite *spec*."""
    description = spec.get("description")
    if not description:
        raise ChartDescriptionMissing(
            "every chart needs a description (alt.Chart(..., description='...'); for a faceted, "
            "layered or concatenated chart, set it on the outer chart with "
            ".properties(description='...')): it is the text alternative shown to screen readers "
            "and in the PDF"
        )
    png = vlc.vegalite_to_png(spec, scale=PNG_SCALE)
    return {
        "text/html": _html(spec, description),
        "image/png": base64.b64encode(png).decode("ascii"),
        "text/plain": description,
    }


def enable() -> None:
    """Use the book's theme for every Altair chart, and its offline renderer in the book build."""
    if THEME not in alt.theme.names():
        alt.theme.register(THEME, enable=False)(theme)
    alt.theme.enable(THEME)
    if os.environ.get(BUILD_FLAG):
        alt.renderers.register(RENDERER, render)
        alt.renderers.enable(RENDERER)
