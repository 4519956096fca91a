"""Reading the service network. Staff read the registry of their own subtree; everyone reads the open points (the
finder, a point's public page). A point outside the actor's reach is a 404, whatever the reason."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from zhijia.core.errors import NotFound
from zhijia.core.roles import Perm
from zhijia.core.scope import scope_for
from zhijia.organizations.models import Organization

from . import nearest as nearest_index
from . import routes
from .hours import Schedule
from .models import (
    Facility,
    Inspection,
    MobileStop,
    PointKind,
    PointStatus,
    ServicePoint,
    Standard,
)

# What anyone may look up: a point that is open, or open but resting for a while.
PUBLIC_STATUSES = (PointStatus.OPEN, PointStatus.SUSPENDED)
# Points that must be inspected on schedule.
INSPECTED_STATUSES = (PointStatus.OPEN, PointStatus.SUSPENDED)


def point_visible(*, actor: Any, perm: Perm = Perm.NETWORK_VIEW) -> QuerySet[ServicePoint]:
    """The registry an actor keeps: the points whose owner union lies in its subtree."""
    return ServicePoint.objects.filter(scope_for(actor).subtree_q(perm, "owner"))


def point_get(*, actor: Any, point_id: int, perm: Perm = Perm.NETWORK_VIEW) -> ServicePoint:
    try:
        return (
            point_visible(actor=actor, perm=perm)
            .select_related("owner", "standard", "latest_inspection")
            .get(pk=point_id)
        )
    except (ServicePoint.DoesNotExist, ValueError, TypeError):
        raise NotFound("point") from None


def point_get_public(*, actor: Any, point_id: int) -> ServicePoint:
    """A point as the public sees it: open points for anyone, any point of the actor's own registry."""
    scope = scope_for(actor)
    q = Q(status__in=PUBLIC_STATUSES) | scope.subtree_q(Perm.NETWORK_VIEW, "owner")
    try:
        return ServicePoint.objects.select_related("owner", "latest_inspection").get(q, pk=point_id)
    except (ServicePoint.DoesNotExist, ValueError, TypeError):
        raise NotFound("point") from None


def in_registry(*, actor: Any, point: ServicePoint) -> bool:
    return scope_for(actor).can(Perm.NETWORK_VIEW) and scope_for(actor).covers_path(point.owner.path)


@dataclass(frozen=True)
class PointFilters:
    kind: str | None = None
    status: str | None = None
    facility: str | None = None
    owner_id: int | None = None
    search: str | None = None
    overdue: bool | None = None


def point_list(
    *, actor: Any, filters: PointFilters | None = None, today: dt.date | None = None
) -> QuerySet[ServicePoint]:
    f = filters or PointFilters()
    qs = point_visible(actor=actor).select_related("owner", "latest_inspection")
    if f.kind:
        qs = qs.filter(kind=f.kind)
    if f.status:
        qs = qs.filter(status=f.status)
    if f.facility:
        qs = qs.filter(facilities__facility=f.facility)
    if f.owner_id is not None:
        owner = Organization.objects.filter(pk=f.owner_id).first()
        if owner is None or not scope_for(actor).covers_path(owner.path):
            return qs.none()
        qs = qs.filter(owner__path__startswith=owner.path)
    if f.search:
        qs = qs.filter(Q(name__contains=f.search) | Q(address__contains=f.search) | Q(code=f.search))
    if f.overdue:
        qs = qs.filter(_overdue_q(today))
    return qs.order_by("owner__path", "name", "pk")


def _overdue_q(today: dt.date | None) -> Q:
    today = today or timezone.localdate()
    return Q(status__in=INSPECTED_STATUSES) & (Q(next_inspection_due__isnull=True) | Q(next_inspection_due__lt=today))


def overdue_list(*, actor: Any, today: dt.date | None = None) -> QuerySet[ServicePoint]:
    """The points in the actor's subtree whose inspection is due: never inspected, or past their next due date.
    Longest overdue first (never inspected before all)."""
    return (
        point_visible(actor=actor)
        .filter(_overdue_q(today))
        .select_related("owner", "latest_inspection")
        .order_by("next_inspection_due", "owner__path", "pk")
    )


def registry_counts(*, actor: Any) -> dict[str, Any]:
    qs = point_visible(actor=actor)
    by_kind = dict(qs.filter(status=PointStatus.OPEN).values_list("kind").annotate(n=Count("pk")).order_by())
    by_status = dict(qs.values_list("status").annotate(n=Count("pk")).order_by())
    return {
        "by_kind": [
            {"kind": k, "label": str(PointKind(k).label), "count": by_kind.get(k, 0)} for k in PointKind.values
        ],
        "by_status": {s: by_status.get(s, 0) for s in PointStatus.values},
        "overdue": overdue_list(actor=actor).count(),
    }


def point_map_rows(*, actor: Any, filters: PointFilters | None = None, limit: int = 20000) -> list[tuple[Any, ...]]:
    """(id, name, kind, status, lng, lat) of the registry's points for the console map: one narrow query."""
    return list(
        point_list(actor=actor, filters=filters)
        .order_by()
        .values_list("pk", "name", "kind", "status", "lng", "lat")[:limit]
    )


def point_facilities(point: ServicePoint) -> list[str]:
    codes = set(point.facilities.values_list("facility", flat=True))
    return [c for c in Facility.values if c in codes]


def point_schedule(point: ServicePoint) -> Schedule:
    return nearest_index.schedules_for([point.pk]).get(point.pk, Schedule(follows_holidays=point.follows_holidays))


def point_exceptions(point: ServicePoint, *, since: dt.date | None = None) -> QuerySet[Any]:
    since = since or timezone.localdate()
    return point.hours_exceptions.filter(date__gte=since).order_by("date", "opens_minute")


def point_stops(point: ServicePoint) -> QuerySet[MobileStop]:
    return point.stops.order_by("starts_on", "arrives_minute", "pk")


@dataclass(frozen=True)
class Whereabouts:
    now: routes.Visit | None
    next: routes.Visit | None


def point_whereabouts(point: ServicePoint, *, now: dt.datetime | None = None) -> Whereabouts:
    """Where a mobile home stands now and where it goes next."""
    stops = [nearest_index.stop_of(s) for s in point.stops.filter(ends_on__gte=timezone.localdate() - dt.timedelta(1))]
    when = now or timezone.now()
    return Whereabouts(routes.where_now(stops, when), routes.where_next(stops, when))


def stop_get(*, actor: Any, stop_id: int, perm: Perm = Perm.NETWORK_EDIT) -> MobileStop:
    scope = scope_for(actor)
    try:
        return MobileStop.objects.select_related("point", "point__owner").get(
            scope.subtree_q(perm, "point__owner"), pk=stop_id
        )
    except (MobileStop.DoesNotExist, ValueError, TypeError):
        raise NotFound("stop") from None


def inspection_list(*, actor: Any, point_id: int) -> QuerySet[Inspection]:
    point = point_get(actor=actor, point_id=point_id)
    return (
        Inspection.objects.filter(point=point)
        .select_related("inspector", "standard")
        .prefetch_related("results__item", "photos")
        .order_by("-inspected_at", "-pk")
    )


def inspection_get(*, actor: Any, inspection_id: int) -> Inspection:
    scope = scope_for(actor)
    try:
        return (
            Inspection.objects.select_related("point", "point__owner", "standard", "inspector")
            .prefetch_related("results__item", "photos")
            .get(scope.subtree_q(Perm.NETWORK_VIEW, "point__owner"), pk=inspection_id)
        )
    except (Inspection.DoesNotExist, ValueError, TypeError):
        raise NotFound("inspection") from None


def standard_for(point: ServicePoint, *, active: list[Standard] | None = None) -> Standard | None:
    """The standard a point is checked against: its own, else the most local active one for its kind (a city's own
    before the national one). `active` (every active standard, owners loaded) saves the query in bulk work."""
    if point.standard_id is not None:
        return point.standard
    if active is None:
        active = list(Standard.objects.filter(applies_to=point.kind, is_active=True).select_related("owner"))
    candidates = [
        s
        for s in active
        if s.applies_to == point.kind and (s.owner is None or point.owner.path.startswith(s.owner.path))
    ]
    if not candidates:
        return None
    return max(candidates, key=lambda s: (len(s.owner.path) if s.owner else 0, s.pk))


def standard_list(*, actor: Any) -> QuerySet[Standard]:
    """The national standards and those of the federations above or below the actor's node."""
    scope = scope_for(actor)
    q = Q(owner__isnull=True)
    if scope.can(Perm.NETWORK_VIEW) and scope.path is not None:
        q |= Q(owner__path__startswith=scope.path)
        # The federations above the actor set standards the actor's points are held to.
        above = [scope.path[:i] for i in range(Organization.steplen, len(scope.path), Organization.steplen)]
        q |= Q(owner__path__in=above)
    return Standard.objects.filter(q, is_active=True).select_related("owner").prefetch_related("items").order_by("pk")


# The finder -------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Travel:
    mode: str
    speed_kmh: float
    detour_factor: float


def travel(mode: str) -> Travel:
    speeds = {"walk": settings.NETWORK_WALK_KMH, "ride": settings.NETWORK_RIDE_KMH}
    return Travel(mode, float(speeds[mode]), float(settings.NETWORK_DETOUR_FACTOR))


def nearest(
    *,
    lng: float,
    lat: float,
    limit: int = 10,
    kinds: list[str] | None = None,
    facilities: list[str] | None = None,
    open_now: bool = False,
    now: dt.datetime | None = None,
) -> list[nearest_index.Hit]:
    """The nearest open points to a WGS-84 position, nearest first. Public: the finder shows only open points."""
    index = nearest_index.current_index()
    return index.nearest(
        lng,
        lat,
        limit=limit,
        kinds=frozenset(kinds) if kinds else None,
        facilities=nearest_index.facility_mask(facilities or ()),
        open_now=open_now,
        now=now,
    )


def owner_choices(*, actor: Any, also: Organization | None = None, limit: int = 600) -> list[tuple[int, str]]:
    """The unions a staff member may make the owner of a point: its own node and the two levels below (a city's
    districts and streets), indented by depth; plus `also` (the current owner, wherever it sits)."""
    scope = scope_for(actor)
    if not scope.can(Perm.NETWORK_EDIT) or scope.path is None:
        return []
    qs = Organization.objects.filter(path__startswith=scope.path)
    root_depth = len(scope.path) // Organization.steplen if scope.path else 0
    # The superuser picks from the whole country down to the districts.
    qs = qs.filter(depth__lte=root_depth + 2 if root_depth else 4)
    rows = list(qs.order_by("path").values_list("pk", "name", "depth")[:limit])
    first = rows[0][2] if rows else 0
    choices = [(pk, "\u3000" * (depth - first) + name) for pk, name, depth in rows]
    if also is not None and also.pk not in {c[0] for c in choices}:
        choices.insert(0, (also.pk, also.name))
    return choices
