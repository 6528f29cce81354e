"""Great-circle distances from GeoNames coordinates agree with known answers and with CEPII."""

import math

import pytest

from cjtrade import data, geo


def test_quarter_meridian_is_a_quarter_of_the_circumference():
    assert geo.great_circle_km(0, 0, 90, 0) == pytest.approx(math.pi / 2 * geo.EARTH_RADIUS_KM)


def test_distance_is_symmetric_and_zero_to_itself():
    assert geo.great_circle_km(39.9, 116.4, 35.7, 139.7) == pytest.approx(
        geo.great_circle_km(35.7, 139.7, 39.9, 116.4)
    )
    assert geo.great_circle_km(39.9, 116.4, 39.9, 116.4) == 0


def test_capitals_come_from_the_gazetteer():
    assert geo.capital("JPN")["capital"] == "Tokyo"
    assert geo.capital("CHN")["capital"] == "Beijing"
    with pytest.raises(KeyError, match="XXX: not a country"):
        geo.capital("XXX")


def test_computed_distances_match_cepii_except_new_zealand():
    partners = data.load("gravity_partners")
    computed = geo.capital_distances("CHN", list(partners["iso3"])).merge(partners, on="iso3")
    gap = (computed["distance_km"] / computed["distcap_km"] - 1).abs()
    close = gap < 0.005
    assert set(computed.loc[~close, "iso3"]) == {
        "NZL"
    }  # CEPII's NZ "capital" distance is its main-city one
    assert (
        partners.set_index("iso3").loc["NZL", "distcap_km"]
        == partners.set_index("iso3").loc["NZL", "dist_km"]
    )
