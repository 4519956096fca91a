"""The projection, grid, travel times and coverage figures, each against a brute-force computation."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zhijia.planning.algorithms.areas import fill_unknown, label_centres
from zhijia.planning.algorithms.coverage import coverage, totals_by_area
from zhijia.planning.algorithms.grid import SquareGrid, bin_points
from zhijia.planning.algorithms.projection import LocalProjection, haversine_m
from zhijia.planning.algorithms.travel import TravelModel, nearest_distance

BEIJING = (116.40, 40.0)


def test_projection_distances_match_great_circle_within_two_percent_across_beijing():
    # given points over Beijing's extent (115.4–117.5 E, 39.4–41.1 N)
    rng = np.random.default_rng(1)
    lng = rng.uniform(115.4, 117.5, 400)
    lat = rng.uniform(39.4, 41.1, 400)
    proj = LocalProjection.around(lng, lat)

    # when the planar distance of short hops (a few kilometres) is set against the great-circle distance
    xy = proj.forward(lng, lat)
    hop = proj.forward(lng + 0.01, lat + 0.01)
    planar = np.hypot(*(hop - xy).T)
    truth = haversine_m(lng, lat, lng + 0.01, lat + 0.01)

    # then they agree to within the 1.5% the module promises (a few metres on a ten-minute walk)
    assert np.max(np.abs(planar / truth - 1)) < 0.016
    back_lng, back_lat = proj.inverse(xy)
    assert np.allclose(back_lng, lng)
    assert np.allclose(back_lat, lat)


def test_the_ten_minute_reach_of_walking_and_riding():
    assert TravelModel(4.8, 1.3).reach_m(10) == pytest.approx(615.38, abs=0.01)
    assert TravelModel(15, 1.3).reach_m(10) == pytest.approx(1923.08, abs=0.01)
    assert TravelModel(4.8, 1.3).minutes(615.3846) == pytest.approx(10.0)
    with pytest.raises(ValueError, match="speed"):
        TravelModel(0, 1.3)


coords = st.lists(st.tuples(st.integers(-3000, 3000), st.integers(-3000, 3000)), min_size=1, max_size=40)


@settings(max_examples=60, deadline=None)
@given(sites=st.lists(st.tuples(st.integers(-3000, 3000), st.integers(-3000, 3000)), max_size=15), demand=coords)
def test_nearest_distance_and_coverage_match_brute_force(sites, demand):
    model = TravelModel(4.8, 1.3)
    s = np.array(sites, dtype=float).reshape(-1, 2)
    d = np.array(demand, dtype=float)

    got = coverage(s, d, model, minutes=10, cap_minutes=1e9)

    if len(s) == 0:
        assert np.all(np.isinf(got.distance_m))
        assert not got.covered.any()
        return
    brute = np.min(np.hypot(d[:, None, 0] - s[None, :, 0], d[:, None, 1] - s[None, :, 1]), axis=1)
    assert np.allclose(got.distance_m, brute)
    assert np.array_equal(got.covered, brute * 1.3 / 80.0 <= 10 + 1e-9)
    _dist, idx = nearest_distance(s, d)
    assert np.allclose(np.hypot(*(s[idx] - d).T), brute)


@settings(max_examples=60, deadline=None)
@given(
    demand=coords,
    data=st.data(),
)
def test_coverage_per_area_matches_counting_by_hand(demand, data):
    # given a small city: workers with counts in areas, a few sites
    n = len(demand)
    weights = data.draw(st.lists(st.integers(1, 50), min_size=n, max_size=n))
    areas = data.draw(st.lists(st.integers(-1, 3), min_size=n, max_size=n))
    sites = data.draw(st.lists(st.tuples(st.integers(-3000, 3000), st.integers(-3000, 3000)), min_size=1, max_size=8))
    model = TravelModel(15, 1.3)
    cov = coverage(np.array(sites, float), np.array(demand, float), model)

    # when totals are taken per area
    totals = totals_by_area(areas, weights, cov.covered, 4)

    # then each area's workers and covered workers are the plain sums over its points
    reach = model.reach_m(10)
    for area in range(4):
        rows = [i for i in range(n) if areas[i] == area]
        inside = [
            i for i in rows if min(np.hypot(demand[i][0] - x, demand[i][1] - y) for x, y in sites) <= reach + 1e-9
        ]
        assert totals.workers[area] == sum(weights[i] for i in rows)
        assert totals.covered[area] == sum(weights[i] for i in inside)
    share = totals.share
    assert all(np.isnan(share[a]) == (totals.workers[a] == 0) for a in range(4))


def test_grid_bins_points_and_sums_per_cell():
    grid = SquareGrid(250)
    xy = np.array([[10, 10], [240, 5], [260, 10], [-1, -1], [499, 499]], dtype=float)

    binned = bin_points(grid, xy)

    cells = {tuple(c): i for i, c in enumerate(binned.cells)}
    assert set(cells) == {(0, 0), (1, 0), (-1, -1), (1, 1)}
    totals = binned.total([1, 2, 3, 4, 5])
    assert totals[cells[(0, 0)]] == 3
    assert totals[cells[(1, 0)]] == 3
    assert np.allclose(grid.centre([[0, 0], [-1, -1]]), [[125, 125], [-125, -125]])
    mean = binned.weighted_mean_xy(xy, [1, 3, 1, 1, 1])
    assert np.allclose(mean[cells[(0, 0)]], [(10 + 3 * 240) / 4, (10 + 15) / 4])


def test_unknown_areas_take_the_nearest_street_centre():
    # given two streets whose located workers sit around x=0 and x=1000, and two workers with no street
    xy = np.array([[0, 0], [10, 0], [1000, 0], [990, 5], [100, 0], [900, 0]], dtype=float)
    known = np.array([7, 7, 9, 9, -1, -1])

    labels, centres = label_centres(xy, known)
    filled = fill_unknown(xy, known, centres, labels)

    assert list(labels) == [7, 9]
    assert list(filled) == [7, 7, 9, 9, 7, 9]


@settings(max_examples=60, deadline=None)
@given(
    sites=st.lists(st.tuples(st.integers(-3000, 3000), st.integers(-3000, 3000)), min_size=1, max_size=12),
    demand=st.lists(st.tuples(st.floats(-3000, 3000), st.floats(-3000, 3000)), min_size=1, max_size=60),
    cell=st.sampled_from([50.0, 100.0, 250.0]),
)
def test_the_two_stage_search_keeps_who_is_inside_exact(sites, demand, cell):
    model = TravelModel(4.8, 1.3)
    s, d = np.array(sites, dtype=float), np.array(demand, dtype=float)
    brute = np.min(np.hypot(d[:, None, 0] - s[None, :, 0], d[:, None, 1] - s[None, :, 1]), axis=1)

    got = coverage(s, d, model, cap_minutes=1e9, cell_m=cell)

    assert np.array_equal(got.covered, brute <= model.reach_m(10))
    assert np.all(np.abs(got.distance_m - brute) <= cell * np.sqrt(0.5) + 1e-6)


@settings(max_examples=60, deadline=None)
@given(
    xy=st.lists(st.tuples(st.floats(-50_000, 50_000), st.floats(-50_000, 50_000)), min_size=1, max_size=80),
    size=st.sampled_from([50.0, 250.0, 1000.0]),
)
def test_grid_binning_matches_grouping_each_point_by_hand(xy, size):
    grid = SquareGrid(size)
    pts = np.array(xy, dtype=float)

    binned = bin_points(grid, pts)

    by_hand: dict[tuple[int, int], int] = {}
    for x, y in xy:
        cell = (int(np.floor(x / size)), int(np.floor(y / size)))
        by_hand[cell] = by_hand.get(cell, 0) + 1
    assert len(binned.cells) == len(by_hand)
    assert [tuple(binned.cells[i]) for i in binned.index] == [
        (int(np.floor(x / size)), int(np.floor(y / size))) for x, y in xy
    ]
    assert {tuple(c): n for c, n in zip(binned.cells.tolist(), binned.total(np.ones(len(xy))), strict=True)} == by_hand
