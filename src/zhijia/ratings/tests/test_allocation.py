"""The subsidy allocation on its own: exact to the fen for any inputs, caps respected, more score never less money."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zhijia.ratings.allocation import AllocationError, HomeInput, allocate

INDICATORS = ("area", "checkins", "activities", "attendance", "orders", "rating", "satisfaction")
WEIGHTS = {
    "area": 20,
    "checkins": 20,
    "activities": 10,
    "attendance": 10,
    "orders": 10,
    "rating": 20,
    "satisfaction": 10,
}


def test_worked_example_three_homes_no_caps():
    # given three homes measured on two indicators, weighted 60/40
    homes = [
        HomeInput("A", {"area": 1400, "checkins": 300}),
        HomeInput("B", {"area": 700, "checkins": 600}),
        HomeInput("C", {"area": 0, "checkins": 0}),
    ]
    # when 1,000.00 yuan is shared
    result = allocate(100_000, homes, {"area": 60, "checkins": 40})
    by = result.by_key()
    # then A scores 60×1 + 40×0.5 = 80, B 60×0.5 + 40×1 = 70, C nothing; 100000 × 80/150 = 53333.33…
    assert (by["A"].score, by["B"].score, by["C"].score) == (80, 70, 0)
    assert by["A"].exact == Fraction(160_000, 3)
    # the one fen left by rounding down goes to the larger remainder (B: 46666.67 has .67 against A's .33)
    assert (by["A"].amount_fen, by["B"].amount_fen, by["C"].amount_fen) == (53_333, 46_667, 0)
    assert by["B"].extra_fen == 1
    assert result.unallocated_fen == 0


def test_a_cap_is_redistributed_to_the_others_by_score():
    homes = [
        HomeInput("A", {"x": 8}, cap_fen=30_000),
        HomeInput("B", {"x": 1}),
        HomeInput("C", {"x": 1}),
    ]
    result = allocate(100_000, homes, {"x": 100})
    by = result.by_key()
    # A would get 80,000 but is capped at 30,000; B and C share the other 70,000 equally
    assert by["A"].amount_fen == 30_000
    assert by["A"].capped
    assert by["B"].amount_fen == by["C"].amount_fen == 35_000
    assert result.rounds == 2


def test_caps_below_the_budget_leave_money_unallocated_and_say_so():
    homes = [HomeInput("A", {"x": 1}, cap_fen=100), HomeInput("B", {"x": 3}, cap_fen=200)]
    result = allocate(1_000, homes, {"x": 100})
    assert [s.amount_fen for s in result.shares] == [100, 200]
    assert result.unallocated_fen == 700


def test_equal_remainders_go_to_the_higher_score_then_to_the_smaller_key():
    # 1 fen among three equal homes: the smallest key gets it, every time
    homes = [HomeInput(k, {"x": 5}) for k in ("c", "a", "b")]
    result = allocate(1, homes, {"x": 100})
    assert result.by_key()["a"].amount_fen == 1
    assert sum(s.amount_fen for s in result.shares) == 1


def test_bad_inputs_are_refused():
    with pytest.raises(AllocationError):
        allocate(-1, [HomeInput("a", {"x": 1})], {"x": 1})
    with pytest.raises(AllocationError):
        allocate(10, [HomeInput("a", {"x": -1})], {"x": 1})
    with pytest.raises(AllocationError):
        allocate(10, [HomeInput("a", {"x": 1}), HomeInput("a", {"x": 1})], {"x": 1})
    with pytest.raises(AllocationError):
        allocate(10, [HomeInput("a", {"x": 1}, cap_fen=-5)], {"x": 1})


values = st.one_of(st.integers(0, 10**6), st.fractions(min_value=0, max_value=1000, max_denominator=100))
homes_strategy = st.lists(
    st.tuples(
        st.dictionaries(st.sampled_from(INDICATORS), values, max_size=len(INDICATORS)),
        st.one_of(st.none(), st.integers(0, 5 * 10**7)),
    ),
    min_size=1,
    max_size=25,
)
weights_strategy = st.dictionaries(st.sampled_from(INDICATORS), st.integers(0, 100), min_size=1)


def _homes(raw: list[tuple[dict, int | None]]) -> list[HomeInput]:
    return [HomeInput(f"h{i:02d}", ind, cap) for i, (ind, cap) in enumerate(raw)]


@settings(max_examples=150, deadline=None)
@given(budget=st.integers(0, 10**10), raw=homes_strategy, weights=weights_strategy)
def test_any_inputs_share_the_budget_exactly_within_the_caps(budget, raw, weights):
    homes = _homes(raw)
    result = allocate(budget, homes, weights)
    amounts = {s.key: s.amount_fen for s in result.shares}
    # exact to the fen, nothing negative, no cap passed
    assert sum(amounts.values()) + result.unallocated_fen == budget
    assert all(a >= 0 for a in amounts.values())
    assert all(h.cap_fen is None or amounts[h.key] <= h.cap_fen for h in homes)
    # rounding moves no home by a whole fen or more from its exact share
    assert all(abs(s.amount_fen - s.exact) < 1 for s in result.shares)
    # money stays unallocated only when no one scores or every scoring home is at its cap
    scoring = [s for s in result.shares if s.score > 0]
    if result.unallocated_fen:
        assert all(s.capped and s.amount_fen == s.exact for s in scoring)
    # nothing for a home that scores nothing
    assert all(s.amount_fen == 0 for s in result.shares if s.score == 0)


@settings(max_examples=150, deadline=None)
@given(budget=st.integers(0, 10**10), raw=homes_strategy, weights=weights_strategy)
def test_a_higher_score_never_gets_less_unless_its_own_cap_stops_it(budget, raw, weights):
    homes = _homes(raw)
    result = allocate(budget, homes, weights)
    caps = {h.key: h.cap_fen for h in homes}
    for a in result.shares:
        for b in result.shares:
            if a.score > b.score:
                cap = caps[a.key]
                limit = b.amount_fen if cap is None else min(b.amount_fen, cap)
                assert a.amount_fen >= limit, (a, b)


@settings(max_examples=80, deadline=None)
@given(budget=st.integers(0, 10**9), raw=homes_strategy, weights=weights_strategy)
def test_the_same_inputs_in_another_order_give_the_same_amounts(budget, raw, weights):
    homes = _homes(raw)
    forward = {s.key: s.amount_fen for s in allocate(budget, homes, weights).shares}
    backward = {s.key: s.amount_fen for s in allocate(budget, list(reversed(homes)), weights).shares}
    assert forward == backward
