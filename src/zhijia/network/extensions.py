"""What apps above the network add to its public pages, registered when they start (the network cannot import
them): panels on a point's page, and each point's member rating on the finder."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest


@dataclass(frozen=True)
class PointRating:
    average: float | None  # mean stars (1-5) of the members' ratings; None before the first
    count: int


# A panel gets the request and the point and returns HTML (already escaped by its template).
PointPanel = Callable[[HttpRequest, Any], str]
RatingSource = Callable[[Iterable[int]], dict[int, PointRating]]

_panels: list[PointPanel] = []
_ratings: list[RatingSource] = []


def register_point_panel(panel: PointPanel) -> None:
    if panel not in _panels:
        _panels.append(panel)


def register_rating_source(source: RatingSource) -> None:
    if source not in _ratings:
        _ratings.append(source)


def point_panels(request: HttpRequest, point: Any) -> list[str]:
    return [panel(request, point) for panel in _panels]


def point_ratings(point_ids: Iterable[int]) -> dict[int, PointRating]:
    ids = list(point_ids)
    out: dict[int, PointRating] = {}
    for source in _ratings:
        out.update(source(ids))
    return out


# Where the finder's script asks for the ratings of the points it lists (`?point_id=1&point_id=2`), when an app
# provides them.
_rating_api: list[Callable[[], str]] = []


def register_rating_api(url: Callable[[], str]) -> None:
    if url not in _rating_api:
        _rating_api.append(url)


def rating_api() -> str | None:
    return _rating_api[0]() if _rating_api else None
