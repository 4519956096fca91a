"""Every write to member points: earning (any app calls `points_earn`), volunteering credit, redeeming and handing
out, expiry, and the staff's rules, merchants and items.

Concurrency by construction: every entry is written while the holder's `PointAccount` row is locked (SELECT ... FOR
UPDATE), so two spends of one balance run one after the other and the second sees the first; the balance and every
entry carry a CHECK that refuses a negative balance as a last line; stock is taken by a conditional UPDATE
(`stock > 0`); an earn is unique per (account, event, source) and a redemption per (account, idempotency key). Locks
are always taken account first, then item.

Expiry: points earned in year Y stay valid through 31 December of year Y + POINTS_EXPIRE_AFTER_YEARS (Asia/Shanghai);
spending takes the oldest points first. `points_expire` (a daily task) writes one `expire` entry per account for what
lapsed and was not spent; it is idempotent (a second run finds nothing left to expire).
"""

from __future__ import annotations

import datetime as dt
import secrets
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from zhijia.audit.services import audit_record
from zhijia.core.errors import Conflict, NotFound, ValidationFailed
from zhijia.core.roles import Perm
from zhijia.core.scope import scope_for
from zhijia.members.selectors import member_get
from zhijia.notifications.services import notify
from zhijia.organizations.models import Organization

from .models import (
    EarnEvent,
    EarningRule,
    Entry,
    EntryKind,
    ItemKind,
    Merchant,
    MerchantKind,
    PointAccount,
    Redemption,
    RewardItem,
    VolunteerRecord,
)
from .selectors import (
    item_for_member,
    item_get,
    lapsing_by,
    merchant_get,
    my_redemption,
    redemption_for_staff,
    rule_for,
    rule_get,
)

SOURCE_MAX = 80
KEY_MAX = 80
# Codes people read aloud: no 0/O, 1/I/L.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 10
MAX_HOURS = Decimal("24")


def expires_on_for(earned_at: dt.datetime) -> dt.date | None:
    """The last day earned points are valid: 31 December of the Nth year after the year they were earned."""
    years = settings.POINTS_EXPIRE_AFTER_YEARS
    if years is None:
        return None
    return dt.date(timezone.localtime(earned_at).year + int(years), 12, 31)


def _account_locked(user_id: int) -> PointAccount:
    """The holder's balance row, created on first use, locked until the surrounding transaction ends."""
    PointAccount.objects.get_or_create(user_id=user_id)
    return PointAccount.objects.select_for_update().get(pk=user_id)


def _write(
    account: PointAccount,
    *,
    kind: str,
    amount: int,
    source: str,
    event: str = "",
    org: Organization | None = None,
    rule: EarningRule | None = None,
    reason: str = "",
    expires_on: dt.date | None = None,
    actor: Any = None,
) -> Entry:
    """One ledger line and the new balance, on a locked account. Never below zero."""
    balance = account.balance + amount
    if balance < 0:
        raise Conflict(
            "points.insufficient",
            _("积分不足：当前 %(balance)s 分，需要 %(need)s 分。") % {"balance": account.balance, "need": -amount},
            detail={"balance": account.balance, "need": -amount},
        )
    now = timezone.now()
    entry = Entry.objects.create(
        user_id=account.pk,
        kind=kind,
        event=event,
        source=source,
        amount=amount,
        org=org,
        rule=rule,
        reason=reason[:200],
        expires_on=expires_on,
        balance_after=balance,
        created_at=now,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
    )
    PointAccount.objects.filter(pk=account.pk).update(balance=balance, updated_at=now)
    account.balance = balance
    return entry


def _check_source(event: str, source: str) -> None:
    if event not in EarnEvent.values:
        raise ValidationFailed("points.event_unknown", _("未知的积分事项。"), field="event")
    if not source or len(source) > SOURCE_MAX:
        raise ValidationFailed("points.source_invalid", _("积分来源不能为空，且不超过 80 个字符。"), field="source")


def _day_bounds(now: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    local = timezone.localtime(now)
    start = local.replace(hour=0, minute=0, second=0, microsecond=0)
    return start, start + dt.timedelta(days=1)


def _earn(
    user: Any,
    *,
    event: str,
    source: str,
    node: Organization,
    rule: EarningRule,
    quantity: Decimal = Decimal(1),
    actor: Any = None,
    reason: str = "",
) -> Entry | None:
    with transaction.atomic():
        account = _account_locked(user.pk)
        # With the account locked, no other earn of this account runs: the check cannot go stale.
        if Entry.objects.filter(user_id=user.pk, kind=EntryKind.EARN, event=event, source=source).exists():
            return None
        amount = int((Decimal(rule.points) * quantity).to_integral_value(rounding=ROUND_HALF_UP))
        now = timezone.now()
        if rule.daily_cap is not None:
            start, end = _day_bounds(now)
            today = (
                Entry.objects.filter(
                    user_id=user.pk, kind=EntryKind.EARN, event=event, created_at__gte=start, created_at__lt=end
                ).aggregate(total=Sum("amount"))["total"]
                or 0
            )
            amount = min(amount, rule.daily_cap - today)
        if amount <= 0:
            return None
        try:
            with transaction.atomic():
                entry = _write(
                    account,
                    kind=EntryKind.EARN,
                    amount=amount,
                    source=source,
                    event=event,
                    org=node,
                    rule=rule,
                    reason=reason or f"{EarnEvent(event).label} · {node.name}",
                    expires_on=expires_on_for(now),
                    actor=actor,
                )
        except IntegrityError:
            return None
        audit_record(
            actor=actor,
            action="points.earn",
            obj=entry,
            org=node,
            changes={"user": user.pk, "event": event, "source": source, "amount": amount},
        )
    return entry


def points_earn(
    user: Any, *, event: str, source: str, node: Organization | None, actor: Any = None, reason: str = ""
) -> Entry | None:
    """Points for `user` for one action (`source`, such as "booking:123"), by the rule of the nearest union at or
    above `node`. At most once per (user, event, source): a repeat returns None and writes nothing; so does an
    action no rule rewards, or one past the rule's daily cap. Safe inside the caller's transaction (the entry commits
    or rolls back with it)."""
    _check_source(event, source)
    if node is None or user is None or user.pk is None:
        return None
    rule = rule_for(event=event, node=node)
    if rule is None:
        return None
    return _earn(user, event=event, source=source, node=node, rule=rule, actor=actor, reason=reason)


# ---- staff: where points come from -------------------------------------------------------------------------------


def _org_for(actor: Any, org_id: int, perm: Perm) -> Organization:
    """A union the actor sees (404 otherwise) and may act for (403 otherwise)."""
    scope = scope_for(actor)
    org = Organization.objects.filter(pk=org_id).first() if isinstance(org_id, int) else None
    if org is None or not scope.can(Perm.POINTS_VIEW) or not scope.covers_path(org.path):
        raise NotFound("org")
    scope.require(perm, "org")
    return org


def _check_points(value: int, field: str, *, maximum: int = 100_000) -> int:
    if not isinstance(value, int) or value <= 0 or value > maximum:
        raise ValidationFailed(
            "points.amount_invalid", _("积分须为 1 到 %(max)s 之间的整数。") % {"max": maximum}, field=field
        )
    return value


@transaction.atomic
def rule_set(
    *,
    actor: Any,
    org_id: int,
    event: str,
    points: int,
    daily_cap: int | None = None,
    is_active: bool = True,
) -> EarningRule:
    """The union's rule for one event (one per union and event; setting it again changes it). It applies to the
    union's subtree unless a union further down has its own."""
    org = _org_for(actor, org_id, Perm.POINTS_EDIT)
    if event not in EarnEvent.values:
        raise ValidationFailed("points.event_unknown", _("未知的积分事项。"), field="event")
    _check_points(points, "points")
    if daily_cap is not None:
        _check_points(daily_cap, "daily_cap", maximum=1_000_000)
    rule, created = EarningRule.objects.select_for_update().get_or_create(
        org=org,
        event=event,
        defaults={"points": points, "daily_cap": daily_cap, "is_active": is_active, "updated_by": actor},
    )
    before = {"points": rule.points, "daily_cap": rule.daily_cap, "is_active": rule.is_active}
    if not created:
        rule.points, rule.daily_cap, rule.is_active = points, daily_cap, is_active
        rule.updated_at, rule.updated_by = timezone.now(), actor
        rule.save(update_fields=["points", "daily_cap", "is_active", "updated_at", "updated_by"])
    audit_record(
        actor=actor,
        action="points.rule_set",
        obj=rule,
        org=org,
        changes={
            "event": event,
            "points": points,
            "daily_cap": daily_cap,
            "is_active": is_active,
            **({} if created else {"before": before}),
        },
    )
    return rule


@transaction.atomic
def rule_disable(*, actor: Any, rule_id: int) -> EarningRule:
    rule = rule_get(actor=actor, rule_id=rule_id)
    scope_for(actor).require(Perm.POINTS_EDIT, "rule")
    EarningRule.objects.filter(pk=rule.pk).update(is_active=False, updated_at=timezone.now(), updated_by=actor)
    rule.is_active = False
    audit_record(actor=actor, action="points.rule_disable", obj=rule, org=rule.org)
    return rule


def _member_user(actor: Any, membership_id: int) -> tuple[Any, Organization]:
    membership = member_get(actor=actor, membership_id=membership_id)
    if membership.status != membership.Status.ACTIVE:
        raise ValidationFailed("points.member_inactive", _("该会员的会籍已结束。"), field="membership_id")
    if membership.user_id is None:
        raise ValidationFailed(
            "points.member_has_no_account",
            _("该会员尚未注册账户，无法记入积分；请其先用手机号注册。"),
            field="membership_id",
        )
    return membership.user, membership.union


@transaction.atomic
def volunteer_credit(
    *, actor: Any, membership_id: int, hours: Decimal, served_on: dt.date, note: str
) -> tuple[VolunteerRecord, Entry | None]:
    """Staff record a member's volunteering; the hours earn points by the "volunteer_hours" rule (points per hour)
    of the nearest union above the member's union. Without such a rule the hours are recorded and earn nothing."""
    user, union = _member_user(actor, membership_id)
    scope_for(actor).require(Perm.POINTS_EDIT, "member")
    hours = Decimal(hours)
    if not hours.is_finite() or hours <= 0 or hours > MAX_HOURS or hours != hours.quantize(Decimal("0.1")):
        raise ValidationFailed("points.hours_invalid", _("时长须在 0.1 到 24 小时之间，最多一位小数。"), field="hours")
    today = timezone.localdate()
    if served_on > today or served_on < today - dt.timedelta(days=366):
        raise ValidationFailed("points.served_on_invalid", _("服务日期须在过去一年内。"), field="served_on")
    note = (note or "").strip()
    if not note or len(note) > 200:
        raise ValidationFailed("points.note_required", _("请填写服务内容（不超过 200 字）。"), field="note")
    record = VolunteerRecord.objects.create(
        user=user, org=union, hours=hours, served_on=served_on, note=note, created_by=actor
    )
    audit_record(
        actor=actor,
        action="points.volunteer_credit",
        obj=record,
        org=union,
        changes={"user": user.pk, "hours": str(hours), "served_on": served_on.isoformat()},
    )
    rule = rule_for(event=EarnEvent.VOLUNTEER_HOURS, node=union)
    entry = None
    if rule is not None:
        entry = _earn(
            user,
            event=EarnEvent.VOLUNTEER_HOURS,
            source=f"volunteer:{record.pk}",
            node=union,
            rule=rule,
            quantity=hours,
            actor=actor,
            reason=_("志愿服务 %(hours)s 小时：%(note)s") % {"hours": hours, "note": note},
        )
    return record, entry


# ---- staff: what points buy ----------------------------------------------------------------------------------------


def _text(value: str, field: str, maximum: int, *, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationFailed("points.field_required", _("请填写%(field)s。") % {"field": field}, field=field)
    if len(value) > maximum:
        raise ValidationFailed(
            "points.field_too_long",
            _("%(field)s不超过 %(max)s 个字符。") % {"field": field, "max": maximum},
            field=field,
        )
    return value


@transaction.atomic
def merchant_create(
    *, actor: Any, owner_id: int, name: str, kind: str = MerchantKind.CARING, address: str = "", contact: str = ""
) -> Merchant:
    owner = _org_for(actor, owner_id, Perm.POINTS_EDIT)
    if kind not in MerchantKind.values:
        raise ValidationFailed("points.merchant_kind_unknown", _("未知的商户类型。"), field="kind")
    merchant = Merchant.objects.create(
        owner=owner,
        name=_text(name, "name", 100),
        kind=kind,
        address=_text(address, "address", 200, required=False),
        contact=_text(contact, "contact", 60, required=False),
    )
    audit_record(actor=actor, action="points.merchant_create", obj=merchant, org=owner, changes={"kind": kind})
    return merchant


@transaction.atomic
def merchant_update(*, actor: Any, merchant_id: int, **fields: Any) -> Merchant:
    merchant = merchant_get(actor=actor, merchant_id=merchant_id)
    scope_for(actor).require(Perm.POINTS_EDIT, "merchant")
    changes: dict[str, Any] = {}
    for name, limit in (("name", 100), ("address", 200), ("contact", 60)):
        if fields.get(name) is not None:
            changes[name] = _text(fields[name], name, limit, required=name == "name")
    if fields.get("kind") is not None:
        if fields["kind"] not in MerchantKind.values:
            raise ValidationFailed("points.merchant_kind_unknown", _("未知的商户类型。"), field="kind")
        changes["kind"] = fields["kind"]
    if fields.get("is_active") is not None:
        changes["is_active"] = bool(fields["is_active"])
    for name, value in changes.items():
        setattr(merchant, name, value)
    if changes:
        merchant.save(update_fields=list(changes))
    audit_record(actor=actor, action="points.merchant_update", obj=merchant, org=merchant.owner, changes=changes)
    return merchant


def _check_item_numbers(cost: int | None, stock: int | None, per_member_limit: int | None) -> None:
    if cost is not None:
        _check_points(cost, "cost")
    if stock is not None and (not isinstance(stock, int) or stock < 0 or stock > 1_000_000):
        raise ValidationFailed("points.stock_invalid", _("库存须为 0 到 1000000 之间的整数。"), field="stock")
    if per_member_limit is not None and (not isinstance(per_member_limit, int) or not 0 < per_member_limit <= 1000):
        raise ValidationFailed(
            "points.limit_invalid", _("每人限兑须为 1 到 1000 之间的整数。"), field="per_member_limit"
        )


@transaction.atomic
def item_create(
    *,
    actor: Any,
    owner_id: int,
    name: str,
    cost: int,
    kind: str = ItemKind.GOODS,
    description: str = "",
    stock: int | None = None,
    per_member_limit: int | None = None,
    merchant_id: int | None = None,
) -> RewardItem:
    """An item offered to the members of the owner's subtree. A merchant benefit names a merchant of the subtree."""
    owner = _org_for(actor, owner_id, Perm.POINTS_EDIT)
    if kind not in ItemKind.values:
        raise ValidationFailed("points.item_kind_unknown", _("未知的物品类型。"), field="kind")
    _check_item_numbers(cost, stock, per_member_limit)
    merchant = None
    if merchant_id is not None:
        merchant = merchant_get(actor=actor, merchant_id=merchant_id)
        if not owner.path.startswith(merchant.owner.path) and not merchant.owner.path.startswith(owner.path):
            raise ValidationFailed(
                "points.merchant_elsewhere", _("该商户不在本单位所在的组织线上。"), field="merchant_id"
            )
    elif kind != ItemKind.GOODS:
        raise ValidationFailed("points.merchant_required", _("商户优惠和食堂优惠须选择合作商户。"), field="merchant_id")
    item = RewardItem.objects.create(
        owner=owner,
        merchant=merchant,
        kind=kind,
        name=_text(name, "name", 100),
        description=_text(description, "description", 2000, required=False),
        cost=cost,
        stock=stock,
        per_member_limit=per_member_limit,
    )
    audit_record(
        actor=actor,
        action="points.item_create",
        obj=item,
        org=owner,
        changes={"cost": cost, "stock": stock, "kind": kind, "merchant": merchant_id},
    )
    return item


@transaction.atomic
def item_update(
    *,
    actor: Any,
    item_id: int,
    name: str | None = None,
    description: str | None = None,
    cost: int | None = None,
    per_member_limit: int | None = None,
    is_active: bool | None = None,
    stock_add: int | None = None,
    unlimited: bool | None = None,
) -> RewardItem:
    """Change an item. Stock moves by `stock_add` (a delta, so a restock never overwrites what members took
    meanwhile), never below zero; `unlimited` switches stock keeping off (True) or on at zero (False)."""
    item = item_get(actor=actor, item_id=item_id)
    scope_for(actor).require(Perm.POINTS_EDIT, "item")
    _check_item_numbers(cost, None, per_member_limit)
    changes: dict[str, Any] = {}
    if name is not None:
        changes["name"] = _text(name, "name", 100)
    if description is not None:
        changes["description"] = _text(description, "description", 2000, required=False)
    if cost is not None:
        changes["cost"] = cost
    if per_member_limit is not None:
        changes["per_member_limit"] = per_member_limit
    if is_active is not None:
        changes["is_active"] = is_active
    if changes:
        RewardItem.objects.filter(pk=item.pk).update(**changes)
    if unlimited is not None:
        RewardItem.objects.filter(pk=item.pk).update(stock=None if unlimited else 0)
        changes["unlimited"] = unlimited
    if stock_add:
        if not isinstance(stock_add, int) or abs(stock_add) > 1_000_000:
            raise ValidationFailed("points.stock_invalid", _("库存变动须为整数。"), field="stock_add")
        moved = RewardItem.objects.filter(pk=item.pk, stock__isnull=False, stock__gte=max(0, -stock_add)).update(
            stock=F("stock") + stock_add
        )
        if not moved:
            raise Conflict(
                "points.stock_would_go_negative",
                _("库存不足以减少这么多（或该物品不限库存）。"),
                detail={"field": "stock_add"},
            )
        changes["stock_add"] = stock_add
    item.refresh_from_db()
    audit_record(actor=actor, action="points.item_update", obj=item, org=item.owner, changes=changes)
    return item


# ---- members: spending ----------------------------------------------------------------------------------------------


def _new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def points_redeem(*, actor: Any, item_id: int, idempotency_key: str = "") -> Redemption:
    """Spend points on an item: a redemption code to show at the desk or the merchant. The same idempotency key from
    the same member returns the first redemption and spends nothing more."""
    key = (idempotency_key or "").strip()
    if len(key) > KEY_MAX:
        raise ValidationFailed(
            "points.idempotency_key_too_long", _("幂等键不超过 80 个字符。"), field="idempotency_key"
        )
    with transaction.atomic():
        item = item_for_member(actor=actor, item_id=item_id)
        account = _account_locked(actor.pk)
        if key:
            earlier = Redemption.objects.filter(user_id=actor.pk, idempotency_key=key).first()
            if earlier is not None:
                return earlier
        item = RewardItem.objects.get(pk=item.pk)  # fresh, now that this member's account is ours
        if not item.is_active:
            raise Conflict("points.item_unavailable", _("该物品已下架。"))
        if item.per_member_limit is not None:
            taken = (
                Redemption.objects.filter(user_id=actor.pk, item_id=item.pk)
                .exclude(status=Redemption.Status.CANCELLED)
                .count()
            )
            if taken >= item.per_member_limit:
                raise Conflict(
                    "points.limit_reached",
                    _("该物品每人限兑 %(n)s 件，您已兑换过。") % {"n": item.per_member_limit},
                    detail={"limit": item.per_member_limit},
                )
        if account.balance < item.cost:
            raise Conflict(
                "points.insufficient",
                _("积分不足：当前 %(balance)s 分，需要 %(need)s 分。")
                % {"balance": account.balance, "need": item.cost},
                detail={"balance": account.balance, "need": item.cost},
            )
        if item.stock is not None:
            # The row's own lock decides: of many at once, only those that find stock left take one.
            taken_one = RewardItem.objects.filter(pk=item.pk, stock__gt=0).update(stock=F("stock") - 1)
            if not taken_one:
                raise Conflict("points.out_of_stock", _("该物品已兑完。"))
        redemption = Redemption.objects.create(
            user_id=actor.pk, item=item, cost=item.cost, code=_new_code(), idempotency_key=key
        )
        entry = _write(
            account,
            kind=EntryKind.REDEEM,
            amount=-item.cost,
            source=f"redemption:{redemption.pk}",
            org=item.owner,
            reason=_("兑换：%(item)s") % {"item": item.name},
            actor=actor,
        )
        audit_record(
            actor=actor,
            action="points.redeem",
            obj=redemption,
            org=item.owner,
            changes={"item": item.pk, "cost": item.cost, "entry": entry.pk},
        )
        notify(
            actor,
            kind="points.redeemed",
            title=_("兑换成功：%(item)s") % {"item": item.name},
            body=_("兑换码 %(code)s，请到服务点或商户出示。") % {"code": redemption.code},
            link=f"/points/redemptions/{redemption.pk}/",
            dedupe_key=f"redemption:{redemption.pk}",
        )
    return redemption


def _refund(redemption: Redemption, *, actor: Any, reason: str) -> None:
    account = _account_locked(redemption.user_id)
    RewardItem.objects.filter(pk=redemption.item_id, stock__isnull=False).update(stock=F("stock") + 1)
    _write(
        account,
        kind=EntryKind.REFUND,
        amount=redemption.cost,
        source=f"redemption:{redemption.pk}",
        org=redemption.item.owner,
        reason=reason,
        actor=actor,
    )


@transaction.atomic
def redemption_cancel(*, actor: Any, redemption_id: int) -> Redemption:
    """The member changes their mind before the code is used: points and stock come back."""
    redemption = my_redemption(actor=actor, redemption_id=redemption_id)
    _account_locked(actor.pk)  # account first, as every spend does
    redemption = Redemption.objects.select_for_update().select_related("item__owner").get(pk=redemption.pk)
    if redemption.status != Redemption.Status.ISSUED:
        raise Conflict("points.redemption_closed", _("该兑换码已使用或已取消。"))
    redemption.status = Redemption.Status.CANCELLED
    redemption.save(update_fields=["status"])
    _refund(redemption, actor=actor, reason=_("取消兑换：%(item)s") % {"item": redemption.item.name})
    audit_record(actor=actor, action="points.redemption_cancel", obj=redemption, org=redemption.item.owner)
    return redemption


@transaction.atomic
def redemption_use(*, actor: Any, redemption_id: int) -> Redemption:
    """Staff (or the merchant's desk) hand the item out: the code is used, once."""
    redemption = redemption_for_staff(actor=actor, redemption_id=redemption_id)
    redemption = Redemption.objects.select_for_update().select_related("item__owner").get(pk=redemption.pk)
    if redemption.status == Redemption.Status.USED:
        raise Conflict(
            "points.code_used",
            _("该兑换码已于 %(at)s 使用。") % {"at": timezone.localtime(redemption.used_at).strftime("%Y-%m-%d %H:%M")}
            if redemption.used_at
            else _("该兑换码已使用。"),
        )
    if redemption.status == Redemption.Status.CANCELLED:
        raise Conflict("points.code_cancelled", _("该兑换码已取消。"))
    redemption.status = Redemption.Status.USED
    redemption.used_at = timezone.now()
    redemption.used_by = actor
    redemption.save(update_fields=["status", "used_at", "used_by"])
    audit_record(actor=actor, action="points.redemption_use", obj=redemption, org=redemption.item.owner)
    return redemption


# ---- expiry ---------------------------------------------------------------------------------------------------------


def points_expire(*, today: dt.date | None = None) -> int:
    """Write what lapsed: for every account with points whose last valid day has passed, one `expire` entry of what
    is left of them after spending (oldest first) and earlier expiries. Idempotent: run twice, the second finds
    nothing to do. Returns how many accounts lost points."""
    today = today or timezone.localdate()
    last_valid = today - dt.timedelta(days=1)
    holders = (
        Entry.objects.filter(kind=EntryKind.EARN, expires_on__lte=last_valid)
        .values_list("user_id", flat=True)
        .distinct()
        .order_by("user_id")
    )
    expired = 0
    for user_id in holders.iterator():
        with transaction.atomic():
            account = _account_locked(user_id)
            amount = min(lapsing_by(user_id=user_id, last_valid_day=last_valid), account.balance)
            if amount <= 0:
                continue
            try:
                with transaction.atomic():
                    entry = _write(
                        account,
                        kind=EntryKind.EXPIRE,
                        amount=-amount,
                        source=f"expiry:{last_valid.isoformat()}",
                        reason=_("积分过期（%(day)s 前获得的积分有效期已满）") % {"day": last_valid.isoformat()},
                    )
            except IntegrityError:
                continue
            audit_record(actor=None, action="points.expire", obj=entry, changes={"user": user_id, "amount": amount})
            expired += 1
    return expired
