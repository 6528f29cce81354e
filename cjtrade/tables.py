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


def regression(
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
        absorbed = [name in [f.strip() for f in (m._fixef or "").split("+")] for m in fitted]
        rows.append([label, *["Yes" if a else "No" for a in absorbed]])
    rows.append(["Observations", *[f"{int(m._N):,}" for m in fitted]])
    rows.append(
        [
            "R² (pseudo-R² for PPML)",
            *[f"{float(getattr(m, '_pseudo_r2', None) or m._r2):.3f}" for m in fitted],
        ]
    )
    return pd.DataFrame(rows, columns=["", *models.keys()])
