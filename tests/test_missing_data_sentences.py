"""Every "not in this book's data package" sentence in the chapters is still true.

A chapter may say that a figure is missing from the data package only while it is. Each such
sentence is listed in ``MISSING`` with a check that the package still lacks what it names (a year,
a flow, a count); when a later audit fills the gap, the check fails and the sentence must go. A
sentence that is not listed fails too, so a new one cannot be written without its check.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pandas as pd
import pytest

from cjbook.paths import ROOT
from cjtrade import data

PHRASE = re.compile(r"not in (?:this|the) book's data package")
CODE_CELL = re.compile(r"```\{code-cell\}.*?```", re.DOTALL)
WINDOW = 320  # characters before the phrase in which the sentence names what is missing


def chapter_text(path) -> str:
    """The prose of a chapter (code cells removed), with all whitespace runs made single spaces."""
    return re.sub(r"\s+", " ", CODE_CELL.sub(" ", path.read_text(encoding="utf-8")))


def missing_sentences() -> list[tuple[str, str]]:
    """(chapter, text before the phrase) for every use of the phrase in the book's prose."""
    found = []
    for path in sorted((ROOT / "book").rglob("*.md")):
        text = chapter_text(path)
        for match in PHRASE.finditer(text):
            found.append((str(path.relative_to(ROOT)), text[max(0, match.start() - WINDOW) :]))
    return found


def rows(name: str) -> pd.DataFrame:
    return data.load(name)


def no_partner_level_cultural_trade() -> bool:
    """No resource holds HS-chapter trade by partner beyond the one China–Japan figure."""
    by_partner = [
        r["name"]
        for r in data.read_package()["resources"]
        if {"hs_chapter", "partner"} <= {f["name"] for f in r["schema"]["fields"]}
    ]
    return by_partner == ["cn_jp_cultural_goods"] and len(rows("cn_jp_cultural_goods")) == 1


def only_japans_services_record_without_copyright_by_partner() -> bool:
    """Services by partner come from Japan's balance of payments alone, with no copyright item."""
    services = [r["name"] for r in data.read_package()["resources"] if "bop" in r["name"]]
    items = set(rows("bop_japan_services_by_partner")["item"])
    return all(name.startswith("bop_japan") for name in services) and "copyrights" not in items


def no_resource_named(word: str) -> bool:
    return not any(word in r["name"] for r in data.read_package()["resources"])


# fragment of the sentence (within WINDOW characters before the phrase) -> the package lacks it
MISSING: dict[str, Callable[[], bool]] = {
    "numbers of medium and small categories": lambda: (
        set(rows("nbs_classification_levels")["level_en"]) == {"major categories"}
    ),
    '"core cultural products" in a Chinese government report': lambda: (
        "core_cultural_products" not in set(rows("china_cultural_trade_totals")["definition"])
    ),
    "UNCTAD's own series": lambda: no_resource_named("unctad"),
    "creative-goods exports by product and by destination": lambda: no_resource_named("creative"),
    "trade in HS chapters 49, 95 and 97 by partner": no_partner_level_cultural_trade,
    "The rest of chapters 49 and 97": lambda: (
        rows("cn_jp_cultural_goods")[["reporter", "hs_chapter"]].drop_duplicates().values.tolist()
        == [["JPN", "95"]]
    ),
    "China Customs' exports to Japan were found only for 2002": lambda: (
        set(rows("china_customs_cn_jp_trade")["flow"]) == {"total"}
    ),
    "would need China Customs' export record": lambda: (
        set(rows("china_customs_cn_jp_trade")["flow"]) == {"total"}
    ),
    "National Bureau of Statistics' 2023 figure": lambda: (
        2023 not in set(rows("japanese_fdi_in_china")["year"])
    ),
    "JNTO's count for South Korea in 2023": lambda: (
        set(rows("jnto_visitors")["market"]) == {"all", "china"}
    ),
    "Press reports give the level the strategy starts from": lambda: (
        "actual"
        not in set(
            rows("cool_japan_content").query("series == 'cool_japan_overseas_related_industries'")[
                "kind"
            ]
        )
    ),
    "the level it starts from": lambda: (
        "actual"
        not in set(
            rows("cool_japan_content").query("series == 'cool_japan_overseas_related_industries'")[
                "kind"
            ]
        )
    ),
    "HUMANMEDIA's estimate for 2011": lambda: (
        2011
        not in set(
            rows("cool_japan_content").query("series == 'humanmedia_content_overseas'")["year"]
        )
    ),
    "the fund's audited accounts themselves": lambda: (
        not any("loss_annual" in m or "net_income" in m for m in rows("cool_japan_fund")["measure"])
    ),
    "Indonesia's is not in": lambda: pd.isna(
        rows("rcep_members").set_index("iso3").loc["IDN", "entry_into_force"]
    ),
    "its date of entry into force was read only on an unnamed news portal": lambda: pd.isna(
        rows("rcep_members").set_index("iso3").loc["IDN", "entry_into_force"]
    ),
    "a GTAP study of RCEP's effect": lambda: (
        not rows("rcep_tariff_commitments")["reported_by"].str.contains("Deng|AgroPages").any()
    ),
    "UN Comtrade publishes trade by partner and HS chapter": no_partner_level_cultural_trade,
    "own record of those payments, and the copyright part of them": lambda: (
        only_japans_services_record_without_copyright_by_partner()
    ),
    "China's own record of the same payments": lambda: (
        only_japans_services_record_without_copyright_by_partner()
    ),
    "records its side of them": lambda: only_japans_services_record_without_copyright_by_partner(),
    "and the two records themselves": no_partner_level_cultural_trade,
    "The two partners' own records, behind each balanced value": no_partner_level_cultural_trade,
    "Their published coefficients": lambda: no_resource_named("disdier"),
}


def test_every_missing_data_sentence_is_listed_with_its_check():
    sentences = missing_sentences()
    assert sentences, "the book no longer says that anything is missing"
    unlisted = [
        (chapter, before[-160:])
        for chapter, before in sentences
        if not any(fragment in before for fragment in MISSING)
    ]
    assert not unlisted, f"sentences without a check in MISSING: {unlisted}"


def test_every_listed_sentence_is_still_in_the_book():
    sentences = [before for _, before in missing_sentences()]
    stale = [f for f in MISSING if not any(f in before for before in sentences)]
    assert not stale, f"MISSING lists sentences the book no longer has: {stale}"


@pytest.mark.parametrize("fragment", sorted(MISSING))
def test_what_each_sentence_calls_missing_is_still_missing(fragment):
    assert MISSING[fragment](), (
        f"the package now holds what the sentence with {fragment!r} calls missing: "
        "update the sentence (and the chapter's numbers) instead"
    )


def test_a_sentence_about_a_year_the_package_holds_fails(monkeypatch):
    """The check for the FDI sentence fails once the package holds 2023 (as a later audit might)."""
    real = data.load

    def with_2023(name, data_dir=None):
        frame = real(name, data_dir)
        if name == "japanese_fdi_in_china":
            extra = frame.iloc[[-1]].assign(year=2023)
            frame = pd.concat([frame, extra], ignore_index=True)
        return frame

    monkeypatch.setattr(data, "load", with_2023)
    assert not MISSING["National Bureau of Statistics' 2023 figure"]()
