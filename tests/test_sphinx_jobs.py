"""Each job of the book's Sphinx extension, on a small test book of its own (sphinx.testing).

Every test builds a few pages with only the job under test (and what it extends), so a failure
names the job; all of them together take seconds, not a book build.
"""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
from pathlib import Path
from types import SimpleNamespace

import nbformat
import pytest
from docutils import nodes
from sphinx.builders.html._assets import _JavaScript

from cjbook.sphinxext import assets, languages, maths, page_fixes, quiet_log
from cjtrade.environment import BUILD_FLAG


def html(app, page: str) -> str:
    return (Path(app.outdir) / f"{page}.html").read_text(encoding="utf-8")


@pytest.mark.sphinx("html", testroot="figure-index")
def test_figure_index_lists_captioned_tables_with_their_numbers(app):
    app.build()
    page = html(app, "index")
    assert "Table 1.1</a>: Trade by partner (Tables)" in page
    assert "Table 1.2</a>: Trade by year (Tables)" in page
    assert "left out of the index" not in page
    assert not app._warning.getvalue()


@pytest.mark.sphinx("html", testroot="solutions")
def test_default_edition_keeps_solutions(app):
    app.build()
    page = html(app, "index")
    assert "By how much does trade fall?" in page and "answer-text-to-hide" in page


@pytest.mark.sphinx("html", testroot="solutions", confoverrides={"cjbook_hide_solutions": True})
def test_student_edition_keeps_exercises_and_drops_solutions(app):
    app.build()
    page = html(app, "index")
    assert "By how much does trade fall?" in page
    assert "answer-text-to-hide" not in page


@pytest.mark.sphinx("html", testroot="notebook")
def test_manifest_and_reference_table(app):
    app.build()
    manifest = json.loads((Path(app.outdir) / "numbers.json").read_text(encoding="utf-8"))
    assert manifest == [
        {"page": "nb", "name": "answer", "value": "42"},
        {"page": "nb", "name": "doubled", "value": "84"},
        {"page": "nb", "name": "share", "value": "0.25"},
    ]
    reference = html(app, "index")
    assert "<td><p>answer</p></td>" in reference and "<td><p>0.25</p></td>" in reference
    assert not (Path(app.outdir) / "_sources" / "index.ipynb").exists()  # not a notebook
    assert not app._warning.getvalue()


def _downloaded(app) -> tuple[list, str]:
    """The downloaded notebook's cells, and its markdown cells' text."""
    notebook = nbformat.read(Path(app.outdir) / "_sources" / "nb.ipynb", as_version=4)
    text = "\n".join(cell.source for cell in notebook.cells if cell.cell_type == "markdown")
    return notebook.cells, text


@pytest.mark.sphinx("html", testroot="notebook")
def test_downloaded_notebook_reads_like_the_page(app):
    app.build()
    cells, text = _downloaded(app)
    assert "make setup" in cells[0].source  # what it needs, first
    assert "raise ImportError(" in cells[1].source and "make setup" in cells[1].source
    assert "from cjtrade.notebook import glue" in cells[3].source
    assert "{glue" not in text and "{numref}" not in text and "{ref}" not in text
    assert "The answer is 42, a share of 25.0% (Figure 1)." in text
    assert "**Learning objectives**" in text and "It is 84." in text
    assert "**Exercise 1**" in text and "**Solution to Exercise 1**" in text
    assert "See A notebook page and Exercise 1." in text
    figure = next(cell for cell in cells if cell.source == 'show("fig-pixel")')
    assert figure.outputs[0]["data"]["image/png"]  # the build's drawing, shown before a run
    caption = cells[cells.index(figure) + 1]
    assert caption.source == "**Figure 1.** One pixel."
    assert sum(1 for cell in cells if cell.cell_type == "code" and cell.outputs) == 1
    bookkeeping = next(cell for cell in cells if cell.source.startswith("doubled = "))
    assert bookkeeping.metadata["jupyter"] == {"source_hidden": True, "outputs_hidden": True}
    assert "jupyter" not in cells[3].metadata  # shown on the page: shown in the notebook


@pytest.mark.sphinx("html", testroot="notebook", confoverrides={"cjbook_hide_solutions": True})
def test_student_notebook_keeps_exercises_and_drops_solutions(app):
    app.build()
    cells, text = _downloaded(app)
    assert "**Exercise 1**" in text and "Double the answer." in text
    assert "Solution" not in text and "It is" not in text
    assert not any("doubled" in cell.source for cell in cells if cell.cell_type == "code")


@pytest.mark.sphinx("latex", testroot="numbering")
def test_pdf_prints_a_cross_page_exercise_reference_as_its_number(app):
    app.build()
    tex = (Path(app.outdir) / "book.tex").read_text(encoding="utf-8")
    assert "Exercise 1.1" in tex
    assert "\\ref{" not in tex.split("Assign", 1)[1].split("\n", 1)[0]


@pytest.mark.sphinx("html", testroot="assets")
def test_vega_is_served_locally_and_its_loader_only_where_a_chart_is(app, monkeypatch):
    monkeypatch.setenv(BUILD_FLAG, "")  # the job sets it for kernels; restored after the test
    app.build()
    assert (Path(app.outdir) / "_static" / "vega-bundle.js").stat().st_size > 500_000
    assert "_static/cjtrade-charts.js" in html(app, "chart")
    assert "_static/cjtrade-charts.js" not in html(app, "text")
    assert "vega-bundle.js" not in html(app, "chart")  # fetched by the loader, on demand


@pytest.mark.sphinx("html", testroot="assets")
def test_the_menus_bind_to_the_toggles_a_reader_sees(app, monkeypatch):
    monkeypatch.setenv(BUILD_FLAG, "")
    app.build()
    page = html(app, "text")
    # pydata-sphinx-theme's scripts bind the menus to the first toggle of each class: the book
    # theme's own, in the article's header, once the never-shown header toggles are gone.
    assert page.count("primary-toggle") == 1 and page.count("secondary-toggle") <= 1
    assert re.search(r'<button class="sidebar-toggle primary-toggle btn btn-sm"', page)
    assert "bd-header" in page  # the rest of the header stays
    assert "btn-source-repository-button" not in page  # no repository recorded, none linked


EXAMPLE_REPOSITORY = "https://github.com/example/book"  # any address the theme can read


@pytest.mark.sphinx(
    "html",
    testroot="assets",
    confoverrides={"html_theme_options": {"repository_url": EXAMPLE_REPOSITORY}},
)
def test_a_recorded_repository_is_linked(app, monkeypatch):
    monkeypatch.setenv(BUILD_FLAG, "")
    app.build()
    assert f'<a href="{EXAMPLE_REPOSITORY}" target="_blank"' in html(app, "text")


@pytest.mark.sphinx("html", testroot="maths")
def test_maths_is_drawn_as_svg_at_build_time_with_mathml_for_screen_readers(app):
    app.build()
    page = html(app, "index")
    assert page.count("<mjx-container") == 5  # two inline formulas, three displayed blocks
    assert page.count("<svg") == 5 and page.count("<mjx-assistive-mml") == 5
    assert "\\(" not in page and "\\[" not in page  # no TeX left for a browser script
    assert not re.search(r"<script[^>]*mathjax", page, re.IGNORECASE)  # and no maths script
    assert 'class="eqno">(1)<a class="headerlink" href="#equation-gravity"' in page
    assert "_static/cjtrade-maths.css" in page
    assert "_static/cjtrade-maths.css" not in html(app, "plain")  # only pages with maths
    css = (Path(app.outdir) / "_static" / "cjtrade-maths.css").read_text(encoding="utf-8")
    assert 'mjx-container[jax="SVG"]' in css and "mjx-assistive-mml" in css
    assert not app._warning.getvalue()


@pytest.mark.sphinx("html", testroot="maths-broken")
def test_tex_mathjax_cannot_read_stops_the_build_naming_page_and_line(app):
    with pytest.raises(maths.MathsError, match=r"index\.rst:6: MathJax cannot read .*notamacro"):
        app.build()


def test_displayed_formulas_are_put_together_as_sphinx_does_for_mathjax():
    block = nodes.math_block("", "a = b\n\nc = d \\\\ e = f", nowrap=False, number=None)
    assert maths.display_tex(block) == (
        r"\begin{align}\begin{aligned}a = b\\\begin{split}c = d \\ e = f\end{split}"
        r"\end{aligned}\end{align}"
    )
    nowrap = nodes.math_block("", r"\begin{align} x &= 1 \end{align}", nowrap=True, number=None)
    assert maths.display_tex(nowrap) == r"\begin{align} x &= 1 \end{align}"


def test_each_script_is_emitted_once():
    body = _JavaScript("", body="const THEBE = 1;")
    again = _JavaScript(None, body="const THEBE = 1;")
    context = {"script_files": [_JavaScript("a.js"), body, again, _JavaScript("a.js")]}
    page_fixes.drop_duplicate_scripts(None, "p", "page.html", context, None)
    assert [(s.filename, s.attributes.get("body")) for s in context["script_files"]] == [
        ("a.js", None),
        ("", "const THEBE = 1;"),
    ]


def test_bibliography_entries_get_the_role_their_list_requires():
    context = {"body": '<div role="list"><div role="doc-biblioentry">Yotov</div></div>'}
    page_fixes.use_current_aria_roles(None, "p", "page.html", context, None)
    assert context["body"] == '<div role="list"><div role="listitem">Yotov</div></div>'


def _written(outdir: Path, since: dict[Path, int]) -> set[str]:
    """The files of *outdir* that are new or were written after *since* (their times then)."""
    return {
        str(path.relative_to(outdir))
        for path in outdir.rglob("*")
        if path.is_file() and since.get(path) != path.stat().st_mtime_ns
    }


def _times(outdir: Path) -> dict[Path, int]:
    return {path: path.stat().st_mtime_ns for path in outdir.rglob("*") if path.is_file()}


@pytest.mark.sphinx("html", testroot="assets")
def test_a_rebuild_writes_only_what_changed(app, make_app, monkeypatch):
    """Nothing changed: no page, font or gzip copy is written (stylesheets that Sphinx or an
    extension copies back are pruned again from the kept result, to the same bytes). One page
    changed: that page is written, with the page whose toctree lists it (Sphinx re-reads it: a
    title may have changed) and the index and search pages, not the others."""
    monkeypatch.setenv(BUILD_FLAG, "")
    app.build()
    outdir, srcdir = Path(app.outdir), Path(app.srcdir)
    before = _times(outdir)
    stylesheets = {path: path.read_bytes() for path in outdir.rglob("*.css")}
    make_app("html", srcdir=srcdir).build()
    written = _written(outdir, before)
    assert {name for name in written if not name.endswith(".css")} == set()
    assert {path: path.read_bytes() for path in outdir.rglob("*.css")} == stylesheets
    (srcdir / "text.rst").write_text("Text\n====\n\nStill no chart here.\n", encoding="utf-8")
    before = _times(outdir)
    make_app("html", srcdir=srcdir).build()
    pages = {name for name in _written(outdir, before) if name.endswith(".html")}
    assert "text.html" in pages and "chart.html" not in pages
    assert pages <= {"text.html", "index.html", "genindex.html", "search.html"}  # its toctree


@pytest.mark.sphinx("html", testroot="assets")
def test_an_edited_static_file_reaches_the_site_on_the_next_build(
    app, make_app, monkeypatch, tmp_path
):
    """With no page changed, Sphinx copies no static file: the root page is written so that it
    does, and once the site has the file, a rebuild writes nothing again."""
    monkeypatch.setenv(BUILD_FLAG, "")
    static = tmp_path / "static"
    shutil.copytree(assets.STATIC, static)
    monkeypatch.setattr(assets, "STATIC", static)
    app.build()
    outdir, srcdir = Path(app.outdir), Path(app.srcdir)
    loader = static / assets.CHART_LOADER
    loader.write_text(loader.read_text(encoding="utf-8") + "\n// edited\n", encoding="utf-8")
    before = _times(outdir)
    make_app("html", srcdir=srcdir).build()
    pages = {name for name in _written(outdir, before) if name.endswith(".html")}
    served = (outdir / "_static" / assets.CHART_LOADER).read_text(encoding="utf-8")
    assert served.endswith("// edited\n") and "index.html" in pages and "chart.html" not in pages
    before = _times(outdir)
    make_app("html", srcdir=srcdir).build()
    assert {name for name in _written(outdir, before) if not name.endswith(".css")} == set()


def test_the_build_log_leaves_out_library_chatter_unless_verbose(tmp_path, monkeypatch):
    monkeypatch.delenv("IPYTHONDIR", raising=False)
    fonttools = logging.getLogger("fontTools")
    monkeypatch.setattr(fonttools, "level", logging.NOTSET)
    app = SimpleNamespace(verbosity=1, outdir=str(tmp_path / "html"))
    quiet_log.quiet_libraries(app, None)
    assert fonttools.level == logging.NOTSET and "IPYTHONDIR" not in os.environ
    app.verbosity = 0
    quiet_log.quiet_libraries(app, None)
    assert fonttools.level == logging.WARNING
    config = Path(os.environ["IPYTHONDIR"]) / "profile_default" / "ipython_kernel_config.py"
    assert 'log_level = "ERROR"' in config.read_text(encoding="utf-8")
    copies = quiet_log.StylesheetCopies(tmp_path / "html" / "_static")

    def note(destination: str) -> logging.LogRecord:
        record = logging.LogRecord(
            "sphinx", logging.INFO, "", 0, "%s %s", ("src", destination), None
        )
        record.subtype = "copy_overwrite"
        return record

    assert not copies.filter(note(str(tmp_path / "html" / "_static" / "theme.css")))
    assert copies.filter(note(str(tmp_path / "html" / "_static" / "theme.js")))
    for module in ("sphinx.util.osutil", "sphinx.util.fileutil"):
        logging.getLogger(f"sphinx.{module}").removeFilter(copies)


def test_chinese_and_japanese_words_are_marked_with_their_language():
    marked = languages.with_languages(
        "<p>industries (文化产业 in China, コンテンツ産業 in Japan); 億円; 中田一良 (2021)"
        " 地域的な包括的経済連携</p><script>var s = '文化';</script>"
    )
    assert '(<span lang="zh-Hans">文化产业</span> in China' in marked
    assert '<span lang="ja">コンテンツ産業</span>' in marked
    assert '<span lang="ja">億円</span>' in marked
    assert '<span lang="ja">中田一良</span>' in marked  # nothing of its own: its neighbour's
    assert "var s = '文化';" in marked  # a script is not text
