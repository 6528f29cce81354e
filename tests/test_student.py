"""`make book-student`: the same book with every exercise and no solution."""

import pytest
from conftest import assert_made

from cjbook.paths import ROOT
from cjbook.serve import toc_pages

pytestmark = pytest.mark.slow

STUDENT_HTML = ROOT / "_build" / "student" / "_build" / "html"


@pytest.fixture(scope="module")
def student_html(built_html):
    assert_made("book-student")
    return STUDENT_HTML


def test_student_edition_keeps_exercises_and_drops_solutions(student_html, built_html):
    exercises = solutions = 0
    for page in toc_pages():
        full = (built_html / f"{page}.html").read_text(encoding="utf-8")
        student = (student_html / f"{page}.html").read_text(encoding="utf-8")
        assert student.count('class="exercise') == full.count('class="exercise')
        assert 'class="solution' not in student
        exercises += full.count('class="exercise')
        solutions += full.count('class="solution')
    assert exercises > 0 and solutions > 0  # the comparison would be empty otherwise


def test_student_edition_drops_the_code_inside_solutions(student_html):
    page = (student_html / "book/evidence/china-japan-trade.html").read_text(encoding="utf-8")
    assert "pct_change" not in page
