"""Chinese and Japanese words marked with their language, so a browser draws each in its own font.

Han characters are shared by Chinese and Japanese, and a browser picks their glyphs from the
language it is told: without a ``lang`` attribute, 文化产业 in an English page is drawn with
whatever CJK font comes first, often a Japanese one. Every run of CJK characters in a page's text
is wrapped in ``<span lang="...">``:

- ``ja`` if it has kana, or a character only Japanese writes (経, 円: in Shift JIS, not in the
  Chinese character sets GB 2312 and Big5);
- ``zh-Hans`` if it has a character only simplified Chinese writes (产, 亿: in GB 2312, not in
  Shift JIS); ``zh-Hant`` for one only traditional Chinese writes;
- otherwise (人, 定義, 中田一良: written alike in both) the language of the nearest such run on the
  page within a few lines, or failing that ``zh-Hans`` for characters of GB 2312 and ``ja`` for
  others.

The PDF sets its CJK fonts in LaTeX (``_config.yml``) and needs nothing from here.
"""

from __future__ import annotations

import re

from sphinx.application import Sphinx

CJK = re.compile(
    r"[\u3000-\u303f\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uff01-\uff60]+"
)
PUNCTUATION = re.compile(r"[\u3000-\u303f\uff01-\uff60]")  # CJK and full-width: no language
KANA = re.compile(r"[\u3040-\u30ff\u31f0-\u31ff]")
TAG = re.compile(r"(<[^>]*>)")
RAW_TEXT = re.compile(r"<(script|style)\b", re.I)  # elements whose text is not text
NEAR = 400  # characters of HTML within which a neighbour's language is taken


def _in(character: str, codec: str) -> bool:
    try:
        character.encode(codec)
    except UnicodeEncodeError:
        return False
    return True


def own_language(run: str) -> str | None:
    """The language *run*'s own characters show (see the module's docstring), or None."""
    if KANA.search(run):
        return "ja"
    for character in run:
        gb, jis, big5 = (_in(character, codec) for codec in ("gb2312", "shift_jis", "big5"))
        if gb and not jis:
            return "zh-Hans"
        if jis and not gb and not big5:
            return "ja"
        if big5 and not gb and not jis:
            return "zh-Hant"
    return None


def _runs(html: str) -> list[tuple[int, int]]:
    """Where the CJK runs of *html*'s text are (not in tags, scripts or styles)."""
    runs, position, skipping = [], 0, None
    for part in TAG.split(html):
        if part.startswith("<"):
            opening = RAW_TEXT.match(part)
            if opening:
                skipping = opening.group(1).lower()
            elif skipping and part.lower().startswith(f"</{skipping}"):
                skipping = None
        elif not skipping:
            runs += [(position + m.start(), position + m.end()) for m in CJK.finditer(part)]
        position += len(part)
    return [(start, end) for start, end in runs if PUNCTUATION.sub("", html[start:end])]


def with_languages(html: str) -> str:
    """*html* with each CJK run of its text in a ``<span lang="...">``."""
    runs = _runs(html)
    own = [own_language(html[start:end]) for start, end in runs]
    decided = [(start, lang) for (start, _), lang in zip(runs, own, strict=True) if lang]
    pieces, position = [], 0
    for (start, end), language in zip(runs, own, strict=True):
        if language is None:
            near = [(abs(at - start), lang) for at, lang in decided if abs(at - start) <= NEAR]
            fallback = "zh-Hans" if all(_in(c, "gb2312") for c in html[start:end]) else "ja"
            language = min(near)[1] if near else fallback
        pieces += [html[position:start], f'<span lang="{language}">{html[start:end]}</span>']
        position = end
    return "".join(pieces) + html[position:]


def mark_languages(app: Sphinx, pagename, templatename, context, doctree) -> None:
    if "body" in context:
        context["body"] = with_languages(context["body"])


def setup(app: Sphinx) -> dict:
    app.connect("html-page-context", mark_languages)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
