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
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from zhijia.audit.services import audit_record
from zhijia.core.errors import Conflict, ValidationFailed
from zhijia.organizations.models import Organization

from .models import (
    EarnEvent,
    EarningRule,
    Entry,
    EntryKind,
    PointAccount,
)
from .selectors import (
    rule_for,
)

SOURCE_MAX = 80
KEY_MAX = 80
# Codes people read aloud: no 0/O, 1/I/L.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 10
MAX_HOURS = Decimal("24")


def expires_on_for(earned_at: dt.datetime) -> dt.date | None:
    """The last day earned points are valid: 31 December of the Nth year after the year they were earned."""
    years = getattr(settings, "POINTS_EXPIRE_AFTER_YEARS", None)
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
