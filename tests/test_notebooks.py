"""Every chapter's downloadable notebook exists, is linked from its page, and runs for a student."""

import shutil

import nbformat
import pytest
from nbclient import NotebookClient

from cjbook.serve import toc_pages

pytestmark = pytest.mark.slow


def notebook_pages(built_html):
    return [p for p in toc_pages() if (built_html / "_sources" / f"{p}.ipynb").exists()]


def test_every_code_page_offers_a_notebook(built_html):
    pages = notebook_pages(built_html)
    assert "book/evidence/china-japan-trade" in pages
    for page in pages:
        html = (built_html / f"{page}.html").read_text(encoding="utf-8")
        assert f"_sources/{page}.ipynb" in html


def test_downloaded_notebooks_run_from_an_empty_folder(built_html, tmp_path):
    for page in notebook_pages(built_html):
        notebook_file = tmp_path / f"{page.replace('/', '_')}.ipynb"
        shutil.copy(built_html / "_sources" / f"{page}.ipynb", notebook_file)
        notebook = nbformat.read(notebook_file, as_version=4)
        assert not any(cell.get("outputs") for cell in notebook.cells if cell.cell_type == "code")
        NotebookClient(
            notebook, timeout=300, resources={"metadata": {"path": str(tmp_path)}}
        ).execute()
        assert any(cell.get("outputs") for cell in notebook.cells if cell.cell_type == "code"), page
