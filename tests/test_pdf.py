"""The PDF: built by XeLaTeX, complete, with Chinese and Japanese text and embedded CJK fonts."""

import subprocess

import pytest

pytestmark = pytest.mark.slow


def pdf_text(pdf) -> str:
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def test_pdf_renders_chinese_and_japanese(built_pdf):
    text = pdf_text(built_pdf)
    assert "文化产业" in text
    assert "コンテンツ産業" in text


def test_pdf_embeds_noto_cjk(built_pdf):
    fonts = subprocess.run(["pdffonts", str(built_pdf)], capture_output=True, text=True, check=True).stdout
    assert "NotoSerifCJK" in fonts


def test_pdf_contains_every_chapter_title(built_pdf):
    text = pdf_text(built_pdf)
    for title in ("Data sources", "References"):
        assert title in text


def test_pdf_has_chart_images_not_html(built_pdf):
    text = pdf_text(built_pdf)
    assert "vegaEmbed" not in text and "<div" not in text
