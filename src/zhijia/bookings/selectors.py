"""Reading venue bookings. Members see the venues of open points, their slots and their own bookings; staff see the
venues, bookings, no-shows and suspensions of the points their subtree owns (404 outside it, 403 without the
permission). Slots are cut from the point's opening hours (holidays included) by the venue's slot length."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _

from zhijia.core.dates import check_years
from zhijia.core.errors import NotFound
from zhijia.core.ids import valid_id
from zhijia.core.roles import Perm
from zhijia.core.scope import scope_for
from zhijia.members.models import Membership
from zhijia.network.hours import SHANGHAI, Schedule, Span, week_key
from zhijia.network.models import PointStatus, ServicePoint
from zhijia.network.selectors import point_schedule
from zhijia.organizations.models import Organization

from . import statements
from .models import (
    LIVE_STATUSES,
    Booking,
    BookingPolicy,
    BookingStatus,
    Suspension,
    Venue,
    VenueClosure,
    WaitlistEntry,
    WaitStatus,
)

# A member may check in this long before the start, and until the slot ends.
CHECKIN_EARLY = dt.timedelta(minutes=30)
BOOKABLE_POINT_STATUSES = (PointStatus.OPEN,)


# ---- rules ----------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Policy:
    release_after_minutes: int
    no_show_limit: int
    no_show_window_days: int
    suspension_days: int
    offer_minutes: int
    # No-shows are counted, and suspensions apply, at the venues of this union's subtree.
    org_id: int


POLICY_FIELDS = ("release_after_minutes", "no_show_limit", "no_show_window_days", "suspension_days", "offer_minutes")


def _ancestor_paths(path: str) -> list[str]:
    step = Organization.steplen
    return [path[:i] for i in range(step, len(path) + 1, step)]


def policy_for(venue: Venue) -> Policy:
    """The rules of a venue: its own overrides, else the nearest union above its point with a policy, else the
    platform's defaults. Read on every booking: the union's policy is looked up in written-out SQL, and not at all
    when the venue sets every rule itself."""
    owner = venue.point.owner
    missing = tuple(name for name in POLICY_FIELDS if getattr(venue, name) is None)
    union = statements.nearest_policy(_ancestor_paths(owner.path), missing) if missing else None
    values: dict[str, Any] = {}
    for name in POLICY_FIELDS:
        own = getattr(venue, name)
        if own is not None:
            values[name] = own
        elif union is not None:
            values[name] = union[1][name]
        else:
            values[name] = settings.BOOKING_DEFAULTS[name]
    return Policy(**values, org_id=union[0] if union else owner.pk)


def policy_get(*, actor: Any, org_id: int) -> BookingPolicy | None:
    scope = scope_for(actor)
    org = Organization.objects.filter(pk=org_id).first() if isinstance(org_id, int) else None
    if org is None or not scope.can(Perm.BOOKING_VIEW) or not scope.covers_path(org.path):
        raise NotFound("org")
    return BookingPolicy.objects.filter(owner=org).first()


# ---- venues and slots -----------------------------------------------------------------------------------------------


def venue_public(*, point_id: int) -> QuerySet[Venue]:
    """The bookable venues of an open point."""
    return Venue.objects.filter(
        point_id=point_id, is_active=True, point__status__in=BOOKABLE_POINT_STATUSES
    ).select_related("point", "point__owner")


def venue_get_public(*, venue_id: int) -> Venue:
    """An active venue of an open point, with its point and the point's owner. Read on every booking: written out
    (statements.py)."""
    venue = statements.bookable_venue(venue_id, BOOKABLE_POINT_STATUSES) if valid_id(venue_id) else None
    if venue is None:
        raise NotFound("venue")
    return venue


def point_public(*, point_id: int) -> ServicePoint:
    try:
        return ServicePoint.objects.select_related("owner").get(pk=point_id, status__in=BOOKABLE_POINT_STATUSES)
    except (ServicePoint.DoesNotExist, ValueError, TypeError):
        raise NotFound("point") from None


def local_day_start(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=SHANGHAI)


def day_slots(venue: Venue, day: dt.date, *, schedule: Schedule | None = None) -> list[tuple[dt.datetime, dt.datetime]]:
    """The slots of a venue on a date: each opening span of the point cut into whole slots (a remainder too short for
    a slot is left out); none on the venue's closed dates."""
    if VenueClosure.objects.filter(venue=venue, date=day).exists():
        return []
    schedule = schedule or point_schedule(venue.point)
    midnight = local_day_start(day)
    out = []
    for opens, closes in schedule.spans_on(day):
        minute = opens
        while minute + venue.slot_minutes <= closes:
            out.append(
                (
                    midnight + dt.timedelta(minutes=minute),
                    midnight + dt.timedelta(minutes=minute + venue.slot_minutes),
                )
            )
            minute += venue.slot_minutes
    return out


def _day_spans(venue: Venue, day: dt.date) -> list[Span]:
    """The opening spans of a venue's point on one date, as `day_slots` cuts them (none on a closed date)."""
    point = venue.point
    rows = statements.day_hours(point.pk, week_key(day, follows_holidays=point.follows_holidays), venue.pk, day)
    if any(kind == 2 for kind, *_rest in rows):
        return []
    exceptions = [row for row in rows if row[0] == 1]
    chosen = exceptions if exceptions else [row for row in rows if row[0] == 0]
    return sorted(
        (opens, closes)
        for _kind, closed, opens, closes in chosen
        if not closed and opens is not None and closes is not None
    )


def slot_at(venue: Venue, starts_at: dt.datetime) -> tuple[dt.datetime, dt.datetime] | None:
    """The slot of `day_slots` that starts at `starts_at`, if there is one: only that slot is worked out."""
    day = timezone.localdate(starts_at)
    midnight = local_day_start(day)
    offset = starts_at - midnight
    if offset < dt.timedelta(0) or offset % dt.timedelta(minutes=1):
        return None
    minute = offset // dt.timedelta(minutes=1)
    length = venue.slot_minutes
    for opens, closes in _day_spans(venue, day):
        if opens <= minute and (minute - opens) % length == 0 and minute + length <= closes:
            return midnight + dt.timedelta(minutes=minute), midnight + dt.timedelta(minutes=minute + length)
    return None


def bookable_days(venue: Venue, *, now: dt.datetime | None = None) -> list[dt.date]:
    today = timezone.localdate(now or timezone.now())
    return [today + dt.timedelta(days=i) for i in range(venue.book_ahead_days + 1)]


@dataclass(frozen=True)
class SlotView:
    starts_at: dt.datetime
    ends_at: dt.datetime
    capacity: int
    taken: int
    waiting: int
    state: str  # open, full, past, mine
    my_booking_id: int | None
    my_wait_id: int | None

    @property
    def free(self) -> int:
        return max(self.capacity - self.taken, 0)


def slot_views(venue: Venue, day: dt.date, *, user: Any = None, now: dt.datetime | None = None) -> list[SlotView]:
    """The day's slots of a venue with how many places are taken, for the member's slot picker."""
    now = now or timezone.now()
    slots = day_slots(venue, day)
    if not slots:
        return []
    start, end = slots[0][0], slots[-1][1]
    live = Booking.objects.filter(venue=venue, starts_at__gte=start, starts_at__lt=end, status__in=LIVE_STATUSES)
    taken = Counter(live.values_list("starts_at", flat=True))
    waits = Counter(
        WaitlistEntry.objects.filter(
            slot__venue=venue, slot__starts_at__gte=start, slot__starts_at__lt=end, status=WaitStatus.WAITING
        ).values_list("slot__starts_at", flat=True)
    )
    mine: dict[dt.datetime, int] = {}
    my_waits: dict[dt.datetime, int] = {}
    if user is not None and user.is_authenticated:
        mine = dict(live.filter(user=user).values_list("starts_at", "pk"))
        my_waits = dict(
            WaitlistEntry.objects.filter(
                slot__venue=venue,
                slot__starts_at__gte=start,
                slot__starts_at__lt=end,
                user=user,
                status__in=(WaitStatus.WAITING, WaitStatus.OFFERED),
            ).values_list("slot__starts_at", "pk")
        )
    out = []
    for s, e in slots:
        n = taken.get(s, 0)
        if s in mine:
            state = "mine"
        elif s <= now:
            state = "past"
        elif n >= venue.capacity:
            state = "full"
        else:
            state = "open"
        out.append(SlotView(s, e, venue.capacity, n, waits.get(s, 0), state, mine.get(s), my_waits.get(s)))
    return out


# ---- the member's own -----------------------------------------------------------------------------------------------


def is_member(user: Any) -> bool:
    return Membership.objects.filter(user_id=user.pk, status=Membership.Status.ACTIVE).exists()


def my_bookings(*, actor: Any, upcoming_only: bool = False, now: dt.datetime | None = None) -> QuerySet[Booking]:
    if actor is None or not actor.is_authenticated:
        return Booking.objects.none()
    qs = Booking.objects.filter(user_id=actor.pk).select_related("venue", "venue__point")
    if upcoming_only:
        qs = qs.filter(ends_at__gt=now or timezone.now(), status__in=LIVE_STATUSES)
    return qs.order_by("-starts_at", "-pk")


def my_booking_get(*, actor: Any, booking_id: int) -> Booking:
    try:
        return Booking.objects.select_related("venue", "venue__point", "venue__point__owner").get(
            pk=booking_id, user_id=getattr(actor, "pk", 0) or 0
        )
    except (Booking.DoesNotExist, ValueError, TypeError):
        raise NotFound("booking") from None


def my_waits(*, actor: Any) -> QuerySet[WaitlistEntry]:
    if actor is None or not actor.is_authenticated:
        return WaitlistEntry.objects.none()
    return (
        WaitlistEntry.objects.filter(user_id=actor.pk, status=WaitStatus.WAITING)
        .select_related("slot", "slot__venue", "slot__venue__point")
        .order_by("slot__starts_at")
    )


def my_wait_get(*, actor: Any, entry_id: int) -> WaitlistEntry:
    try:
        return WaitlistEntry.objects.select_related("slot", "slot__venue").get(
            pk=entry_id, user_id=getattr(actor, "pk", 0) or 0
        )
    except (WaitlistEntry.DoesNotExist, ValueError, TypeError):
        raise NotFound("waitlist") from None


def active_suspension(user: Any, venue: Venue, *, now: dt.datetime | None = None) -> Suspension | None:
    """A suspension of the person that covers the venue (its point's owner lies in the suspending union's subtree)."""
    now = now or timezone.now()
    path = venue.point.owner.path
    # Checked on every booking, and almost always empty: the lookup is written out (statements.py), the row loaded
    # only when one applies.
    for pk, org_path in statements.live_suspensions(user.pk, now):
        if path.startswith(org_path):
            return Suspension.objects.select_related("org").get(pk=pk)
    return None


# ---- staff ----------------------------------------------------------------------------------------------------------


def venue_visible(*, actor: Any, perm: Perm = Perm.BOOKING_VIEW) -> QuerySet[Venue]:
    return Venue.objects.filter(scope_for(actor).subtree_q(perm, "point__owner"))


def venue_list(*, actor: Any, point_id: int | None = None, search: str = "") -> QuerySet[Venue]:
    qs = venue_visible(actor=actor).select_related("point", "point__owner")
    if point_id is not None:
        qs = qs.filter(point_id=point_id)
    if search:
        qs = qs.filter(Q(name__contains=search) | Q(point__name__contains=search))
    return qs.order_by("point__owner__path", "point__name", "name", "pk")


def venue_get(*, actor: Any, venue_id: int) -> Venue:
    """A venue of the actor's subtree (404 otherwise, for anyone without BOOKING_VIEW too)."""
    try:
        return venue_visible(actor=actor).select_related("point", "point__owner").get(pk=venue_id)
    except (Venue.DoesNotExist, ValueError, TypeError):
        raise NotFound("venue") from None


def staff_point_get(*, actor: Any, point_id: int, perm: Perm) -> ServicePoint:
    """A point whose owner lies in the actor's subtree, for a staff action needing `perm`."""
    scope = scope_for(actor)
    try:
        point = ServicePoint.objects.select_related("owner").get(pk=point_id)
    except (ServicePoint.DoesNotExist, ValueError, TypeError):
        raise NotFound("point") from None
    if not (scope.can(Perm.BOOKING_VIEW) or scope.can(perm)) or not scope.covers_path(point.owner.path):
        raise NotFound("point")
    scope.require(perm, "point")
    return point


def day_bookings(*, actor: Any, venue_id: int, day: dt.date) -> tuple[Venue, QuerySet[Booking]]:
    venue = venue_get(actor=actor, venue_id=venue_id)
    check_years(day, field="date", label=_("日期"))
    start = local_day_start(day)
    qs = (
        Booking.objects.filter(venue=venue, starts_at__gte=start, starts_at__lt=start + dt.timedelta(days=1))
        .select_related("user")
        .order_by("starts_at", "pk")
    )
    return venue, qs


def no_show_list(*, actor: Any) -> QuerySet[Booking]:
    return (
        Booking.objects.filter(scope_for(actor).subtree_q(Perm.BOOKING_VIEW, "venue__point__owner"), no_show=True)
        .select_related("user", "venue", "venue__point")
        .order_by("-starts_at", "-pk")
    )


def suspension_list(*, actor: Any, active_only: bool = True, now: dt.datetime | None = None) -> QuerySet[Suspension]:
    qs = Suspension.objects.filter(scope_for(actor).subtree_q(Perm.BOOKING_VIEW, "org")).select_related("user", "org")
    if active_only:
        qs = qs.filter(ends_at__gt=now or timezone.now(), lifted_at__isnull=True)
    return qs.order_by("-starts_at", "-pk")


def suspension_get(*, actor: Any, suspension_id: int) -> Suspension:
    try:
        return Suspension.objects.select_related("org", "user").get(
            scope_for(actor).subtree_q(Perm.BOOKING_VIEW, "org"), pk=suspension_id
        )
    except (Suspension.DoesNotExist, ValueError, TypeError):
        raise NotFound("suspension") from None


@dataclass(frozen=True)
class ReportDay:
    day: dt.date
    bookings: int
    checked_in: int
    no_shows: int

    @property
    def checkin_rate(self) -> float | None:
        return round(self.checked_in / self.bookings, 3) if self.bookings else None


def report(*, actor: Any, since: dt.date, until: dt.date) -> list[ReportDay]:
    """Per day of [since, until] (Beijing dates): bookings that held a place (cancelled ones and lapsed offers left
    out), how many were checked in, and the no-shows; over the actor's subtree."""
    scope_for(actor).require(Perm.BOOKING_VIEW, "report")
    start, end = local_day_start(since), local_day_start(until + dt.timedelta(days=1))
    rows = (
        Booking.objects.filter(
            scope_for(actor).subtree_q(Perm.BOOKING_VIEW, "venue__point__owner"),
            starts_at__gte=start,
            starts_at__lt=end,
            status__in=(BookingStatus.BOOKED, BookingStatus.CHECKED_IN, BookingStatus.RELEASED),
        )
        .annotate(day=TruncDate("starts_at", tzinfo=SHANGHAI))
        .values("day")
        .annotate(
            n=Count("pk"),
            checked=Count("pk", filter=Q(status=BookingStatus.CHECKED_IN)),
            missed=Count("pk", filter=Q(no_show=True)),
        )
        .order_by()
    )
    by_day: dict[dt.date, dict[str, Any]] = {r["day"]: dict(r) for r in rows}
    out = []
    day = since
    while day <= until:
        r: dict[str, Any] = by_day.get(day, {})
        out.append(ReportDay(day, r.get("n", 0), r.get("checked", 0), r.get("missed", 0)))
        day += dt.timedelta(days=1)
    return out


def checked_in_today(point: ServicePoint) -> int:
    start = local_day_start(timezone.localdate())
    return Booking.objects.filter(
        venue__point=point,
        status=BookingStatus.CHECKED_IN,
        starts_at__gte=start,
        starts_at__lt=start + dt.timedelta(days=1),
    ).count()


# ---- for other apps -------------------------------------------------------------------------------------------------


def checkins_at(point_id: int, user_id: int, since: dt.datetime) -> bool:
    """Did this person check in for a booking at this point at or after `since`? (A visit, really made.)"""
    return Booking.objects.filter(
        venue__point_id=point_id, user_id=user_id, status=BookingStatus.CHECKED_IN, checked_in_at__gte=since
    ).exists()


def checked_in_bookings_by_point(*, point_ids: Sequence[int], start: dt.datetime, end: dt.datetime) -> dict[int, int]:
    """How many bookings were checked in at each point's venues in [start, end): {point_id: count}, points with none
    left out. Not scoped: the caller has chosen the points (the annual evaluation counts each home's traffic)."""
    rows = (
        Booking.objects.filter(
            venue__point_id__in=point_ids,
            status=BookingStatus.CHECKED_IN,
            checked_in_at__gte=start,
            checked_in_at__lt=end,
        )
        .values_list("venue__point_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {point_id: n for point_id, n in rows}
