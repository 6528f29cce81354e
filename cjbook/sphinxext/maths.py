"""Maths drawn at build time: HTML pages carry MathJax's SVG, and the reader's browser no script.

A page whose first screen shows a formula had to fetch and run MathJax (about 0.3 MB compressed)
before the formula appeared, and Lighthouse held those pages near 0.8 on a phone (issue 14). The
build now runs MathJax itself: the same MathJax (3.2.2, from the ``mathjax`` Python package the
site served before), the same TeX input and TeX fonts, drawn as SVG, so a formula looks as it did.
Each formula also carries MathML for screen readers (MathJax's assistive MathML, which MathJax adds
in a browser too); the SVG itself is hidden from them.

MathJax runs in Node.js (``tex2svg.cjs`` beside this module): one process per build, started at
the first formula and asked for one formula at a time. TeX that MathJax cannot read (an undefined
macro, a missing brace) stops the build with the page, the line and MathJax's message; a browser
would have drawn it in red. The PDF is not affected: LaTeX typesets the same TeX.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from importlib.resources import files
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.errors import SphinxError
from sphinx.locale import _
from sphinx.util.logging import get_node_location
from sphinx.util.math import get_node_equation_number

from cjbook.files import write_if_changed

RENDERER = "cjbook-svg"
SCRIPT = Path(__file__).with_name("tex2svg.cjs")
STYLESHEET = "cjtrade-maths.css"  # the rules MathJax's SVG needs (alignment, screen-reader text)
STYLESHEET_DIR = ".cjtrade-maths"  # beside the output, like the other assets the build writes


class MathsError(SphinxError):
    category = "Maths error"


def mathjax_folder() -> Path:
    """MathJax's ``es5`` folder in the ``mathjax`` package (``node-main.js`` and its components)."""
    return Path(str(files("mathjax").joinpath("static/mathjax/es5")))


class MathJaxSVG:
    """A MathJax process in Node.js that draws TeX as SVG (each formula drawn once)."""

    def __init__(self) -> None:
        self._process: subprocess.Popen | None = None
        self._owner = 0  # the Python process that started it (a forked writer starts its own)
        self._drawn: dict[tuple[str, bool], str] = {}

    def _start(self) -> None:
        node = shutil.which("node")
        if node is None:
            raise MathsError(
                "Node.js ('node') draws the book's maths at build time and is not installed: "
                "run `make system-deps` (Debian package nodejs)"
            )
        self._log = tempfile.TemporaryFile()  # noqa: SIM115 (open while node runs; see close)
        self._process = subprocess.Popen(
            [node, str(SCRIPT), str(mathjax_folder())],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._log,
            text=True,
            encoding="utf-8",
        )
        self._owner = os.getpid()

    def _ask(self, request: dict) -> dict:
        if self._process is None or self._owner != os.getpid():
            self._start()
        self._process.stdin.write(json.dumps(request) + "\n")
        self._process.stdin.flush()
        answer = self._process.stdout.readline()
        if not answer:
            self._log.seek(0)
            raise MathsError(f"MathJax (node {SCRIPT.name}) stopped: {self._log.read().decode()}")
        return json.loads(answer)

    def svg(self, tex: str, display: bool) -> str:
        """MathJax's ``<mjx-container>`` for *tex*; ``ValueError`` with MathJax's message if the
        TeX cannot be read."""
        key = (tex, display)
        if key not in self._drawn:
            answer = self._ask({"tex": tex, "display": display})
            if "error" in answer:
                raise ValueError(answer["error"])
            self._drawn[key] = answer["html"]
        return self._drawn[key]

    def stylesheet(self) -> str:
        """The stylesheet MathJax's SVG output needs."""
        return self._ask({"stylesheet": True})["css"]

    def close(self) -> None:
        if self._process is not None and self._owner == os.getpid():
            self._process.stdin.close()
            self._process.wait(timeout=10)
            self._log.close()
        self._process = None


MATHJAX = MathJaxSVG()


def display_tex(node: nodes.math_block) -> str:
    """The TeX of a displayed formula, put together as Sphinx's MathJax support puts it together.

    Paragraphs are separate equations, aligned; an equation with line breaks is a ``split``; a
    ``nowrap`` block (an ``align`` environment written out, for example) is taken as it is.
    """
    if node["nowrap"]:
        return node.astext()
    parts = [part for part in node.astext().split("\n\n") if part.strip()]
    parts = [rf"\begin{{split}}{part}\end{{split}}" if r"\\" in part else part for part in parts]
    if len(parts) == 1:
        return parts[0]
    return r"\begin{align}\begin{aligned}" + r"\\".join(parts) + r"\end{aligned}\end{align}"


def drawn(node: nodes.Element, tex: str, display: bool) -> str:
    """*tex* as SVG, or a build error naming the page and line of the formula."""
    try:
        return MATHJAX.svg(tex, display)
    except ValueError as error:
        where = get_node_location(node)
        raise MathsError(f"{where}: MathJax cannot read {tex!r}: {error}") from None


def visit_inline(self, node: nodes.math) -> None:
    self.body.append(self.starttag(node, "span", "", CLASS="math notranslate nohighlight"))
    self.body.append(drawn(node, node.astext(), display=False) + "</span>")
    raise nodes.SkipNode


def visit_block(self, node: nodes.math_block) -> None:
    self.body.append(self.starttag(node, "div", CLASS="math notranslate nohighlight"))
    if node["number"] and not node["nowrap"]:
        self.body.append(f'<span class="eqno">({get_node_equation_number(self, node)})')
        self.add_permalink_ref(node, _("Link to this equation"))
        self.body.append("</span>")
    self.body.append(drawn(node, display_tex(node), display=True) + "</div>\n")
    raise nodes.SkipNode


def write_stylesheet(app: Sphinx) -> None:
    """Write MathJax's stylesheet for the HTML builders and serve it from the static folder."""
    if app.builder.format != "html":
        return
    folder = Path(app.outdir).parent / STYLESHEET_DIR
    write_if_changed(folder / STYLESHEET, MATHJAX.stylesheet())
    app.config.html_static_path = [*app.config.html_static_path, str(folder)]


def link_stylesheet(app: Sphinx, pagename, templatename, context, doctree) -> None:
    """Link the stylesheet from the pages with maths only (as Sphinx adds MathJax to them)."""
    if app.env.get_domain("math").has_equations(pagename):
        app.add_css_file(STYLESHEET)


def stop_mathjax(app: Sphinx, exception) -> None:
    MATHJAX.close()


def setup(app: Sphinx) -> dict:
    # Registered beside Sphinx's MathJax renderer, this one is chosen (Sphinx prefers it).
    app.add_html_math_renderer(RENDERER, (visit_inline, None), (visit_block, None))
    app.connect("builder-inited", write_stylesheet)
    app.connect("html-page-context", link_stylesheet)
    app.connect("build-finished", stop_mathjax)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
