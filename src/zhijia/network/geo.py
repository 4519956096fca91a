"""Distances on the sphere, and travel time from a straight line.

Points are indexed as unit vectors (x, y, z): the straight chord between two of them grows with the great-circle
distance, so a k-d tree's nearest by chord is exactly the nearest by haversine distance, with no projection error.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import NDArray

EARTH_RADIUS_M = 6_371_008.8  # mean radius (IUGG)


def haversine_m(lng1: float, lat1: float, lng2: float, lat2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lng2 - lng1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(h)))


def haversine_many_m(lng: float, lat: float, lngs: NDArray[np.float64], lats: NDArray[np.float64]) -> NDArray:
    """Distances from one point to many (the brute-force baseline the index is tested and benchmarked against)."""
    p1, p2 = math.radians(lat), np.radians(lats)
    dp, dl = p2 - p1, np.radians(lngs - lng)
    h = np.sin(dp / 2) ** 2 + math.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * np.arcsin(np.minimum(1.0, np.sqrt(h)))


def unit_vectors(lngs: NDArray[np.float64], lats: NDArray[np.float64]) -> NDArray[np.float64]:
    lam, phi = np.radians(np.asarray(lngs, dtype=np.float64)), np.radians(np.asarray(lats, dtype=np.float64))
    cos_phi = np.cos(phi)
    return np.column_stack((cos_phi * np.cos(lam), cos_phi * np.sin(lam), np.sin(phi)))


def chord_to_m(chord: NDArray[np.float64] | float) -> NDArray[np.float64]:
    return 2 * EARTH_RADIUS_M * np.arcsin(np.minimum(1.0, np.asarray(chord) / 2))


def travel_minutes(distance_m: float, *, speed_kmh: float, detour_factor: float) -> float:
    """Straight-line distance stretched by the street network's detour factor, at a steady speed."""
    return distance_m * detour_factor / (speed_kmh * 1000.0) * 60.0
