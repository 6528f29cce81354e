"""The gravity chapters as built: regression tables in the journals' layout (the PDF's are checked
in test_pdf.py), and p-values in the prose computed with t(n − k), not the normal."""

from __future__ import annotations

import json
import re

import pytest
from scipy import stats

from cjtrade import gravity

pytestmark = pytest.mark.slow

# page, table label, and the fit whose first column the table must show
REGRESSION_TABLES = [
    ("replication", "tbl-rep-ols", "full"),
    ("diagnostics", "tbl-diag-errors", "final"),
    ("ppml", "tbl-ppml-ols", None),
]


def table_rows(page_html: str, label: str) -> list[list[str]]:
    """The cells of the table with id *label*, row by row, as text."""
    table = re.search(rf'<table[^>]*id="{label}".*?</table>', page_html, re.S)
    assert table, f"no table {label}"
    rows = re.findall(r"<tr.*?</tr>", table.group(0), re.S)
    return [re.findall(r"<t[dh][^>]*><p>(.*?)</p>", row, re.S) for row in rows]


@pytest.mark.parametrize(("page", "label", "fit"), REGRESSION_TABLES)
def test_regression_tables_put_each_standard_error_beneath_its_coefficient(
    built_html, page, label, fit
):
    rows = table_rows((built_html / "book" / "gravity" / f"{page}.html").read_text(), label)
    by_label = {row[0]: i for i, row in enumerate(rows) if row[0]}
    for term in ("ln GDP", "ln POP", "SCC", "Constant", "N"):
        assert term in by_label, f"{label} lacks a row for {term}"
    gdp = by_label["ln GDP"]
    assert rows[gdp + 1][0] == "" and all(
        re.fullmatch(r"\(\d+\.\d{3}\)", c) for c in rows[gdp + 1][1:]
    )
    assert set(rows[by_label["N"]][1:]) == {"13"}
    if fit:
        result = getattr(gravity.replicate_seed(), fit)
        assert rows[gdp][1] == f"{result.params['ln_gdp']:.3f}"
        assert rows[gdp + 1][1] == f"({result.bse['ln_gdp']:.3f})"


def test_robust_p_values_in_the_prose_use_t_with_n_minus_k_degrees_of_freedom(built_html):
    glued = {
        row["name"]: float(row["value"])
        for row in json.loads((built_html / "numbers.json").read_text(encoding="utf-8"))
        if row["page"] == "book/gravity/diagnostics" and row["name"].startswith(("scc_", "df_"))
    }
    seed = gravity.replicate_seed()
    hc1 = gravity.fit_ols(seed.y, seed.X_final, cov_type="HC1")
    t_ratio, df = abs(hc1.tvalues["scc"]), seed.final.df_resid
    assert glued["scc_hc1_p"] == pytest.approx(2 * stats.t.sf(t_ratio, df))
    assert glued["scc_hc1_p_normal"] == pytest.approx(2 * stats.norm.sf(t_ratio))
    assert glued["df_resid"] == 9
