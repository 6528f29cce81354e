"""Every chapter's downloadable notebook exists, is linked from its page, reads like the page, and
runs for a student."""

import re
import shutil
from concurrent.futures import ThreadPoolExecutor

import nbformat
import pytest
from nbclient import NotebookClient

from cjbook.paths import ROOT
from cjbook.serve import toc_pages

pytestmark = pytest.mark.slow

MYST_ROLE = re.compile(r"\{(glue|glue:text|numref|ref|doc|term|cite:p|cite:t)\}`")
FIGURE = re.compile(r"^```\{glue:figure\} (\S+)", re.M)


def notebook_pages(built_html):
    return [p for p in toc_pages() if (built_html / "_sources" / f"{p}.ipynb").exists()]


def downloaded(built_html, page):
    return nbformat.read(built_html / "_sources" / f"{page}.ipynb", as_version=4)


def figure_cells(notebook) -> dict[str, nbformat.NotebookNode]:
    """The cells that show a glued figure, by the figure's name."""
    shown = re.compile(r'^show\("([^"]+)"\)$')
    return {
        match.group(1): cell
        for cell in notebook.cells
        if cell.cell_type == "code" and (match := shown.match(cell.source))
    }


def test_every_code_page_offers_a_notebook(built_html):
    pages = notebook_pages(built_html)
    assert "book/evidence/china-japan-trade" in pages
    for page in pages:
        html = (built_html / f"{page}.html").read_text(encoding="utf-8")
        assert f"_sources/{page}.ipynb" in html


def test_downloaded_notebooks_read_like_their_pages(built_html):
    for page in notebook_pages(built_html):
        notebook = downloaded(built_html, page)
        text = "\n".join(c.source for c in notebook.cells if c.cell_type == "markdown")
        assert not MYST_ROLE.search(text), f"{page}: {MYST_ROLE.search(text).group(0)} left raw"
        assert "{glue:figure}" not in text and "{exercise-start}" not in text, page
        assert "make setup" in notebook.cells[0].source, page
        source = (ROOT / f"{page}.md").read_text(encoding="utf-8")
        figures = figure_cells(notebook)
        for name in FIGURE.findall(source):  # each glued figure is shown, with its drawing
            assert name in figures, f"{page}: figure {name} is not shown"
            assert figures[name].outputs[0]["data"]["image/png"], f"{page}: {name} has no drawing"
        if "Learning objectives" in source:
            assert "**Learning objectives**" in text, page


def run_as_a_reader(built_html, page: str, folder) -> nbformat.NotebookNode:
    """Run *page*'s downloaded notebook top to bottom in *folder*, without the build's outputs."""
    notebook_file = folder / f"{page.replace('/', '_')}.ipynb"
    shutil.copy(built_html / "_sources" / f"{page}.ipynb", notebook_file)
    notebook = nbformat.read(notebook_file, as_version=4)
    for cell in notebook.cells:  # the reader's run, not the build's drawings
        if cell.cell_type == "code":
            cell.outputs = []
    NotebookClient(notebook, timeout=300, resources={"metadata": {"path": str(folder)}}).execute()
    return notebook


def test_downloaded_notebooks_run_from_an_empty_folder(built_html, tmp_path, verification):
    """Two notebooks at a time, each in its own kernel, while ``make verify`` executes the pages
    in the background (:func:`conftest.verification`): the machine's two cores kept busy."""
    pages = notebook_pages(built_html)
    with ThreadPoolExecutor(max_workers=2) as pool:
        notebooks = pool.map(lambda page: run_as_a_reader(built_html, page, tmp_path), pages)
        for page, notebook in zip(pages, notebooks, strict=True):
            code = [cell for cell in notebook.cells if cell.cell_type == "code"]
            assert any(cell.get("outputs") for cell in code), page
            for name, cell in figure_cells(notebook).items():  # drawn where the page has it
                assert cell.outputs, f"{page}: figure {name} has no output after a run"
