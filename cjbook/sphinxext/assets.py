"""Offline, light pages: Vega and MathJax served by the site itself, only where a page needs them.

Vega, Vega-Lite and vega-embed (``vl_convert.javascript_bundle``) and MathJax's HTML-output build
(``tex-chtml``, half the size of its SVG build; from the ``mathjax`` package, fonts beside it) are
written to a static folder of the build, so no page asks another host for anything. The Vega
bundle (about 1 MB) is left out of pages that draw no chart. A small stylesheet fixes the
contrast of links in exercise boxes. Kernels started by the build inherit
:data:`cjtrade.charts.BUILD_FLAG`, which tells the book's charts to draw with the offline renderer.
"""

from __future__ import annotations

import os
import shutil
from importlib.resources import as_file, files
from pathlib import Path

import vl_convert as vlc
from sphinx.application import Sphinx

from cjtrade.charts import BUILD_FLAG

VEGA_BUNDLE = "vega-bundle.js"
STYLESHEET = "cjtrade.css"
MATHJAX_FILE = "mathjax/tex-chtml.js"
MATHJAX_FONTS = "output/chtml/fonts/woff-v2"
STATIC = Path(__file__).resolve().parent.parent / "static"


def asset_dir(app: Sphinx) -> Path:
    """The build's own folder of static files, beside the output (kept between builds)."""
    return Path(app.outdir).parent / ".cjtrade-static"


def _starts_with(path: Path, header: str) -> bool:
    """True if the file at *path* exists and begins with *header* (reads only that much)."""
    if not path.exists():
        return False
    with path.open(encoding="utf-8") as handle:
        return handle.read(len(header)) == header


def _write_vega_bundle(target: Path) -> None:
    bundle = target / VEGA_BUNDLE
    header = f"/* Vega, Vega-Lite and vega-embed, bundled by vl-convert {vlc.__version__} */\n"
    if not _starts_with(bundle, header):
        target.mkdir(parents=True, exist_ok=True)
        # Wrapped in a function so the bundle's top-level names cannot clash with other scripts.
        script = "(function(){\n" + vlc.javascript_bundle() + "\n})();\n"
        bundle.write_text(header + script, encoding="utf-8")


def _write_mathjax(target: Path) -> None:
    mathjax = target / MATHJAX_FILE
    if not mathjax.exists():
        mathjax.parent.mkdir(parents=True, exist_ok=True)
        es5 = files("mathjax").joinpath("static/mathjax/es5")
        mathjax.write_bytes(es5.joinpath("tex-chtml.js").read_bytes())
        with as_file(es5.joinpath(MATHJAX_FONTS)) as fonts:  # fetched relative to tex-chtml.js
            shutil.copytree(fonts, mathjax.parent / MATHJAX_FONTS, dirs_exist_ok=True)


def write_offline_assets(app: Sphinx, config) -> None:
    """Write the Vega bundle, MathJax and the stylesheet, and point the configuration at them."""
    target = asset_dir(app)
    _write_vega_bundle(target)
    _write_mathjax(target)
    shutil.copyfile(STATIC / STYLESHEET, target / STYLESHEET)
    config.html_static_path = [*config.html_static_path, str(target)]
    config.html_css_files = [*config.html_css_files, STYLESHEET]
    config.html_js_files = [*config.html_js_files, (VEGA_BUNDLE, {"defer": "defer"})]
    config.mathjax_path = MATHJAX_FILE
    os.environ[BUILD_FLAG] = "1"  # kernels this build starts draw charts with the offline renderer


def load_vega_only_with_charts(app: Sphinx, pagename, templatename, context, doctree) -> None:
    """Leave the Vega bundle (about 1 MB) out of pages that draw no chart."""
    if "vegaEmbed(" not in context.get("body", ""):
        scripts = context.get("script_files", [])
        context["script_files"] = [s for s in scripts if Path(s.filename or "").name != VEGA_BUNDLE]


def setup(app: Sphinx) -> dict:
    app.connect("config-inited", write_offline_assets)
    app.connect("html-page-context", load_vega_only_with_charts)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
