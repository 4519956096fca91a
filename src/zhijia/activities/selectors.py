"""Reading activities and interest groups. A member sees the published activities open to them (their audience) and
their own registrations; staff see the activities organised in their subtree. Out of reach is a 404."""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Avg, Count, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone

from zhijia.core.errors import NotFound
from zhijia.core.roles import Perm
from zhijia.core.scope import scope_for
from zhijia.members.models import Membership
from zhijia.organizations.models import Organization

from .models import (
    HOLDS_PLACE,
    LIVE,
    Activity,
    ActivityKind,
    ActivityStatus,
    Audience,
    Feedback,
    GroupMember,
    InterestGroup,
    Registration,
    RegistrationStatus,
)

# ---- who may take part ---------------------------------------------------------------------------------------------


def member_paths(user: Any) -> list[str]:
    """The tree paths of the unions the person is an active member of (usually one)."""
    if not getattr(user, "is_authenticated", False):
        return []
    return list(
        Membership.objects.filter(user_id=user.pk, status=Membership.Status.ACTIVE).values_list(
            "union__path", flat=True
        )
    )


def audience_q(user: Any, org_field: str = "organiser") -> Q:
    """Activities (or groups, with org_field="owner") whose audience includes the person: anyone for all workers;
    for members, a member of a union in the organiser's subtree (the organiser is, or is above, their union)."""
    q = Q(audience=Audience.ALL_WORKERS)
    paths = member_paths(user)
    if paths:
        ancestors = {p[:i] for p in paths for i in range(4, len(p) + 1, 4)}
        q |= Q(audience=Audience.MEMBERS, **{f"{org_field}__path__in": sorted(ancestors)})
    return q


def in_audience(user: Any, *, audience: str, organiser: Organization) -> bool:
    if audience == Audience.ALL_WORKERS:
        return bool(getattr(user, "is_authenticated", False))
    return any(p.startswith(organiser.path) for p in member_paths(user))


# ---- activities: the member side ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ActivityFilters:
    kind: str | None = None
    on_or_after: dt.date | None = None
    on_or_before: dt.date | None = None
    search: str | None = None
    group_id: int | None = None
    # Near a place: (longitude, latitude, km), WGS-84; only activities held at a service point are placed.
    near: tuple[float, float, float] | None = None


KM_PER_DEGREE = 111.32


def _apply(qs: QuerySet[Activity], f: ActivityFilters) -> QuerySet[Activity]:
    if f.kind:
        qs = qs.filter(kind=f.kind)
    if f.on_or_after:
        qs = qs.filter(starts_at__date__gte=f.on_or_after)
    if f.on_or_before:
        qs = qs.filter(starts_at__date__lte=f.on_or_before)
    if f.search:
        qs = qs.filter(title__contains=f.search)
    if f.group_id is not None:
        qs = qs.filter(group_id=f.group_id)
    if f.near is not None:
        lng, lat, km = f.near
        dlat = km / KM_PER_DEGREE
        dlng = km / (KM_PER_DEGREE * max(math.cos(math.radians(lat)), 0.01))
        qs = qs.filter(
            point__lat__gte=lat - dlat,
            point__lat__lte=lat + dlat,
            point__lng__gte=lng - dlng,
            point__lng__lte=lng + dlng,
        )
    return qs


def with_counts(qs: QuerySet[Activity]) -> QuerySet[Activity]:
    return qs.annotate(
        taken=Count("registrations", filter=Q(registrations__status__in=HOLDS_PLACE), distinct=True),
        waiting=Count("registrations", filter=Q(registrations__status=RegistrationStatus.WAITLISTED), distinct=True),
    )


def activity_open_list(
    *, actor: Any, filters: ActivityFilters | None = None, now: dt.datetime | None = None
) -> QuerySet[Activity]:
    """Published activities the person may join that have not ended yet, soonest first."""
    now = now or timezone.now()
    qs = Activity.objects.filter(audience_q(actor), status=ActivityStatus.PUBLISHED, ends_at__gt=now)
    return (
        with_counts(_apply(qs, filters or ActivityFilters()))
        .select_related("point", "organiser", "group")
        .order_by("starts_at", "pk")
    )


def _visible_q(actor: Any) -> Q:
    """An activity a person may open: one in their audience, one they registered for, or one of their subtree."""
    scope = scope_for(actor)
    q = scope.subtree_q(Perm.ACTIVITY_VIEW, "organiser") | scope.subtree_q(Perm.ACTIVITY_CHECKIN, "organiser")
    q |= Q(status=ActivityStatus.PUBLISHED) & audience_q(actor)
    if getattr(actor, "is_authenticated", False):
        q |= Q(pk__in=Registration.objects.filter(user_id=actor.pk).values("activity_id"))
    return q


def activity_get_public(*, actor: Any, activity_id: int) -> Activity:
    try:
        return (
            with_counts(Activity.objects.filter(_visible_q(actor)))
            .select_related("point", "organiser", "group")
            .get(pk=activity_id)
        )
    except (Activity.DoesNotExist, ValueError, TypeError):
        raise NotFound("activity") from None


def my_registration(*, actor: Any, activity: Activity) -> Registration | None:
    """The person's registration that is still live, or else their latest one."""
    if not getattr(actor, "is_authenticated", False):
        return None
    regs = Registration.objects.filter(activity=activity, user_id=actor.pk).select_related("feedback")
    return regs.filter(status__in=LIVE).first() or regs.order_by("-created_at", "-pk").first()


def my_registrations(*, actor: Any) -> QuerySet[Registration]:
    if not getattr(actor, "is_authenticated", False):
        return Registration.objects.none()
    return (
        Registration.objects.filter(user_id=actor.pk)
        .select_related("activity", "activity__point", "activity__organiser")
        .annotate(has_feedback=Exists(Feedback.objects.filter(registration=OuterRef("pk"))))
        .order_by("-activity__starts_at", "-pk")
    )


def registration_get_own(*, actor: Any, registration_id: int) -> Registration:
    if not getattr(actor, "is_authenticated", False):
        raise NotFound("registration")
    try:
        return Registration.objects.select_related("activity", "activity__organiser").get(
            pk=registration_id, user_id=actor.pk
        )
    except (Registration.DoesNotExist, ValueError, TypeError):
        raise NotFound("registration") from None


def waitlist_position(registration: Registration) -> int | None:
    if registration.status != RegistrationStatus.WAITLISTED or registration.waitlisted_at is None:
        return None
    ahead = Registration.objects.filter(
        Q(waitlisted_at__lt=registration.waitlisted_at)
        | Q(waitlisted_at=registration.waitlisted_at, pk__lt=registration.pk),
        activity_id=registration.activity_id,
        status=RegistrationStatus.WAITLISTED,
    ).count()
    return ahead + 1


# ---- activities: the staff side ------------------------------------------------------------------------------------


def activity_visible(*, actor: Any, perm: Perm = Perm.ACTIVITY_VIEW) -> QuerySet[Activity]:
    return Activity.objects.filter(scope_for(actor).subtree_q(perm, "organiser"))


def activity_get(*, actor: Any, activity_id: int, perm: Perm = Perm.ACTIVITY_VIEW) -> Activity:
    """An activity organised in the actor's subtree (404 otherwise)."""
    try:
        return (
            with_counts(activity_visible(actor=actor, perm=perm))
            .select_related("point", "organiser", "group")
            .get(pk=activity_id)
        )
    except (Activity.DoesNotExist, ValueError, TypeError):
        raise NotFound("activity") from None


def activity_list(
    *, actor: Any, filters: ActivityFilters | None = None, status: str | None = None
) -> QuerySet[Activity]:
    qs = _apply(activity_visible(actor=actor), filters or ActivityFilters())
    if status:
        qs = qs.filter(status=status)
    return with_counts(qs).select_related("point", "organiser", "group").order_by("-starts_at", "-pk")


def registration_list(*, activity: Activity, status: str | None = None) -> QuerySet[Registration]:
    """The registrations of an activity the caller already reached through `activity_get`: places first, then the
    waitlist in order, then the rest."""
    qs = Registration.objects.filter(activity=activity).select_related("user", "feedback")
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("status", "waitlisted_at", "created_at", "pk")


def registration_get(*, actor: Any, registration_id: int, perm: Perm = Perm.ACTIVITY_VIEW) -> Registration:
    try:
        return Registration.objects.select_related("activity", "activity__organiser", "user").get(
            scope_for(actor).subtree_q(perm, "activity__organiser"), pk=registration_id
        )
    except (Registration.DoesNotExist, ValueError, TypeError):
        raise NotFound("registration") from None


@dataclass(frozen=True)
class FeedbackSummary:
    count: int
    average: float | None
    by_stars: dict[int, int]
    attended: int
    comments: list[Feedback]


def feedback_summary(*, activity: Activity, comments: int = 50) -> FeedbackSummary:
    qs = Feedback.objects.filter(registration__activity=activity)
    agg = qs.aggregate(n=Count("pk"), avg=Avg("stars"))
    by_stars = {s: 0 for s in range(1, 6)}
    by_stars.update(dict(qs.values_list("stars").annotate(n=Count("pk")).order_by()))
    attended = Registration.objects.filter(activity=activity, checked_in_at__isnull=False).count()
    latest = list(qs.exclude(comment="").order_by("-created_at", "-pk")[:comments])
    avg = agg["avg"]
    return FeedbackSummary(agg["n"], round(float(avg), 2) if avg is not None else None, by_stars, attended, latest)


@dataclass(frozen=True)
class ReportRow:
    month: dt.date
    kind: str
    activities: int
    registered: int
    attended: int

    @property
    def rate(self) -> float | None:
        return self.attended / self.registered if self.registered else None


def activity_report(
    *, actor: Any, since: dt.date | None = None, until: dt.date | None = None, under_id: int | None = None
) -> list[ReportRow]:
    """Activities of the actor's subtree by month and kind: how many were held, places registered (attended ones
    included), and how many attended. Cancelled activities do not count."""
    scope_for(actor).require(Perm.ACTIVITY_VIEW, "activity")
    qs = activity_visible(actor=actor).filter(status=ActivityStatus.PUBLISHED)
    if under_id is not None:
        node = Organization.objects.filter(pk=under_id).first()
        if node is None or not scope_for(actor).covers_path(node.path):
            raise NotFound("org")
        qs = qs.filter(organiser__path__startswith=node.path)
    if since:
        qs = qs.filter(starts_at__date__gte=since)
    if until:
        qs = qs.filter(starts_at__date__lte=until)
    tz = timezone.get_current_timezone()
    per_activity = qs.annotate(month=TruncMonth("starts_at", tzinfo=tz)).values("month", "kind")
    counts = per_activity.annotate(n=Count("pk")).order_by()
    regs = (
        Registration.objects.filter(activity__in=qs, status=RegistrationStatus.REGISTERED)
        .annotate(month=TruncMonth("activity__starts_at", tzinfo=tz))
        .values("month", "activity__kind")
        .annotate(n=Count("pk"), came=Count("pk", filter=Q(checked_in_at__isnull=False)))
        .order_by()
    )
    table: dict[tuple[dt.date, str], list[int]] = defaultdict(lambda: [0, 0, 0])
    for row in counts:
        table[(_month(row["month"]), row["kind"])][0] = row["n"]
    for reg_row in regs:
        cell = table[(_month(reg_row["month"]), reg_row["activity__kind"])]
        cell[1] = reg_row["n"]
        cell[2] = reg_row["came"]
    kinds = list(ActivityKind.values)
    return [
        ReportRow(month, kind, *cell)
        for (month, kind), cell in sorted(table.items(), key=lambda kv: (kv[0][0], kinds.index(kv[0][1])))
    ]


def _month(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date().replace(day=1)
    return value.replace(day=1)


# ---- check-ins elsewhere ask -------------------------------------------------------------------------------------


def checkins_at(point_id: int, user_id: int, since: dt.datetime) -> bool:
    """Did this person check in at an activity held at service point `point_id` since `since`? (A member may rate
    a home only after really visiting it.)"""
    return Registration.objects.filter(
        user_id=user_id,
        activity__point_id=point_id,
        checked_in_at__isnull=False,
        checked_in_at__gte=since,
    ).exists()


# ---- counts other apps ask for (the annual evaluation of homes) ------------------------------------------------------


def checked_in_registrations_by_point(
    *, point_ids: Sequence[int], start: dt.datetime, end: dt.datetime
) -> dict[int, int]:
    """How many registrations were checked in during [start, end) at activities held at each point (attendance):
    {point_id: count}, points with none left out. Not scoped: the caller has chosen the points."""
    rows = (
        Registration.objects.filter(activity__point_id__in=point_ids, checked_in_at__gte=start, checked_in_at__lt=end)
        .values_list("activity__point_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {point_id: n for point_id, n in rows}


def published_activities_by_point(*, point_ids: Sequence[int], start: dt.datetime, end: dt.datetime) -> dict[int, int]:
    """How many published activities held at each point start in [start, end): {point_id: count}, points with none
    left out. Not scoped: the caller has chosen the points."""
    rows = (
        Activity.objects.filter(
            point_id__in=point_ids, status=ActivityStatus.PUBLISHED, starts_at__gte=start, starts_at__lt=end
        )
        .values_list("point_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {point_id: n for point_id, n in rows}


# ---- interest groups ---------------------------------------------------------------------------------------------


def group_open_list(*, actor: Any) -> QuerySet[InterestGroup]:
    qs = InterestGroup.objects.filter(is_active=True).filter(audience_q(actor, "owner"))
    return _group_counts(qs).select_related("owner", "point").order_by("owner__path", "name", "pk")


def _group_counts(qs: QuerySet[InterestGroup]) -> QuerySet[InterestGroup]:
    return qs.annotate(
        member_count=Count("members", filter=Q(members__left_at__isnull=True), distinct=True),
    )


def group_get_public(*, actor: Any, group_id: int) -> InterestGroup:
    scope = scope_for(actor)
    q = scope.subtree_q(Perm.ACTIVITY_VIEW, "owner")
    q |= Q(is_active=True) & audience_q(actor, "owner")
    if getattr(actor, "is_authenticated", False):
        q |= Q(pk__in=GroupMember.objects.filter(user_id=actor.pk).values("group_id"))
    try:
        return _group_counts(InterestGroup.objects.filter(q)).select_related("owner", "point").get(pk=group_id)
    except (InterestGroup.DoesNotExist, ValueError, TypeError):
        raise NotFound("group") from None


def group_visible(*, actor: Any, perm: Perm = Perm.ACTIVITY_VIEW) -> QuerySet[InterestGroup]:
    return InterestGroup.objects.filter(scope_for(actor).subtree_q(perm, "owner"))


def group_list(*, actor: Any) -> QuerySet[InterestGroup]:
    return _group_counts(group_visible(actor=actor)).select_related("owner", "point").order_by("owner__path", "name")


def group_get(*, actor: Any, group_id: int) -> InterestGroup:
    try:
        return _group_counts(group_visible(actor=actor)).select_related("owner", "point").get(pk=group_id)
    except (InterestGroup.DoesNotExist, ValueError, TypeError):
        raise NotFound("group") from None


def group_members(*, group: InterestGroup) -> QuerySet[GroupMember]:
    return GroupMember.objects.filter(group=group, left_at__isnull=True).select_related("user").order_by("joined_at")


def is_group_member(*, actor: Any, group: InterestGroup) -> bool:
    if not getattr(actor, "is_authenticated", False):
        return False
    return GroupMember.objects.filter(group=group, user_id=actor.pk, left_at__isnull=True).exists()


def group_meetings(*, group: InterestGroup) -> QuerySet[Activity]:
    return with_counts(Activity.objects.filter(group=group, status=ActivityStatus.PUBLISHED)).order_by("-starts_at")


# ---- choices for the console forms ---------------------------------------------------------------------------------


def organiser_choices(*, actor: Any, also: Organization | None = None, limit: int = 600) -> list[tuple[int, str]]:
    """The unions a staff member may organise for: its own node and the two levels below, indented by depth."""
    scope = scope_for(actor)
    if not scope.can(Perm.ACTIVITY_EDIT) or scope.path is None:
        return []
    qs = Organization.objects.filter(path__startswith=scope.path)
    root_depth = len(scope.path) // Organization.steplen if scope.path else 0
    qs = qs.filter(depth__lte=root_depth + 2 if root_depth else 4)
    rows = list(qs.order_by("path").values_list("pk", "name", "depth")[:limit])
    first = rows[0][2] if rows else 0
    choices = [(pk, "\u3000" * (depth - first) + name) for pk, name, depth in rows]
    if also is not None and also.pk not in {c[0] for c in choices}:
        choices.insert(0, (also.pk, also.name))
    return choices


def point_id_by_code(code: str) -> int | None:
    """A public service point by its code (forms take the code; the services check the point again)."""
    from zhijia.network.models import ServicePoint
    from zhijia.network.selectors import PUBLIC_STATUSES

    return (
        ServicePoint.objects.filter(code=code.strip(), status__in=PUBLIC_STATUSES).values_list("pk", flat=True).first()
    )
