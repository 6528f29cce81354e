"""Tables that read well in both the HTML book and the PDF.

A DataFrame's HTML representation is lost in the LaTeX build, which falls back to plain text.
:func:`show` emits Markdown instead, which MyST-NB renders as a real table in every format;
:func:`regression` (statsmodels fits) and :func:`fixest_regression` (pyfixest fits, through its
``etable``) lay out fitted models the way economists print them; :func:`fixed` writes numbers
that keep their sign when they round to zero.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import pandas as pd
from IPython.display import Markdown
from statsmodels.iolib.summary2 import summary_col

NUMBER_TEXT = re.compile(r"[-−+]?(\d[\d,]*)?\.?\d+(e[-+]?\d+)?%?")


def _number_columns_right(frame: pd.DataFrame) -> list[str]:
    """Right for a column whose every cell reads as a number, left for the others."""
    return [
        "right"
        if frame[c].map(lambda v: NUMBER_TEXT.fullmatch(str(v)) is not None).all()
        else "left"
        for c in frame.columns
    ]


def markdown(frame: pd.DataFrame, floatfmt: str = ",.2f", verbatim: bool = False) -> str:
    """Return *frame* as a Markdown table (no index).

    Numbers are formatted with *floatfmt*; with ``verbatim=True`` every cell is shown exactly as
    its text (for recorded values such as the numbers manifest, which must not be reformatted,
    or numbers written by :func:`fixed`), and a column of numbers is still aligned right.
    """
    if verbatim:
        align = _number_columns_right(frame)
        return frame.to_markdown(index=False, disable_numparse=True, colalign=align)
    return frame.to_markdown(index=False, floatfmt=floatfmt)


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


def fixed(frame: pd.DataFrame, decimals: int = 3) -> pd.DataFrame:
    """*frame* with its float columns as text to *decimals* places, never as a negative zero.

    A value that rounds to zero at *decimals* places is written with one significant digit
    instead ("-0.0004", not "-0.000"), so that every cell keeps its sign; an exact zero is "0".
    Show the result with ``show(..., verbatim=True)``.
    """

    def cell(value: float) -> str:
        if value == 0:
            return "0"
        text = f"{value:,.{decimals}f}"
        if float(text.replace(",", "")) == 0:
            return f"{value:.1g}" if abs(value) >= 1e-4 else f"{value:.0e}"
        return text

    out = frame.copy().astype(object)
    for column in frame.columns:
        if pd.api.types.is_float_dtype(frame[column]):
            out[column] = frame[column].map(cell)
    return out


def fixest_regression(
    models: dict,
    terms: list[str] | None = None,
    labels: dict[str, str] | None = None,
    fixed_effects: dict[str, str] | None = None,
    decimals: int = 3,
) -> pd.DataFrame:
    """A regression table as trade economists print it, from pyfixest's ``etable``.

    One column per model (the keys of *models* head them); each coefficient on one row with its
    standard error in parentheses on the row below; then a row per fixed effect in
    *fixed_effects* (label -> the pyfixest name, marked "Yes" where the model absorbs it), the
    number of observations and the R² (pseudo-R² for PPML). *terms* picks and orders the
    coefficients, *labels* renames them. Show it with ``show(..., verbatim=True)``, which renders
    in the HTML and the PDF alike.
    """
    import pyfixest as pf

    from cjtrade.structural import absorbed_effects

    fitted = list(models.values())
    body = pf.etable(
        fitted,
        type="df",
        coef_fmt="b \n (se)",
        show_fe=False,
        digits=decimals,
        keep=[f"^{term}$" for term in terms] if terms else None,
    )
    rows = []
    coefficients = body.loc["coef"]
    order = terms or list(coefficients.index)
    for term in order:
        if term not in coefficients.index:
            continue
        cells = [str(value).split("\n") for value in coefficients.loc[term]]
        rows.append([(labels or {}).get(term, term), *[cell[0].strip() for cell in cells]])
        rows.append(["", *[cell[1].strip() if len(cell) > 1 else "" for cell in cells]])
    for label, name in (fixed_effects or {}).items():
        absorbed = [name in absorbed_effects(m) for m in fitted]
        rows.append([label, *["Yes" if a else "No" for a in absorbed]])
    rows.append(["Observations", *[f"{int(m._N):,}" for m in fitted]])
    rows.append(
        [
            "R² (pseudo-R² for PPML)",
            *[f"{float(getattr(m, '_pseudo_r2', None) or m._r2):.3f}" for m in fitted],
        ]
    )
    return pd.DataFrame(rows, columns=["", *models.keys()])
