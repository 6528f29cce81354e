"""Lint and format the code cells of the book's chapters with ruff, leaving their prose untouched.

ruff reads notebooks but not MyST Markdown, so each chapter's code cells are written into a
notebook in a scratch folder (same relative path, ``.ipynb``), ruff checks or formats that, and
formatted cells are written back into the chapter in place, so that nothing but code changes.

    python -m cjbook lint            ruff check and ruff format --check over the chapters
    python -m cjbook format          format the chapters' code cells in place
"""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
from pathlib import Path

import nbformat

from cjbook.paths import ROOT

CHAPTERS = ROOT / "book"
# A code cell: the fence, its options (":tags: [...]") and a blank line, then the code to the fence.
CODE_CELL = re.compile(
    r"^(?P<head>```\{code-cell\}[^\n]*\n(?::[^\n]*\n)*(?:\n)?)(?P<code>.*?)^```$",
    re.MULTILINE | re.DOTALL,
)


def chapters(folder: Path = CHAPTERS) -> list[Path]:
    """Return every MyST notebook (a Markdown file with a kernel) under *folder*."""
    return sorted(p for p in folder.rglob("*.md") if "kernelspec:" in p.read_text("utf-8")[:600])


def code_cells(text: str) -> list[str]:
    """Return the source of each code cell of a MyST notebook, in order."""
    return [match["code"].rstrip("\n") for match in CODE_CELL.finditer(text)]


def replace_code_cells(text: str, sources: list[str]) -> str:
    """Return *text* with its code cells' sources replaced by *sources*, in order."""
    replacements = iter(sources)
    return CODE_CELL.sub(lambda m: f"{m['head']}{next(replacements).rstrip()}\n```", text)


def _as_notebook(chapter: Path, scratch: Path) -> Path:
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        nbformat.v4.new_code_cell(code) for code in code_cells(chapter.read_text("utf-8"))
    ]
    notebook.metadata["language_info"] = {"name": "python"}
    target = scratch / chapter.resolve().relative_to(ROOT).with_suffix(".ipynb")
    target.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, target)
    return target


def _ruff(*args: str, cwd: Path) -> int:
    command = [sys.executable, "-m", "ruff", *args, "--config", str(ROOT / "pyproject.toml")]
    return subprocess.run([*command, "."], cwd=cwd).returncode


def check(paths: list[Path] | None = None) -> int:
    """Run ``ruff check`` and ``ruff format --check`` on the chapters' code; non-zero if unclean."""
    with tempfile.TemporaryDirectory() as scratch:
        for chapter in paths or chapters():
            _as_notebook(chapter, Path(scratch))
        return _ruff("check", "--quiet", cwd=Path(scratch)) | _ruff(
            "format", "--check", cwd=Path(scratch)
        )


def format_in_place(paths: list[Path] | None = None) -> int:
    """Format the chapters' code cells with ``ruff format`` and write them back."""
    with tempfile.TemporaryDirectory() as scratch:
        notebooks = {
            chapter: _as_notebook(chapter, Path(scratch)) for chapter in paths or chapters()
        }
        code = _ruff("format", "--quiet", cwd=Path(scratch))
        for chapter, notebook in notebooks.items():
            sources = [cell.source for cell in nbformat.read(notebook, as_version=4).cells]
            text = chapter.read_text("utf-8")
            formatted = replace_code_cells(text, sources)
            if formatted != text:
                chapter.write_text(formatted, "utf-8")
        return code
