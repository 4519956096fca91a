"""Site choice (maximal covering with existing points kept) against the exact optimum, by brute force over every
combination on instances small enough for that."""

from __future__ import annotations

import itertools

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from zhijia.planning.algorithms.siting import choose_sites, coverage_matrix, lazy_greedy, uncovered_by_existing

R = 1000.0


def _optimum(cand: np.ndarray, demand: np.ndarray, w: np.ndarray, k: int, existing: np.ndarray) -> float:
    open_ = uncovered_by_existing(existing, demand, R)
    reach = np.hypot(cand[:, None, 0] - demand[None, :, 0], cand[:, None, 1] - demand[None, :, 1]) <= R
    best = 0.0
    for combo in itertools.combinations(range(len(cand)), min(k, len(cand))):
        covered = reach[list(combo)].any(axis=0) & open_
        best = max(best, float(w[covered].sum()))
    return best


points = st.tuples(st.integers(-2500, 2500), st.integers(-2500, 2500))


@settings(max_examples=40, deadline=None)
@given(
    cand=st.lists(points, min_size=1, max_size=9, unique=True),
    demand=st.lists(points, min_size=1, max_size=25),
    existing=st.lists(points, max_size=3),
    k=st.integers(1, 3),
    data=st.data(),
)
def test_choice_reaches_the_exact_optimum_on_tiny_instances(cand, demand, existing, k, data):
    w = np.array(data.draw(st.lists(st.integers(1, 40), min_size=len(demand), max_size=len(demand))), dtype=float)
    c, d, e = (np.array(x, dtype=float).reshape(-1, 2) for x in (cand, demand, existing))

    got = choose_sites(c, d, w, k, R, existing_xy=e)
    best = _optimum(c, d, w, k, e)

    # the gains add up to what the chosen sites really cover beyond the existing points
    open_ = uncovered_by_existing(e, d, R)
    reach = np.hypot(c[:, None, 0] - d[None, :, 0], c[:, None, 1] - d[None, :, 1]) <= R
    really = float(w[reach[got.chosen].any(axis=0) & open_].sum()) if len(got.chosen) else 0.0
    assert got.total == really
    assert len(set(got.chosen.tolist())) == len(got.chosen) <= k
    assert list(got.gains) == sorted(got.gains, reverse=True)
    # greedy with swaps and restarts finds the optimum on instances this small
    assert got.total == best


@settings(max_examples=30, deadline=None)
@given(
    cand=st.lists(points, min_size=2, max_size=8, unique=True),
    demand=st.lists(points, min_size=1, max_size=20),
    k=st.integers(1, 4),
)
def test_plain_greedy_keeps_its_guarantee(cand, demand, k):
    # Greedy alone is within 1 - 1/e of the optimum (and exact for one site).
    c, d = np.array(cand, dtype=float), np.array(demand, dtype=float)
    w = np.ones(len(d))
    a = coverage_matrix(c, d, R)
    chosen = lazy_greedy(a, w, k)
    value = float(w[np.asarray(a[chosen].sum(axis=0)).ravel() > 0].sum()) if chosen else 0.0
    best = _optimum(c, d, w, k, np.empty((0, 2)))
    assert value >= (1 - 1 / np.e) * best - 1e-9
    if k == 1:
        assert value == best


def test_existing_points_are_kept_and_their_workers_not_counted_again():
    # given a crowd already served by an existing point and a smaller crowd far away
    demand = np.array([[0, 0], [50, 0], [5000, 0]], dtype=float)
    weights = np.array([100, 100, 30], dtype=float)
    candidates = np.array([[10, 0], [5000, 10]], dtype=float)

    got = choose_sites(candidates, demand, weights, 1, R, existing_xy=np.array([[0, 10]], dtype=float))

    # then the one new site goes to the crowd nobody serves yet
    assert got.chosen.tolist() == [1]
    assert got.gains.tolist() == [30.0]
    assert got.covered.tolist() == [False, False, True]


def test_nothing_to_gain_chooses_nothing():
    got = choose_sites(np.array([[0, 0]], float), np.array([[9000, 0]], float), np.array([5.0]), 3, R)
    assert len(got.chosen) == 0
    assert got.total == 0
