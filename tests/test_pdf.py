"""The PDF: built by XeLaTeX, complete, with Chinese and Japanese text and embedded CJK fonts."""

import re
import subprocess

import pytest

from cjtrade import gravity

pytestmark = pytest.mark.slow


def pdf_text(pdf) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout


def test_pdf_renders_chinese_and_japanese(built_pdf):
    text = pdf_text(built_pdf)
    assert "文化产业" in text
    assert "コンテンツ産業" in text


def test_pdf_embeds_noto_cjk(built_pdf):
    fonts = subprocess.run(
        ["pdffonts", str(built_pdf)], capture_output=True, text=True, check=True
    ).stdout
    assert "NotoSerifCJK" in fonts


def test_pdf_contains_every_chapter_title(built_pdf):
    text = pdf_text(built_pdf)
    for title in ("Data sources", "References"):
        assert title in text


def test_the_introductions_footer_is_not_the_contents(built_pdf):
    pages = pdf_text(built_pdf).split("\f")
    introduction = next(page for page in pages if "An executable policy report and" in page)
    footer = [line for line in introduction.splitlines() if line.strip()][-1]
    assert "CONTENTS" not in footer.upper(), footer


def test_pdf_has_chart_images_not_html(built_pdf):
    text = pdf_text(built_pdf)
    assert "vegaEmbed" not in text and "<div" not in text


def test_pdf_has_no_unresolved_reference(built_pdf):
    assert "??" not in pdf_text(built_pdf)


@pytest.mark.parametrize("kind", ["Exercise", "Figure", "Table"])
def test_numbers_match_the_website(built_pdf, built_html, kind):
    """An instructor citing "Exercise 5.1" or "Figure 5.1" means one thing in PDF and site."""
    number = re.compile(
        kind + r" (\d+(?:\.\d+)*)" + ("" if kind == "Exercise" else ":")
    )  # captions
    on_site = {
        n
        for page in built_html.rglob("*.html")
        for n in re.findall(kind + r" (\d+\.\d+)", page.read_text(encoding="utf-8"))
    }
    in_pdf = set(number.findall(pdf_text(built_pdf)))
    assert on_site, f"the book has numbered {kind.lower()}s"
    assert in_pdf == on_site
    assert all(n.count(".") == 1 for n in in_pdf), f"{kind.lower()}s are numbered chapter.n"


def test_the_pdf_prints_the_regression_tables(built_pdf):
    text = pdf_text(built_pdf)
    seed = gravity.replicate_seed()
    assert "OLS estimates of ln imports from China, with and without distance" in text
    line = next(line for line in text.splitlines() if line.strip().startswith("ln DIST"))
    assert f"{seed.full.params['ln_dist']:.3f}" in line
    assert f"({seed.full.bse['ln_dist']:.3f})" in text
