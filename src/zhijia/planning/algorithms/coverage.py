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
    sites_xy: ArrayLike,
    demand_xy: ArrayLike,
    model: TravelModel,
    *,
    minutes: float = 10.0,
    cap_minutes: float = 120.0,
    cell_m: float | None = None,
) -> Coverage:
    """Time to the nearest site for every demand point. Anything beyond `cap_minutes` is reported as the cap (a
    map colour scale needs no more, and the search stops early).

    With `cell_m`, millions of points are handled in two stages: the nearest site is found once per grid cell of
    that size, which by the triangle inequality settles every point whose cell lies clearly inside or clearly
    outside the circle; only points in cells that straddle its edge are searched one by one. Who is within the
    circle stays exact; distances are then exact near the edge and within cell_m/√2 elsewhere."""
    sites = np.asarray(sites_xy, dtype=float).reshape(-1, 2)
    demand = np.asarray(demand_xy, dtype=float).reshape(-1, 2)
    reach = model.reach_m(minutes)
    upper = model.reach_m(cap_minutes)
    if cell_m is None or len(demand) == 0 or len(sites) == 0:
        dist, _ = nearest_distance(sites, demand, upper_m=upper)
    else:
        dist = _two_stage(sites, demand, reach, upper, float(cell_m))
    mins = np.minimum(model.minutes(dist), cap_minutes)
    return Coverage(dist, mins, dist <= reach)


def _two_stage(sites: NDArray, demand: NDArray, reach: float, upper: float, cell_m: float) -> NDArray[np.float64]:
    half_diagonal = cell_m * np.sqrt(0.5)
    cells = np.floor(demand / cell_m).astype(np.int64)
    key = (cells[:, 0] << 32) ^ (cells[:, 1] & 0xFFFFFFFF)
    unique, index = np.unique(key, return_inverse=True)
    first = np.zeros(len(unique), dtype=np.int64)
    first[index[::-1]] = np.arange(len(key))[::-1]
    centres = (cells[first] + 0.5) * cell_m
    d_cell, _ = nearest_distance(sites, centres, upper_m=upper + half_diagonal)
    # |d(point) − d(centre)| ≤ |point − centre| ≤ half the cell's diagonal.
    d_point = d_cell[index]
    edge = np.abs(d_point - reach) <= half_diagonal
    dist = d_point.copy()
    if edge.any():
        exact, _ = nearest_distance(sites, demand[edge], upper_m=upper)
        dist[edge] = exact
    # Elsewhere the cell's distance is on the same side of the edge as every point in it.
    return dist


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
