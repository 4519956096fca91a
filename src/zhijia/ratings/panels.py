"""What rating homes adds to the network's public pages: the home's averages and latest ratings with their replies
on its page, and each point's average on the finder (registered when the app starts)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string

from zhijia.network.extensions import PointRating

from . import selectors


def point_panel(request: HttpRequest, point: Any) -> str:
    ratings = [
        {"obj": r, "rater": selectors.masked_name(r.user)} for r in selectors.point_ratings_public(point.pk, limit=20)
    ]
    return render_to_string(
        "ratings/_point_panel.html",
        {
            "p": point,
            "summary": selectors.rating_summaries([point.pk])[point.pk],
            "criteria": selectors.criterion_averages(point.pk),
            "ratings": ratings,
            "mine": selectors.my_rating_now(actor=request.user, point=point),
        },
        request=request,
    )


def point_ratings(point_ids: Iterable[int]) -> dict[int, PointRating]:
    return {
        pid: PointRating(float(s.average) if s.average is not None else None, s.count)
        for pid, s in selectors.rating_summaries(point_ids).items()
    }
