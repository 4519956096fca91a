"""Which street (and district) a location belongs to, without street boundaries.

The project ships district centroids and the organisation tree, not boundaries. So a location takes, in order:

1. its own street where it is known (a member's union lies under a street; an imported row may name one);
2. otherwise the street whose workers' centre is nearest: each street's centre is the median of the known
   locations of its own members, so the streets' centres tile the city like a Voronoi diagram of where their
   workers actually are;
3. otherwise (no street has located members yet) the district of the nearest district centroid, with no street.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.spatial import cKDTree


def label_centres(xy: ArrayLike, labels: ArrayLike) -> tuple[NDArray[np.int64], NDArray[np.float64]]:
    """The distinct labels (>= 0) and the median location of the points carrying each."""
    pts = np.asarray(xy, dtype=float).reshape(-1, 2)
    lab = np.asarray(labels, dtype=np.int64)
    keep = lab >= 0
    pts, lab = pts[keep], lab[keep]
    if len(lab) == 0:
        return np.empty(0, dtype=np.int64), np.empty((0, 2))
    order = np.argsort(lab, kind="stable")
    pts, lab = pts[order], lab[order]
    uniq, starts = np.unique(lab, return_index=True)
    ends = np.append(starts[1:], len(lab))
    centres = np.array([np.median(pts[s:e], axis=0) for s, e in zip(starts, ends, strict=True)])
    return uniq, centres


def nearest_label(xy: ArrayLike, centres_xy: ArrayLike, centre_labels: ArrayLike) -> NDArray[np.int64]:
    """For each point, the label of the nearest centre (-1 when there are no centres)."""
    pts = np.asarray(xy, dtype=float).reshape(-1, 2)
    centres = np.asarray(centres_xy, dtype=float).reshape(-1, 2)
    labels = np.asarray(centre_labels, dtype=np.int64)
    if len(centres) == 0 or len(pts) == 0:
        return np.full(len(pts), -1, dtype=np.int64)
    _, idx = cKDTree(centres).query(pts, k=1, workers=-1)
    return labels[np.asarray(idx, dtype=np.int64)]


def fill_unknown(xy: ArrayLike, known: ArrayLike, centres_xy: ArrayLike, centre_labels: ArrayLike) -> NDArray[np.int64]:
    """`known` labels kept; each -1 replaced by the nearest centre's label."""
    out = np.array(known, dtype=np.int64, copy=True)
    missing = out < 0
    if missing.any():
        out[missing] = nearest_label(np.asarray(xy, dtype=float).reshape(-1, 2)[missing], centres_xy, centre_labels)
    return out
