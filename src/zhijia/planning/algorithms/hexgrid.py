"""An H3 grid (Uber's hexagonal hierarchical index, the `h3` package, v4 API): which cell a location falls in, the
cells' centres and outlines, and the shape the map draws them with.

Unlike the square grid, H3 works on the sphere, on WGS-84 longitude/latitude, and needs no projection: two runs of
the same resolution share cells anywhere in the world, and a cell's index is a stable 64-bit integer (its usual
hexadecimal string is `h3.int_to_str`). Resolutions 6 to 10 suit a city: an average edge of about 3.7 km down to
76 m (9: 201 m, close to the square grid's usual 250 m cells).
"""

from __future__ import annotations

from dataclasses import dataclass

import h3
import numpy as np
from h3.api import basic_int as h3i
from numpy.typing import ArrayLike, NDArray

from .grid import Binned
from .projection import LocalProjection

MIN_RESOLUTION = 6
MAX_RESOLUTION = 10


@dataclass(frozen=True)
class HexGrid:
    resolution: int

    def __post_init__(self) -> None:
        if not MIN_RESOLUTION <= self.resolution <= MAX_RESOLUTION:
            raise ValueError(f"H3 resolution must be between {MIN_RESOLUTION} and {MAX_RESOLUTION}")

    @property
    def edge_m(self) -> float:
        """The average edge length of this resolution's hexagons, in metres."""
        return float(h3.average_hexagon_edge_length(self.resolution, unit="m"))

    def cell_of(self, lng: ArrayLike, lat: ArrayLike) -> NDArray[np.int64]:
        """The H3 index of each location (n,), as integers (every valid index fits in a signed 64-bit integer)."""
        res = self.resolution
        lng_l = np.asarray(lng, dtype=float).ravel().tolist()
        lat_l = np.asarray(lat, dtype=float).ravel().tolist()
        to_cell = h3i.latlng_to_cell  # about 1.6 µs a location
        return np.fromiter(
            (to_cell(y, x, res) for x, y in zip(lng_l, lat_l, strict=True)), dtype=np.int64, count=len(lng_l)
        )

    @staticmethod
    def centre(cells: ArrayLike) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        """Longitudes and latitudes of the cells' centres."""
        ids = np.asarray(cells, dtype=np.int64).ravel()
        lng = np.empty(len(ids))
        lat = np.empty(len(ids))
        for i, c in enumerate(ids.tolist()):
            lat[i], lng[i] = h3i.cell_to_latlng(c)
        return lng, lat

    @staticmethod
    def boundary(cell: int) -> list[tuple[float, float]]:
        """A cell's outline as (lng, lat) corners."""
        return [(x, y) for y, x in h3i.cell_to_boundary(int(cell))]


def bin_cells(cells: ArrayLike) -> Binned:
    """Locations gathered by their H3 index: `cells` (m,) the distinct indices, `index` each location's row."""
    ids = np.asarray(cells, dtype=np.int64).ravel()
    if len(ids) == 0:
        return Binned(np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64))
    unique, index = np.unique(ids, return_inverse=True)
    return Binned(unique, index.ravel().astype(np.int64))


@dataclass(frozen=True)
class HexShape:
    """How a map draws the cells as one symbol repeated at their centres: the corners of a typical cell, in metres
    east and north of its centre, and their mean distance from it."""

    corners_m: tuple[tuple[float, float], ...]
    radius_m: float


def hex_shape(cells: ArrayLike, proj: LocalProjection) -> HexShape | None:
    """The outline of the middle one of the given cells, in the local projection.

    H3's hexagons are regular only on the icosahedron; seen on a city's map they are stretched a little (corners
    about ±8% from the centre in Beijing) and turned, but all of a city's cells share one shape and turn to well
    under a per cent, so one outline drawn at every centre matches them all. Pentagons never fall on land."""
    ids = np.asarray(cells, dtype=np.int64).ravel()
    if len(ids) == 0:
        return None
    middle = int(ids[len(ids) // 2])
    corners = HexGrid.boundary(middle)
    c_lng, c_lat = HexGrid.centre([middle])
    centre = proj.forward(c_lng, c_lat)[0]
    xy = proj.forward([p[0] for p in corners], [p[1] for p in corners]) - centre
    return HexShape(
        corners_m=tuple((round(float(x), 1), round(float(y), 1)) for x, y in xy),
        radius_m=float(np.mean(np.hypot(xy[:, 0], xy[:, 1]))),
    )
