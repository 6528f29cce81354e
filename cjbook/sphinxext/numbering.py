"""One numbering: exercises carry the same "chapter.n" number in the PDF as on the website.

An instructor citing "Exercise 4.1" must mean the same exercise in both, and a reference to an
exercise on another page must print that number in the PDF too. (LaTeX numbers figures and
tables itself; the preamble in ``_config.yml`` makes it count them per chapter.)
"""

from __future__ import annotations

from sphinx.addnodes import number_reference
from sphinx.application import Sphinx
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx_exercise.nodes import exercise_latex_number_reference


class LinkExercisesAcrossPages(SphinxPostTransform):
    """In the PDF, print a reference to an exercise on another page as its number, linked.

    sphinx-exercise rewrites numbered references to exercises for LaTeX only when they point into
    the same page; one from another page (the instructor guide's syllabus) is left to LaTeX's
    ``\\ref``, which has no counter for exercises and prints "??". The number Sphinx computed is
    the one the exercise itself shows, so it is kept as text.
    """

    default_priority = 25
    formats = ("latex",)

    def run(self, **_: object) -> None:
        registry = getattr(self.env, "sphinx_exercise_registry", {})
        for node in list(self.document.findall(number_reference)):
            label = node.get("refid") or node.get("refuri", "").rpartition("#")[2]
            if label in registry and not isinstance(node, exercise_latex_number_reference):
                replacement = exercise_latex_number_reference("", "", *node.children, refid=label)
                node.replace_self(replacement)


def number_like_the_html(app: Sphinx) -> None:
    """Number exercises "chapter.n" in the PDF, as on the website.

    sphinx-jupyterbook-latex raises ``numfig_secnum_depth`` to 2 when the book has parts, which
    turns the website's "Exercise 4.1" into "Exercise 4.10.1" in the PDF.
    """
    if app.builder.format == "latex":
        app.config.numfig_secnum_depth = 1


def setup(app: Sphinx) -> dict:
    app.add_post_transform(LinkExercisesAcrossPages)
    app.connect("builder-inited", number_like_the_html, priority=900)  # after jupyterbook-latex
    return {"parallel_read_safe": True, "parallel_write_safe": True}
