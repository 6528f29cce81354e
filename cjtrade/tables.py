"""Tables that read well in both the HTML book and the PDF.

A DataFrame's HTML representation is lost in the LaTeX build, which falls back to plain text.
:func:`show` emits Markdown instead, which MyST-NB renders as a real table in every format.
"""

from __future__ import annotations

import pandas as pd
from IPython.display import Markdown


def markdown(frame: pd.DataFrame, floatfmt: str = ",.2f", verbatim: bool = False) -> str:
    """Return *frame* as a Markdown table (no index).

    Numbers are formatted with *floatfmt*; with ``verbatim=True`` every cell is shown exactly as
    its text (for recorded values such as the numbers manifest, which must not be reformatted).
    """
    return frame.to_markdown(index=False, floatfmt=floatfmt, disable_numparse=verbatim)


def show(
    frame: pd.DataFrame,
    floatfmt: str = ",.2f",
    verbatim: bool = False,
    caption: str = "",
    name: str = "",
) -> Markdown:
    """Return *frame* as a displayable Markdown table for a notebook cell.

    With a *caption* the table is numbered ("Table 5.1"), listed in the book's index of figures and
    tables, and can be cited with ``{numref}`` under its *name* (a label like ``tbl-cjt-mirror``).
    """
    table = markdown(frame, floatfmt, verbatim)
    if caption:
        label = f":name: {name}\n" if name else ""
        table = f"```{{table}} {caption}\n{label}\n{table}\n```"
    return Markdown(table)
