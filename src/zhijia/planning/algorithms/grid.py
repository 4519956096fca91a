"""A square grid over projected metres: which cell a point falls in, the cells' centres, and counts per cell.

A cell is addressed by its integer column and row (i, j) = floor(x / size), floor(y / size), so the grid needs no
extent and two runs with the same size and projection share cells.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray


@dataclass(frozen=True)
class SquareGrid:
    size_m: float

    def __post_init__(self) -> None:
        if not self.size_m > 0:
            raise ValueError("cell size must be positive")

    def cell_of(self, xy: ArrayLike) -> NDArray[np.int64]:
        """(n, 2) integer cell indices."""
        return np.floor(np.asarray(xy, dtype=float).reshape(-1, 2) / self.size_m).astype(np.int64)

    def centre(self, cells: ArrayLike) -> NDArray[np.float64]:
        return (np.asarray(cells, dtype=float).reshape(-1, 2) + 0.5) * self.size_m


@dataclass(frozen=True)
class Binned:
    """Points gathered into the cells that hold any: `cells` (m, 2), `index` maps each point to its cell row."""

    cells: NDArray[np.int64]
    index: NDArray[np.int64]

    def total(self, values: ArrayLike) -> NDArray[np.float64]:
        """Sum of a per-point value in each cell."""
        return np.bincount(self.index, weights=np.asarray(values, dtype=float), minlength=len(self.cells)).astype(float)

    def weighted_mean_xy(self, xy: ArrayLike, weights: ArrayLike) -> NDArray[np.float64]:
        """Each cell's weighted centre of its points (NaN where the weights sum to zero)."""
        pts = np.asarray(xy, dtype=float).reshape(-1, 2)
        w = np.asarray(weights, dtype=float)
        total = self.total(w)
        out = np.full((len(self.cells), 2), np.nan)
        with np.errstate(invalid="ignore", divide="ignore"):
            out[:, 0] = self.total(pts[:, 0] * w) / total
            out[:, 1] = self.total(pts[:, 1] * w) / total
        return out


def bin_points(grid: SquareGrid, xy: ArrayLike) -> Binned:
    cells = grid.cell_of(xy)
    if len(cells) == 0:
        return Binned(np.empty((0, 2), dtype=np.int64), np.empty(0, dtype=np.int64))
    # One 64-bit key per cell (column in the high half, row in the low) makes this a 1-D unique, several times
    # faster than np.unique(axis=0) on millions of rows; columns and rows are far inside 32 bits for any city.
    key = (cells[:, 0] << 32) | (cells[:, 1] & 0xFFFFFFFF)
    _unique, first, index = np.unique(key, return_index=True, return_inverse=True)
    return Binned(cells[first], index.ravel().astype(np.int64))
