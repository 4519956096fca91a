"""A local metric projection for one city: equirectangular around the city's centre.

x = R·cos(φ0)·(λ − λ0), y = R·(φ − φ0), in metres. At city scale this is what a planner needs: across Beijing
(about ±0.9° of latitude from its centre) the east-west scale drifts by cos(φ)/cos(φ0), at most about 1.5% at the
far edges, and a ten-minute walk is under a kilometre, so a distance is off by a few metres at worst. Distances
between points more than a few hundred kilometres apart, or near the poles, need a real projection.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

EARTH_RADIUS_M = 6_371_008.8  # mean radius (IUGG)


@dataclass(frozen=True)
class LocalProjection:
    lng0: float
    lat0: float

    @classmethod
    def around(cls, lng: ArrayLike, lat: ArrayLike) -> LocalProjection:
        """Centred on the middle of the bounding box of the given points (the city's centre, in practice)."""
        lng_a, lat_a = np.asarray(lng, dtype=float), np.asarray(lat, dtype=float)
        if lng_a.size == 0:
            return cls(0.0, 0.0)
        return cls(float((lng_a.min() + lng_a.max()) / 2), float((lat_a.min() + lat_a.max()) / 2))

    @property
    def _kx(self) -> float:
        return EARTH_RADIUS_M * np.cos(np.radians(self.lat0)) * np.pi / 180.0

    @property
    def _ky(self) -> float:
        return EARTH_RADIUS_M * np.pi / 180.0

    def forward(self, lng: ArrayLike, lat: ArrayLike) -> NDArray[np.float64]:
        """(n, 2) metres east and north of the centre."""
        lng_a = np.asarray(lng, dtype=float)
        lat_a = np.asarray(lat, dtype=float)
        out = np.empty((lng_a.size, 2), dtype=float)
        out[:, 0] = (lng_a.ravel() - self.lng0) * self._kx
        out[:, 1] = (lat_a.ravel() - self.lat0) * self._ky
        return out

    def inverse(self, xy: ArrayLike) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        """Longitudes and latitudes of (n, 2) metres."""
        arr = np.asarray(xy, dtype=float).reshape(-1, 2)
        return arr[:, 0] / self._kx + self.lng0, arr[:, 1] / self._ky + self.lat0


def haversine_m(lng1: ArrayLike, lat1: ArrayLike, lng2: ArrayLike, lat2: ArrayLike) -> NDArray[np.float64]:
    """Great-circle distance in metres, the reference the projection is tested against."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dp = p2 - p1
    dl = np.radians(np.asarray(lng2, dtype=float) - np.asarray(lng1, dtype=float))
    a = np.sin(dp / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return np.asarray(2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(a)), dtype=float)
