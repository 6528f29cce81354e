"""The book's Sphinx extension: what a plain Jupyter Book 1 build does not do and this book needs.

One module per job, each a Sphinx extension of its own (so each can be tested alone):

- :mod:`~cjbook.sphinxext.assets`: offline, light pages (Vega served locally, only on pages with
  charts);
- :mod:`~cjbook.sphinxext.maths`: maths drawn as SVG at build time (no maths script in the page);
- :mod:`~cjbook.sphinxext.freshness`: pages re-executed when data or analysis code change;
- :mod:`~cjbook.sphinxext.determinism`: kernels give bit-identical estimates from build to build;
- :mod:`~cjbook.sphinxext.downloads`: every notebook page offers a runnable ``.ipynb``;
- :mod:`~cjbook.sphinxext.solutions`: the student edition leaves every solution out;
- :mod:`~cjbook.sphinxext.quoted_numbers`: the manifest of every glued number, and the reference
  table of the reproducibility report;
- :mod:`~cjbook.sphinxext.live_code`: the live edition runs code on a local Jupyter server;
- :mod:`~cjbook.sphinxext.numbering`: exercise numbers in the PDF as on the website;
- :mod:`~cjbook.sphinxext.figure_index`: the index of figures and tables;
- :mod:`~cjbook.sphinxext.page_fixes`: scripts emitted once, current ARIA roles, menus that open,
  search results that quote prose;
- :mod:`~cjbook.sphinxext.languages`: Chinese and Japanese words marked with their language;
- :mod:`~cjbook.sphinxext.quiet_log`: a readable build log (libraries' chatter left out).
"""

from __future__ import annotations

from sphinx.application import Sphinx

JOBS = (
    "assets",
    "maths",
    "freshness",
    "determinism",
    "downloads",
    "solutions",
    "quoted_numbers",
    "live_code",
    "numbering",
    "figure_index",
    "page_fixes",
    "languages",
    "quiet_log",
)


def setup(app: Sphinx) -> dict:
    """Register every job's extension."""
    for job in JOBS:
        app.setup_extension(f"cjbook.sphinxext.{job}")
    return {"parallel_read_safe": True, "parallel_write_safe": True}
