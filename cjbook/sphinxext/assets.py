"""Offline, light pages: every asset served by the site itself, and only what a page needs.

Vega, Vega-Lite and vega-embed (``vl_convert.javascript_bundle``) are written to a static folder of
the build, so no page asks another host for anything (maths is drawn at build time: see
:mod:`~cjbook.sphinxext.maths`). Pages open fast on a phone (issue 14):

- each chart is first an SVG image (drawn by vl-convert); the small chart loader
  (``cjtrade-charts.js``, only on pages with charts) fetches the Vega bundle (about 1 MB) when a
  chart comes into view or is touched, and swaps in the interactive view;
- the theme's icon script (``fontawesome.js``, 1.5 MB, which redraws every icon as SVG) is left
  out: the theme's stylesheet already draws the icons from Font Awesome's font, and the build
  writes a subset of that font with only the icons its pages use (a few kilobytes);
- the search tools and index, which the theme loads on every page for a search-as-you-type mode
  this book does not use, are left to the search page, where the search dialog leads;
- the scripts in the head run deferred (in the same order), so they do not block the first paint;
- the stylesheets lose the rules no page can match (:mod:`~cjbook.sphinxext.unused_css`): the
  theme's goes from 397 KB to about 110 KB, which every page reads before its first paint;
- every text file gets a gzip copy beside it (:func:`cjbook.serve.precompress`), for the serving
  helper and any static host that sends precompressed files.

Each step redoes its work only when its inputs changed, and an edited static file (the chart
loader, the stylesheet) reaches the site on the next build even when no page changed
(:func:`outdated_when_static_files_changed`).

A small stylesheet fixes the contrast of links in exercise boxes. Kernels started by the build
inherit :data:`cjtrade.environment.BUILD_FLAG`, which tells the book's charts to draw with the
offline renderer.
"""

from __future__ import annotations

import os
import re
from importlib.metadata import version
from pathlib import Path

from sphinx.application import Sphinx

from cjbook.files import digest, write_if_changed
from cjbook.serve import precompress
from cjbook.sphinxext.freshness import inputs_digest
from cjbook.sphinxext.unused_css import prune_site_stylesheets
from cjtrade.environment import BUILD_FLAG

VEGA_BUNDLE = "vega-bundle.js"
CHART_LOADER = "cjtrade-charts.js"
STYLESHEET = "cjtrade.css"
ICON_FONTS = {  # the theme's Font Awesome fonts (in _static) -> their subsets, named in cjtrade.css
    "vendor/fontawesome/webfonts/fa-solid-900.ttf": "fonts/cjbook-icons.woff",
    "vendor/fontawesome/webfonts/fa-brands-400.ttf": "fonts/cjbook-brand-icons.woff",
}
THEME_ICON_CSS = "styles/pydata-sphinx-theme.css"  # in _static: Font Awesome's class -> glyph
THEME_STYLESHEETS = (THEME_ICON_CSS, "styles/sphinx-book-theme.css")  # the ones naming glyphs
STATIC = Path(__file__).resolve().parent.parent / "static"
TEMPLATE_DIR = ".cjtrade-templates"
UNPRUNED_CSS = ".cjtrade-unpruned-css"  # beside the site: its stylesheets before pruning
ICON_STAMP = ".cjtrade-icons.sha256"  # beside the site: what its icon fonts were made from
STATIC_STAMP = ".cjtrade-static.sha256"  # beside the site: the static files it last received
# The theme's layout, with two of its blocks passed through a filter that drops the head scripts
# this book does not need (see `without_unneeded_scripts`).
LAYOUT = """{%- extends "!layout.html" %}
{%- block css %}{% filter cjbook_without_unneeded_scripts %}{{ super() }}{% endfilter %}
{%- endblock %}
{%- block extrahead %}{% filter cjbook_without_unneeded_scripts %}{{ super() }}{% endfilter %}
{%- endblock %}
"""
UNNEEDED_SCRIPTS = re.compile(
    r'\s*<script[^>]*src="[^"]*/(?:fontawesome|searchtools|language_data|searchindex)\.js[^"]*"'
    r"[^>]*>\s*</script>"
)
ICON_CLASS = re.compile(r"\bfa-([a-z0-9-]+)")


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
    """Write the bundle unless the one there is from this version of vl-convert (vl-convert is
    imported only then: a second at every build's start)."""
    bundle = target / VEGA_BUNDLE
    header = (
        f"/* Vega, Vega-Lite and vega-embed, bundled by vl-convert "
        f"{version('vl-convert-python')} */\n"
    )
    if not _starts_with(bundle, header):
        import vl_convert as vlc

        target.mkdir(parents=True, exist_ok=True)
        # Wrapped in a function so the bundle's top-level names cannot clash with other scripts.
        script = "(function(){\n" + vlc.javascript_bundle() + "\n})();\n"
        bundle.write_text(header + script, encoding="utf-8")


def write_offline_assets(app: Sphinx, config) -> None:
    """Write the Vega bundle and the stylesheet, and point the configuration at them."""
    target = asset_dir(app)
    _write_vega_bundle(target)
    for name in (STYLESHEET, CHART_LOADER):
        write_if_changed(target / name, (STATIC / name).read_bytes())
    config.html_static_path = [*config.html_static_path, str(target)]
    config.html_css_files = [*config.html_css_files, STYLESHEET]
    config.html_js_files = [*config.html_js_files, (CHART_LOADER, {"defer": "defer"})]
    templates = Path(app.outdir).parent / TEMPLATE_DIR
    # Sphinx rewrites every page older than the newest template: written only when it changes.
    write_if_changed(templates / "layout.html", LAYOUT)
    config.templates_path = [str(templates), *config.templates_path]
    os.environ[BUILD_FLAG] = "1"  # kernels this build starts draw charts with the offline renderer


def without_unneeded_scripts(html: str) -> str:
    """Drop the theme's icon script and the search tools from a block of the page's head."""
    return UNNEEDED_SCRIPTS.sub("", html)


def add_template_filter(app: Sphinx) -> None:
    """Give the layout (:data:`LAYOUT`) its filter (HTML builders only: others have no layout)."""
    templates = getattr(app.builder, "templates", None)
    if templates is not None and hasattr(templates, "environment"):
        templates.environment.filters["cjbook_without_unneeded_scripts"] = without_unneeded_scripts


def _deferred(script):
    """The script, deferred."""
    if script.filename and not {"async", "defer"} & set(script.attributes):
        attributes = {**script.attributes, "defer": "defer"}
        script = type(script)(script.filename, priority=script.priority, **attributes)
    return script


def light_head(app: Sphinx, pagename, templatename, context, doctree) -> None:
    """Chart loader only on pages with charts, every script deferred.

    A deferred script runs after the page is parsed and before ``DOMContentLoaded``, in the order
    of the page, so scripts that wait for the page (all of them here) behave as before, and the
    inline settings that some of them read are defined before they run. On the search page only
    the chart loader is dropped: the theme loads the search tools there without ``defer``, and
    they need Sphinx's ``doctools.js`` already run.
    """
    has_charts = 'class="cjtrade-chart"' in context.get("body", "")
    scripts = []
    for script in context.get("script_files", []):
        if Path(script.filename or "").name == CHART_LOADER and not has_charts:
            continue
        scripts.append(script if pagename == "search" else _deferred(script))
    context["script_files"] = scripts


def used_icons(site: Path) -> set[str]:
    """Return the Font Awesome class names (``fa-...``) that the site's pages use."""
    found = set()
    for page in site.rglob("*.html"):
        found |= set(ICON_CLASS.findall(page.read_text(encoding="utf-8")))
    return found


def icon_codepoints(stylesheet: str, names: set[str]) -> set[int]:
    """Return the icon font's code points that *stylesheet* may draw on pages using *names*.

    A rule for icon classes (``.fa-NAME:before``) counts if a page uses one of its classes; any
    other rule or variable naming a glyph (admonition and link icons, drawn by the stylesheet
    itself) counts always. A glyph is written ``"\\f107"`` or as the private-use character itself.
    """
    points = set()
    for selectors, body in re.findall(r"([^{}]*)\{([^{}]*)\}", stylesheet):
        codes = [int(code, 16) for code in re.findall(r'"\\(f[0-9a-f]{3})"', body)]
        codes += [ord(glyph) for glyph in re.findall(r'"([\ue000-\uf8ff])"', body)]
        icon_rule = re.fullmatch(r"(\s*\.fa-[a-z0-9-]+:{1,2}before\s*,?)+", selectors)
        classes = set(re.findall(r"\.fa-([a-z0-9-]+):", selectors))
        if codes and (not icon_rule or classes & names):
            points |= set(codes)
    return points


def write_icon_fonts(site: Path, stamp: Path, stylesheets: Path) -> bool:
    """Write the subsets of Font Awesome's fonts with the glyphs of the icons pages may show,
    reading which glyphs the theme draws from its *stylesheets* as shipped (a folder like
    ``_static``: pruned ones may lack rules for glyphs a page needs).

    Skipped (returns False) when the subsets there were made from the same fonts for the same
    glyphs, as *stamp* records: a rebuild that changes no icon does not subset the fonts again.
    """
    static = site / "_static"
    names = used_icons(site)
    points = set()
    for stylesheet in THEME_STYLESHEETS:
        points |= icon_codepoints((stylesheets / stylesheet).read_text(encoding="utf-8"), names)
    if not points:
        raise ValueError(f"no Font Awesome icon of the pages found in {stylesheets}")
    glyphs = ",".join(f"{point:x}" for point in sorted(points))
    key = digest(glyphs, *((static / font_file).read_bytes() for font_file in ICON_FONTS))
    made = all((static / subset_file).is_file() for subset_file in ICON_FONTS.values())
    if made and stamp.is_file() and stamp.read_text(encoding="utf-8") == key:
        return False
    from fontTools import subset  # a second to import: only when the fonts change

    options = subset.Options()
    options.flavor = "woff"  # zlib-compressed; woff2 would need the brotli module
    options.layout_features = []
    for font_file, subset_file in ICON_FONTS.items():
        font = subset.load_font(str(static / font_file), options)
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=points & set(font.getBestCmap()))
        subsetter.subset(font)
        (static / subset_file).parent.mkdir(exist_ok=True)
        subset.save_font(font, str(static / subset_file), options)
    stamp.write_text(key, encoding="utf-8")
    return True


def static_files_digest(app: Sphinx) -> str:
    """One digest over every file of the configured static folders (``html_static_path``)."""
    folders = tuple(Path(app.confdir, folder) for folder in app.config.html_static_path)
    return inputs_digest(folders, root=Path(app.confdir))


def outdated_when_static_files_changed(app: Sphinx, env, added, changed, removed) -> list[str]:
    """Re-read the root page when a static file changed since the last successful build.

    Sphinx copies the static folders only when it writes a page: after an edit to the chart
    loader or the stylesheet alone, no page is outdated and the site would keep the old copy.
    One page to write makes the build copy them (and prune and compress them again).
    """
    if app.builder.format != "html":
        return []
    app.cjbook_static_digest = static_files_digest(app)
    stamp = Path(app.outdir).parent / STATIC_STAMP
    if stamp.is_file() and stamp.read_text(encoding="utf-8") == app.cjbook_static_digest:
        return []
    root = app.config.root_doc
    return [root] if root in env.found_docs and root not in set(added) | set(changed) else []


def note_static_files_copied(app: Sphinx) -> list:
    """The builder is finishing (it collects extra pages, then copies the static folders)."""
    app.cjbook_static_copied = True
    return []


def record_static_files(app: Sphinx, exception) -> None:
    """After a build that copied the static folders, record which files the site received."""
    current = getattr(app, "cjbook_static_digest", None)
    if exception is None and current is not None and getattr(app, "cjbook_static_copied", False):
        write_if_changed(Path(app.outdir).parent / STATIC_STAMP, current)


def finish_site(app: Sphinx, exception) -> None:
    """Prune the stylesheets, write the icon font and write the gzip copies once every page is
    written; each step redoes its work only for inputs that changed since the last build. The
    live edition keeps its stylesheets whole: Thebe builds its widgets' class names as it runs,
    and that edition is read from the reader's own machine."""
    if exception is not None or app.builder.format != "html":
        return
    site = Path(app.outdir)
    originals = site.parent / UNPRUNED_CSS
    pruned = not getattr(app.config, "cjbook_live_server", None)  # unset without live_code
    if pruned:
        prune_site_stylesheets(site, originals)
    write_icon_fonts(
        site, stamp=site.parent / ICON_STAMP, stylesheets=originals if pruned else site / "_static"
    )
    precompress(site)


def setup(app: Sphinx) -> dict:
    app.connect("config-inited", write_offline_assets)
    app.connect("builder-inited", add_template_filter)
    app.connect("html-page-context", light_head, priority=600)  # after others add scripts
    # last: after the theme rewrites pygments.css at build-finished (priority 500), so the pruned
    # stylesheet and its gzip copy are of the file the site serves
    app.connect("env-get-outdated", outdated_when_static_files_changed)
    app.connect("html-collect-pages", note_static_files_copied)
    app.connect("build-finished", finish_site, priority=900)
    app.connect("build-finished", record_static_files, priority=910)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
