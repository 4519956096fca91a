"""The evaluation's indicators for a set of homes over a span of time, counted in one query per indicator.

Area comes from the registry; ratings and satisfaction from this app's own ratings. Traffic, activities,
attendance and completed orders are counted over the tables of the bookings, activities and service menu apps:
read only, one narrow aggregate each, because those apps answer only "did this person visit" (checkins_at), not
"how many visited". Staff can correct any collected figure before the budget is shared.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.db.models import Avg, Count, Q

from zhijia.activities.models import Activity, ActivityStatus, Registration
from zhijia.bookings.models import Booking, BookingStatus
from zhijia.network.models import ServicePoint
from zhijia.servicemenu.models import DONE_STATUSES, Order

from .models import HomeRating

# A rating whose average reaches this many stars counts as a satisfied member (满意).
SATISFIED_STARS = Decimal(4)


def _counts(qs: Any, field: str) -> dict[int, int]:
    return {pid: n for pid, n in qs.values_list(field).annotate(n=Count("pk")).order_by()}


def collect(point_ids: Sequence[int], start: dt.datetime, end: dt.datetime) -> dict[int, dict[str, Any]]:
    """{point_id: {indicator: value}} for the span [start, end); every indicator present for every point."""
    ids = list(point_ids)
    area = dict(ServicePoint.objects.filter(pk__in=ids).values_list("pk", "area_m2"))
    bookings = _counts(
        Booking.objects.filter(
            venue__point_id__in=ids,
            status=BookingStatus.CHECKED_IN,
            checked_in_at__gte=start,
            checked_in_at__lt=end,
        ),
        "venue__point_id",
    )
    activity_checkins = _counts(
        Registration.objects.filter(activity__point_id__in=ids, checked_in_at__gte=start, checked_in_at__lt=end),
        "activity__point_id",
    )
    held = _counts(
        Activity.objects.filter(
            point_id__in=ids, status=ActivityStatus.PUBLISHED, starts_at__gte=start, starts_at__lt=end
        ),
        "point_id",
    )
    orders = _counts(
        Order.objects.filter(point_id__in=ids, status__in=DONE_STATUSES, completed_at__gte=start, completed_at__lt=end),
        "point_id",
    )
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
