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

Either way a line never bridges a gap in its data: where a series has no value for a year inside
its span, its line breaks and its points are drawn (:func:`break_lines_at_gaps`), so a reader
sees which years are missing instead of a straight line across them.
"""

from __future__ import annotations

import base64
import hashlib
import itertools
import json
import os
import re
from urllib.parse import quote

import altair as alt
import vl_convert as vlc

from cjtrade.environment import BUILD_FLAG

THEME = "cjtrade"
RENDERER = "cjtrade-offline"
NOTEBOOK_RENDERER = "cjtrade-notebook"  # Altair's own renderer, lines broken at gaps
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
            # labelSeparation: room between labels for a reader's font, which may be wider than
            # the one the drawing was laid out with
            "axis": {
                "labelFontSize": 12,
                "titleFontSize": 13,
                "gridColor": "#e6e6e6",
                "labelSeparation": 4,
            },
            # Years along the x axis: where the chart is too narrow for every label (a phone),
            # every other one is left out instead of printing them over each other.
            "axisX": {"labelOverlap": True},
            # Below the chart, one entry a line: a legend never makes a chart wider than its
            # plot, on a phone or in the PDF.
            "legend": {
                "labelFontSize": 12,
                "titleFontSize": 13,
                "orient": "bottom",
                "direction": "vertical",
                "labelLimit": 320,
                # two legends (colour and shape) one above the other, not side by side
                "layout": {"bottom": {"direction": "vertical", "anchor": "start"}},
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


def marked_lines(base: alt.Chart, field: str) -> alt.LayerChart:
    """Return *base* drawn as a line and a filled marker per value of *field*, under one legend.

    Vega-Lite gives a line with points that are coloured and shaped by one field two legends for
    one list of series: colour for the line, shape for the points. Here the line takes its
    colour through ``stroke`` with no legend of its own and the points carry colour and shape,
    so a single legend shows each series' colour and marker, and a reader who cannot tell the
    colours apart (or reads the PDF in grey) still can tell the series. Clicking a legend entry
    highlights its series (:func:`legend_highlight`); the selection sits on the points, whose
    legend it binds to. The line draws no points of its own, so where it breaks at a missing
    year (:func:`break_lines_at_gaps`) the markers are the points.
    """
    pick, highlight = legend_highlight(field)
    series = f"{field}:N"
    lines = base.mark_line(point=False).encode(
        stroke=alt.Stroke(series, legend=None), opacity=highlight
    )
    points = (
        base.mark_point(filled=True, size=45)
        .encode(
            color=alt.Color(series, title=None),
            shape=alt.Shape(series, title=None),
            opacity=highlight,
        )
        .add_params(pick)
    )
    return alt.layer(lines, points)


PATH_MARKS = {"line", "trail", "area"}
GROUPING_CHANNELS = (
    "color",
    "stroke",
    "fill",
    "detail",
    "shape",
    "strokeDash",
    "row",
    "column",
    "facet",
)


def _mark_type(unit: dict) -> str | None:
    mark = unit.get("mark")
    return mark.get("type") if isinstance(mark, dict) else mark


def _field(encoding: dict, channel: str) -> str | None:
    definition = encoding.get(channel)
    return definition.get("field") if isinstance(definition, dict) else None


def _rows(spec: dict, data: dict | None) -> list[dict] | None:
    """The rows of *data* (inline values or a named dataset of the top-level *spec*)."""
    if not data:
        return None
    if "values" in data:
        return data["values"]
    return spec.get("datasets", {}).get(data.get("name"))


def _year_grid(years: set[int]) -> list[int]:
    """The years a yearly series is expected to have: those any series has, and those between at
    the data's usual step (1 for annual data; 4 for data every four years)."""
    ordered = sorted(years)
    steps = [b - a for a, b in itertools.pairwise(ordered)]
    if not steps:
        return ordered
    step = max(set(steps), key=steps.count)
    if any((year - ordered[0]) % step for year in ordered):
        return ordered
    return sorted(years | set(range(ordered[0], ordered[-1] + 1, step)))


def _missing_years(rows: list[dict], x: str, y: str, groups: list[str]) -> list[int] | None:
    """The year grid of *rows* (:func:`_year_grid`), if some group lacks a year of it inside its
    own span; None if none does, or if *x* is not a year (an integer)."""
    series: dict[tuple, set[int]] = {}
    for row in rows:
        value = row.get(x)
        if row.get(y) is None or isinstance(value, bool) or not isinstance(value, int | float):
            continue
        if value != int(value):
            return None
        series.setdefault(tuple(row.get(g) for g in groups), set()).add(int(value))
    if not series:
        return None
    grid = _year_grid(set().union(*series.values()))
    for years in series.values():
        if any(min(years) < year < max(years) and year not in years for year in grid):
            return grid
    return None


def _break_unit(spec: dict, unit: dict, data: dict | None, encoding: dict, groups: list) -> None:
    if _mark_type(unit) not in PATH_MARKS or unit.get("transform"):
        return  # only lines drawn straight from their data: a transform's output is not known
    x, y = _field(encoding, "x"), _field(encoding, "y")
    rows = _rows(spec, data)
    if not (x and y and rows):
        return
    by = groups + [f for c in GROUPING_CHANNELS if (f := _field(encoding, c)) and f not in groups]
    grid = _missing_years(rows, x, y, by)
    if grid is None:
        return
    # Each missing year becomes a row with no value, where Vega breaks the line; points show the
    # values a break leaves alone.
    unit["transform"] = [
        {
            "impute": y,
            "key": x,
            "groupby": by,
            "keyvals": grid,
            "value": None,
        }
    ]
    mark = unit["mark"] if isinstance(unit["mark"], dict) else {"type": unit["mark"]}
    if mark.get("point") is not False:  # False: another layer draws the points
        unit["mark"] = {**mark, "point": mark.get("point") or True}


def _walk(spec: dict, node: dict, data: dict | None, encoding: dict, groups: list) -> None:
    data = node.get("data", data)
    encoding = {**encoding, **node.get("encoding", {})}
    if "facet" in node:
        facet = node["facet"]
        fields = [facet.get("field")] + [_field(facet, c) for c in ("row", "column")]
        groups = groups + [f for f in fields if f]
    if "mark" in node:
        _break_unit(spec, node, data, encoding, groups)
    for key in ("layer", "hconcat", "vconcat", "concat"):
        for child in node.get(key, []):
            _walk(spec, child, data, encoding if key == "layer" else {}, groups)
    if isinstance(node.get("spec"), dict):
        _walk(spec, node["spec"], data, {}, groups)


def break_lines_at_gaps(spec: dict) -> dict:
    """Return *spec* with every line that would bridge a missing year broken there.

    A line drawn from yearly data joins the years it has: a series with values for 2002 and 2020
    only is drawn as a straight line between them, as if the years between were known. For each
    line (or area) with a series that lacks a year inside its span (a year another series has, or
    one between at the data's usual step), the missing years are imputed as empty values (so Vega
    breaks the line) and the points are drawn. Other charts are returned unchanged.
    """
    spec = json.loads(json.dumps(spec))
    _walk(spec, spec, None, {}, [])
    return spec


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
    spec = break_lines_at_gaps(spec)
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
    """Use the book's theme for every Altair chart, and its offline renderer in the book build
    (elsewhere, Altair's own renderer, with lines broken at gaps)."""
    if THEME not in alt.theme.names():
        alt.theme.register(THEME, enable=False)(theme)
    alt.theme.enable(THEME)
    if os.environ.get(BUILD_FLAG):
        alt.renderers.register(RENDERER, render)
        alt.renderers.enable(RENDERER)
    elif alt.renderers.active != NOTEBOOK_RENDERER:
        altairs = alt.renderers.get()  # the renderer Jupyter would use: draws the gapped spec

        def notebook_renderer(spec: dict, **options: object) -> dict:
            return altairs(break_lines_at_gaps(spec), **options)

        alt.renderers.register(NOTEBOOK_RENDERER, notebook_renderer)
        alt.renderers.enable(NOTEBOOK_RENDERER)
