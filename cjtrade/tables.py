"""Tables that read well in both the HTML book and the PDF.

A DataFrame's HTML representation is lost in the LaTeX build, which falls back to plain text.
:func:`show` emits Markdown instead, which MyST-NB renders as a real table in every format;
:func:`regression` lays out fitted models the way economists print them.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
from IPython.display import Markdown
from statsmodels.iolib.summary2 import summary_col


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
    return Markdown(_captioned(markdown(frame, floatfmt, verbatim), caption, name))


def _captioned(table: str, caption: str, name: str) -> str:
    """Wrap a Markdown *table* in a numbered ``{table}`` directive if it has a *caption*."""
    if not caption:
        return table
    label = f":name: {name}\n" if name else ""
    return f"```{{table}} {caption}\n{label}\n{table}\n```"


def _model_statistics(result) -> dict[str, str]:
    """N, and R² for OLS or McFadden's pseudo-R² (1 − ln L / ln L₀, as pyfixest's) for a GLM."""
    statistics = {"N": f"{int(result.nobs)}"}
    if hasattr(result, "pseudo_rsquared"):
        statistics["Pseudo R²"] = f"{result.pseudo_rsquared(kind='mcf'):.3f}"
    else:
        statistics["R²"] = f"{result.rsquared:.3f}"
    return statistics


def regression_frame(
    models: Mapping[str, object],
    labels: Mapping[str, str] | None = None,
    rows: Mapping[str, list[str]] | None = None,
    digits: int = 3,
) -> pd.DataFrame:
    """Fitted statsmodels results side by side, as statsmodels' ``summary_col`` lays them out.

    One column per entry of *models* (its key is the column's heading): each coefficient with its
    standard error in parentheses on the line beneath, in the order of *labels* (which also names
    the terms; terms not in it follow under their own names), then N and R² (OLS) or pseudo-R²
    (GLM), then the extra *rows*, one value per model (the kind of standard errors, fixed effects).
    """
    labels = dict(labels or {})
    fits = list(models.values())
    table = summary_col(
        fits,
        float_format=f"%.{digits}f",
        model_names=list(models),
        regressor_order=list(labels),
        include_r2=False,
        info_dict={},
    ).tables[0]
    statistics = pd.DataFrame([_model_statistics(fit) for fit in fits], index=list(models)).T
    extra = pd.DataFrame(dict(rows or {}), index=list(models)).T
    table = pd.concat([table, statistics.fillna(""), extra])
    table.index = [labels.get(term, term) for term in table.index]
    return table.reset_index(names="")


def regression(
    models: Mapping[str, object],
    labels: Mapping[str, str] | None = None,
    rows: Mapping[str, list[str]] | None = None,
    digits: int = 3,
    caption: str = "",
    name: str = "",
) -> Markdown:
    """:func:`regression_frame` as a displayable Markdown table, numbered if it has a *caption*.

    The model columns are centred, so that a coefficient stands over its standard error.
    """
    frame = regression_frame(models, labels, rows, digits)
    align = ["left"] + ["center"] * (frame.shape[1] - 1)
    table = frame.to_markdown(index=False, disable_numparse=True, colalign=align)
    return Markdown(_captioned(table, caption, name))
