"""Live code: in the live edition, code cells run with Thebe on the local Jupyter server.

With ``cjbook_live_server`` set (``{"url": ..., "token": ...}``, see :mod:`cjbook.live`),
sphinx-thebe loads Thebe from ``_static/thebe`` (a copy of the pinned bundle) instead of a CDN,
and every notebook page tells Thebe to start its kernel on that server. The default edition has no
server, so it offers no button that could only fail.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import PurePosixPath

from sphinx.application import Sphinx

from cjbook.live import THEBE_LIB
from cjbook.sphinxext.assets import STATIC, asset_dir

THEBE_JS = "thebe/index.js"
LIVE_CODE_FILES = ("live-code.js", "live-code.css")
BUTTON = {
    "type": "javascript",
    "javascript": "initThebeSBT()",
    "icon": "fas fa-play",
    "label": "launch-thebe",
    "text": "Live Code",
    "tooltip": "Run this page's code on the local Jupyter server",
}
BUTTON_GROUP = {
    "type": "group",
    "tooltip": "Launch interactive content",
    "icon": "fas fa-rocket",
    "label": "launch-buttons",
}


def add_live_code(app: Sphinx, config) -> None:
    """In the live edition, copy Thebe (no source maps) and the live-code glue to _static."""
    if not config.cjbook_live_server:
        return
    if not (THEBE_LIB / "index.js").exists():
        raise FileNotFoundError(f"no Thebe bundle in {THEBE_LIB}: run `make thebe`")
    target = asset_dir(app)
    shutil.rmtree(target / "thebe", ignore_errors=True)
    shutil.copytree(THEBE_LIB, target / "thebe", ignore=shutil.ignore_patterns("*.map", ".*"))
    for name in LIVE_CODE_FILES:
        shutil.copyfile(STATIC / name, target / name)
    app.add_js_file("live-code.js")
    app.add_css_file("thebe/thebe.css")
    app.add_css_file("live-code.css")


def _load_thebe_locally(context: dict) -> None:
    """Replace the CDN address that sphinx-thebe writes into an inline script by the local copy."""
    thebe_js = "THEBE_JS_URL = " + json.dumps(context["pathto"](f"_static/{THEBE_JS}", 1))
    scripts = []
    for script in context.get("script_files", []):
        body = script.attributes.get("body", "")
        if "THEBE_JS_URL" in body:
            body = re.sub(r'THEBE_JS_URL = "[^"]*"', thebe_js, body)
            script = type(script)(None, priority=script.priority, body=body)
        scripts.append(script)
    context["script_files"] = scripts


def offer_live_code(app: Sphinx, pagename, templatename, context, doctree) -> None:
    """Load Thebe from ``_static``; on notebook pages, add a "Live Code" button.

    The added Thebe configuration (merged with sphinx-thebe's) names the server, its token and the
    folder the page's code runs in, and turns off MathJax, which Thebe would fetch from a CDN to
    typeset LaTeX outputs. The button is the theme's own (``initThebeSBT``), added here because the
    theme offers it only for books on a public repository.
    """
    server = app.config.cjbook_live_server
    if not server:
        return
    _load_thebe_locally(context)
    kernelspec = app.env.metadata.get(pagename, {}).get("kernelspec")
    if not kernelspec:
        return
    options = {
        "mathjaxUrl": "",
        "serverSettings": {"baseUrl": server["url"], "token": server["token"]},
        "kernelOptions": {
            "kernelName": kernelspec["name"],
            "path": str(PurePosixPath(pagename).parent),
        },
    }
    context["body"] += f'\n<script type="text/x-thebe-config">{json.dumps(options)}</script>\n'
    context["header_buttons"].insert(0, {**BUTTON_GROUP, "buttons": [BUTTON]})


def setup(app: Sphinx) -> dict:
    app.add_config_value("cjbook_live_server", {}, "html")
    app.connect("config-inited", add_live_code)
    # After the theme's header buttons (priority 500), so the button group can be added to them.
    app.connect("html-page-context", offer_live_code, priority=510)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
