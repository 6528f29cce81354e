"""The student edition: with ``cjbook_hide_solutions`` set, every exercise solution is left out.

Solutions are removed whole, code cells included (sphinx-exercise's own ``hide_solutions`` breaks on
gated solutions), so the student edition keeps every exercise and none of the answers.
"""

from __future__ import annotations

from sphinx.application import Sphinx
from sphinx.transforms import SphinxTransform
from sphinx_exercise.nodes import solution_node


class RemoveSolutions(SphinxTransform):
    """Drop every exercise solution from the page when ``cjbook_hide_solutions`` is set."""

    default_priority = 20  # after sphinx-exercise merges gated solutions (priority 10)

    def apply(self) -> None:
        if self.config.cjbook_hide_solutions:
            for node in list(self.document.findall(solution_node)):
                node.parent.remove(node)


def setup(app: Sphinx) -> dict:
    app.add_config_value("cjbook_hide_solutions", False, "env")
    app.add_transform(RemoveSolutions)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
