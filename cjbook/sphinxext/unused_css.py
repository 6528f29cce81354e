"""Drop the style rules no page of the site can match, so the stylesheets that block a page's first
paint are small (issue 14).

The theme's stylesheet is 397 KB (65 KB compressed) and is read and matched in full before a
phone draws anything, though most of its rules are for components this book never shows. A rule
is kept if any of its selectors can match: if every class and id that selector requires is a word
of a page of the site or of a script the pages load (scripts add classes as pages run). Anything
the selector only *excludes* (inside ``:not(...)``) or offers as alternatives (``:is(...)``,
``:where(...)``, ``:has(...)``) is not required. Class names a script builds from parts
(``"bs-" + name``, ```bs-${name}-auto```) are kept by their fixed parts. Rules that hold no
selector (``@font-face``, ``@keyframes``, custom properties of ``:root``) are kept; grouping rules
(``@media``, ``@supports``, ``@container``, ``@layer``) are pruned inside. Licence comments
(``/*! ... */``) stay; other comments, such as source-map links to files the site does not serve,
go. A kept rule keeps its whole selector list, so no rule changes whether a browser accepts it.

The build keeps the stylesheets as shipped beside the site, and
``tests/test_unused_css.py::test_no_dropped_rule_matches_an_element`` asks every page in Chromium,
as loaded and with what a reader opens, whether any selector of a dropped rule matches an element.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

import tinycss2
from tinycss2 import ast

from cjbook.files import digest, write_if_changed

WORD = re.compile(r"[A-Za-z_][\w-]*")
NAME = re.compile(r"[\w-]+")
REFERENCE = re.compile(r"""[\w.-]+\.(?:js|css)\b""")  # a file name in a page or a script
# Parts of class names scripts build: "prefix-" + ..., and `prefix-${...}-suffix`.
CONCATENATED = re.compile(r"""["']([A-Za-z][\w-]*-)["']\s*\+""")
TEMPLATE = re.compile(r"`([^`$]*)\$\{[^}`]*\}([^`]*)`")
GROUPING = {"media", "supports", "container", "layer", "document", "scope"}


class Vocabulary:
    """The class and id names a site's pages and scripts may put on an element."""

    def __init__(self, words: set[str], patterns: Iterable[re.Pattern]) -> None:
        self.words = words
        self.patterns = list(patterns)

    def knows(self, name: str) -> bool:
        """True if an element of the site may carry *name* as a class or id."""
        if not NAME.fullmatch(name):  # escaped characters: not worth matching, kept
            return True
        return name in self.words or any(pattern.fullmatch(name) for pattern in self.patterns)


def served_scripts(site: Path, pages: list[Path]) -> list[Path]:
    """Return the scripts under ``_static`` that the pages load, directly or through a script."""
    by_name: dict[str, list[Path]] = {}
    for path in (site / "_static").rglob("*.js"):
        by_name.setdefault(path.name, []).append(path)
    found: dict[Path, None] = {}
    texts = [page.read_text(encoding="utf-8") for page in pages]
    while texts:
        names = {name for text in texts for name in REFERENCE.findall(text)}
        new = [path for name in names for path in by_name.get(name, []) if path not in found]
        found.update(dict.fromkeys(new))
        texts = [path.read_text(encoding="utf-8") for path in new]
    return sorted(found)


def built_name_patterns(script: str) -> list[re.Pattern]:
    """Patterns for the class names *script* builds from a fixed part and a variable one."""
    patterns = [
        re.compile(re.escape(prefix) + r"[\w-]*") for prefix in CONCATENATED.findall(script)
    ]
    for head, tail in TEMPLATE.findall(script):
        if re.fullmatch(r"[A-Za-z][\w-]*-", head) and re.fullmatch(r"[\w-]*", tail):
            patterns.append(re.compile(re.escape(head) + r"[\w-]*" + re.escape(tail)))
    return patterns


def site_vocabulary(site: Path) -> Vocabulary:
    """Every word of the site's pages and of the scripts they load, and the names scripts build."""
    pages = [page for page in site.rglob("*.html") if "_static" not in page.parts]
    words: set[str] = set()
    patterns: list[re.Pattern] = []
    for page in pages:
        words |= set(WORD.findall(page.read_text(encoding="utf-8")))
    for script in served_scripts(site, pages):
        text = script.read_text(encoding="utf-8")
        words |= set(WORD.findall(text))
        patterns += built_name_patterns(text)
    unique = {pattern.pattern: pattern for pattern in patterns}
    return Vocabulary(words, unique.values())


def split_selectors(prelude: list) -> list[list]:
    """Split a rule's prelude at its top-level commas."""
    selectors: list[list] = [[]]
    for token in prelude:
        if token.type == "literal" and token.value == ",":
            selectors.append([])
        else:
            selectors[-1].append(token)
    return selectors


def required_names(selector: list) -> set[str]:
    """The class and id names an element must carry for *selector* to match it (functional
    pseudo-classes and attribute selectors, whose contents may not be required, are skipped)."""
    names = set()
    for before, token in zip([None, *selector], selector, strict=False):
        is_id = token.type == "hash" and token.is_identifier
        is_class = token.type == "ident" and getattr(before, "value", None) == "."
        if is_id or is_class:
            names.add(token.value)
    return names


def may_match(rule: ast.QualifiedRule, vocabulary: Vocabulary) -> bool:
    """True if any selector of *rule* may match an element of the site."""
    return any(
        all(vocabulary.knows(name) for name in required_names(selector))
        for selector in split_selectors(rule.prelude)
    )


def prune(nodes: list, vocabulary: Vocabulary, dropped: list[str] | None = None) -> list:
    """The rules of *nodes* that may match, with grouping rules pruned inside (empty ones go);
    the selectors of the rules dropped are added to *dropped*, if given."""
    kept = []
    for node in nodes:
        if node.type == "comment":
            if node.value.startswith("!"):
                kept.append(node)
        elif node.type == "whitespace":
            continue
        elif node.type == "qualified-rule":
            if may_match(node, vocabulary):
                kept.append(node)
            elif dropped is not None:
                dropped.extend(tinycss2.serialize(s).strip() for s in split_selectors(node.prelude))
        elif node.type == "at-rule" and node.lower_at_keyword in GROUPING and node.content:
            inner = prune(tinycss2.parse_rule_list(node.content), vocabulary, dropped)
            if inner:
                node.content = _with_newlines(inner)
                kept.append(node)
        else:
            kept.append(node)
    return kept


def dropped_selectors(css: str, vocabulary: Vocabulary) -> list[str]:
    """The selectors of the rules of *css* that pruning drops (for the browser test)."""
    dropped: list[str] = []
    prune(tinycss2.parse_stylesheet(css, skip_whitespace=True), vocabulary, dropped)
    return dropped


def _with_newlines(nodes: list) -> list:
    joined = []
    for node in nodes:
        joined += [node, ast.WhitespaceToken(0, 0, "\n")]
    return joined


def pruned_stylesheet(css: str, vocabulary: Vocabulary) -> str:
    """*css* without the rules that no element of the site can match."""
    nodes = tinycss2.parse_stylesheet(css, skip_comments=False, skip_whitespace=True)
    return tinycss2.serialize(_with_newlines(prune(nodes, vocabulary)))


def prune_site_stylesheets(site: Path, originals: Path) -> None:
    """Prune every stylesheet under *site*'s ``_static`` in place (the theme's, the extensions',
    the book's), keeping each as it was under *originals*, for the browser test.

    On a rebuild a stylesheet is either the one shipped (Sphinx copies it again over a file that
    differs) or the pruned one this function wrote last time. A stylesheet is pruned again only if
    it or the pages and scripts changed: beside its original, *originals* keeps the pruned result
    (``NAME.css.pruned``) and the digest of what it was made from (``NAME.css.sha256``). The
    vocabulary, the slow part, is read only if a stylesheet is to be pruned.
    """
    static = site / "_static"
    pages_and_scripts = digest(
        *(path.read_bytes() for path in sorted([*site.rglob("*.html"), *static.rglob("*.js")]))
    )
    vocabulary = None
    stylesheets = sorted(static.rglob("*.css"))
    for path in stylesheets:
        original_file = originals / path.relative_to(static)
        pruned_file = original_file.with_name(original_file.name + ".pruned")
        stamp = original_file.with_name(original_file.name + ".sha256")
        css = path.read_text(encoding="utf-8")
        if (
            original_file.is_file()
            and pruned_file.is_file()
            and css == pruned_file.read_text(encoding="utf-8")
        ):
            css = original_file.read_text(encoding="utf-8")  # left pruned by the last build
        key = digest(pages_and_scripts, css)
        if not (stamp.is_file() and stamp.read_text(encoding="utf-8") == key):
            vocabulary = vocabulary or site_vocabulary(site)
            write_if_changed(pruned_file, pruned_stylesheet(css, vocabulary))
            write_if_changed(stamp, key)
        write_if_changed(original_file, css)
        write_if_changed(path, pruned_file.read_bytes())
    kept = {originals / path.relative_to(static) for path in stylesheets}
    for stale in [path for path in originals.rglob("*.css") if path not in kept]:
        for suffix in ("", ".pruned", ".sha256"):
            stale.with_name(stale.name + suffix).unlink(missing_ok=True)
