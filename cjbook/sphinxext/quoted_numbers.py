"""The numbers manifest: every value glued into the prose, written beside the site for verification.

At the end of a build, every glued number or text (page, name, value) is written to
``numbers.json`` in the output folder; :mod:`cjbook.manifest` compares it with the committed
reference (:data:`cjbook.paths.REFERENCE_NUMBERS`). The ``{reference-numbers}`` directive prints
that reference as a table (the reproducibility report), and the page that uses it is rebuilt when
the reference changes; no executed page reads it, so accepting new numbers re-executes nothing.
"""

from __future__ import annotations

import json
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

from cjbook.files import write_if_changed
from cjbook.manifest import read_manifest
from cjbook.paths import REFERENCE_NUMBERS

MANIFEST = "numbers.json"
COLUMNS = ("page", "name", "value")


def glued_values(app: Sphinx) -> list[dict]:
    """Return every glued number or text of the build as ``{"page", "name", "value"}``, sorted.

    Glued charts (shown with ``{glue:figure}``) are figures, not quoted values, and are left out.
    """
    output_folder = Path(app.env.mystnb_config.output_folder)
    rows = []
    for page, meta in sorted(getattr(app.env, "nb_metadata", {}).items()):
        if not meta.get("glue"):
            continue
        glue_file = output_folder.joinpath(*page.split("/")).with_suffix(".glue.json")
        data = json.loads(glue_file.read_text(encoding="utf-8"))
        for name in sorted(data):
            bundle = data[name]["data"]
            if "image/png" not in bundle:
                rows.append({"page": page, "name": name, "value": bundle.get("text/plain", "")})
    return rows


def write_manifest(app: Sphinx, exception: Exception | None) -> None:
    """Write ``numbers.json`` into the output folder after a successful build."""
    if exception is None:
        text = json.dumps(glued_values(app), indent=1, ensure_ascii=False) + "\n"
        write_if_changed(Path(app.outdir) / MANIFEST, text)


def _row(cells: tuple[str, ...]) -> nodes.row:
    row = nodes.row()
    for text in cells:
        row += nodes.entry("", nodes.paragraph(text=text))
    return row


def table(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> nodes.table:
    """A docutils table of cells shown as their text (rendered alike in HTML and LaTeX)."""
    group = nodes.tgroup(cols=len(header))
    group += [nodes.colspec(colwidth=1) for _ in header]
    group += nodes.thead("", _row(header))
    group += nodes.tbody("", *(_row(cells) for cells in rows))
    return nodes.table("", group, classes=["colwidths-auto"])


class ReferenceNumbers(SphinxDirective):
    """``{reference-numbers}``: the reference manifest that ``make verify`` holds the build to."""

    def run(self) -> list[nodes.Node]:
        path = Path(self.env.srcdir, self.config.cjbook_reference_numbers)  # relative: to the book
        self.env.note_dependency(str(path))  # the page is rebuilt when the reference changes
        manifest = read_manifest(path)
        rows = [(page, name, value) for (page, name), value in sorted(manifest.items())]
        return [table(COLUMNS, rows)]


def setup(app: Sphinx) -> dict:
    app.add_config_value("cjbook_reference_numbers", str(REFERENCE_NUMBERS), "env")
    app.add_directive("reference-numbers", ReferenceNumbers)
    app.connect("build-finished", write_manifest)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
