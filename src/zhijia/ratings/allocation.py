"""Sharing a subsidy budget among homes by their evaluation scores (拨补经费, 以奖代补). Plain Python, no Django.

The formula, as shown to staff:

1. Each indicator is scaled against the best home of the round: ``norm = value / max(value)`` (0 when every home
   has 0), so the best home scores 1 on it.
2. A home's score is the weighted sum ``score = Σ weight × norm``; with weights summing to 100 the best possible
   score is 100.
3. The budget is shared in proportion to the scores. A home's share never passes its cap: a capped home gets its
   cap and what it would have had above it is shared again among the others in proportion to their scores,
   round after round, until no share passes its cap (water filling; the shares stay exact fractions throughout).
4. Rounding to the fen (largest remainder, Hamilton's method): every home first gets its exact share rounded down;
   the fen left over go one each to the homes with the largest remainders; equal remainders go first to the higher
   score, then to the smaller key. The shares then add up to the budget exactly.

Only when the caps together are below the budget (or no home scores anything) does money stay unallocated; it is
reported, never hidden: ``sum(amounts) + unallocated == budget`` always holds.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction

ROUNDING_RULE = (
    "largest remainder (Hamilton): exact shares rounded down to the fen, the fen left over one each to the largest "
    "remainders; ties to the higher score, then to the smaller key"
)


@dataclass(frozen=True)
class HomeInput:
    key: str
    indicators: Mapping[str, int | Fraction]
    cap_fen: int | None = None  # None: no cap


@dataclass(frozen=True)
class Line:
    indicator: str
    value: Fraction
    best: Fraction
    norm: Fraction
    weight: Fraction
    points: Fraction  # weight × norm


@dataclass(frozen=True)
class HomeShare:
    key: str
    score: Fraction
    lines: tuple[Line, ...]
    exact: Fraction  # the exact share before rounding
    amount_fen: int
    capped: bool
    extra_fen: int  # 1 when the home got one of the fen left over by rounding


@dataclass(frozen=True)
class Allocation:
    budget_fen: int
    shares: tuple[HomeShare, ...]
    unallocated_fen: int
    rounds: int  # how many water-filling rounds the caps took
    rule: str = ROUNDING_RULE
    weights: Mapping[str, Fraction] = field(default_factory=dict)

    def by_key(self) -> dict[str, HomeShare]:
        return {s.key: s for s in self.shares}


class AllocationError(ValueError):
    """Inputs no allocation can be made of (negative budget, weight, indicator or cap; duplicate keys)."""


def _frac(x: int | Fraction) -> Fraction:
    if isinstance(x, bool) or not isinstance(x, int | Fraction):
        raise AllocationError(f"not an exact number: {x!r}")
    return Fraction(x)


def scores(
    homes: Sequence[HomeInput], weights: Mapping[str, int | Fraction]
) -> dict[str, tuple[Fraction, tuple[Line, ...]]]:
    """Each home's score and its line-by-line breakdown (steps 1 and 2)."""
    w = {k: _frac(v) for k, v in weights.items()}
    if any(v < 0 for v in w.values()):
        raise AllocationError("weights must not be negative")
    best: dict[str, Fraction] = {}
    for name in w:
        values = [_frac(h.indicators.get(name, 0)) for h in homes]
        if any(v < 0 for v in values):
            raise AllocationError(f"indicator {name} must not be negative")
        best[name] = max(values, default=Fraction(0))
    out: dict[str, tuple[Fraction, tuple[Line, ...]]] = {}
    for h in homes:
        lines = []
        for name, weight in w.items():
            value = _frac(h.indicators.get(name, 0))
            norm = value / best[name] if best[name] else Fraction(0)
            lines.append(Line(name, value, best[name], norm, weight, weight * norm))
        out[h.key] = (sum((line.points for line in lines), Fraction(0)), tuple(lines))
    return out


def _water_fill(
    budget: int, score: Mapping[str, Fraction], caps: Mapping[str, int | None]
) -> tuple[dict[str, Fraction], set[str], int]:
    """Exact shares proportional to score, none above its cap; returns shares, the capped keys and the rounds."""
    exact = {k: Fraction(0) for k in score}
    active = {k for k, s in score.items() if s > 0}
    capped: set[str] = set()
    remaining = Fraction(budget)
    rounds = 0
    while active and remaining > 0:
        rounds += 1
        total = sum((score[k] for k in active), Fraction(0))
        rate = remaining / total
        over = {k for k in active if caps[k] is not None and rate * score[k] >= caps[k]}  # type: ignore[operator]
        if not over:
            for k in active:
                exact[k] = rate * score[k]
            remaining = Fraction(0)
            break
        # Every home over its cap at this rate stays over at the higher rate the next round gives the rest.
        for k in over:
            exact[k] = Fraction(caps[k])  # type: ignore[arg-type]
            remaining -= exact[k]
        capped |= over
        active -= over
    return exact, capped, rounds


def allocate(
    budget_fen: int,
    homes: Sequence[HomeInput],
    weights: Mapping[str, int | Fraction],
) -> Allocation:
    if isinstance(budget_fen, bool) or not isinstance(budget_fen, int) or budget_fen < 0:
        raise AllocationError("the budget is a whole number of fen, not negative")
    keys = [h.key for h in homes]
    if len(set(keys)) != len(keys):
        raise AllocationError("home keys must be unique")
    for h in homes:
        if h.cap_fen is not None and (isinstance(h.cap_fen, bool) or not isinstance(h.cap_fen, int) or h.cap_fen < 0):
            raise AllocationError(f"cap of {h.key} must be a whole number of fen, not negative")
    scored = scores(homes, weights)
    score = {k: v[0] for k, v in scored.items()}
    caps = {h.key: h.cap_fen for h in homes}
    exact, capped, rounds = _water_fill(budget_fen, score, caps)

    floors = {k: math.floor(v) for k, v in exact.items()}
    to_share = sum(exact.values(), Fraction(0))
    # The exact shares add up to a whole number of fen (the budget less whole caps), so the leftover is exact too.
    assert to_share.denominator == 1
    left = int(to_share) - sum(floors.values())
    order = sorted(
        (k for k in exact if exact[k] - floors[k] > 0),
        key=lambda k: (-(exact[k] - floors[k]), -score[k], k),
    )
    extra = set(order[:left])
    shares = tuple(
        HomeShare(
            key=h.key,
            score=score[h.key],
            lines=scored[h.key][1],
            exact=exact[h.key],
            amount_fen=floors[h.key] + (1 if h.key in extra else 0),
            capped=h.key in capped,
            extra_fen=1 if h.key in extra else 0,
        )
        for h in homes
    )
    allocated = sum(s.amount_fen for s in shares)
    return Allocation(
        budget_fen=budget_fen,
        shares=shares,
        unallocated_fen=budget_fen - allocated,
        rounds=rounds,
        weights={k: _frac(v) for k, v in weights.items()},
    )
