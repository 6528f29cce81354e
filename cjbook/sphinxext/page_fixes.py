"""Fixes to what other extensions put in pages: scripts emitted twice, deprecated ARIA roles."""

from __future__ import annotations

from sphinx.application import Sphinx


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


def setup(app: Sphinx) -> dict:
    app.connect("html-page-context", drop_duplicate_scripts)
    app.connect("html-page-context", use_current_aria_roles)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
