"""HS codes to the book's cultural categories: known answers, and clear errors for bad input."""

import pytest

from cjtrade import classification


@pytest.mark.parametrize(
    ("code", "category", "heading"),
    [
        ("4901", "Printed matter", "4901"),
        ("4901.99", "Printed matter", "4901"),
        ("9504 50", "Toys, games and sports requisites", "9504"),
        ("970121", "Works of art, collectors' pieces and antiques", "9701"),
        ("97", "Works of art, collectors' pieces and antiques", None),
    ],
)
def test_cultural_codes_get_their_category_and_heading(code, category, heading):
    result = classification.classify(code)
    assert result.is_cultural
    assert (result.category, result.heading) == (category, heading)
    assert result.description


@pytest.mark.parametrize("code", ["8471", "711319", "8523.49", "0101"])
def test_codes_outside_the_three_chapters_are_not_cultural(code):
    result = classification.classify(code)
    assert not result.is_cultural and result.category is None


@pytest.mark.parametrize("code", ["49A1", "970", "97012199", "", "49-01", 4901.5])
def test_malformed_codes_are_refused(code):
    with pytest.raises(ValueError, match="not an HS code"):
        classification.normalise(code)


def test_an_integer_that_lost_its_leading_zero_is_refused():
    with pytest.raises(ValueError, match="not an HS code"):
        classification.normalise(101)  # meant "0101"


def test_a_heading_that_hs_2022_does_not_have_is_an_error_not_culture():
    with pytest.raises(ValueError, match="9501 does not exist"):
        classification.classify("950100")


def test_classify_many_gives_one_row_per_code():
    table = classification.classify_many(["4902", "8471"])
    assert list(table["cultural"]) == [True, False]
    assert list(table["code"]) == ["4902", "8471"]
