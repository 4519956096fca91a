"""Every write to the service menu: the catalogue, each point's menu, and an order's steps from the worker's request
to their rating.

Staff act on points whose owner union lies in their subtree (404 otherwise, 403 without the permission); a worker acts
on their own orders only. Each step locks the order's row, so two people accepting or completing the same order at
once cannot both succeed; each writes an `OrderEvent`, the audit row, and tells the worker through the inbox.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from zhijia.audit.services import audit_record
from zhijia.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from zhijia.core.roles import Perm
from zhijia.core.scope import scope_for
from zhijia.jobs.queue import enqueue_with_transaction
from zhijia.members.selectors import my_membership
from zhijia.network.models import PointStatus
from zhijia.notifications.services import notify
from zhijia.organizations.models import Organization
from zhijia.points.services import points_earn

from .models import (
    HOLDING_STATUSES,
    Audience,
    Availability,
    Offering,
    Order,
    OrderEvent,
    OrderStatus,
    Pricing,
    ServiceType,
)
from .selectors import catalogue_for_point, menu_point_get, offering_get, order_get_own, order_get_staff

# How far ahead a worker may ask for a time.
MAX_DAYS_AHEAD = 60
# The worker is reminded this long before a scheduled service.
REMINDER_LEAD = dt.timedelta(hours=2)
IDEMPOTENCY_KEY_MAX = 64
NOTE_MAX = 300
OFFERING_FIELDS = (
    "availability",
    "weekdays",
    "starts_minute",
    "ends_minute",
    "daily_capacity",
    "audience",
    "pricing",
    "member_price_fen",
    "list_price_fen",
    "note",
    "is_active",
)


# ---- the catalogue -------------------------------------------------------------------------------------------------


@transaction.atomic
def service_type_create(*, actor: Any, owner_id: int, name: str, description: str = "") -> ServiceType:
    """A union adds a service of its own to the catalogue; points in its subtree may then offer it."""
    scope = scope_for(actor)
    owner = Organization.objects.filter(pk=owner_id).first() if isinstance(owner_id, int) else None
    if owner is None or not scope.can(Perm.ORDER_VIEW) or not scope.covers_path(owner.path):
        raise NotFound("org")
    scope.require(Perm.MENU_EDIT, "org")
    name = name.strip()
    if not name or len(name) > 60:
        raise ValidationFailed("menu.name_invalid", _("服务名称不能为空，且不超过 60 个字符。"), field="name")
    if len(description) > 200:
        raise ValidationFailed("menu.description_too_long", _("说明不超过 200 个字符。"), field="description")
    if ServiceType.objects.filter(owner=owner, name=name).exists():
        raise ValidationFailed("menu.name_taken", _("本单位已有名为“%(name)s”的服务。") % {"name": name}, field="name")
    service_type = ServiceType.objects.create(
        code=f"{owner.code}-{secrets.token_hex(4)}"[:40], name=name, description=description.strip(), owner=owner
    )
    audit_record(actor=actor, action="menu.type_create", obj=service_type, org=owner, changes={"name": name})
    return service_type


# ---- a point's menu ------------------------------------------------------------------------------------------------


def _check_offering(values: dict[str, Any]) -> None:
    if values["availability"] not in Availability.values:
        raise ValidationFailed("menu.unknown_availability", _("未知的提供方式。"), field="availability")
    if values["audience"] not in Audience.values:
        raise ValidationFailed("menu.unknown_audience", _("未知的服务对象。"), field="audience")
    if values["pricing"] not in Pricing.values:
        raise ValidationFailed("menu.unknown_pricing", _("未知的收费方式。"), field="pricing")
    weekdays = values["weekdays"]
    if not isinstance(weekdays, int) or not 0 <= weekdays <= 127:
        raise ValidationFailed("menu.weekdays_invalid", _("服务日期无效。"), field="weekdays")
    if values["availability"] == Availability.WEEKLY and weekdays == 0:
        raise ValidationFailed("menu.no_weekdays", _("固定时段的服务至少要选一天。"), field="weekdays")
    start, end = values["starts_minute"], values["ends_minute"]
    if not (0 <= start < end <= 1440):
        raise ValidationFailed("menu.hours_invalid", _("服务时段的开始时间须早于结束时间。"), field="starts_minute")
    capacity = values["daily_capacity"]
    if capacity is not None and not 1 <= capacity <= 10_000:
        raise ValidationFailed(
            "menu.capacity_invalid", _("每日名额须在 1 到 10000 之间，或留空表示不限。"), field="daily_capacity"
        )
    for f in ("member_price_fen", "list_price_fen"):
        if not 0 <= values[f] <= 10_000_000:
            raise ValidationFailed("menu.price_invalid", _("价格须在 0 到 10 万元之间。"), field=f)
    if values["pricing"] == Pricing.FREE and (values["member_price_fen"] or values["list_price_fen"]):
        raise ValidationFailed("menu.free_has_price", _("免费服务不能填写价格。"), field="pricing")
    if len(values["note"]) > 200:
        raise ValidationFailed("menu.note_too_long", _("说明不超过 200 个字符。"), field="note")


@transaction.atomic
def offering_create(
    *,
    actor: Any,
    point_id: int,
    service_type_id: int,
    availability: str = Availability.WEEKLY,
    weekdays: int = 0b0011111,
    starts_minute: int = 9 * 60,
    ends_minute: int = 17 * 60,
    daily_capacity: int | None = None,
    audience: str = Audience.ALL_WORKERS,
    pricing: str = Pricing.FREE,
    member_price_fen: int = 0,
    list_price_fen: int = 0,
    note: str = "",
    is_active: bool = True,
) -> Offering:
    """A point publishes one service of the catalogue."""
    point = menu_point_get(actor=actor, point_id=point_id)
    scope_for(actor).require(Perm.MENU_EDIT, "point")
    service_type = catalogue_for_point(point).filter(pk=service_type_id).first()
    if service_type is None:
        raise ValidationFailed(
            "menu.unknown_service", _("服务目录中没有这一项，或该服务不适用于本阵地。"), field="service_type_id"
        )
    values: dict[str, Any] = {
        "availability": availability,
        "weekdays": weekdays,
        "starts_minute": starts_minute,
        "ends_minute": ends_minute,
        "daily_capacity": daily_capacity,
        "audience": audience,
        "pricing": pricing,
        "member_price_fen": member_price_fen,
        "list_price_fen": list_price_fen,
        "note": note.strip(),
        "is_active": is_active,
    }
    _check_offering(values)
    if Offering.objects.filter(point=point, service_type=service_type).exists():
        raise ValidationFailed(
            "menu.already_offered",
            _("本阵地已提供“%(name)s”，请修改原有项目。") % {"name": service_type.name},
            field="service_type_id",
        )
    offering = Offering.objects.create(point=point, service_type=service_type, **values)
    audit_record(
        actor=actor,
        action="menu.offering_create",
        obj=offering,
        org=point.owner,
        changes={"point": point, "service": service_type.code, **values},
    )
    return offering


@transaction.atomic
def offering_update(*, actor: Any, offering_id: int, **changes: Any) -> Offering:
    """Change when, to whom and at what price a point offers a service, or take it off the menu."""
    offering = offering_get(actor=actor, offering_id=offering_id)
    scope_for(actor).require(Perm.MENU_EDIT, "offering")
    unknown = set(changes) - set(OFFERING_FIELDS)
    if unknown:
        raise ValidationFailed("menu.unknown_field", _("不能修改该字段。"), field=sorted(unknown)[0])
    values = {f: getattr(offering, f) for f in OFFERING_FIELDS}
    values.update(changes)
    values["note"] = (values["note"] or "").strip()
    if values["pricing"] == Pricing.FREE and "member_price_fen" not in changes and "list_price_fen" not in changes:
        values["member_price_fen"] = values["list_price_fen"] = 0
    _check_offering(values)
    diff = {f: values[f] for f in OFFERING_FIELDS if values[f] != getattr(offering, f)}
    for f, v in values.items():
        setattr(offering, f, v)
    offering.save()
    audit_record(actor=actor, action="menu.offering_update", obj=offering, org=offering.point.owner, changes=diff)
    return offering


# ---- orders: the worker --------------------------------------------------------------------------------------------


def _local(at: dt.datetime) -> dt.datetime:
    return timezone.localtime(at)


def _check_time(offering: Offering, preferred_at: dt.datetime | None, now: dt.datetime) -> None:
    if preferred_at is None:
        return
    if timezone.is_naive(preferred_at):
        raise ValidationFailed("order.time_without_zone", _("希望时间须带时区。"), field="preferred_at")
    if preferred_at < now - dt.timedelta(minutes=5):
        raise ValidationFailed("order.time_past", _("希望时间不能早于现在。"), field="preferred_at")
    if preferred_at > now + dt.timedelta(days=MAX_DAYS_AHEAD):
        raise ValidationFailed(
            "order.time_too_far", _("只能预约 %(days)s 天以内的服务。") % {"days": MAX_DAYS_AHEAD}, field="preferred_at"
        )
    if offering.availability == Availability.WEEKLY:
        local = _local(preferred_at)
        minute = local.hour * 60 + local.minute
        on_day = bool(offering.weekdays & (1 << local.weekday()))
        if not on_day or not offering.starts_minute <= minute < offering.ends_minute:
            raise ValidationFailed(
                "order.outside_hours", _("该时间不在本服务的服务时段内，请另选时间。"), field="preferred_at"
            )


def _event(order: Order, status: str, actor: Any, at: dt.datetime, note: str = "") -> None:
    person = actor if getattr(actor, "is_authenticated", False) else None
    OrderEvent.objects.create(order=order, status=status, actor=person, at=at, note=note[:300])


def _tell(order: Order, title: str, body: str = "") -> None:
    """The worker hears of each step of their order (once per step, however often it is sent)."""
    notify(
        order.user,
        kind=f"order.{order.status}",
        title=title,
        body=body,
        link=reverse("servicemenu:my_orders"),
        sms=order.status in (OrderStatus.SCHEDULED, OrderStatus.DECLINED),
        dedupe_key=f"order:{order.pk}:{order.status}:{order.events.count()}",
    )


@transaction.atomic
def order_create(
    *,
    actor: Any,
    offering_id: int,
    preferred_at: dt.datetime | None = None,
    note: str = "",
    idempotency_key: str = "",
) -> Order:
    """A worker orders a service. The same idempotency key from the same worker returns the first order and writes
    nothing; a day's capacity is counted under a lock on the offering, so it is never exceeded."""
    scope = scope_for(actor)
    if scope.user_id is None:
        raise NotFound("offering")
    idempotency_key = idempotency_key.strip()
    if len(idempotency_key) > IDEMPOTENCY_KEY_MAX:
        raise ValidationFailed("order.key_too_long", _("幂等键不超过 64 个字符。"), field="idempotency_key")
    if idempotency_key:
        first = Order.objects.filter(user_id=scope.user_id, idempotency_key=idempotency_key).first()
        if first is not None:
            return first
    note = note.strip()
    if len(note) > NOTE_MAX:
        raise ValidationFailed("order.note_too_long", _("备注不超过 300 个字符。"), field="note")
    try:
        offering = (
            Offering.objects.select_for_update(of=("self",))
            .select_related("service_type", "point", "point__owner")
            .get(pk=offering_id)
        )
    except (Offering.DoesNotExist, ValueError, TypeError):
        raise NotFound("offering") from None
    if offering.point.status not in (PointStatus.OPEN, PointStatus.SUSPENDED):
        raise NotFound("offering")
    if idempotency_key:
        # Asked again while the first request held the lock: that request's order is the answer.
        first = Order.objects.filter(user_id=scope.user_id, idempotency_key=idempotency_key).first()
        if first is not None:
            return first
    if not offering.is_active or offering.point.status != PointStatus.OPEN:
        raise Conflict("order.service_inactive", _("该服务暂未开放预约。"))
    membership = my_membership(actor=actor)
    if offering.audience == Audience.MEMBERS and membership is None:
        raise PermissionDenied("order.members_only", _("该服务仅限工会会员预约，请先入会。"))
    now = timezone.now()
    _check_time(offering, preferred_at, now)
    if Order.objects.filter(
        user_id=scope.user_id, offering=offering, status__in=(OrderStatus.REQUESTED, OrderStatus.ACCEPTED)
    ).exists():
        raise Conflict("order.already_open", _("您已预约过该服务，正在办理中。"))
    day = timezone.localdate(preferred_at or now)
    if offering.daily_capacity is not None:
        taken = Order.objects.filter(offering=offering, service_date=day, status__in=HOLDING_STATUSES).count()
        if taken >= offering.daily_capacity:
            raise Conflict(
                "order.day_full",
                _("%(day)s 的名额已满，请另选日期。") % {"day": day.isoformat()},
                detail={"field": "preferred_at", "capacity": offering.daily_capacity},
            )
    price = 0
    if offering.pricing == Pricing.MEMBER_PRICE:
        price = offering.member_price_fen if membership is not None else offering.list_price_fen
    try:
        with transaction.atomic():
            order = Order.objects.create(
                offering=offering,
                point=offering.point,
                user_id=scope.user_id,
                service_date=day,
                preferred_at=preferred_at,
                note=note,
                is_member=membership is not None,
                price_fen=price,
                idempotency_key=idempotency_key,
                created_at=now,
            )
    except IntegrityError:
        # The same key arrived twice at once: the first request's order is the answer.
        first = Order.objects.filter(user_id=scope.user_id, idempotency_key=idempotency_key).first()
        if not idempotency_key or first is None:
            raise
        return first
    _event(order, OrderStatus.REQUESTED, actor, now, note)
    audit_record(
        actor=actor,
        action="order.create",
        obj=order,
        org=offering.point.owner,
        changes={"offering": offering.pk, "service_date": day, "price_fen": price},
    )
    _tell(order, _("已收到您的预约：%(name)s") % {"name": offering.service_type.name}, offering.point.name)
    return order


def _locked(order: Order) -> Order:
    return (
        Order.objects.select_for_update(of=("self",))
        .select_related("offering__service_type", "point", "point__owner", "user")
        .get(pk=order.pk)
    )


def _refuse(order: Order, code: str, message: str) -> None:
    raise Conflict(code, message, detail={"status": order.status})


@transaction.atomic
def order_cancel(*, actor: Any, order_id: int, reason: str = "") -> Order:
    """The worker withdraws an order the staff have not completed yet."""
    order = _locked(order_get_own(actor=actor, order_id=order_id))
    if order.status not in (OrderStatus.REQUESTED, OrderStatus.ACCEPTED, OrderStatus.SCHEDULED):
        _refuse(order, "order.not_cancellable", _("该订单已完成或已结束，不能取消。"))
    now = timezone.now()
    order.status, order.closed_at = OrderStatus.CANCELLED, now
    order.save(update_fields=["status", "closed_at"])
    _event(order, OrderStatus.CANCELLED, actor, now, reason.strip())
    audit_record(actor=actor, action="order.cancel", obj=order, org=order.point.owner)
    return order


@transaction.atomic
def order_confirm(*, actor: Any, order_id: int, stars: int, comment: str = "") -> Order:
    """The worker confirms the service was done and rates it, once. Rating earns member points where a rule says."""
    order = _locked(order_get_own(actor=actor, order_id=order_id))
    if order.status == OrderStatus.CONFIRMED:
        _refuse(order, "order.already_rated", _("您已评价过该订单，每个订单只能评价一次。"))
    if order.status != OrderStatus.COMPLETED:
        _refuse(order, "order.not_completed", _("服务完成后才能确认和评价。"))
    if not isinstance(stars, int) or not 1 <= stars <= 5:
        raise ValidationFailed("order.stars_invalid", _("评分须为 1 到 5 星。"), field="stars")
    comment = comment.strip()
    if len(comment) > 300:
        raise ValidationFailed("order.comment_too_long", _("评价不超过 300 个字符。"), field="comment")
    now = timezone.now()
    order.status, order.stars, order.comment, order.closed_at = OrderStatus.CONFIRMED, stars, comment, now
    order.save(update_fields=["status", "stars", "comment", "closed_at"])
    _event(order, OrderStatus.CONFIRMED, actor, now, f"{stars}★ {comment}".strip())
    audit_record(actor=actor, action="order.confirm", obj=order, org=order.point.owner, changes={"stars": stars})
    points_earn(order.user, event="order_rated", source=f"order:{order.pk}", node=order.point.owner, actor=actor)
    return order


# ---- orders: the point's staff ------------------------------------------------------------------------------------


def _for_staff(actor: Any, order_id: int) -> Order:
    order = order_get_staff(actor=actor, order_id=order_id)
    scope_for(actor).require(Perm.ORDER_HANDLE, "order")
    return _locked(order)


@transaction.atomic
def order_accept(*, actor: Any, order_id: int) -> Order:
    order = _for_staff(actor, order_id)
    if order.status != OrderStatus.REQUESTED:
        _refuse(order, "order.not_requested", _("只有待受理的订单才能受理（该订单已被处理）。"))
    now = timezone.now()
    order.status, order.accepted_at = OrderStatus.ACCEPTED, now
    order.save(update_fields=["status", "accepted_at"])
    _event(order, OrderStatus.ACCEPTED, actor, now)
    audit_record(actor=actor, action="order.accept", obj=order, org=order.point.owner)
    _tell(order, _("您的预约已受理：%(name)s") % {"name": order.offering.service_type.name}, order.point.name)
    return order


@transaction.atomic
def order_decline(*, actor: Any, order_id: int, reason: str) -> Order:
    order = _for_staff(actor, order_id)
    reason = (reason or "").strip()
    if not reason or len(reason) > 200:
        raise ValidationFailed("order.reason_required", _("请填写婉拒原因（不超过 200 个字符）。"), field="reason")
    if order.status not in (OrderStatus.REQUESTED, OrderStatus.ACCEPTED):
        _refuse(order, "order.not_declinable", _("只有待受理或已受理的订单才能婉拒。"))
    now = timezone.now()
    order.status, order.decline_reason, order.closed_at = OrderStatus.DECLINED, reason, now
    order.save(update_fields=["status", "decline_reason", "closed_at"])
    _event(order, OrderStatus.DECLINED, actor, now, reason)
    audit_record(actor=actor, action="order.decline", obj=order, org=order.point.owner, changes={"reason": reason})
    _tell(order, _("很抱歉，您的预约未能受理：%(name)s") % {"name": order.offering.service_type.name}, reason)
    return order


@transaction.atomic
def order_schedule(*, actor: Any, order_id: int, scheduled_at: dt.datetime) -> Order:
    """Staff set (or move) the time of an accepted order."""
    order = _for_staff(actor, order_id)
    if order.status not in (OrderStatus.ACCEPTED, OrderStatus.SCHEDULED):
        _refuse(order, "order.not_accepted", _("请先受理订单，再安排时间。"))
    now = timezone.now()
    if not isinstance(scheduled_at, dt.datetime) or timezone.is_naive(scheduled_at):
        raise ValidationFailed("order.time_without_zone", _("安排时间须带时区。"), field="scheduled_at")
    if not now - dt.timedelta(days=1) <= scheduled_at <= now + dt.timedelta(days=MAX_DAYS_AHEAD):
        raise ValidationFailed(
            "order.schedule_out_of_range",
            _("安排时间须在今天到 %(days)s 天以内。") % {"days": MAX_DAYS_AHEAD},
            field="scheduled_at",
        )
    order.status, order.scheduled_at = OrderStatus.SCHEDULED, scheduled_at
    order.save(update_fields=["status", "scheduled_at"])
    when = _local(scheduled_at).strftime("%Y-%m-%d %H:%M")
    _event(order, OrderStatus.SCHEDULED, actor, now, when)
    audit_record(actor=actor, action="order.schedule", obj=order, org=order.point.owner, changes={"at": when})
    _tell(
        order,
        _("您的服务已安排在 %(when)s：%(name)s") % {"when": when, "name": order.offering.service_type.name},
        order.point.name,
    )
    _schedule_reminder(order, now)
    return order


def _schedule_reminder(order: Order, now: dt.datetime) -> None:
    assert order.scheduled_at is not None
    if order.scheduled_at <= now:
        return
    when = max(order.scheduled_at - REMINDER_LEAD, now)
    from .tasks import remind_order

    enqueue_with_transaction(remind_order, order.pk, run_after=when)


@transaction.atomic
def order_remind(*, order_id: int, now: dt.datetime | None = None) -> bool:
    """The deferred reminder of a scheduled service: sent (inbox and SMS) once per scheduled time, and only while the
    order is still scheduled, the time is near and not past. A reminder for a time since moved does nothing (the
    new time has its own)."""
    now = now or timezone.now()
    order = (
        Order.objects.select_for_update(of=("self",))
        .select_related("offering__service_type", "point", "point__owner", "user")
        .filter(pk=order_id)
        .first()
    )
    if order is None or order.status != OrderStatus.SCHEDULED or order.scheduled_at is None:
        return False
    due = order.scheduled_at - REMINDER_LEAD
    # A minute's slack: a queue may run a task a little before its time.
    if order.reminded_for == order.scheduled_at or now < due - dt.timedelta(minutes=1) or now >= order.scheduled_at:
        return False
    when = _local(order.scheduled_at).strftime("%Y-%m-%d %H:%M")
    notify(
        order.user,
        kind="order.reminder",
        title=_("提醒：%(when)s 在%(point)s的%(name)s")
        % {
            "when": when,
            "point": order.point.name,
            "name": order.offering.service_type.name,
        },
        body=order.point.address,
        link=reverse("servicemenu:my_orders"),
        sms=True,
        dedupe_key=f"order:{order.pk}:reminder:{order.scheduled_at.isoformat()}",
    )
    order.reminded_for = order.scheduled_at
    order.save(update_fields=["reminded_for"])
    audit_record(actor=None, action="order.remind", obj=order, org=order.point.owner, changes={"at": when})
    return True


def order_reminders_due(*, now: dt.datetime | None = None) -> int:
    """The sweep (`zhijia servicemenu_sweep`): reminders whose deferred task was lost (scheduled, the time within
    REMINDER_LEAD and not past, not yet reminded of this time) go out now. Each send is the same idempotent
    `order_remind`, so a run beside the task, or a repeated run, sends nothing twice."""
    now = now or timezone.now()
    due = (
        Order.objects.filter(status=OrderStatus.SCHEDULED, scheduled_at__gt=now, scheduled_at__lte=now + REMINDER_LEAD)
        .exclude(reminded_for=F("scheduled_at"))
        .order_by("scheduled_at", "pk")
    )
    return sum(order_remind(order_id=pk, now=now) for pk in list(due.values_list("pk", flat=True)))


@transaction.atomic
def order_complete(*, actor: Any, order_id: int, note: str = "") -> Order:
    """The service was given at the point: a real visit of the worker."""
    order = _for_staff(actor, order_id)
    if order.status not in (OrderStatus.ACCEPTED, OrderStatus.SCHEDULED):
        if order.status in (OrderStatus.COMPLETED, OrderStatus.CONFIRMED):
            _refuse(order, "order.already_completed", _("该订单已完成。"))
        _refuse(order, "order.not_accepted", _("订单受理后才能标记完成。"))
    now = timezone.now()
    order.status, order.completed_at = OrderStatus.COMPLETED, now
    order.save(update_fields=["status", "completed_at"])
    _event(order, OrderStatus.COMPLETED, actor, now, note.strip())
    audit_record(actor=actor, action="order.complete", obj=order, org=order.point.owner)
    _tell(
        order,
        _("服务已完成，请确认并评价：%(name)s") % {"name": order.offering.service_type.name},
        order.point.name,
    )
    return order


# ---- loading many at once (the demo city) ------------------------------------------------------------------------


@transaction.atomic
def offerings_bulk_create(*, actor: Any, offerings: Sequence[Offering], org: Organization) -> int:
    """Load many menu entries at once; a service a point already offers is skipped, so loading twice adds nothing."""
    have = set(
        Offering.objects.filter(point_id__in={o.point_id for o in offerings}).values_list("point_id", "service_type_id")
    )
    new = [o for o in offerings if (o.point_id, o.service_type_id) not in have]
    if not new:
        return 0
    for o in new:
        _check_offering({f: getattr(o, f) for f in OFFERING_FIELDS})
    Offering.objects.bulk_create(new, batch_size=2000)
    audit_record(actor=actor, action="menu.offering_bulk_create", obj=org, org=org, changes={"added": len(new)})
    return len(new)


@dataclass
class OrderSeed:
    """A past order with its history: the order as it stands, and its steps (status, who, when, note) in order."""

    order: Order
    steps: list[tuple[str, int | None, dt.datetime, str]] = field(default_factory=list)


@transaction.atomic
def orders_bulk_load(*, actor: Any, seeds: Sequence[OrderSeed], org: Organization) -> int:
    """Load past orders and their steps (the demo city). Orders carry idempotency keys, so a key already present is
    skipped and loading twice adds nothing."""
    keyed = [s for s in seeds if s.order.idempotency_key]
    have = set(
        Order.objects.filter(idempotency_key__in=[s.order.idempotency_key for s in keyed]).values_list(
            "user_id", "idempotency_key"
        )
    )
    new = [s for s in seeds if (s.order.user_id, s.order.idempotency_key) not in have]
    if not new:
        return 0
    Order.objects.bulk_create([s.order for s in new], batch_size=2000)
    ids = dict(
        Order.objects.filter(idempotency_key__in=[s.order.idempotency_key for s in new]).values_list(
            "idempotency_key", "pk"
        )
    )
    events = [
        OrderEvent(order_id=ids[s.order.idempotency_key], status=status, actor_id=who, at=at, note=note)
        for s in new
        for status, who, at, note in s.steps
    ]
    OrderEvent.objects.bulk_create(events, batch_size=5000)
    audit_record(actor=actor, action="order.bulk_load", obj=org, org=org, changes={"added": len(new)})
    return len(new)
