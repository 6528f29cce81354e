"""Which HS codes count as cultural goods in this book, and under which heading.

The book follows the seed paper, which measures cultural trade with three chapters of the
Harmonized System: 49 (printed matter), 95 (toys, games and sports requisites) and 97 (works of
art, collectors' pieces and antiques). The chapters and their HS 2022 headings come from the data
package resource ``hs_cultural_headings`` (source: the ``datasets/harmonized-system`` copy of UN
Comtrade's HS 2022 classification). UNESCO's and UNCTAD's lists reach beyond these chapters (for
instance to jewellery); this module does not guess at them, because their code lists could not be
verified.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import pandas as pd

CATEGORY = {
    "49": "Printed matter",
    "95": "Toys, games and sports requisites",
    "97": "Works of art, collectors' pieces and antiques",
}
_SEPARATORS = re.compile(r"[\s.]")


@dataclass(frozen=True)
class HSClassification:
    """Where one HS code falls: its chapter, its heading, and the book's cultural category."""

    code: str
    chapter: str
    heading: str | None
    category: str | None  # None: outside chapters 49, 95 and 97
    description: str | None  # the heading's description (the chapter's for a two-digit code)

    @property
    def is_cultural(self) -> bool:
        return self.category is not None


def normalise(code: str | int) -> str:
    """Return *code* as digits only ("9701.21" → "970121"); reject anything that is not an HS code.

    HS codes have 2 (chapter), 4 (heading) or 6 (subheading) digits; national tariffs add more,
    which this module does not interpret. An integer that lost a leading zero (101 for "0101") has
    an odd number of digits and is refused like any other malformed code.
    """
    text = _SEPARATORS.sub("", str(code))
    if not text.isdigit() or len(text) not in (2, 4, 6):
        raise ValueError(
            f"{code!r} is not an HS code: expected 2, 4 or 6 digits, dots and spaces allowed"
        )
    return text


@lru_cache(maxsize=1)
def _headings() -> pd.DataFrame:
    from cjtrade.data import load  # deferred: normalise() needs no data package

    return load("hs_cultural_headings").set_index("code")


def classify(code: str | int) -> HSClassification:
    """Classify one HS code; raise ``ValueError`` for a heading these chapters lack in HS 2022.

    A code outside chapters 49, 95 and 97 is returned as not cultural. Inside them, the four-digit
    heading must exist in HS 2022 (9501 and 9502, for example, do not), so that a typing error is
    not silently counted as culture.
    """
    digits = normalise(code)
    chapter = digits[:2]
    if chapter not in CATEGORY:
        return HSClassification(digits, chapter, None, None, None)
    headings = _headings()
    heading = digits[:4] if len(digits) >= 4 else None
    if heading is not None and heading not in headings.index:
        raise ValueError(f"{code!r}: heading {heading} does not exist in HS 2022 chapter {chapter}")
    description = headings.loc[heading or chapter, "description"]
    return HSClassification(digits, chapter, heading, CATEGORY[chapter], description)


def classify_many(codes: list[str]) -> pd.DataFrame:
    """Classify a list of codes into a table (one row per code), for exercises and quick checks."""
    return pd.DataFrame(
        [vars(classify(code)) | {"cultural": classify(code).is_cultural} for code in codes]
    )
