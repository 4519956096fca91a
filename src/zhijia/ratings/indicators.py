"""The evaluation's indicators for a set of homes over a span of time, counted in one query per indicator.

Area comes from the registry; ratings and satisfaction from this app's own ratings. Traffic, activities,
attendance and completed orders are counted by the bookings, activities and service menu apps' own selectors, one
narrow aggregate each. Staff can correct any collected figure before the budget is shared.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.db.models import Avg, Count, Q

from zhijia.activities.selectors import checked_in_registrations_by_point, published_activities_by_point
from zhijia.bookings.selectors import checked_in_bookings_by_point
from zhijia.network.models import ServicePoint
from zhijia.servicemenu.selectors import completed_orders_by_point

from .models import HomeRating

# A rating whose average reaches this many stars counts as a satisfied member (满意).
SATISFIED_STARS = Decimal(4)


def collect(point_ids: Sequence[int], start: dt.datetime, end: dt.datetime) -> dict[int, dict[str, Any]]:
    """{point_id: {indicator: value}} for the span [start, end); every indicator present for every point."""
    ids = list(point_ids)
    area = dict(ServicePoint.objects.filter(pk__in=ids).values_list("pk", "area_m2"))
    bookings = checked_in_bookings_by_point(point_ids=ids, start=start, end=end)
    activity_checkins = checked_in_registrations_by_point(point_ids=ids, start=start, end=end)
    held = published_activities_by_point(point_ids=ids, start=start, end=end)
    orders = completed_orders_by_point(point_ids=ids, start=start, end=end)
    ratings: dict[int, dict[str, Any]] = defaultdict(dict)
    for pid, avg, n, satisfied in (
        HomeRating.objects.filter(point_id__in=ids, created_at__gte=start, created_at__lt=end)
        .values_list("point_id")
        .annotate(avg=Avg("average"), n=Count("pk"), satisfied=Count("pk", filter=Q(average__gte=SATISFIED_STARS)))
        .order_by()
    ):
        ratings[pid] = {"avg": Decimal(avg).quantize(Decimal("0.01")), "n": n, "satisfied": satisfied}
    out = {}
    for pid in ids:
        r = ratings.get(pid)
        out[pid] = {
            "area": area.get(pid) or 0,
            # Worker traffic: every check-in at the home, at a booked venue or at an activity.
            "checkins": bookings.get(pid, 0) + activity_checkins.get(pid, 0),
            "activities": held.get(pid, 0),
            "attendance": activity_checkins.get(pid, 0),
            "orders": orders.get(pid, 0),
            "rating": r["avg"] if r else Decimal(0),
            "satisfaction": (Decimal(100 * r["satisfied"]) / r["n"]).quantize(Decimal("0.01")) if r else Decimal(0),
            "ratings_count": r["n"] if r else 0,
        }
    return out
