"""Notebook downloads: each notebook page offers its source as a runnable ``.ipynb``.

The page's MyST source is converted with jupytext (no outputs: the reader runs it) and listed in
the theme's download menu beside the Markdown source.
"""

from __future__ import annotations

from pathlib import Path

import jupytext
from sphinx.application import Sphinx


def is_notebook(source: Path) -> bool:
    """True if *source* is a MyST notebook: a Markdown file whose front matter names a kernel."""
    return source.suffix == ".md" and "kernelspec" in source.read_text(encoding="utf-8")[:500]


def offer_notebook_download(app: Sphinx, pagename, templatename, context, doctree) -> None:
    """Write the page's MyST source as a runnable ``.ipynb`` and list it in the download menu."""
    source = Path(app.env.doc2path(pagename))
    if not is_notebook(source):
        return
    target = Path(app.outdir) / "_sources" / f"{pagename}.ipynb"
    target.parent.mkdir(parents=True, exist_ok=True)
    jupytext.write(jupytext.read(source), target, fmt="ipynb")
    context["ipynb_source"] = f"{pagename}.ipynb"


def setup(app: Sphinx) -> dict:
    # Before sphinx-book-theme builds its header buttons (priority 500), which link ipynb_source.
    app.connect("html-page-context", offer_notebook_download, priority=400)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
