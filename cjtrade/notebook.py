"""What a chapter's downloaded notebook uses to show its figures where the page shows them.

A chapter glues each figure with myst-nb's ``glue(name, chart, display=False)``, and its page draws
the figure where a ``{glue:figure}`` directive names it. In the notebook a reader downloads
(written by :mod:`cjbook.sphinxext.downloads`), the chapter's ``glue`` is :func:`glue`, which also
keeps each value, and each figure directive becomes a code cell calling :func:`show`.
"""

from __future__ import annotations

from myst_nb import glue as myst_nb_glue

GLUED: dict[str, object] = {}


def glue(name: str, variable: object, display: bool = True) -> None:
    """Glue *variable* under *name* as myst-nb does, and keep it for :func:`show`."""
    GLUED[name] = variable
    myst_nb_glue(name, variable, display=display)


def show(name: str) -> object:
    """Return the value glued under *name* (the cell's output shows it: a chart is drawn)."""
    if name not in GLUED:
        raise KeyError(f"nothing is glued under {name!r} yet: run the cells above this one first")
    return GLUED[name]
