"""GCJ-02 ⇄ WGS-84: known offsets, round trips within a metre anywhere in mainland China, identity abroad."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zhijia.network.coords import (
    from_wgs84,
    gcj02_to_wgs84,
    gcj02_to_wgs84_many,
    out_of_china,
    to_wgs84,
    wgs84_to_gcj02,
    wgs84_to_gcj02_many,
)
from zhijia.network.geo import haversine_m

# Mainland China's box, trimmed to where people live and GCJ-02 applies.
LNG = st.floats(min_value=73.7, max_value=134.7, allow_nan=False)
LAT = st.floats(min_value=18.2, max_value=53.5, allow_nan=False)


def test_tiananmen_is_shifted_by_a_few_hundred_metres():
    # given Tiananmen in WGS-84
    lng, lat = 116.391275, 39.907499

    # when it is expressed in GCJ-02
    g_lng, g_lat = wgs84_to_gcj02(lng, lat)

    # then it moved south-east by the familiar few hundred metres
    shift = haversine_m(lng, lat, g_lng, g_lat)
    assert 300 < shift < 700
    assert g_lng > lng


@settings(max_examples=400, deadline=None)
@given(LNG, LAT)
def test_gcj02_round_trip_stays_within_a_metre(lng, lat):
    # WGS-84 → GCJ-02 → WGS-84
    back = gcj02_to_wgs84(*wgs84_to_gcj02(lng, lat))
    assert haversine_m(lng, lat, *back) < 0.01

    # GCJ-02 → WGS-84 → GCJ-02
    again = wgs84_to_gcj02(*gcj02_to_wgs84(lng, lat))
    assert haversine_m(lng, lat, *again) < 0.01


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(LNG, LAT), min_size=1, max_size=30))
def test_the_array_transforms_agree_with_the_scalar_ones(points):
    lngs, lats = np.array([p[0] for p in points]), np.array([p[1] for p in points])

    g_lngs, g_lats = wgs84_to_gcj02_many(lngs, lats)
    w_lngs, w_lats = gcj02_to_wgs84_many(g_lngs, g_lats)

    for i, (lng, lat) in enumerate(points):
        assert (g_lngs[i], g_lats[i]) == wgs84_to_gcj02(lng, lat)
        assert haversine_m(lng, lat, float(w_lngs[i]), float(w_lats[i])) < 0.01


def test_outside_china_gcj02_is_wgs84():
    for lng, lat in [(2.3522, 48.8566), (-74.0, 40.7), (139.69, 35.69)]:
        assert out_of_china(lng, lat)
        assert wgs84_to_gcj02(lng, lat) == (lng, lat)
        assert gcj02_to_wgs84(lng, lat) == (lng, lat)


def test_the_edges_convert_only_when_asked():
    point = (116.4, 39.9)
    assert to_wgs84(*point, "wgs84") == point
    assert from_wgs84(*point, "wgs84") == point
    assert from_wgs84(*to_wgs84(*point, "gcj02"), "gcj02") == pytest.approx(point, abs=1e-8)
