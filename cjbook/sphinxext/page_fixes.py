"""Fixes to what other extensions put in pages: scripts emitted twice, deprecated ARIA roles,
sidebar toggles that open nothing, search results quoting tables and buttons; and the link to the
book's repository, shown when ``_config.yml`` records one."""

from __future__ import annotations

import re
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.builders.html._assets import _JavaScript as JavaScript

from cjbook.files import write_if_changed

TEMPLATE_DIR = ".cjtrade-page-templates"
SEARCH_FIX = Path(__file__).resolve().parent.parent / "static" / "cjtrade-search.js"
# The theme's header, passed through a filter that drops its sidebar toggles (see
# `without_header_sidebar_toggles`); "!" names the theme's own template.
HEADER = """{% filter cjbook_without_header_sidebar_toggles %}{% include "!sections/header.html" %}
{% endfilter %}"""
HEADER_SIDEBAR_TOGGLE = re.compile(
    r'\s*<button class="pst-navbar-icon sidebar-toggle (?:primary|secondary)-toggle"[^>]*>'
    r".*?</button>",
    re.S,
)


def drop_duplicate_scripts(app: Sphinx, pagename, templatename, context, doctree) -> None:
    """Emit each script once per page.

    Scripts added after the builder starts (sphinx-thebe's configuration, togglebutton's
    selector) are listed twice, once with filename None and once with ""; sphinx-thebe's second
    ``const`` declaration is then a JavaScript error on every page.
    """
    seen, unique = set(), []
    for script in context.get("script_files", []):
        emitted = (script.filename or "", tuple(sorted(script.attributes.items())))  # the tag
        if emitted not in seen:
            seen.add(emitted)
            unique.append(script)
    context["script_files"] = unique


def use_current_aria_roles(app: Sphinx, pagename, templatename, context, doctree) -> None:
    """Give bibliography entries the role their list requires.

    Sphinx marks each entry ``role="doc-biblioentry"`` (deprecated in DPUB-ARIA 1.1) inside a
    ``role="list"`` container, which must contain list items; screen readers and Lighthouse object.
    """
    if "body" in context:
        context["body"] = context["body"].replace('role="doc-biblioentry"', 'role="listitem"')


def quote_prose_in_search_results(app: Sphinx, pagename, templatename, context, doctree) -> None:
    """Give the search page the script that makes its results quote prose (``cjtrade-search.js``),
    inline: the page is the only one that needs it."""
    if pagename == "search" and "script_files" in context:
        script = JavaScript("", body=SEARCH_FIX.read_text(encoding="utf-8"))
        context["script_files"] = [*context["script_files"], script]


def without_header_sidebar_toggles(html: str) -> str:
    """Drop the sidebar toggles of the theme's header (pydata-sphinx-theme 0.17).

    sphinx-book-theme never shows that header's toggles (it puts its own in the article's header),
    but the themes' scripts bind the menus to the *first* element of class ``primary-toggle`` (and
    ``secondary-toggle``) in the page, which is the hidden one: on a phone, tapping the visible
    menu or "On this page" button opened nothing (pydata-sphinx-theme issue 2451). Without them,
    the scripts bind to the buttons a reader sees.
    """
    return HEADER_SIDEBAR_TOGGLE.sub("", html)


def override_header(app: Sphinx, config) -> None:
    """Put the header template (:data:`HEADER`) first on the template path."""
    templates = Path(app.outdir).parent / TEMPLATE_DIR / "sections"
    # Sphinx rewrites every page older than the newest template: written only when it changes.
    write_if_changed(templates / "header.html", HEADER)
    config.templates_path = [str(templates.parent), *config.templates_path]


def add_template_filter(app: Sphinx) -> None:
    """Give the header (:data:`HEADER`) its filter (HTML builders only: others have no layout)."""
    templates = getattr(app.builder, "templates", None)
    if templates is not None and hasattr(templates, "environment"):
        filters = templates.environment.filters
        filters["cjbook_without_header_sidebar_toggles"] = without_header_sidebar_toggles


def link_repository_when_recorded(app: Sphinx, config) -> None:
    """Show the theme's repository button when ``_config.yml`` records the repository's URL
    (``repository: url:``); with none recorded, the site links to no repository."""
    if config.html_theme_options.get("repository_url"):
        config.html_theme_options = {**config.html_theme_options, "use_repository_button": True}


def setup(app: Sphinx) -> dict:
    app.connect("config-inited", override_header)
    app.connect("config-inited", link_repository_when_recorded)
    app.connect("builder-inited", add_template_filter)
    app.connect("html-page-context", drop_duplicate_scripts)
    app.connect("html-page-context", use_current_aria_roles)
    app.connect("html-page-context", quote_prose_in_search_results)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
