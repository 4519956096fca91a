"""Every write to activities and interest groups: organising an activity, registering and cancelling (with an
idempotency key), the waitlist's offers and their expiry, reminders, check-in at the door, feedback, groups.

Capacity: a place is held by a registration that is registered or holds an offer. Every decision that counts places
is made with the activity's row locked (`select_for_update`), so however many people press "register" at once, no
more than the capacity get a place; the others join the waitlist or are refused with `activity.full`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from zhijia.audit.services import audit_record
from zhijia.core.dates import check_years
from zhijia.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from zhijia.core.roles import Perm
from zhijia.core.scope import scope_for
from zhijia.jobs.queue import enqueue_with_transaction
from zhijia.members.services import card_check
from zhijia.network.selectors import point_get_public
from zhijia.organizations.models import Organization

from . import selectors
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
    RegistrationKey,
    RegistrationStatus,
)

# The door opens for check-in this long before the start, and closes at the end.
CHECKIN_OPENS_BEFORE = dt.timedelta(hours=2)
KEY_MAX = 100
TITLE_MAX = 150


# ---- helpers -------------------------------------------------------------------------------------------------------


def _offer_hold() -> dt.timedelta:
    """How long a freed place is held for the first person on the waitlist before it passes on."""
    return dt.timedelta(minutes=settings.ACTIVITIES_OFFER_HOLD_MINUTES)


def _reminder_lead() -> dt.timedelta:
    """When the reminder goes out before the start."""
    return dt.timedelta(hours=settings.ACTIVITIES_REMINDER_HOURS)


def _organiser_in_scope(actor: Any, org_id: Any) -> Organization:
    scope = scope_for(actor)
    org = Organization.objects.filter(pk=org_id).first() if isinstance(org_id, int) else None
    if org is None or not scope.can(Perm.ACTIVITY_VIEW) or not scope.covers_path(org.path):
        raise NotFound("org")
    scope.require(Perm.ACTIVITY_EDIT, "org")
    return org


def _activity_for(actor: Any, activity_id: int, perm: Perm, *, lock: bool = False) -> Activity:
    """An activity of the actor's subtree (404 otherwise) that the actor may act on (403 otherwise)."""
    visible_with = Perm.ACTIVITY_CHECKIN if perm == Perm.ACTIVITY_CHECKIN else Perm.ACTIVITY_VIEW
    selectors.activity_get(actor=actor, activity_id=activity_id, perm=visible_with)
    scope_for(actor).require(perm, "activity")
    return _locked(activity_id) if lock else Activity.objects.select_related("organiser").get(pk=activity_id)


def _locked(activity_id: int) -> Activity:
    return Activity.objects.select_for_update().select_related("organiser").get(pk=activity_id)


def _taken(activity: Activity) -> int:
    return Registration.objects.filter(activity=activity, status__in=HOLDS_PLACE).count()


def _waiting(activity: Activity) -> int:
    return Registration.objects.filter(activity=activity, status=RegistrationStatus.WAITLISTED).count()


def _link(activity: Activity) -> str:
    return reverse("activities:detail", args=[activity.pk])


def _when(value: dt.datetime) -> str:
    return formats.date_format(timezone.localtime(value), "Y-m-d H:i")


def _notify(user: Any, **kwargs: Any) -> None:
    from zhijia.notifications.services import notify

    notify(user, **kwargs)


def _check_key(key: str) -> str:
    key = (key or "").strip()
    if len(key) > KEY_MAX:
        raise ValidationFailed("registration.key_too_long", _("幂等键不超过 100 个字符。"), field="idempotency_key")
    return key


def _replay(
    user: Any, key: str, action: str, *, activity_id: int, registration_id: int | None = None
) -> Registration | None:
    """The registration a key already answered for, when this person sent the key before for the same thing."""
    if not key:
        return None
    found = RegistrationKey.objects.filter(user_id=user.pk, key=key).select_related("registration").first()
    if found is None:
        return None
    same = found.registration.activity_id == activity_id and registration_id in (None, found.registration_id)
    if found.action != action or not same:
        raise Conflict("registration.key_reused", _("该幂等键已用于另一个操作。"), detail={"field": "idempotency_key"})
    return found.registration


def _remember(user: Any, key: str, action: str, registration: Registration) -> None:
    if not key:
        return
    try:
        with transaction.atomic():
            RegistrationKey.objects.create(user_id=user.pk, key=key, action=action, registration=registration)
    except IntegrityError:
        # The same key, sent at the same moment for another activity: the first one answered; this one is refused.
        raise Conflict(
            "registration.key_reused", _("该幂等键已用于另一个操作。"), detail={"field": "idempotency_key"}
        ) from None


# ---- organising -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ActivityFields:
    title: str
    kind: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    capacity: int
    audience: str = Audience.MEMBERS
    description: str = ""
    point_id: int | None = None
    address: str = ""
    waitlist_size: int = 20
    registration_opens_at: dt.datetime | None = None
    registration_closes_at: dt.datetime | None = None
    member_price_fen: int | None = None
    price_fen: int | None = None
    group_id: int | None = None


def _aware(value: dt.datetime, field: str, label: str) -> dt.datetime:
    if not isinstance(value, dt.datetime):
        raise ValidationFailed("activity.time_invalid", _("时间格式有误。"), field=field)
    check_years(value, field=field, label=label)
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return value


def _validated(actor: Any, f: ActivityFields, organiser: Organization) -> dict[str, Any]:
    title = (f.title or "").strip()
    if not title:
        raise ValidationFailed("activity.title_required", _("活动名称不能为空。"), field="title")
    if len(title) > TITLE_MAX:
        raise ValidationFailed("activity.title_too_long", _("活动名称不超过 150 个字符。"), field="title")
    if f.kind not in ActivityKind.values:
        raise ValidationFailed("activity.kind_invalid", _("未知的活动类型。"), field="kind")
    if f.audience not in Audience.values:
        raise ValidationFailed("activity.audience_invalid", _("未知的活动对象。"), field="audience")
    starts, ends = _aware(f.starts_at, "starts_at", _("开始时间")), _aware(f.ends_at, "ends_at", _("结束时间"))
    if ends <= starts:
        raise ValidationFailed("activity.ends_before_start", _("结束时间必须晚于开始时间。"), field="ends_at")
    opens = timezone.now()
    if f.registration_opens_at:
        opens = _aware(f.registration_opens_at, "registration_opens_at", _("报名开始时间"))
    closes = starts
    if f.registration_closes_at:
        closes = _aware(f.registration_closes_at, "registration_closes_at", _("报名截止时间"))
    if closes <= opens:
        raise ValidationFailed(
            "activity.registration_window_invalid",
            _("报名截止时间必须晚于报名开始时间。"),
            field="registration_closes_at",
        )
    if closes > ends:
        raise ValidationFailed(
            "activity.registration_closes_after_end",
            _("报名截止时间不能晚于活动结束时间。"),
            field="registration_closes_at",
        )
    if not isinstance(f.capacity, int) or f.capacity < 1 or f.capacity > 100_000:
        raise ValidationFailed("activity.capacity_invalid", _("名额须在 1 到 100000 之间。"), field="capacity")
    if not isinstance(f.waitlist_size, int) or f.waitlist_size < 0 or f.waitlist_size > 100_000:
        raise ValidationFailed("activity.waitlist_invalid", _("候补名额须在 0 到 100000 之间。"), field="waitlist_size")
    for name in ("member_price_fen", "price_fen"):
        value = getattr(f, name)
        if value is not None and (not isinstance(value, int) or value < 0 or value > 100_000_000):
            raise ValidationFailed("activity.price_invalid", _("票价须为不小于 0 的金额。"), field=name)
    point = None
    if f.point_id is not None:
        point = point_get_public(actor=actor, point_id=f.point_id)
    address = (f.address or "").strip()[:200]
    if point is None and not address:
        raise ValidationFailed("activity.place_required", _("请选择服务阵地，或填写活动地址。"), field="point_id")
    group = None
    if f.group_id is not None:
        group = selectors.group_visible(actor=actor).filter(pk=f.group_id).first()
        if group is None:
            raise NotFound("group")
        if not organiser.path.startswith(group.owner.path) and not group.owner.path.startswith(organiser.path):
            raise ValidationFailed(
                "activity.group_elsewhere", _("兴趣小组不属于主办工会的组织范围。"), field="group_id"
            )
    if f.kind == ActivityKind.GROUP_MEETING and group is None:
        raise ValidationFailed("activity.group_required", _("兴趣小组活动须选择兴趣小组。"), field="group_id")
    return {
        "title": title,
        "kind": f.kind,
        "description": (f.description or "")[:5000],
        "audience": f.audience,
        "point": point,
        "address": address,
        "starts_at": starts,
        "ends_at": ends,
        "capacity": f.capacity,
        "waitlist_size": f.waitlist_size,
        "registration_opens_at": opens,
        "registration_closes_at": closes,
        "member_price_fen": f.member_price_fen,
        "price_fen": f.price_fen,
        "group": group,
    }


@transaction.atomic
def activity_create(*, actor: Any, organiser_id: int, fields: ActivityFields) -> Activity:
    organiser = _organiser_in_scope(actor, organiser_id)
    values = _validated(actor, fields, organiser)
    activity = Activity.objects.create(organiser=organiser, created_by=actor, **values)
    audit_record(
        actor=actor,
        action="activity.create",
        obj=activity,
        org=organiser,
        changes={"kind": activity.kind, "starts_at": activity.starts_at, "capacity": activity.capacity},
    )
    return activity


@transaction.atomic
def activity_update(*, actor: Any, activity_id: int, fields: ActivityFields) -> Activity:
    """Change an activity. Capacity cannot drop below the places already taken; a larger capacity offers the new
    places to the waitlist; a new start time moves the registrants' reminders."""
    activity = _activity_for(actor, activity_id, Perm.ACTIVITY_EDIT, lock=True)
    if activity.status == ActivityStatus.CANCELLED:
        raise Conflict("activity.cancelled", _("活动已取消，不能修改。"))
    values = _validated(actor, fields, activity.organiser)
    taken = _taken(activity)
    if values["capacity"] < taken:
        raise ValidationFailed(
            "activity.capacity_below_taken",
            _("已有 %(n)s 人报名，名额不能少于此数。") % {"n": taken},
            field="capacity",
        )
    moved = values["starts_at"] != activity.starts_at
    changes = {k: v for k, v in values.items() if getattr(activity, k) != v}
    for name, value in values.items():
        setattr(activity, name, value)
    activity.save()
    now = timezone.now()
    _offer_places(activity, now)
    if moved:
        for reg in Registration.objects.filter(activity=activity, status=RegistrationStatus.REGISTERED):
            _schedule_reminder(reg, activity, now)
    audit_record(actor=actor, action="activity.update", obj=activity, org=activity.organiser, changes=changes)
    return activity


@transaction.atomic
def activity_cancel(*, actor: Any, activity_id: int, reason: str = "") -> Activity:
    """Call an activity off: every live registration is cancelled and its holder told (inbox and SMS)."""
    activity = _activity_for(actor, activity_id, Perm.ACTIVITY_EDIT, lock=True)
    if activity.status == ActivityStatus.CANCELLED:
        return activity
    now = timezone.now()
    activity.status = ActivityStatus.CANCELLED
    activity.cancel_reason = (reason or "").strip()[:200]
    activity.save(update_fields=["status", "cancel_reason", "updated_at"])
    live = list(Registration.objects.filter(activity=activity, status__in=LIVE).select_related("user"))
    Registration.objects.filter(pk__in=[r.pk for r in live]).update(
        status=RegistrationStatus.CANCELLED, cancelled_at=now, offer_expires_at=None
    )
    for reg in live:
        _notify(
            reg.user,
            kind="activity.cancelled",
            title=_("活动取消：%(title)s") % {"title": activity.title},
            body=activity.cancel_reason,
            link=_link(activity),
            sms=True,
            dedupe_key=f"activity.cancelled:{reg.pk}",
        )
    audit_record(
        actor=actor,
        action="activity.cancel",
        obj=activity,
        org=activity.organiser,
        changes={"reason": activity.cancel_reason, "registrations": len(live)},
    )
    return activity


# ---- registering -------------------------------------------------------------------------------------------------


def _is_member(user: Any) -> bool:
    return bool(selectors.member_paths(user))


@transaction.atomic
def registration_create(*, actor: Any, activity_id: int, idempotency_key: str = "") -> Registration:
    """Register the actor for an activity: a place while there is one, else the waitlist while it has room, else
    `activity.full`. The same idempotency key from the same person answers with the first registration again."""
    if not getattr(actor, "is_authenticated", False):
        raise NotFound("activity")
    key = _check_key(idempotency_key)
    selectors.activity_get_public(actor=actor, activity_id=activity_id)
    activity = _locked(activity_id)
    # The key is looked up under the lock: a repeat sent at the same instant waits here and finds the first answer.
    replay = _replay(actor, key, RegistrationKey.Action.REGISTER, activity_id=activity.pk)
    if replay is not None:
        return replay
    now = timezone.now()
    if activity.status == ActivityStatus.CANCELLED:
        raise Conflict("activity.cancelled", _("活动已取消。"))
    if not selectors.in_audience(actor, audience=activity.audience, organiser=activity.organiser):
        raise PermissionDenied("activity.members_only", _("本活动仅限主办工会及其下级工会的会员报名。"))
    if now < activity.registration_opens_at:
        raise Conflict(
            "activity.registration_not_open",
            _("报名尚未开始，%(time)s 开始报名。") % {"time": _when(activity.registration_opens_at)},
        )
    if now >= activity.registration_closes_at:
        raise Conflict("activity.registration_closed", _("报名已截止。"))
    if Registration.objects.filter(activity=activity, user_id=actor.pk, status__in=LIVE).exists():
        raise Conflict("activity.already_registered", _("您已报名本活动。"))
    is_member = _is_member(actor)
    price = activity.member_price_fen if is_member and activity.member_price_fen is not None else activity.price_fen
    fields = {"activity": activity, "user": actor, "is_member": is_member, "price_fen": price}
    if _taken(activity) < activity.capacity and _waiting(activity) == 0:
        reg = Registration.objects.create(status=RegistrationStatus.REGISTERED, **fields)
        _schedule_reminder(reg, activity, now)
    elif _waiting(activity) < activity.waitlist_size:
        reg = Registration.objects.create(status=RegistrationStatus.WAITLISTED, waitlisted_at=now, **fields)
    else:
        raise Conflict(
            "activity.full",
            _("名额已满，候补也已满。") if activity.waitlist_size else _("名额已满。"),
            detail={"capacity": activity.capacity},
        )
    _remember(actor, key, RegistrationKey.Action.REGISTER, reg)
    audit_record(
        actor=actor, action="activity.register", obj=reg, org=activity.organiser, changes={"status": reg.status}
    )
    return reg


@transaction.atomic
def registration_cancel(*, actor: Any, registration_id: int, idempotency_key: str = "") -> Registration:
    """Withdraw one's own registration (or waitlist place, or offer) before the activity starts. A freed place is
    offered to the first person on the waitlist."""
    key = _check_key(idempotency_key)
    reg = selectors.registration_get_own(actor=actor, registration_id=registration_id)
    activity = _locked(reg.activity_id)
    replay = _replay(actor, key, RegistrationKey.Action.CANCEL, activity_id=activity.pk, registration_id=reg.pk)
    if replay is not None:
        return replay
    reg = Registration.objects.select_for_update().get(pk=reg.pk)
    now = timezone.now()
    if reg.status not in LIVE:
        raise Conflict("registration.not_live", _("该报名已取消或已失效。"))
    if now >= activity.starts_at:
        raise Conflict("registration.too_late_to_cancel", _("活动已开始，不能取消报名。"))
    held = reg.status in HOLDS_PLACE
    reg.status = RegistrationStatus.CANCELLED
    reg.cancelled_at = now
    reg.offer_expires_at = None
    reg.save(update_fields=["status", "cancelled_at", "offer_expires_at"])
    _remember(actor, key, RegistrationKey.Action.CANCEL, reg)
    if held:
        _offer_places(activity, now)
    audit_record(actor=actor, action="activity.registration_cancel", obj=reg, org=activity.organiser)
    return reg


def _offer_places(activity: Activity, now: dt.datetime) -> list[Registration]:
    """Offer every free place to the next in line (the activity's row is locked by the caller). An offer holds the
    place for `_offer_hold()`; a deferred task then looks again and passes it on if it was not taken up."""
    if activity.status != ActivityStatus.PUBLISHED or now >= activity.starts_at:
        return []
    free = activity.capacity - _taken(activity)
    if free <= 0:
        return []
    offered = list(
        Registration.objects.filter(activity=activity, status=RegistrationStatus.WAITLISTED)
        .select_related("user")
        .order_by("waitlisted_at", "pk")[:free]
    )
    expires = min(now + _offer_hold(), activity.starts_at)
    for reg in offered:
        reg.status = RegistrationStatus.OFFERED
        reg.offered_at = now
        reg.offer_expires_at = expires
        reg.save(update_fields=["status", "offered_at", "offer_expires_at"])
        _notify(
            reg.user,
            kind="activity.offer",
            title=_("候补递补：%(title)s") % {"title": activity.title},
            body=_("有名额空出，已为您保留至 %(time)s，请及时确认，逾期将递补给下一位。") % {"time": _when(expires)},
            link=_link(activity),
            sms=True,
            dedupe_key=f"activity.offer:{reg.pk}",
        )
        _enqueue_expiry(reg.pk, expires)
    return offered


def _enqueue_expiry(registration_id: int, when: dt.datetime) -> None:
    from .tasks import expire_offer

    enqueue_with_transaction(expire_offer, registration_id, run_after=when)


def offer_accept(*, actor: Any, registration_id: int) -> Registration:
    """Take up the place a waitlist offer holds, within its window. Too late, the offer lapses (that is kept) and
    the place passes to the next in line before the refusal is raised."""
    with transaction.atomic():
        reg = selectors.registration_get_own(actor=actor, registration_id=registration_id)
        activity = _locked(reg.activity_id)
        reg = Registration.objects.select_for_update().get(pk=reg.pk)
        now = timezone.now()
        if reg.status == RegistrationStatus.REGISTERED:
            return reg
        if reg.status != RegistrationStatus.OFFERED:
            raise Conflict("registration.no_offer", _("该报名没有待确认的递补名额。"))
        lapsed = reg.offer_expires_at is not None and now >= reg.offer_expires_at
        if lapsed:
            _expire(reg, activity, now)
        else:
            reg.status = RegistrationStatus.REGISTERED
            reg.offer_expires_at = None
            reg.save(update_fields=["status", "offer_expires_at"])
            _schedule_reminder(reg, activity, now)
            audit_record(actor=actor, action="activity.offer_accept", obj=reg, org=activity.organiser)
    if lapsed:
        raise Conflict("registration.offer_expired", _("递补名额的保留时间已过，名额已递补给下一位。"))
    return reg


def _expire(reg: Registration, activity: Activity, now: dt.datetime) -> None:
    reg.status = RegistrationStatus.EXPIRED
    reg.save(update_fields=["status"])
    audit_record(actor=None, action="activity.offer_expire", obj=reg, org=activity.organiser)
    _offer_places(activity, now)


@transaction.atomic
def offer_expire(*, registration_id: int, now: dt.datetime | None = None) -> bool:
    """The deferred check of one offer: if it is still open and its window has passed, it lapses and the place goes
    to the next in line. Safe to run any number of times, early or late."""
    now = now or timezone.now()
    reg = Registration.objects.filter(pk=registration_id).first()
    if reg is None:
        return False
    activity = _locked(reg.activity_id)
    reg = Registration.objects.select_for_update().get(pk=registration_id)
    if reg.status != RegistrationStatus.OFFERED or reg.offer_expires_at is None or reg.offer_expires_at > now:
        return False
    _expire(reg, activity, now)
    return True


def offers_expire_due(*, now: dt.datetime | None = None) -> int:
    """The sweep: every offer whose window has passed lapses (in case a deferred task was lost). Idempotent."""
    now = now or timezone.now()
    due = Registration.objects.filter(status=RegistrationStatus.OFFERED, offer_expires_at__lte=now)
    return sum(offer_expire(registration_id=pk, now=now) for pk in list(due.values_list("pk", flat=True)[:5000]))


# ---- reminders ---------------------------------------------------------------------------------------------------


def _schedule_reminder(reg: Registration, activity: Activity, now: dt.datetime) -> None:
    if activity.starts_at <= now:
        return
    when = max(activity.starts_at - _reminder_lead(), now)
    from .tasks import send_reminder

    enqueue_with_transaction(send_reminder, reg.pk, run_after=when)


@transaction.atomic
def reminder_send(*, registration_id: int, now: dt.datetime | None = None) -> bool:
    """The deferred reminder of one registration: sent (inbox and SMS) once, if the person is still registered and
    the activity still ahead. A task that runs early (the activity was moved later) leaves it to the new task."""
    now = now or timezone.now()
    reg = Registration.objects.select_for_update().select_related("activity", "user").filter(pk=registration_id).first()
    if reg is None or reg.reminder_sent_at is not None or reg.status != RegistrationStatus.REGISTERED:
        return False
    activity = reg.activity
    if activity.status != ActivityStatus.PUBLISHED or activity.starts_at <= now:
        return False
    if now < activity.starts_at - _reminder_lead() - dt.timedelta(minutes=5):
        return False
    _notify(
        reg.user,
        kind="activity.reminder",
        title=_("活动提醒：%(title)s") % {"title": activity.title},
        body=_("%(time)s 在 %(place)s 举行，请按时参加，签到时出示会员卡二维码。")
        % {"time": _when(activity.starts_at), "place": activity.place_name},
        link=_link(activity),
        sms=True,
        dedupe_key=f"activity.reminder:{reg.pk}",
    )
    reg.reminder_sent_at = now
    reg.save(update_fields=["reminder_sent_at"])
    audit_record(actor=None, action="activity.reminder", obj=reg, org=activity.organiser)
    return True


def reminders_due(*, now: dt.datetime | None = None) -> int:
    """The sweep's other half: reminders whose deferred task was lost (registered, not yet reminded, the start within
    `_reminder_lead()`) go out now. Each send is the same idempotent `reminder_send`."""
    now = now or timezone.now()
    due = Registration.objects.filter(
        status=RegistrationStatus.REGISTERED,
        reminder_sent_at__isnull=True,
        activity__status=ActivityStatus.PUBLISHED,
        activity__starts_at__gt=now,
        activity__starts_at__lte=now + _reminder_lead(),
    )
    return sum(reminder_send(registration_id=pk, now=now) for pk in list(due.values_list("pk", flat=True)[:5000]))


# ---- at the door ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CheckIn:
    registration: Registration
    newly: bool  # False: this person had already been checked in

    @property
    def name(self) -> str:
        from zhijia.core.pii import mask_name

        return mask_name(self.registration.user.display_name or self.registration.user.username)


def _check_in(actor: Any, activity: Activity, reg: Registration, now: dt.datetime) -> CheckIn:
    if reg.checked_in_at is not None:
        return CheckIn(reg, False)
    reg.checked_in_at = now
    reg.checked_in_by = actor
    reg.save(update_fields=["checked_in_at", "checked_in_by"])
    from zhijia.points.services import points_earn

    points_earn(reg.user, event="activity_checkin", source=f"activity:{reg.pk}", node=activity.organiser, actor=actor)
    audit_record(actor=actor, action="activity.checkin", obj=reg, org=activity.organiser)
    return CheckIn(reg, True)


def _door_open(activity: Activity, now: dt.datetime) -> None:
    if activity.status == ActivityStatus.CANCELLED:
        raise Conflict("activity.cancelled", _("活动已取消。"))
    if now < activity.starts_at - CHECKIN_OPENS_BEFORE:
        raise Conflict("activity.checkin_not_open", _("活动开始前两小时起才能签到。"))
    if now > activity.ends_at:
        raise Conflict("activity.checkin_closed", _("活动已结束，不能再签到。"))


@transaction.atomic
def registration_check_in(*, actor: Any, activity_id: int, token: str) -> CheckIn:
    """Check a registrant in by their member card's QR code (the card's own check: signed, fresh, an active member),
    and credit their points for attending once."""
    activity = _activity_for(actor, activity_id, Perm.ACTIVITY_CHECKIN, lock=True)
    now = timezone.now()
    _door_open(activity, now)
    card = card_check(actor=actor, token=token)
    if not card.is_valid:
        raise ValidationFailed(f"activity.card_{card.status}", card.message, field="token")
    assert card.membership is not None
    reg = (
        Registration.objects.select_for_update()
        .select_related("user")
        .filter(activity=activity, user_id=card.membership.user_id, status=RegistrationStatus.REGISTERED)
        .first()
        if card.membership.user_id
        else None
    )
    if reg is None:
        raise Conflict(
            "activity.not_registered",
            _("会员 %(name)s 未报名本活动（或尚未确认递补名额）。") % {"name": card.masked_name},
            detail={"member_no": card.member_no},
        )
    return _check_in(actor, activity, reg, now)


@transaction.atomic
def registration_check_in_by_hand(*, actor: Any, registration_id: int) -> CheckIn:
    """Check a registrant in from the list, for one who cannot show a card (a worker who is not a member)."""
    found = selectors.registration_get(actor=actor, registration_id=registration_id, perm=Perm.ACTIVITY_CHECKIN)
    scope_for(actor).require(Perm.ACTIVITY_CHECKIN, "registration")
    activity = _locked(found.activity_id)
    now = timezone.now()
    _door_open(activity, now)
    reg = Registration.objects.select_for_update().select_related("user").get(pk=found.pk)
    if reg.status != RegistrationStatus.REGISTERED:
        raise Conflict("activity.not_registered", _("该报名不是“已报名”状态，不能签到。"))
    return _check_in(actor, activity, reg, now)


# ---- feedback ----------------------------------------------------------------------------------------------------


@transaction.atomic
def feedback_submit(*, actor: Any, registration_id: int, stars: int, comment: str = "") -> Feedback:
    """An attendee's stars (1-5) and comment, once, after the activity has begun."""
    reg = selectors.registration_get_own(actor=actor, registration_id=registration_id)
    reg = Registration.objects.select_for_update().select_related("activity").get(pk=reg.pk)
    if not isinstance(stars, int) or not 1 <= stars <= 5:
        raise ValidationFailed("feedback.stars_invalid", _("评分须为 1 到 5 星。"), field="stars")
    if reg.checked_in_at is None:
        raise Conflict("feedback.not_attended", _("签到参加活动后才能评价。"))
    if timezone.now() < reg.activity.starts_at:
        raise Conflict("feedback.too_early", _("活动开始后才能评价。"))
    if Feedback.objects.filter(registration=reg).exists():
        raise Conflict("feedback.already_given", _("您已评价过本活动。"))
    feedback = Feedback.objects.create(registration=reg, stars=stars, comment=(comment or "").strip()[:500])
    audit_record(
        actor=actor,
        action="activity.feedback",
        obj=feedback,
        org=reg.activity.organiser,
        changes={"stars": stars},
    )
    return feedback


# ---- interest groups -----------------------------------------------------------------------------------------------


@transaction.atomic
def group_create(
    *,
    actor: Any,
    owner_id: int,
    name: str,
    description: str = "",
    audience: str = Audience.MEMBERS,
    point_id: int | None = None,
) -> InterestGroup:
    owner = _organiser_in_scope(actor, owner_id)
    name = (name or "").strip()
    if not name or len(name) > 100:
        raise ValidationFailed("group.name_invalid", _("小组名称不能为空，且不超过 100 个字符。"), field="name")
    if audience not in Audience.values:
        raise ValidationFailed("group.audience_invalid", _("未知的活动对象。"), field="audience")
    point = point_get_public(actor=actor, point_id=point_id) if point_id is not None else None
    if InterestGroup.objects.filter(owner=owner, name=name).exists():
        raise ValidationFailed("group.name_taken", _("本工会已有同名兴趣小组。"), field="name")
    group = InterestGroup.objects.create(
        owner=owner, name=name, description=(description or "")[:5000], audience=audience, point=point
    )
    audit_record(actor=actor, action="group.create", obj=group, org=owner, changes={"name": name})
    return group


@transaction.atomic
def group_join(*, actor: Any, group_id: int) -> GroupMember:
    group = selectors.group_get_public(actor=actor, group_id=group_id)
    if not group.is_active:
        raise Conflict("group.closed", _("该兴趣小组已停止活动。"))
    if not selectors.in_audience(actor, audience=group.audience, organiser=group.owner):
        raise PermissionDenied("group.members_only", _("本小组仅限所属工会及其下级工会的会员加入。"))
    if GroupMember.objects.filter(group=group, user_id=actor.pk, left_at__isnull=True).exists():
        raise Conflict("group.already_member", _("您已是本小组成员。"))
    try:
        with transaction.atomic():
            member = GroupMember.objects.create(group=group, user=actor)
    except IntegrityError:
        raise Conflict("group.already_member", _("您已是本小组成员。")) from None
    audit_record(actor=actor, action="group.join", obj=member, org=group.owner)
    return member


@transaction.atomic
def group_leave(*, actor: Any, group_id: int) -> GroupMember:
    group = selectors.group_get_public(actor=actor, group_id=group_id)
    member = GroupMember.objects.select_for_update().filter(group=group, user_id=actor.pk, left_at__isnull=True).first()
    if member is None:
        raise Conflict("group.not_member", _("您不是本小组成员。"))
    member.left_at = timezone.now()
    member.save(update_fields=["left_at"])
    audit_record(actor=actor, action="group.leave", obj=member, org=group.owner)
    return member
