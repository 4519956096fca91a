"""WGS-84 ⇄ GCJ-02, the obfuscated datum Chinese map services and phones in China report.

The forward transform is the published one (the same polynomial every GCJ-02 library uses); the inverse has no closed
form, so it iterates the forward transform until the point maps back to within 1e-10 degrees (about 0.01 mm).
Outside mainland China GCJ-02 is WGS-84 itself. The platform stores WGS-84 and converts only at the edges.
"""

from __future__ import annotations

import math
from enum import StrEnum

import numpy as np
from numpy.typing import NDArray


class CoordSystem(StrEnum):
    WGS84 = "wgs84"
    GCJ02 = "gcj02"


_A = 6378245.0  # the Krasovsky ellipsoid GCJ-02 is defined on
_EE = 0.00669342162296594323
_PI = math.pi


def out_of_china(lng: float, lat: float) -> bool:
    """The rough box where GCJ-02 applies (the same one Chinese map SDKs use)."""
    return not (72.004 <= lng <= 137.8347 and 0.8293 <= lat <= 55.8271)


def _d_lat(x: float, y: float) -> float:
    ret = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * math.sqrt(abs(x))
    ret += (20.0 * math.sin(6.0 * x * _PI) + 20.0 * math.sin(2.0 * x * _PI)) * 2.0 / 3.0
    ret += (20.0 * math.sin(y * _PI) + 40.0 * math.sin(y / 3.0 * _PI)) * 2.0 / 3.0
    ret += (160.0 * math.sin(y / 12.0 * _PI) + 320.0 * math.sin(y * _PI / 30.0)) * 2.0 / 3.0
    return ret


def _d_lng(x: float, y: float) -> float:
    ret = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * math.sqrt(abs(x))
    ret += (20.0 * math.sin(6.0 * x * _PI) + 20.0 * math.sin(2.0 * x * _PI)) * 2.0 / 3.0
    ret += (20.0 * math.sin(x * _PI) + 40.0 * math.sin(x / 3.0 * _PI)) * 2.0 / 3.0
    ret += (150.0 * math.sin(x / 12.0 * _PI) + 300.0 * math.sin(x / 30.0 * _PI)) * 2.0 / 3.0
    return ret


def wgs84_to_gcj02(lng: float, lat: float) -> tuple[float, float]:
    if out_of_china(lng, lat):
        return lng, lat
    d_lat = _d_lat(lng - 105.0, lat - 35.0)
    d_lng = _d_lng(lng - 105.0, lat - 35.0)
    rad_lat = lat / 180.0 * _PI
    magic = 1 - _EE * math.sin(rad_lat) ** 2
    sqrt_magic = math.sqrt(magic)
    d_lat = (d_lat * 180.0) / ((_A * (1 - _EE)) / (magic * sqrt_magic) * _PI)
    d_lng = (d_lng * 180.0) / (_A / sqrt_magic * math.cos(rad_lat) * _PI)
    return lng + d_lng, lat + d_lat


def gcj02_to_wgs84(
    lng: float, lat: float, *, tolerance: float = 1e-10, max_iterations: int = 30
) -> tuple[float, float]:
    """The WGS-84 point whose GCJ-02 image is (lng, lat): a fixed-point iteration on the forward transform.

    The offset changes by well under a part in a thousand per metre, so each step gains about three digits."""
    if out_of_china(lng, lat):
        return lng, lat
    w_lng, w_lat = lng, lat
    for _ in range(max_iterations):
        g_lng, g_lat = wgs84_to_gcj02(w_lng, w_lat)
        e_lng, e_lat = g_lng - lng, g_lat - lat
        w_lng, w_lat = w_lng - e_lng, w_lat - e_lat
        if abs(e_lng) < tolerance and abs(e_lat) < tolerance:
            break
    return w_lng, w_lat


def to_wgs84(lng: float, lat: float, system: str) -> tuple[float, float]:
    return gcj02_to_wgs84(lng, lat) if system == CoordSystem.GCJ02 else (lng, lat)


def from_wgs84(lng: float, lat: float, system: str) -> tuple[float, float]:
    return wgs84_to_gcj02(lng, lat) if system == CoordSystem.GCJ02 else (lng, lat)


def wgs84_to_gcj02_many(lng: NDArray[np.float64], lat: NDArray[np.float64]) -> tuple[NDArray, NDArray]:
    """The forward transform over arrays (bulk conversion of demo data, map layers). Points outside China keep
    their coordinates."""
    lng = np.asarray(lng, dtype=np.float64)
    lat = np.asarray(lat, dtype=np.float64)
    x, y = lng - 105.0, lat - 35.0
    sx = np.sqrt(np.abs(x))
    common = (20.0 * np.sin(6.0 * x * _PI) + 20.0 * np.sin(2.0 * x * _PI)) * 2.0 / 3.0
    d_lat = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * sx + common
    d_lat += (20.0 * np.sin(y * _PI) + 40.0 * np.sin(y / 3.0 * _PI)) * 2.0 / 3.0
    d_lat += (160.0 * np.sin(y / 12.0 * _PI) + 320.0 * np.sin(y * _PI / 30.0)) * 2.0 / 3.0
    d_lng = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * sx + common
    d_lng += (20.0 * np.sin(x * _PI) + 40.0 * np.sin(x / 3.0 * _PI)) * 2.0 / 3.0
    d_lng += (150.0 * np.sin(x / 12.0 * _PI) + 300.0 * np.sin(x / 30.0 * _PI)) * 2.0 / 3.0
    rad_lat = lat / 180.0 * _PI
    magic = 1 - _EE * np.sin(rad_lat) ** 2
    sqrt_magic = np.sqrt(magic)
    d_lat = (d_lat * 180.0) / ((_A * (1 - _EE)) / (magic * sqrt_magic) * _PI)
    d_lng = (d_lng * 180.0) / (_A / sqrt_magic * np.cos(rad_lat) * _PI)
    inside = (lng >= 72.004) & (lng <= 137.8347) & (lat >= 0.8293) & (lat <= 55.8271)
    return np.where(inside, lng + d_lng, lng), np.where(inside, lat + d_lat, lat)


def gcj02_to_wgs84_many(lng: NDArray[np.float64], lat: NDArray[np.float64]) -> tuple[NDArray, NDArray]:
    lng = np.asarray(lng, dtype=np.float64)
    lat = np.asarray(lat, dtype=np.float64)
    w_lng, w_lat = lng.copy(), lat.copy()
    for _ in range(30):
        g_lng, g_lat = wgs84_to_gcj02_many(w_lng, w_lat)
        e_lng, e_lat = g_lng - lng, g_lat - lat
        w_lng -= e_lng
        w_lat -= e_lat
        if max(float(np.max(np.abs(e_lng), initial=0.0)), float(np.max(np.abs(e_lat), initial=0.0))) < 1e-10:
            break
    return w_lng, w_lat
