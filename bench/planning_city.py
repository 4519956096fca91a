"""A synthetic Beijing for the planning benchmarks, with no database: 349 street centres spread like the demo city's
(a dense core, towns far out), service points and workers clustered around them, in projected metres."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

STREETS = 349


@dataclass(frozen=True)
class City:
    street_xy: NDArray[np.float64]
    street_spread: NDArray[np.float64]
    street_weight: NDArray[np.float64]


def city(seed: int = 2026) -> City:
    rng = np.random.default_rng(seed)
    # Distance from the centre: a third of the streets within 10 km, the rest out to 60 km.
    r = np.concatenate([rng.uniform(0, 10_000, STREETS // 3), rng.uniform(10_000, 60_000, STREETS - STREETS // 3)])
    angle = rng.uniform(0, 2 * np.pi, STREETS)
    xy = np.column_stack([r * np.cos(angle), r * np.sin(angle)])
    urban = r < 15_000
    spread = np.where(urban, 900.0, 2_800.0)
    weight = np.where(urban, 3.0, 0.8) * rng.uniform(0.6, 1.4, STREETS)
    return City(xy, spread, weight)


def around(c: City, n: int, *, rng: np.random.Generator, spread_scale: float = 1.0, weight_power: float = 1.0):
    """n points around the street centres (by weight), with the street each belongs to."""
    p = c.street_weight**weight_power
    street = rng.choice(STREETS, size=n, p=p / p.sum())
    xy = c.street_xy[street] + rng.normal(0, 1, (n, 2)) * (c.street_spread[street] * spread_scale)[:, None]
    return xy, street
