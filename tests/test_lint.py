"""Ruff finds nothing in the packages, scripts, tests and the chapters' code cells."""

import ast
import subprocess
import sys

import pytest

from cjbook import lint
from cjbook.paths import ROOT

PYTHON_TREES = ["cjtrade", "cjbook", "scripts", "tests"]


@pytest.mark.parametrize("command", [["check"], ["format", "--check"]], ids=["check", "format"])
def test_python_files_are_ruff_clean(command):
    ruff = [sys.executable, "-m", "ruff", *command, *PYTHON_TREES]
    result = subprocess.run(ruff, cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_chapters_code_cells_are_ruff_clean(capfd):
    assert lint.check() == 0, capfd.readouterr().out


def test_code_cells_are_found_and_written_back_unchanged():
    for chapter in lint.chapters():
        text = chapter.read_text(encoding="utf-8")
        assert lint.replace_code_cells(text, lint.code_cells(text)) == text, chapter
    assert len(lint.chapters()) >= 13


def imported_modules(path) -> set[str]:
    """The top-level names of every module that the file at *path* imports."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_the_analysis_package_stands_apart_from_the_build():
    """Chapters import cjtrade; it must not depend on the build, the tests or the scripts."""
    for module in (ROOT / "cjtrade").rglob("*.py"):
        code = module.read_text(encoding="utf-8")
        assert "cjbook" not in imported_modules(module), f"{module.name} imports the build"
        for folder in ('"tests"', '"scripts"'):
            assert folder not in code, f"{module.name} reads {folder}"
