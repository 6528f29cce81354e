"""The index of figures and tables: ``{figure-index}`` lists every numbered, captioned one.

Numbers and captions are Sphinx's own (``env.toc_fignumbers`` and the standard domain's labels),
so the index cannot disagree with the pages it links to.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective
from sphinx.util.nodes import make_refnode

KINDS = {"figure": "Figure", "table": "Table"}


class figure_index(nodes.General, nodes.Element):  # docutils names nodes in lower case
    """Placeholder that :func:`fill_figure_index` replaces with the book's figures and tables."""


class FigureIndex(SphinxDirective):
    """``{figure-index}``: list every numbered, captioned figure and table of the book, linked."""

    def run(self) -> list[nodes.Node]:
        return [figure_index()]


def captioned_items(env) -> list[tuple[str, tuple[int, ...], str, str, str]]:
    """Return ``(kind, number, page, anchor, caption)`` of each labelled figure and table."""
    labels = env.get_domain("std").labels.values()
    captions = {(page, anchor): caption for page, anchor, caption in labels}
    items = []
    for page, numbers in env.toc_fignumbers.items():
        for kind in KINDS:
            for anchor, number in numbers.get(kind, {}).items():
                if captions.get((page, anchor)):
                    items.append((kind, tuple(number), page, anchor, captions[(page, anchor)]))
    return sorted(items, key=lambda item: (list(KINDS).index(item[0]), item[1]))


def _entry(app: Sphinx, docname: str, item: tuple) -> nodes.list_item:
    _, number, page, anchor, caption = item
    label = f"{KINDS[item[0]]} {'.'.join(map(str, number))}"
    entry = nodes.paragraph()
    entry += make_refnode(app.builder, docname, page, anchor, nodes.Text(label), label)
    entry += nodes.Text(f": {caption} ({app.env.titles[page].astext()})")
    return nodes.list_item("", entry)


def fill_figure_index(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Replace each ``{figure-index}`` placeholder by a rubric and a linked list per kind."""
    placeholders = list(doctree.findall(figure_index))
    if not placeholders:
        return
    items = captioned_items(app.env)
    content: list[nodes.Node] = []
    for kind, heading in KINDS.items():
        entries = nodes.bullet_list()
        entries += [_entry(app, docname, item) for item in items if item[0] == kind]
        content += [nodes.rubric(text=f"{heading}s"), entries]
    for placeholder in placeholders:
        placeholder.replace_self([node.deepcopy() for node in content])


def setup(app: Sphinx) -> dict:
    app.add_node(figure_index)
    app.add_directive("figure-index", FigureIndex)
    app.connect("doctree-resolved", fill_figure_index)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
