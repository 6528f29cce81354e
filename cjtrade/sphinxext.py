"""Sphinx extension: offline assets, data-aware re-execution and the numbers manifest.

What a plain Jupyter Book 1 build does not do, and this book needs:

1. **Offline pages.** Vega, Vega-Lite and vega-embed (from ``vl_convert.javascript_bundle``) and
   MathJax (from the ``mathjax`` Python package) are served from the site's own ``_static``.
2. **Data-aware execution.** The execution cache keys on code cells only, so editing a CSV or the
   shared package would leave stale outputs. A digest of ``data/``, ``cjtrade/``, the pinned
   requirements and the reference numbers is kept with the build; when it changes, the execution
   cache is dropped and every page is re-read.
3. **Notebook downloads.** Each notebook page offers its source as a runnable ``.ipynb`` (jupytext,
   no outputs) in the theme's download menu.
4. **Student edition.** With ``cjtrade_hide_solutions`` set, every exercise solution is removed,
   code cells included (sphinx-exercise's own ``hide_solutions`` breaks on gated solutions).
5. **Numbers manifest.** Every value glued into the prose is written to ``numbers.json`` in the
   output folder (page, name, value), for :mod:`cjtrade.numbers` to compare against a reference.
6. **Live code.** With ``cjtrade_live_server`` set (``{"url": ..., "token": ...}``, the live edition
   of :mod:`cjtrade.live`), sphinx-thebe loads Thebe from ``_static/thebe`` (a copy of the pinned
   bundle) instead of a CDN, and every page tells Thebe to start its kernel on that server.
7. **One numbering.** Exercises, figures and tables carry the same "chapter.n" number in the PDF
   as on the website, and references to exercises on other pages print that number in the PDF.
8. **Index of figures and tables.** ``{figure-index}`` lists every captioned figure and table.
9. **Light pages.** The Vega bundle loads only on pages with charts; MathJax is its smaller HTML
   build; a small stylesheet fixes the contrast of links in exercise boxes.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
from importlib.resources import as_file, files
from pathlib import Path, PurePosixPath

import jupytext
import vl_convert as vlc
from docutils import nodes
from sphinx.addnodes import number_reference
from sphinx.application import Sphinx
from sphinx.transforms import SphinxTransform
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util.docutils import SphinxDirective
from sphinx.util.nodes import make_refnode
from sphinx_exercise.nodes import exercise_latex_number_reference, solution_node

from cjtrade import live
from cjtrade.charts import BUILD_FLAG

ROOT = Path(__file__).resolve().parent.parent
# What executed pages depend on besides their own code: data, shared package, pinned environment,
# and the reference numbers the reproducibility report prints.
INPUTS = (
    ROOT / "data",
    ROOT / "cjtrade",
    ROOT / "requirements.txt",
    ROOT / "tests" / "expected_numbers.json",
)
# What chapter, exercise and figure numbers depend on: Sphinx does not renumber unchanged pages
# when only the table of contents changes.
STRUCTURE = (ROOT / "_toc.yml",)
VEGA_BUNDLE = "vega-bundle.js"
STYLESHEET = "cjtrade.css"  # the book's few style fixes, in cjtrade/static
# MathJax's HTML-CSS output: half the size of its SVG build; its web fonts are served beside it.
MATHJAX_FILE = "mathjax/tex-chtml.js"
MATHJAX_FONTS = "output/chtml/fonts/woff-v2"
MANIFEST = "numbers.json"
DIGEST_FILE = "cjtrade-inputs.sha256"
STRUCTURE_DIGEST_FILE = "cjtrade-structure.sha256"
THEBE_JS = "thebe/index.js"
LIVE_CODE_FILES = ("live-code.js", "live-code.css")


def _files(inputs: tuple[Path, ...]) -> list[Path]:
    found = []
    for item in inputs:
        candidates = item.rglob("*") if item.is_dir() else [item]
        found += [p for p in candidates if p.is_file() and "__pycache__" not in p.parts]
    return sorted(found)


def inputs_digest(inputs: tuple[Path, ...] = INPUTS) -> str:
    """Return one SHA-256 over every file (or file in a folder) of *inputs* that pages depend on."""
    digest = hashlib.sha256()
    for path in _files(inputs):
        digest.update(str(path.relative_to(ROOT)).encode("utf-8"))
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _asset_dir(app: Sphinx) -> Path:
    return Path(app.outdir).parent / ".cjtrade-static"


def _starts_with(path: Path, header: str) -> bool:
    """True if the file at *path* exists and begins with *header* (reads only that much)."""
    if not path.exists():
        return False
    with path.open(encoding="utf-8") as handle:
        return handle.read(len(header)) == header


def _write_offline_assets(app: Sphinx, config) -> None:
    """Write the Vega bundle and MathJax into a static folder and point the config at them."""
    target = _asset_dir(app)
    bundle = target / VEGA_BUNDLE
    header = f"/* Vega, Vega-Lite and vega-embed, bundled by vl-convert {vlc.__version__} */\n"
    if not _starts_with(bundle, header):
        target.mkdir(parents=True, exist_ok=True)
        # Wrapped in a function so the bundle's top-level names cannot clash with other scripts.
        bundle.write_text(
            header + "(function(){\n" + vlc.javascript_bundle() + "\n})();\n", encoding="utf-8"
        )
    mathjax = target / MATHJAX_FILE
    if not mathjax.exists():
        mathjax.parent.mkdir(parents=True, exist_ok=True)
        es5 = files("mathjax").joinpath("static/mathjax/es5")
        mathjax.write_bytes(es5.joinpath("tex-chtml.js").read_bytes())
        with as_file(es5.joinpath(MATHJAX_FONTS)) as fonts:  # fetched by MathJax relative to itself
            shutil.copytree(fonts, mathjax.parent / MATHJAX_FONTS, dirs_exist_ok=True)
    shutil.copyfile(Path(__file__).with_name("static") / STYLESHEET, target / STYLESHEET)
    config.html_static_path = [*config.html_static_path, str(target)]
    config.html_css_files = [*config.html_css_files, STYLESHEET]
    config.html_js_files = [*config.html_js_files, (VEGA_BUNDLE, {"defer": "defer"})]
    config.mathjax_path = MATHJAX_FILE
    os.environ[BUILD_FLAG] = (
        "1"  # kernels started by this build draw charts with cjtrade.charts.render
    )


def _add_live_code(app: Sphinx, config) -> None:
    """In the live edition, copy Thebe's bundle (no source maps) and the live-code glue to ``_static``."""
    if not config.cjtrade_live_server:
        return
    if not (live.THEBE_LIB / "index.js").exists():
        raise FileNotFoundError(f"no Thebe bundle in {live.THEBE_LIB}: run `make thebe`")
    target = _asset_dir(app)
    shutil.rmtree(target / "thebe", ignore_errors=True)
    shutil.copytree(live.THEBE_LIB, target / "thebe", ignore=shutil.ignore_patterns("*.map", ".*"))
    for name in LIVE_CODE_FILES:
        shutil.copyfile(Path(__file__).parent / "static" / name, target / name)
    app.add_js_file("live-code.js")
    app.add_css_file("thebe/thebe.css")
    app.add_css_file("live-code.css")


def _offer_live_code(app: Sphinx, pagename, templatename, context, doctree) -> None:
    """Load Thebe from ``_static``; on notebook pages, add a "Live Code" button using the local server.

    sphinx-thebe writes its CDN address into an inline script; it is replaced by the page's
    relative path to the local copy. The added Thebe configuration (merged with sphinx-thebe's)
    names the server, its token and the folder the page's code runs in, and turns off MathJax,
    which Thebe would fetch from a CDN to typeset LaTeX outputs. The button is the theme's own
    (``initThebeSBT``), added here because the theme offers it only for books on a public repository.
    """
    server = app.config.cjtrade_live_server
    if not server:
        return
    thebe_js = "THEBE_JS_URL = " + json.dumps(context["pathto"](f"_static/{THEBE_JS}", 1))
    scripts = []
    for script in context.get("script_files", []):
        body = script.attributes.get("body", "")
        if "THEBE_JS_URL" in body:
            script = type(script)(
                None,
                priority=script.priority,
                body=re.sub(r'THEBE_JS_URL = "[^"]*"', thebe_js, body),
            )
        scripts.append(script)
    context["script_files"] = scripts
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
    button = {
        "type": "javascript",
        "javascript": "initThebeSBT()",
        "icon": "fas fa-play",
        "label": "launch-thebe",
        "text": "Live Code",
        "tooltip": "Run this page's code on the local Jupyter server",
    }
    group = {
        "type": "group",
        "tooltip": "Launch interactive content",
        "icon": "fas fa-rocket",
        "label": "launch-buttons",
    }
    context["header_buttons"].insert(0, {**group, "buttons": [button]})


def _execution_cache(app: Sphinx) -> Path:
    configured = getattr(app.config, "nb_execution_cache_path", "")
    return Path(configured) if configured else Path(app.outdir).parent / ".jupyter_cache"


def _changed_since_last_build(app: Sphinx, inputs: tuple[Path, ...], stamp_name: str) -> bool:
    """True (and the stamp updated) if *inputs* differ from what the last build recorded."""
    stamp = Path(app.outdir).parent / stamp_name
    current = inputs_digest(inputs)
    changed = not stamp.exists() or stamp.read_text() != current
    if changed:
        stamp.write_text(current)
    return changed


def _drop_stale_cache(app: Sphinx) -> None:
    """Drop the execution cache when data or package code changed since the last build."""
    app.cjtrade_inputs_changed = _changed_since_last_build(app, INPUTS, DIGEST_FILE)
    if app.cjtrade_inputs_changed:
        shutil.rmtree(_execution_cache(app), ignore_errors=True)
    app.cjtrade_structure_changed = _changed_since_last_build(app, STRUCTURE, STRUCTURE_DIGEST_FILE)


def _outdated_when_inputs_changed(app: Sphinx, env, added, changed, removed) -> list[str]:
    """Re-read every page when inputs changed (their outputs depend on data Sphinx cannot see) or
    when the table of contents changed (their numbers depend on it)."""
    if getattr(app, "cjtrade_inputs_changed", False) or getattr(
        app, "cjtrade_structure_changed", False
    ):
        return sorted(env.found_docs - set(added) - set(changed))
    return []


class RemoveSolutions(SphinxTransform):
    """Drop every exercise solution from the page when ``cjtrade_hide_solutions`` is set."""

    default_priority = 20  # after sphinx-exercise merges gated solutions (priority 10)

    def apply(self) -> None:
        if self.config.cjtrade_hide_solutions:
            for node in list(self.document.findall(solution_node)):
                node.parent.remove(node)


class figure_index(nodes.General, nodes.Element):
    """Placeholder that :func:`_fill_figure_index` replaces with the book's figures and tables."""


class FigureIndex(SphinxDirective):
    """``{figure-index}``: list every numbered, captioned figure and table of the book, linked."""

    def run(self) -> list[nodes.Node]:
        return [figure_index()]


KINDS = {"figure": "Figure", "table": "Table"}


def captioned_items(env) -> list[tuple[str, tuple[int, ...], str, str, str]]:
    """Return ``(kind, number, page, anchor, caption)`` for every labelled figure and table, in order."""
    captions = {
        (page, anchor): caption for page, anchor, caption in env.get_domain("std").labels.values()
    }
    items = []
    for page, numbers in env.toc_fignumbers.items():
        for kind in KINDS:
            for anchor, number in numbers.get(kind, {}).items():
                if captions.get((page, anchor)):
                    items.append((kind, tuple(number), page, anchor, captions[(page, anchor)]))
    return sorted(items, key=lambda item: (list(KINDS).index(item[0]), item[1]))


def _fill_figure_index(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    placeholders = list(doctree.findall(figure_index))
    if not placeholders:
        return
    items = captioned_items(app.env)
    content: list[nodes.Node] = []
    for kind, heading in KINDS.items():
        entries = nodes.bullet_list()
        for _, number, page, anchor, caption in (item for item in items if item[0] == kind):
            label = f"{heading} {'.'.join(map(str, number))}"
            entry = nodes.paragraph()
            entry += make_refnode(app.builder, docname, page, anchor, nodes.Text(label), label)
            entry += nodes.Text(f": {caption} ({app.env.titles[page].astext()})")
            entries += nodes.list_item("", entry)
        content += [nodes.rubric(text=f"{heading}s"), entries]
    for placeholder in placeholders:
        placeholder.replace_self([node.deepcopy() for node in content])


def glued_values(app: Sphinx) -> list[dict]:
    """Return every glued number or text of the build as ``{"page", "name", "value"}``, sorted.

    Glued charts (shown with ``{glue:figure}``) are figures, not quoted values, and are left out.
    """
    output_folder = Path(app.env.mystnb_config.output_folder)
    rows = []
    for page, meta in sorted(getattr(app.env, "nb_metadata", {}).items()):
        if not meta.get("glue"):
            continue
        glue_file = output_folder.joinpath(*page.split("/")).with_suffix(".glue.json")
        data = json.loads(glue_file.read_text(encoding="utf-8"))
        for name in sorted(data):
            if "image/png" in data[name]["data"]:
                continue
            rows.append(
                {"page": page, "name": name, "value": data[name]["data"].get("text/plain", "")}
            )
    return rows


def _offer_notebook_download(app: Sphinx, pagename, templatename, context, doctree) -> None:
    """Write the page's MyST source as a runnable ``.ipynb`` and list it in the download menu.

    Runs before sphinx-book-theme builds its header buttons, which link ``ipynb_source``.
    """
    source = Path(app.env.doc2path(pagename))
    if source.suffix != ".md" or "kernelspec" not in source.read_text(encoding="utf-8")[:500]:
        return
    target = Path(app.outdir) / "_sources" / f"{pagename}.ipynb"
    target.parent.mkdir(parents=True, exist_ok=True)
    jupytext.write(jupytext.read(source), target, fmt="ipynb")
    context["ipynb_source"] = f"{pagename}.ipynb"


def _drop_duplicate_scripts(app: Sphinx, pagename, templatename, context, doctree) -> None:
    """Emit each script once per page.

    Scripts added after the builder starts (sphinx-thebe's configuration, togglebutton's
    selector) are listed twice, once with filename None and once with ""; sphinx-thebe's second ``const``
    declaration is then a JavaScript error on every page.
    """
    seen, unique = set(), []
    for script in context.get("script_files", []):
        emitted = (
            script.filename or "",
            tuple(sorted(script.attributes.items())),
        )  # what the tag shows
        if emitted not in seen:
            seen.add(emitted)
            unique.append(script)
    context["script_files"] = unique


def _load_vega_only_with_charts(app: Sphinx, pagename, templatename, context, doctree) -> None:
    """Leave the Vega bundle (about 1 MB) out of pages that draw no chart."""
    if "vegaEmbed(" not in context.get("body", ""):
        scripts = context.get("script_files", [])
        context["script_files"] = [s for s in scripts if Path(s.filename or "").name != VEGA_BUNDLE]


def _use_current_aria_roles(app: Sphinx, pagename, templatename, context, doctree) -> None:
    """Give bibliography entries the role their list requires.

    Sphinx marks each entry ``role="doc-biblioentry"`` (deprecated in DPUB-ARIA 1.1) inside a
    ``role="list"`` container, which must contain list items; screen readers and Lighthouse object.
    """
    if "body" in context:
        context["body"] = context["body"].replace('role="doc-biblioentry"', 'role="listitem"')


class LinkExercisesAcrossPages(SphinxPostTransform):
    """In the PDF, print a reference to an exercise on another page as its number, linked.

    sphinx-exercise rewrites numbered references to exercises for LaTeX only when they point into
    the same page; one from another page (the instructor guide's syllabus) is left to LaTeX's
    ``\\ref``, which has no counter for exercises and prints "??". The number Sphinx computed is
    the one the exercise itself shows, so it is kept as text.
    """

    default_priority = 25
    formats = ("latex",)

    def run(self, **_: object) -> None:
        registry = getattr(self.env, "sphinx_exercise_registry", {})
        for node in list(self.document.findall(number_reference)):
            label = node.get("refid") or node.get("refuri", "").rpartition("#")[2]
            if label in registry and not isinstance(node, exercise_latex_number_reference):
                node.replace_self(
                    exercise_latex_number_reference("", "", *node.children, refid=label)
                )


def _number_like_the_html(app: Sphinx) -> None:
    """Number exercises "chapter.n" in the PDF, as on the website.

    sphinx-jupyterbook-latex raises ``numfig_secnum_depth`` to 2 when the book has parts, which
    turns the website's "Exercise 4.1" into "Exercise 4.10.1" in the PDF; an instructor citing
    an exercise number must get the same exercise in both. (LaTeX numbers figures and tables
    itself; the preamble in _config.yml makes it count them per chapter.)
    """
    if app.builder.format == "latex":
        app.config.numfig_secnum_depth = 1


def _write_manifest(app: Sphinx, exception: Exception | None) -> None:
    if exception is None:
        manifest = Path(app.outdir) / MANIFEST
        manifest.write_text(
            json.dumps(glued_values(app), indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
        )


def setup(app: Sphinx) -> dict:
    """Register the extension's event handlers with Sphinx."""
    app.add_config_value("cjtrade_hide_solutions", False, "env")
    app.add_config_value("cjtrade_live_server", {}, "html")
    app.add_transform(RemoveSolutions)
    app.add_post_transform(LinkExercisesAcrossPages)
    app.add_node(figure_index)
    app.add_directive("figure-index", FigureIndex)
    app.connect("doctree-resolved", _fill_figure_index)
    app.connect("config-inited", _write_offline_assets)
    app.connect("config-inited", _add_live_code)
    app.connect("builder-inited", _drop_stale_cache)
    app.connect("builder-inited", _number_like_the_html, priority=900)
    app.connect("env-get-outdated", _outdated_when_inputs_changed)
    app.connect("html-page-context", _offer_notebook_download, priority=400)
    app.connect("html-page-context", _drop_duplicate_scripts)
    app.connect("html-page-context", _load_vega_only_with_charts)
    app.connect(
        "html-page-context", _offer_live_code, priority=510
    )  # after the theme's header buttons
    app.connect("html-page-context", _use_current_aria_roles)
    app.connect("build-finished", _write_manifest)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
