"""Star-rated homes (星级职工之家): the yearly composite and its stars. Plain Python, no Django.

Three scores on a 0-100 scale, each the mean over the criteria:

- members (会员评家): a criterion's mean stars (1-5) × 20, so five stars are 100;
- the home's own unit (所在单位评家) and the higher union (上级工会评家): 0-100 per criterion as entered.

composite = (w_members × members + w_unit × unit + w_higher × higher) / 100, the weights in percent summing to 100
(Beijing E-Town: 40/30/30 in 2017, 50/25/25 from 2018). Stars: the most stars whose threshold the composite reaches
(thresholds for 1..5 stars, ascending); below the first threshold the home gets no star. A part that is missing
(nobody rated the home, an assessment not yet entered) is reported, and the composite is not given until all three
are there.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

HUNDRED = Decimal(100)
TWO_PLACES = Decimal("0.01")


@dataclass(frozen=True)
class Part:
    source: str  # members | unit | higher
    weight: Decimal
    by_criterion: Mapping[str, Decimal]  # criterion code -> 0-100
    score: Decimal | None  # mean over the criteria; None when missing
    weighted: Decimal | None


@dataclass(frozen=True)
class Composite:
    parts: tuple[Part, ...]
    composite: Decimal | None
    stars: int | None
    thresholds: tuple[Decimal, ...]
    missing: tuple[str, ...]


def q2(x: Decimal) -> Decimal:
    return x.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def stars_to_score(mean_stars: Decimal) -> Decimal:
    return mean_stars * 20


def mean(values: Sequence[Decimal]) -> Decimal | None:
    return sum(values, Decimal(0)) / len(values) if values else None


def stars_for(composite: Decimal, thresholds: Sequence[Decimal]) -> int:
    if list(thresholds) != sorted(thresholds) or len(thresholds) != 5:
        raise ValueError("five ascending thresholds")
    return sum(1 for t in thresholds if composite >= t)


def composite(
    *,
    criteria: Sequence[str],
    members: Mapping[str, Decimal],
    unit: Mapping[str, Decimal],
    higher: Mapping[str, Decimal],
    weights: tuple[Decimal, Decimal, Decimal],
    thresholds: Sequence[Decimal],
) -> Composite:
    """`members` maps a criterion to its mean stars (1-5); `unit` and `higher` map it to 0-100."""
    if sum(weights) != HUNDRED or any(w < 0 for w in weights):
        raise ValueError("weights are percentages summing to 100")
    parts = []
    missing = []
    sources = (
        ("members", {c: stars_to_score(v) for c, v in members.items()}),
        ("unit", dict(unit)),
        ("higher", dict(higher)),
    )
    for (source, by), weight in zip(sources, weights, strict=True):
        values = [by[c] for c in criteria if c in by]
        score = mean(values)
        if score is None:
            missing.append(source)
        parts.append(
            Part(
                source=source,
                weight=weight,
                by_criterion={c: q2(by[c]) for c in criteria if c in by},
                score=q2(score) if score is not None else None,
                weighted=q2(score * weight / HUNDRED) if score is not None else None,
            )
        )
    total = None
    stars = None
    if not missing:
        total = q2(sum((p.score * p.weight for p in parts if p.score is not None), Decimal(0)) / HUNDRED)
        stars = stars_for(total, thresholds)
    return Composite(tuple(parts), total, stars, tuple(thresholds), tuple(missing))
