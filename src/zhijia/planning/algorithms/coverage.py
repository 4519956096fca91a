"""Coverage: the share of workers within the circle, in total and per area (district, street)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .travel import TravelModel, nearest_distance


@dataclass(frozen=True)
class Coverage:
    """Per demand point: straight-line distance and minutes to the nearest site, and whether it is inside."""

    distance_m: NDArray[np.float64]
    minutes: NDArray[np.float64]
    covered: NDArray[np.bool_]


def coverage(
    sites_xy: ArrayLike, demand_xy: ArrayLike, model: TravelModel, *, minutes: float = 10.0, cap_minutes: float = 120.0
) -> Coverage:
    """Time to the nearest site for every demand point. Anything beyond `cap_minutes` is reported as the cap (a
    map colour scale needs no more, and the search stops early)."""
    upper = model.reach_m(cap_minutes)
    dist, _ = nearest_distance(sites_xy, demand_xy, upper_m=upper)
    mins = np.minimum(model.minutes(dist), cap_minutes)
    return Coverage(dist, mins, dist <= model.reach_m(minutes))


@dataclass(frozen=True)
class AreaTotals:
    workers: NDArray[np.float64]
    covered: NDArray[np.float64]

    @property
    def share(self) -> NDArray[np.float64]:
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(self.workers > 0, self.covered / np.where(self.workers > 0, self.workers, 1), np.nan)


def totals_by_area(area_index: ArrayLike, weights: ArrayLike, covered: ArrayLike, n_areas: int) -> AreaTotals:
    """Workers and covered workers per area; `area_index` is each point's area row (-1: no area, left out)."""
    idx = np.asarray(area_index, dtype=np.int64)
    w = np.asarray(weights, dtype=float)
    c = np.asarray(covered, dtype=bool)
    keep = idx >= 0
    workers = np.bincount(idx[keep], weights=w[keep], minlength=n_areas)
    inside = np.bincount(idx[keep], weights=(w * c)[keep], minlength=n_areas)
    return AreaTotals(workers[:n_areas].astype(float), inside[:n_areas].astype(float))
