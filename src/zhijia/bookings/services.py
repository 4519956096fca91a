"""Every write of venue booking: venues and their rules (staff), booking, cancelling, the waitlist and its offers
(members), check-in by card (staff), and the release of bookings nobody came for, with the no-shows and suspensions
that follow (the system, from deferred tasks and the sweep).

Locks are taken in one order: the person's account row, then the slot's row, then a booking's row. A count of a
slot's bookings is only ever trusted under the slot's lock, so capacity holds however many requests arrive at once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from zhijia.audit.services import audit_record
from zhijia.core.dates import check_years
from zhijia.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from zhijia.core.roles import Perm
from zhijia.core.scope import scope_for
from zhijia.jobs.queue import enqueue_with_transaction
from zhijia.members.services import card_check
from zhijia.notifications.services import notify
from zhijia.organizations.models import Organization
from zhijia.points.services import points_earn

from . import statements
from .models import (
    LIVE_STATUSES,
    Audience,
    Booking,
    BookingPolicy,
    BookingStatus,
    IdempotencyKey,
    Slot,
    Suspension,
    Venue,
    VenueClosure,
    VenueKind,
    WaitlistEntry,
    WaitStatus,
)
from .selectors import (
    CHECKIN_EARLY,
    POLICY_FIELDS,
    Policy,
    active_suspension,
    is_member,
    local_day_start,
    my_booking_get,
    my_wait_get,
    policy_for,
    slot_at,
    staff_point_get,
    suspension_get,
    venue_get,
    venue_get_public,
)

KEY_MAX = 80
VENUE_FIELDS = (
    "name",
    "kind",
    "capacity",
    "slot_minutes",
    "book_ahead_days",
    "cancel_cutoff_minutes",
    "audience",
    "per_day_limit",
    "per_week_limit",
    *POLICY_FIELDS,
    "description",
    "is_active",
)


# ---- helpers --------------------------------------------------------------------------------------------------------


def _person(actor: Any) -> Any:
    if actor is None or not getattr(actor, "is_authenticated", False):
        raise NotFound("booking")
    return actor


def _lock_person(user: Any) -> None:
    """One request of a person at a time: their key, limits and one-booking-per-slot are then decided in order."""
    statements.lock_person(user.pk)


def _clean_key(key: str | None) -> str:
    key = (key or "").strip()
    if len(key) > KEY_MAX:
        raise ValidationFailed(
            "booking.idempotency_key_too_long", _("幂等键不超过 80 个字符。"), field="idempotency_key"
        )
    return key


def _lock_person_and_replay(user: Any, key: str, operation: str, check: Any) -> Booking | None:
    """Lock the person (as `_lock_person`) and answer with the booking their key already stands for (the first
    answer again), or None for a new key."""
    found = statements.lock_person(user.pk, key)
    if found is None:
        return None
    found_operation, booking_id = found
    booking = Booking.objects.get(pk=booking_id)
    if found_operation != operation or not check(booking):
        raise Conflict(
            "booking.idempotency_key_reused",
            _("该幂等键已用于另一次请求，请为新的请求生成新的键。"),
            detail={"field": "idempotency_key"},
        )
    return booking


def _remember(user: Any, key: str, operation: str, booking: Booking) -> None:
    if key:
        IdempotencyKey.objects.create(user_id=user.pk, key=key, operation=operation, booking=booking)


def _slot_locked(venue: Venue, starts_at: dt.datetime, ends_at: dt.datetime) -> Slot:
    slot, _ = Slot.objects.get_or_create(venue=venue, starts_at=starts_at, defaults={"ends_at": ends_at})
    return Slot.objects.select_for_update().get(pk=slot.pk)


def _slot_lock_or_create(venue: Venue, starts_at: dt.datetime, ends_at: dt.datetime) -> int:
    """The id of the slot's row, locked: one query when the slot exists already (the usual case), else it is
    created."""
    slot_id = statements.slot_lock(venue.pk, starts_at)
    if slot_id is not None:
        return slot_id
    try:
        with transaction.atomic():
            # The new row is this transaction's until it commits: anyone else creating it waits on the unique key.
            return Slot.objects.create(venue=venue, starts_at=starts_at, ends_at=ends_at).pk
    except IntegrityError:
        return Slot.objects.select_for_update().get(venue=venue, starts_at=starts_at).pk


def _insert_booking(venue: Venue, slot_id: int, user: Any, start: dt.datetime, end: dt.datetime) -> Booking:
    booking = Booking(
        slot_id=slot_id,
        venue=venue,
        user=user,
        starts_at=start,
        ends_at=end,
        status=BookingStatus.BOOKED,
        exclusive=venue.capacity == 1,
    )
    if not booking.exclusive:
        booking.save(force_insert=True)
        return booking
    try:
        # PostgreSQL's exclusion constraint on a capacity-1 venue may refuse the row (another booking overlaps);
        # the savepoint keeps the transaction usable to answer that.
        with transaction.atomic():
            booking.save(force_insert=True)
    except IntegrityError:
        raise _slot_full(venue) from None
    return booking


def _live_count(slot: Slot) -> int:
    return Booking.objects.filter(slot=slot, status__in=LIVE_STATUSES).count()


def _check_slot(venue: Venue, starts_at: dt.datetime, now: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    """The slot that starts at `starts_at`: one cut from the point's hours, not started, not too far ahead."""
    if timezone.is_naive(starts_at):
        raise ValidationFailed("booking.naive_time", _("开始时间须带时区。"), field="starts_at")
    check_years(starts_at, field="starts_at", label=_("开始时间"))
    day = timezone.localdate(starts_at)
    if starts_at <= now:
        raise Conflict("booking.slot_started", _("该时段已开始或已结束，不能再预约。"), detail={"field": "starts_at"})
    if day > timezone.localdate(now) + dt.timedelta(days=venue.book_ahead_days):
        raise ValidationFailed(
            "booking.too_far_ahead",
            _("最多可提前 %(days)s 天预约。") % {"days": venue.book_ahead_days},
            field="starts_at",
            detail={"book_ahead_days": venue.book_ahead_days},
        )
    found = slot_at(venue, starts_at)
    if found is not None:
        return found
    raise ValidationFailed("booking.not_a_slot", _("该时间不是可预约的时段（未开放或场地停用）。"), field="starts_at")


def _check_person(venue: Venue, user: Any, now: dt.datetime) -> None:
    if venue.audience == Audience.MEMBERS and not is_member(user):
        raise PermissionDenied("booking.members_only", _("该场地仅限工会会员预约。"))
    suspension = active_suspension(user, venue, now=now)
    if suspension is not None:
        until = timezone.localtime(suspension.ends_at)
        raise PermissionDenied(
            "booking.suspended",
            _("因多次预约未到，您的预约资格暂停至 %(until)s。") % {"until": f"{until:%Y-%m-%d %H:%M}"},
            detail={"until": suspension.ends_at.isoformat()},
        )


def _check_limits(venue: Venue, user: Any, starts_at: dt.datetime) -> None:
    day = timezone.localdate(starts_at)
    live = Booking.objects.filter(venue=venue, user_id=user.pk, status__in=LIVE_STATUSES)
    day_start = local_day_start(day)
    if live.filter(starts_at__gte=day_start, starts_at__lt=day_start + dt.timedelta(days=1)).count() >= (
        venue.per_day_limit
    ):
        raise Conflict(
            "booking.day_limit",
            _("该场地每人每天最多预约 %(n)s 个时段。") % {"n": venue.per_day_limit},
            detail={"limit": venue.per_day_limit},
        )
    week_start = local_day_start(day - dt.timedelta(days=day.weekday()))
    if live.filter(starts_at__gte=week_start, starts_at__lt=week_start + dt.timedelta(days=7)).count() >= (
        venue.per_week_limit
    ):
        raise Conflict(
            "booking.week_limit",
            _("该场地每人每周最多预约 %(n)s 个时段。") % {"n": venue.per_week_limit},
            detail={"limit": venue.per_week_limit},
        )


def _check_booking_counts(venue: Venue, user: Any, slot_id: int, starts_at: dt.datetime) -> None:
    """Under the person's and the slot's locks, in one query: not booked in the slot yet, the per-day and per-week
    limits at the venue, and a free place in the slot (checked in that order, as `_check_limits` and `_live_count`)."""
    day = timezone.localdate(starts_at)
    booked_here, on_day, in_week, taken = statements.booking_counts(
        slot_id=slot_id,
        venue_id=venue.pk,
        user_id=user.pk,
        day_start=local_day_start(day),
        week_start=local_day_start(day - dt.timedelta(days=day.weekday())),
    )
    if booked_here:
        raise Conflict("booking.already_booked", _("您已预约该时段。"))
    if on_day >= venue.per_day_limit:
        raise Conflict(
            "booking.day_limit",
            _("该场地每人每天最多预约 %(n)s 个时段。") % {"n": venue.per_day_limit},
            detail={"limit": venue.per_day_limit},
        )
    if in_week >= venue.per_week_limit:
        raise Conflict(
            "booking.week_limit",
            _("该场地每人每周最多预约 %(n)s 个时段。") % {"n": venue.per_week_limit},
            detail={"limit": venue.per_week_limit},
        )
    if taken >= venue.capacity:
        raise _slot_full(venue)


def _slot_full(venue: Venue) -> Conflict:
    return Conflict(
        "booking.slot_full",
        _("该时段已约满，可以加入候补。"),
        detail={"capacity": venue.capacity, "waitlist": True},
    )


def _label(booking: Booking) -> str:
    start = timezone.localtime(booking.starts_at)
    end = timezone.localtime(booking.ends_at)
    return f"{booking.venue.point.name} {booking.venue.name} {start:%m-%d %H:%M}-{end:%H:%M}"


def _schedule_release(booking: Booking, policy: Policy) -> None:
    from . import tasks

    when = booking.starts_at + dt.timedelta(minutes=policy.release_after_minutes)
    enqueue_with_transaction(tasks.release_if_absent, booking.pk, run_after=when)


def _confirmed(booking: Booking) -> None:
    notify(
        booking.user,
        kind="booking_confirmed",
        title=_("预约成功：%(what)s") % {"what": _label(booking)},
        body=_("请按时到场，出示会员卡二维码签到。"),
        link=reverse("bookings:mine"),
        dedupe_key=f"booking:{booking.pk}:confirmed",
    )


# ---- venues (staff) -------------------------------------------------------------------------------------------------


def _venue_values(values: dict[str, Any]) -> dict[str, Any]:
    if "name" in values:
        values["name"] = str(values["name"]).strip()
        if not values["name"]:
            raise ValidationFailed("venue.missing_name", _("名称不能为空。"), field="name")
    if "kind" in values and values["kind"] not in VenueKind.values:
        raise ValidationFailed("venue.unknown_kind", _("未知的场地类型。"), field="kind")
    if "audience" in values and values["audience"] not in Audience.values:
        raise ValidationFailed("venue.unknown_audience", _("未知的预约对象。"), field="audience")
    if "capacity" in values and not 1 <= int(values["capacity"]) <= 1000:
        raise ValidationFailed("venue.bad_capacity", _("每个时段可预约人数须在 1 到 1000 之间。"), field="capacity")
    if "slot_minutes" in values and not 10 <= int(values["slot_minutes"]) <= 720:
        raise ValidationFailed("venue.bad_slot", _("时段长度须在 10 到 720 分钟之间。"), field="slot_minutes")
    for name in ("no_show_limit", "no_show_window_days", "offer_minutes"):
        if values.get(name) is not None and int(values[name]) < 1:
            raise ValidationFailed("venue.bad_rule", _("该项须至少为 1。"), field=name)
    return values


def _check_limits_pair(venue: Venue) -> None:
    if venue.per_day_limit < 1:
        raise ValidationFailed("venue.bad_day_limit", _("每人每天最多预约须至少为 1。"), field="per_day_limit")
    if venue.per_week_limit < venue.per_day_limit:
        raise ValidationFailed(
            "venue.week_below_day", _("每人每周最多预约不能少于每天最多预约。"), field="per_week_limit"
        )


def _closed_dates(dates: Iterable[dt.date]) -> list[dt.date]:
    return sorted({check_years(d, field="closed_dates", label=_("停用日期")) for d in dates})


def _set_closures(venue: Venue, dates: Iterable[dt.date]) -> None:
    wanted = set(dates)
    venue.closures.exclude(date__in=wanted).delete()
    have = set(venue.closures.values_list("date", flat=True))
    VenueClosure.objects.bulk_create([VenueClosure(venue=venue, date=d) for d in sorted(wanted - have)])


def _unique_name(venue: Venue) -> None:
    if Venue.objects.filter(point_id=venue.point_id, name=venue.name).exclude(pk=venue.pk).exists():
        raise ValidationFailed("venue.name_taken", _("该阵地已有同名场地。"), field="name")


@transaction.atomic
def venue_create(
    *,
    actor: Any,
    point_id: int,
    name: str,
    kind: str,
    capacity: int = 1,
    closed_dates: Iterable[dt.date] = (),
    **values: Any,
) -> Venue:
    point = staff_point_get(actor=actor, point_id=point_id, perm=Perm.VENUE_EDIT)
    unknown = set(values) - set(VENUE_FIELDS)
    if unknown:
        raise ValidationFailed("venue.unknown_field", _("未知的字段。"), field=sorted(unknown)[0])
    fields = _venue_values({"name": name, "kind": kind, "capacity": capacity, **values})
    closed = _closed_dates(closed_dates)
    venue = Venue(point=point, **fields)
    _check_limits_pair(venue)
    _unique_name(venue)
    venue.save()
    _set_closures(venue, closed)
    audit_record(actor=actor, action="venue.create", obj=venue, org=point.owner, changes=fields)
    return venue


@transaction.atomic
def venue_update(*, actor: Any, venue_id: int, closed_dates: Iterable[dt.date] | None = None, **values: Any) -> Venue:
    venue = venue_get(actor=actor, venue_id=venue_id)
    scope_for(actor).require(Perm.VENUE_EDIT, "venue")
    venue = Venue.objects.select_for_update().select_related("point", "point__owner").get(pk=venue.pk)
    unknown = set(values) - set(VENUE_FIELDS)
    if unknown:
        raise ValidationFailed("venue.unknown_field", _("未知的字段。"), field=sorted(unknown)[0])
    values = _venue_values(values)
    closed = None if closed_dates is None else _closed_dates(closed_dates)
    changes = {k: v for k, v in values.items() if getattr(venue, k) != v}
    for k, v in values.items():
        setattr(venue, k, v)
    _check_limits_pair(venue)
    _unique_name(venue)
    venue.save()
    if closed is not None:
        if closed != sorted(venue.closures.values_list("date", flat=True)):
            changes["closed_dates"] = [d.isoformat() for d in closed]
        _set_closures(venue, closed)
    audit_record(actor=actor, action="venue.update", obj=venue, org=venue.point.owner, changes=changes)
    return venue


@transaction.atomic
def policy_set(*, actor: Any, org_id: int, **values: int) -> BookingPolicy:
    """A union's booking rules for the venues of its subtree."""
    scope = scope_for(actor)
    org = Organization.objects.filter(pk=org_id).first() if isinstance(org_id, int) else None
    if org is None or not scope.can(Perm.BOOKING_VIEW) or not scope.covers_path(org.path):
        raise NotFound("org")
    scope.require(Perm.VENUE_EDIT, "org")
    if set(values) != set(POLICY_FIELDS):
        raise ValidationFailed("policy.incomplete", _("预约规则须填写全部各项。"))
    for name in ("no_show_limit", "no_show_window_days", "offer_minutes"):
        if int(values[name]) < 1:
            raise ValidationFailed("policy.bad_rule", _("该项须至少为 1。"), field=name)
    policy, _created = BookingPolicy.objects.update_or_create(owner=org, defaults=values)
    audit_record(actor=actor, action="booking.policy_set", obj=policy, org=org, changes=values)
    return policy


# ---- booking (members) ----------------------------------------------------------------------------------------------


@transaction.atomic
def booking_create(
    *,
    actor: Any,
    venue_id: int,
    starts_at: dt.datetime,
    idempotency_key: str = "",
    now: dt.datetime | None = None,
) -> Booking:
    """Book a place in a slot. A repeated idempotency key answers with the first booking and writes nothing."""
    user = _person(actor)
    now = now or timezone.now()
    key = _clean_key(idempotency_key)
    replay = _lock_person_and_replay(user, key, "book", lambda b: b.venue_id == venue_id and b.starts_at == starts_at)
    if replay is not None:
        return replay
    venue = venue_get_public(venue_id=venue_id)
    start, end = _check_slot(venue, starts_at, now)
    _check_person(venue, user, now)
    slot_id = _slot_lock_or_create(venue, start, end)
    _check_booking_counts(venue, user, slot_id, start)
    booking = _insert_booking(venue, slot_id, user, start, end)
    _remember(user, key, "book", booking)
    audit_record(
        actor=actor,
        action="booking.create",
        obj=booking,
        org=venue.point.owner,
        changes={"venue": venue.pk, "starts_at": start.isoformat()},
    )
    _schedule_release(booking, policy_for(venue))
    _confirmed(booking)
    return booking


@transaction.atomic
def booking_cancel(
    *, actor: Any, booking_id: int, idempotency_key: str = "", now: dt.datetime | None = None
) -> Booking:
    """Cancel one's booking before the venue's cut-off (or decline a waitlist offer, any time before it lapses);
    the freed place goes to the first in line."""
    user = _person(actor)
    now = now or timezone.now()
    key = _clean_key(idempotency_key)
    replay = _lock_person_and_replay(user, key, "cancel", lambda b: b.pk == booking_id)
    if replay is not None:
        return replay
    booking = my_booking_get(actor=user, booking_id=booking_id)
    slot = Slot.objects.select_for_update().get(pk=booking.slot_id)
    booking = (
        Booking.objects.select_for_update()
        .select_related("venue", "venue__point", "venue__point__owner")
        .get(pk=booking.pk)
    )
    venue = booking.venue
    if booking.status == BookingStatus.OFFERED:
        WaitlistEntry.objects.filter(booking=booking).update(status=WaitStatus.LEFT)
    elif booking.status != BookingStatus.BOOKED:
        raise Conflict("booking.not_cancellable", _("该预约已签到、已取消或已释放，不能取消。"))
    else:
        cutoff = booking.starts_at - dt.timedelta(minutes=venue.cancel_cutoff_minutes)
        if now >= cutoff:
            raise Conflict(
                "booking.past_cutoff",
                _("开始前 %(n)s 分钟内不能取消。") % {"n": venue.cancel_cutoff_minutes},
                detail={"cutoff": cutoff.isoformat()},
            )
    booking.status = BookingStatus.CANCELLED
    booking.cancelled_at = now
    booking.save(update_fields=["status", "cancelled_at"])
    _remember(user, key, "cancel", booking)
    audit_record(actor=actor, action="booking.cancel", obj=booking, org=venue.point.owner)
    _offer_next(slot, venue, now)
    return booking


# ---- the waitlist ---------------------------------------------------------------------------------------------------


@transaction.atomic
def waitlist_join(
    *, actor: Any, venue_id: int, starts_at: dt.datetime, now: dt.datetime | None = None
) -> WaitlistEntry:
    """Queue for a full slot. Joining twice keeps the first place in the queue."""
    user = _person(actor)
    now = now or timezone.now()
    _lock_person(user)
    venue = venue_get_public(venue_id=venue_id)
    start, end = _check_slot(venue, starts_at, now)
    _check_person(venue, user, now)
    slot = _slot_locked(venue, start, end)
    if Booking.objects.filter(slot=slot, user_id=user.pk, status__in=LIVE_STATUSES).exists():
        raise Conflict("booking.already_booked", _("您已预约该时段。"))
    existing = WaitlistEntry.objects.filter(slot=slot, user_id=user.pk, status=WaitStatus.WAITING).first()
    if existing is not None:
        return existing
    if _live_count(slot) < venue.capacity:
        raise Conflict("booking.slot_not_full", _("该时段还有空位，请直接预约。"))
    _check_limits(venue, user, start)
    entry = WaitlistEntry.objects.create(slot=slot, user=user, created_at=now)
    audit_record(actor=actor, action="booking.waitlist_join", obj=entry, org=venue.point.owner)
    return entry


@transaction.atomic
def waitlist_leave(*, actor: Any, entry_id: int, now: dt.datetime | None = None) -> WaitlistEntry:
    user = _person(actor)
    now = now or timezone.now()
    _lock_person(user)
    entry = my_wait_get(actor=user, entry_id=entry_id)
    slot = (
        Slot.objects.select_for_update()
        .select_related("venue", "venue__point", "venue__point__owner")
        .get(pk=entry.slot_id)
    )
    entry = WaitlistEntry.objects.select_for_update().get(pk=entry.pk)
    if entry.status not in (WaitStatus.WAITING, WaitStatus.OFFERED):
        return entry
    if entry.status == WaitStatus.OFFERED and entry.booking_id:
        Booking.objects.filter(pk=entry.booking_id, status=BookingStatus.OFFERED).update(
            status=BookingStatus.CANCELLED, cancelled_at=now
        )
    entry.status = WaitStatus.LEFT
    entry.save(update_fields=["status"])
    audit_record(actor=actor, action="booking.waitlist_leave", obj=entry, org=slot.venue.point.owner)
    _offer_next(slot, slot.venue, now)
    return entry


def _offer_next(slot: Slot, venue: Venue, now: dt.datetime) -> list[Booking]:
    """Offer every free place of a (locked) slot to the first in line, each held for the offer window."""
    if now >= slot.ends_at:
        return []
    policy = policy_for(venue)
    offers = []
    free = venue.capacity - _live_count(slot)
    while free > 0:
        entry = (
            WaitlistEntry.objects.select_for_update()
            .filter(slot=slot, status=WaitStatus.WAITING)
            .select_related("user")
            .order_by("created_at", "pk")
            .first()
        )
        if entry is None:
            break
        if Booking.objects.filter(slot=slot, user_id=entry.user_id, status__in=LIVE_STATUSES).exists():
            entry.status = WaitStatus.LEFT
            entry.save(update_fields=["status"])
            continue
        expires = min(now + dt.timedelta(minutes=policy.offer_minutes), slot.ends_at)
        booking = Booking.objects.create(
            slot=slot,
            venue=venue,
            user=entry.user,
            starts_at=slot.starts_at,
            ends_at=slot.ends_at,
            status=BookingStatus.OFFERED,
            exclusive=venue.capacity == 1,
            offer_expires_at=expires,
        )
        entry.status = WaitStatus.OFFERED
        entry.booking = booking
        entry.save(update_fields=["status", "booking"])
        audit_record(
            actor=None,
            action="booking.offer",
            obj=booking,
            org=venue.point.owner,
            changes={"user": entry.user_id, "expires": expires.isoformat()},
        )
        _schedule_lapse(booking)
        notify(
            entry.user,
            kind="booking_waitlist_offer",
            title=_("候补有位：%(what)s") % {"what": _label(booking)},
            body=_("请在 %(until)s 前确认，逾时将让给下一位。") % {"until": f"{timezone.localtime(expires):%H:%M}"},
            link=reverse("bookings:mine"),
            sms=True,
            dedupe_key=f"booking:{booking.pk}:offer",
        )
        offers.append(booking)
        free -= 1
    return offers


def _schedule_lapse(booking: Booking) -> None:
    from . import tasks

    when = booking.offer_expires_at
    enqueue_with_transaction(tasks.lapse_offer, booking.pk, run_after=when)


@transaction.atomic
def offer_accept(*, actor: Any, booking_id: int, now: dt.datetime | None = None) -> Booking:
    """Take the place a waitlist offer holds, before it lapses. Accepting twice is the same as once."""
    user = _person(actor)
    now = now or timezone.now()
    _lock_person(user)
    booking = my_booking_get(actor=user, booking_id=booking_id)
    Slot.objects.select_for_update().get(pk=booking.slot_id)
    booking = (
        Booking.objects.select_for_update()
        .select_related("venue", "venue__point", "venue__point__owner")
        .get(pk=booking.pk)
    )
    if booking.status == BookingStatus.BOOKED and WaitlistEntry.objects.filter(booking=booking).exists():
        return booking
    if booking.status != BookingStatus.OFFERED or booking.offer_expires_at is None or now >= booking.offer_expires_at:
        raise Conflict("booking.offer_expired", _("候补名额已过保留时间或已失效。"))
    booking.status = BookingStatus.BOOKED
    booking.offer_expires_at = None
    booking.save(update_fields=["status", "offer_expires_at"])
    WaitlistEntry.objects.filter(booking=booking).update(status=WaitStatus.ACCEPTED)
    audit_record(actor=actor, action="booking.offer_accept", obj=booking, org=booking.venue.point.owner)
    _schedule_release(booking, policy_for(booking.venue))
    _confirmed(booking)
    return booking


@transaction.atomic
def offer_lapse(*, booking_id: int, now: dt.datetime | None = None) -> bool:
    """An offer nobody confirmed in time passes to the next in line. Re-checks everything: a task that runs late,
    twice, or after the member accepted does nothing."""
    now = now or timezone.now()
    found = Booking.objects.filter(pk=booking_id).values_list("slot_id", flat=True).first()
    if found is None:
        return False
    slot = Slot.objects.select_for_update().get(pk=found)
    booking = (
        Booking.objects.select_for_update()
        .select_related("venue", "venue__point", "venue__point__owner")
        .get(pk=booking_id)
    )
    if booking.status != BookingStatus.OFFERED or booking.offer_expires_at is None or now < booking.offer_expires_at:
        return False
    booking.status = BookingStatus.LAPSED
    booking.save(update_fields=["status"])
    WaitlistEntry.objects.filter(booking=booking).update(status=WaitStatus.LAPSED)
    audit_record(actor=None, action="booking.offer_lapse", obj=booking, org=booking.venue.point.owner)
    _offer_next(slot, booking.venue, now)
    return True


# ---- check-in, release, no-shows ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Checkin:
    booking: Booking
    already: bool
    masked_name: str
    member_no: str
    points: int | None = None


@transaction.atomic
def booking_checkin(*, actor: Any, point_id: int, token: str, now: dt.datetime | None = None) -> Checkin:
    """Staff at a point scan a member's card: the member's booking at this point that is on now (from half an hour
    before its start to its end) is checked in. Scanning again answers with the same check-in."""
    now = now or timezone.now()
    point = staff_point_get(actor=actor, point_id=point_id, perm=Perm.BOOKING_CHECKIN)
    check = card_check(actor=actor, token=token)
    if not check.is_valid or check.membership is None:
        raise ValidationFailed(f"booking.card_{check.status}", check.message, field="token")
    user_id = check.membership.user_id or 0
    window = Booking.objects.filter(
        venue__point=point,
        user_id=user_id,
        starts_at__lte=now + CHECKIN_EARLY,
        ends_at__gt=now,
    ).select_related("venue", "venue__point", "user")
    done = window.filter(status=BookingStatus.CHECKED_IN).first() if user_id else None
    booking = (
        window.select_for_update(of=("self",)).filter(status=BookingStatus.BOOKED).order_by("starts_at").first()
        if user_id
        else None
    )
    if booking is None:
        if done is not None:
            return Checkin(done, True, check.masked_name, check.member_no)
        raise Conflict(
            "booking.nothing_to_check_in", _("该会员此时在本阵地没有可签到的预约。"), detail={"field": "token"}
        )
    booking.status = BookingStatus.CHECKED_IN
    booking.checked_in_at = now
    booking.checked_in_by = actor
    booking.save(update_fields=["status", "checked_in_at", "checked_in_by"])
    audit_record(actor=actor, action="booking.checkin", obj=booking, org=point.owner)
    return Checkin(booking, False, check.masked_name, check.member_no, _earn(booking, point))


def _earn(booking: Booking, point: Any) -> int | None:
    """Points for turning up, by the earning rule at the point's owner (none without a rule)."""
    entry = points_earn(booking.user, event="booking_checkin", source=f"booking:{booking.pk}", node=point.owner)
    return entry.amount if entry is not None else None


@transaction.atomic
def booking_release(*, booking_id: int, now: dt.datetime | None = None) -> bool:
    """A booking nobody checked in for within the release window is released: a no-show, the place goes to the
    waitlist, and enough no-shows suspend booking. Re-checks everything, so a late or repeated task is harmless."""
    now = now or timezone.now()
    found = Booking.objects.filter(pk=booking_id).values_list("slot_id", flat=True).first()
    if found is None:
        return False
    slot = Slot.objects.select_for_update().get(pk=found)
    booking = (
        Booking.objects.select_for_update()
        .select_related("venue", "venue__point", "venue__point__owner")
        .get(pk=booking_id)
    )
    if booking.status != BookingStatus.BOOKED:
        return False
    policy = policy_for(booking.venue)
    if now < booking.starts_at + dt.timedelta(minutes=policy.release_after_minutes):
        return False
    booking.status = BookingStatus.RELEASED
    booking.no_show = True
    booking.save(update_fields=["status", "no_show"])
    audit_record(actor=None, action="booking.release", obj=booking, org=booking.venue.point.owner)
    _count_no_shows(booking, policy, now)
    _offer_next(slot, booking.venue, now)
    return True


def _count_no_shows(booking: Booking, policy: Policy, now: dt.datetime) -> Suspension | None:
    org = Organization.objects.get(pk=policy.org_id)
    since = now - dt.timedelta(days=policy.no_show_window_days)
    last = Suspension.objects.filter(user_id=booking.user_id, org=org).order_by("-starts_at").first()
    if last is not None:
        if last.ends_at > now and last.lifted_at is None:
            return None
        since = max(since, last.starts_at)
    count = Booking.objects.filter(
        user_id=booking.user_id,
        no_show=True,
        starts_at__gte=since,
        venue__point__owner__path__startswith=org.path,
    ).count()
    if count < policy.no_show_limit:
        return None
    suspension = Suspension.objects.create(
        user_id=booking.user_id,
        org=org,
        starts_at=now,
        ends_at=now + dt.timedelta(days=policy.suspension_days),
        no_shows=count,
    )
    audit_record(
        actor=None,
        action="booking.suspend",
        obj=suspension,
        org=org,
        changes={"user": booking.user_id, "no_shows": count, "days": policy.suspension_days},
    )
    return suspension


@transaction.atomic
def suspension_lift(*, actor: Any, suspension_id: int, now: dt.datetime | None = None) -> Suspension:
    suspension = suspension_get(actor=actor, suspension_id=suspension_id)
    scope_for(actor).require(Perm.VENUE_EDIT, "suspension")
    suspension = Suspension.objects.select_for_update().get(pk=suspension.pk)
    if suspension.lifted_at is None:
        suspension.lifted_at = now or timezone.now()
        suspension.lifted_by = actor
        suspension.save(update_fields=["lifted_at", "lifted_by"])
        audit_record(actor=actor, action="booking.suspension_lift", obj=suspension, org=suspension.org)
    return suspension


def bookings_sweep(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Release every booking past its release window and pass on every lapsed offer: what the deferred tasks do, for
    all of them at once. Safe to run any time and as often as wanted (cron, or after the worker was down)."""
    now = now or timezone.now()
    released = sum(
        booking_release(booking_id=pk, now=now)
        for pk in Booking.objects.filter(status=BookingStatus.BOOKED, starts_at__lte=now)
        .order_by("starts_at")
        .values_list("pk", flat=True)
    )
    lapsed = sum(
        offer_lapse(booking_id=pk, now=now)
        for pk in Booking.objects.filter(status=BookingStatus.OFFERED, offer_expires_at__lte=now)
        .order_by("offer_expires_at")
        .values_list("pk", flat=True)
    )
    return {"released": released, "lapsed": lapsed}
