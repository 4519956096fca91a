"""Reading the service menu. Anyone reads the active menu of an open point; a worker reads their own orders; staff
read the menus and orders of points whose owner union lies in their subtree. Anything else is a 404."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Avg, Count, Min, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone

from zhijia.core.errors import NotFound
from zhijia.core.roles import Perm
from zhijia.core.scope import scope_for
from zhijia.network.models import ServicePoint
from zhijia.network.selectors import PUBLIC_STATUSES, point_get_public
from zhijia.organizations.models import Organization

from .models import DONE_STATUSES, OPEN_STATUSES, Offering, Order, OrderEvent, OrderStatus, ServiceType

# The report's buckets of how long open orders have waited, in hours (the last one has no upper end).
WAIT_BUCKETS: tuple[tuple[int, int | None], ...] = ((0, 4), (4, 24), (24, 48), (48, 72), (72, 168), (168, None))


def overdue_hours() -> int:
    return int(settings.SERVICEMENU_OVERDUE_HOURS)


def _prefixes(path: str) -> list[str]:
    """The paths of a node and of all its ancestors (4 characters per level)."""
    return [path[:i] for i in range(4, len(path) + 1, 4)]


# ---- the catalogue -------------------------------------------------------------------------------------------------


def catalogue_for_point(point: ServicePoint) -> QuerySet[ServiceType]:
    """The services a point may offer: the national catalogue and what unions above the point have added."""
    return ServiceType.objects.filter(
        Q(owner__isnull=True) | Q(owner__path__in=_prefixes(point.owner.path)), is_active=True
    ).order_by("position", "pk")


def catalogue_list(*, actor: Any) -> QuerySet[ServiceType]:
    """The catalogue as an actor sees it: the national entries, and for staff also those of their own node, its
    ancestors and its subtree."""
    scope = scope_for(actor)
    q = Q(owner__isnull=True)
    if scope.is_superuser:
        q = Q()
    elif scope.path is not None and scope.can(Perm.ORDER_VIEW):
        q |= Q(owner__path__in=_prefixes(scope.path)) | Q(owner__path__startswith=scope.path)
    return ServiceType.objects.filter(q, is_active=True).select_related("owner").order_by("position", "pk")


def owner_choices(*, actor: Any, limit: int = 200) -> list[tuple[int, str]]:
    """The unions a staff member may add a catalogue service for: their own node and those below it."""
    scope = scope_for(actor)
    if scope.path is None:
        return []
    nodes = Organization.objects.filter(path__startswith=scope.path).order_by("path")[:limit]
    return [(o.pk, o.name) for o in nodes]


# ---- menus -------------------------------------------------------------------------------------------------------


def menu_points(*, actor: Any, search: str | None = None) -> QuerySet[ServicePoint]:
    """The points whose menu the actor keeps, with how many services each offers."""
    qs = ServicePoint.objects.filter(scope_for(actor).subtree_q(Perm.ORDER_VIEW, "owner"))
    if search:
        qs = qs.filter(Q(name__contains=search) | Q(code=search))
    return (
        qs.select_related("owner")
        .annotate(
            offering_count=Count("offerings", filter=Q(offerings__is_active=True), distinct=True),
        )
        .order_by("-offering_count", "owner__path", "name", "pk")
    )


def menu_point_get(*, actor: Any, point_id: int, perm: Perm = Perm.ORDER_VIEW) -> ServicePoint:
    try:
        return ServicePoint.objects.select_related("owner").get(scope_for(actor).subtree_q(perm, "owner"), pk=point_id)
    except (ServicePoint.DoesNotExist, ValueError, TypeError):
        raise NotFound("point") from None


def point_offerings(*, actor: Any, point_id: int) -> tuple[ServicePoint, QuerySet[Offering]]:
    """A point as the public sees it and its menu: the active services, or every service for its own staff."""
    point = point_get_public(actor=actor, point_id=point_id)
    qs = Offering.objects.filter(point=point).select_related("service_type", "point")
    if not scope_for(actor).can(Perm.ORDER_VIEW) or not scope_for(actor).covers_path(point.owner.path):
        qs = qs.filter(is_active=True)
    return point, qs.order_by("service_type__position", "pk")


def menu_offerings(point: ServicePoint) -> QuerySet[Offering]:
    """Every service of a point, on the menu or taken off it (for the point's own staff)."""
    return (
        Offering.objects.filter(point=point)
        .select_related("service_type", "point")
        .order_by("service_type__position", "pk")
    )


def offering_get_public(*, actor: Any, offering_id: int) -> Offering:
    """An offering a worker may look at: of an open point (an inactive one still shows, and refuses orders)."""
    try:
        return Offering.objects.select_related("service_type", "point", "point__owner").get(
            pk=offering_id, point__status__in=PUBLIC_STATUSES
        )
    except (Offering.DoesNotExist, ValueError, TypeError):
        raise NotFound("offering") from None


def offering_get(*, actor: Any, offering_id: int, perm: Perm = Perm.ORDER_VIEW) -> Offering:
    """An offering of a point in the actor's subtree."""
    try:
        return Offering.objects.select_related("service_type", "point", "point__owner").get(
            scope_for(actor).subtree_q(perm, "point__owner"), pk=offering_id
        )
    except (Offering.DoesNotExist, ValueError, TypeError):
        raise NotFound("offering") from None


def day_taken(*, offering: Offering, day: dt.date) -> int:
    """How many orders hold a place on `day` (everything but the declined and cancelled)."""
    return Order.objects.filter(
        offering=offering, service_date=day, status__in=[*OPEN_STATUSES, *DONE_STATUSES]
    ).count()


# ---- orders --------------------------------------------------------------------------------------------------------


def _orders() -> QuerySet[Order]:
    return Order.objects.select_related("offering__service_type", "point", "point__owner", "user")


def order_visible(*, actor: Any, perm: Perm = Perm.ORDER_VIEW) -> QuerySet[Order]:
    """The orders staff see: those of points whose owner union lies in their subtree."""
    return _orders().filter(scope_for(actor).subtree_q(perm, "point__owner"))


def order_get(*, actor: Any, order_id: int) -> Order:
    """An order as its worker or the point's staff see it."""
    scope = scope_for(actor)
    q = scope.subtree_q(Perm.ORDER_VIEW, "point__owner")
    if scope.user_id is not None:
        q |= Q(user_id=scope.user_id)
    try:
        return _orders().get(q, pk=order_id)
    except (Order.DoesNotExist, ValueError, TypeError):
        raise NotFound("order") from None


def order_get_staff(*, actor: Any, order_id: int, perm: Perm = Perm.ORDER_VIEW) -> Order:
    try:
        return order_visible(actor=actor, perm=perm).get(pk=order_id)
    except (Order.DoesNotExist, ValueError, TypeError):
        raise NotFound("order") from None


def order_get_own(*, actor: Any, order_id: int) -> Order:
    """One of the actor's own orders; someone else's is a 404, staff included."""
    user_id = scope_for(actor).user_id
    if user_id is None:
        raise NotFound("order")
    try:
        return _orders().get(pk=order_id, user_id=user_id)
    except (Order.DoesNotExist, ValueError, TypeError):
        raise NotFound("order") from None


def my_orders(*, actor: Any) -> QuerySet[Order]:
    user_id = scope_for(actor).user_id
    if user_id is None:
        return Order.objects.none()
    return _orders().filter(user_id=user_id).order_by("-created_at", "-pk")


def order_events(order: Order) -> QuerySet[OrderEvent]:
    return order.events.select_related("actor").order_by("at", "pk")


@dataclass(frozen=True)
class QueueFilters:
    status: str | None = None
    point_id: int | None = None
    overdue: bool | None = None
    include_closed: bool = False


def order_queue(*, actor: Any, filters: QueueFilters | None = None, now: dt.datetime | None = None) -> QuerySet[Order]:
    """Orders in the actor's subtree; by default the open ones, the longest waiting first."""
    f = filters or QueueFilters()
    qs = order_visible(actor=actor)
    if f.status:
        qs = qs.filter(status=f.status)
    elif not f.include_closed:
        qs = qs.filter(status__in=OPEN_STATUSES)
    if f.point_id is not None:
        qs = qs.filter(point_id=f.point_id)
    if f.overdue:
        cutoff = (now or timezone.now()) - dt.timedelta(hours=overdue_hours())
        qs = qs.filter(status__in=OPEN_STATUSES, created_at__lt=cutoff)
    if f.status or not f.include_closed:
        return qs.order_by("created_at", "pk")
    return qs.order_by("-created_at", "-pk")


def waited_hours(order: Order, now: dt.datetime | None = None) -> float:
    """How long an order has waited on the staff: until it closed or was completed, else until now."""
    end = order.completed_at or order.closed_at or now or timezone.now()
    return max(0.0, (end - order.created_at).total_seconds() / 3600)


def is_overdue(order: Order, now: dt.datetime | None = None) -> bool:
    return order.is_open and waited_hours(order, now) >= overdue_hours()


def checkins_at(point_id: int, user_id: int, since: dt.datetime) -> bool:
    """Did the worker really visit the point since then: a service of the point completed for them."""
    return Order.objects.filter(
        point_id=point_id, user_id=user_id, status__in=DONE_STATUSES, completed_at__gte=since
    ).exists()


def completed_orders_by_point(*, point_ids: Sequence[int], start: dt.datetime, end: dt.datetime) -> dict[int, int]:
    """How many orders at each point were completed in [start, end) (and stay done: completed or confirmed):
    {point_id: count}, points with none left out. Not scoped: the caller has chosen the points."""
    rows = (
        Order.objects.filter(
            point_id__in=point_ids, status__in=DONE_STATUSES, completed_at__gte=start, completed_at__lt=end
        )
        .values_list("point_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {point_id: n for point_id, n in rows}


# ---- the report ----------------------------------------------------------------------------------------------------


@dataclass
class PointRow:
    point_id: int
    name: str
    owner: str
    open: int
    overdue: int
    oldest_hours: float | None
    completed: int
    avg_stars: float | None


@dataclass
class Report:
    weeks: int
    overdue_hours: int
    open: int
    overdue: int
    completed: int
    avg_stars: float | None
    by_status: dict[str, int]
    wait_buckets: list[dict[str, Any]]
    weekly: list[dict[str, Any]]
    points: list[PointRow]


def _bucket_label(lo: int, hi: int | None) -> str:
    def fmt(h: int) -> str:
        return f"{h // 24}d" if h >= 24 and h % 24 == 0 else f"{h}h"

    return f"{fmt(lo)}+" if hi is None else f"{fmt(lo)}-{fmt(hi)}"


def order_report(*, actor: Any, weeks: int = 8, now: dt.datetime | None = None, limit: int = 100) -> Report:
    """Waiting times of the open orders, orders completed per week, and a row per point (most waiting first)."""
    now = now or timezone.now()
    qs = order_visible(actor=actor).order_by()
    cutoff = now - dt.timedelta(hours=overdue_hours())
    today = timezone.localdate(now)
    first_day = today - dt.timedelta(days=today.weekday() + 7 * (weeks - 1))
    since = timezone.make_aware(dt.datetime.combine(first_day, dt.time.min))

    by_status = dict(qs.values_list("status").annotate(n=Count("pk")))
    # One pass over the open orders: how many in each band of waiting time (counted in the database).
    bands: dict[str, Any] = {}
    for i, (lo, hi) in enumerate(WAIT_BUCKETS):
        q = Q(created_at__lte=now - dt.timedelta(hours=lo))
        if hi is not None:
            q &= Q(created_at__gt=now - dt.timedelta(hours=hi))
        bands[f"b{i}"] = Count("pk", filter=q)
    counts = qs.filter(status__in=OPEN_STATUSES).aggregate(
        open=Count("pk"), overdue=Count("pk", filter=Q(created_at__lt=cutoff)), **bands
    )
    buckets: list[dict[str, Any]] = [
        {"label": _bucket_label(lo, hi), "count": counts[f"b{i}"], "overdue": lo >= overdue_hours()}
        for i, (lo, hi) in enumerate(WAIT_BUCKETS)
    ]

    done = qs.filter(status__in=DONE_STATUSES, completed_at__gte=since)
    per_day = dict(
        done.annotate(day=TruncDate("completed_at", tzinfo=timezone.get_current_timezone()))
        .values_list("day")
        .annotate(n=Count("pk"))
    )
    weekly: list[dict[str, Any]] = []
    for w in range(weeks):
        start = first_day + dt.timedelta(days=7 * w)
        n = sum(per_day.get(start + dt.timedelta(days=d), 0) for d in range(7))
        weekly.append({"week": start.isoformat(), "completed": n})

    rated = qs.filter(stars__isnull=False, completed_at__gte=since).aggregate(a=Avg("stars"))["a"]
    rows = (
        qs.values("point_id", "point__name", "point__owner__name")
        .annotate(
            open=Count("pk", filter=Q(status__in=OPEN_STATUSES)),
            overdue=Count("pk", filter=Q(status__in=OPEN_STATUSES, created_at__lt=cutoff)),
            oldest=Min("created_at", filter=Q(status__in=OPEN_STATUSES)),
            completed=Count("pk", filter=Q(status__in=DONE_STATUSES, completed_at__gte=since)),
            avg_stars=Avg("stars", filter=Q(stars__isnull=False, completed_at__gte=since)),
        )
        .filter(Q(open__gt=0) | Q(completed__gt=0))
        .order_by("-overdue", "-open", "oldest", "point_id")[:limit]
    )
    points = [
        PointRow(
            point_id=r["point_id"],
            name=r["point__name"],
            owner=r["point__owner__name"],
            open=r["open"],
            overdue=r["overdue"],
            oldest_hours=round((now - r["oldest"]).total_seconds() / 3600, 1) if r["oldest"] else None,
            completed=r["completed"],
            avg_stars=round(r["avg_stars"], 2) if r["avg_stars"] is not None else None,
        )
        for r in rows
    ]
    return Report(
        weeks=weeks,
        overdue_hours=overdue_hours(),
        open=counts["open"],
        overdue=counts["overdue"],
        completed=sum(w["completed"] for w in weekly),
        avg_stars=round(rated, 2) if rated is not None else None,
        by_status={s: by_status.get(s, 0) for s in OrderStatus.values},
        wait_buckets=buckets,
        weekly=weekly,
        points=points,
    )
