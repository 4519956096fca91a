"""Reading points. A member reads their own account, ledger, the items offered to their union and their codes; staff
read the rules, items, merchants and the report of their own subtree (out of it: 404)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from zhijia.core.errors import NotFound
from zhijia.core.roles import Perm
from zhijia.core.scope import scope_for
from zhijia.members.selectors import member_list, my_membership
from zhijia.organizations.models import Organization

from .models import EarningRule, Entry, EntryKind, Merchant, PointAccount, Redemption, RewardItem

STEP = Organization.steplen


def ancestor_paths(path: str) -> list[str]:
    """The paths of a node and every node above it (a materialised path is its ancestors' paths, concatenated)."""
    return [path[:i] for i in range(STEP, len(path) + 1, STEP)]


def rule_for(*, event: str, node: Organization) -> EarningRule | None:
    """The active rule for `event` of the nearest union at or above `node` (one indexed query)."""
    return (
        EarningRule.objects.filter(event=event, is_active=True, org__path__in=ancestor_paths(node.path))
        .select_related("org")
        .order_by("-org__depth")
        .first()
    )


# ---- the member's own -------------------------------------------------------------------------------------------


def balance_of(*, user_id: int) -> int:
    return int(PointAccount.objects.filter(pk=user_id).values_list("balance", flat=True).first() or 0)


def my_balance(*, actor: Any) -> int:
    if not getattr(actor, "is_authenticated", False):
        return 0
    return balance_of(user_id=actor.pk)


def my_entries(*, actor: Any) -> QuerySet[Entry]:
    if not getattr(actor, "is_authenticated", False):
        return Entry.objects.none()
    return Entry.objects.filter(user_id=actor.pk).select_related("org").order_by("-created_at", "-id")


@dataclass(frozen=True)
class Expiring:
    on: dt.date
    amount: int


def expiring_of(*, user_id: int, today: dt.date | None = None) -> Expiring | None:
    """The points that lapse at the next expiry date unless spent first (spending takes the oldest points first)."""
    today = today or timezone.localdate()
    nxt = (
        Entry.objects.filter(user_id=user_id, kind=EntryKind.EARN, expires_on__gte=today)
        .order_by("expires_on")
        .values_list("expires_on", flat=True)
        .first()
    )
    if nxt is None:
        return None
    amount = lapsing_by(user_id=user_id, last_valid_day=nxt)
    return Expiring(nxt, amount) if amount > 0 else None


def my_expiring(*, actor: Any) -> Expiring | None:
    if not getattr(actor, "is_authenticated", False):
        return None
    return expiring_of(user_id=actor.pk)


def lapsing_by(*, user_id: int, last_valid_day: dt.date) -> int:
    """Points earned valid through `last_valid_day` or earlier, not yet spent (oldest first) nor already expired."""
    sums = Entry.objects.filter(user_id=user_id).aggregate(
        earned=Sum("amount", filter=Q(kind=EntryKind.EARN, expires_on__lte=last_valid_day)),
        spent=Sum("amount", filter=Q(kind__in=[EntryKind.REDEEM, EntryKind.REFUND])),
        expired=Sum("amount", filter=Q(kind=EntryKind.EXPIRE)),
    )
    return max(0, (sums["earned"] or 0) + (sums["spent"] or 0) + (sums["expired"] or 0))


def items_for_member(*, actor: Any) -> QuerySet[RewardItem]:
    """Items offered by the member's union or any union above it, on the shelf. Not a member: none."""
    membership = my_membership(actor=actor)
    if membership is None:
        return RewardItem.objects.none()
    return (
        RewardItem.objects.filter(is_active=True, owner__path__in=ancestor_paths(membership.union.path))
        .select_related("merchant", "owner")
        .order_by("cost", "id")
    )


def item_for_member(*, actor: Any, item_id: int) -> RewardItem:
    try:
        return items_for_member(actor=actor).get(pk=item_id)
    except (RewardItem.DoesNotExist, ValueError, TypeError):
        raise NotFound("item") from None


def my_redemptions(*, actor: Any) -> QuerySet[Redemption]:
    if not getattr(actor, "is_authenticated", False):
        return Redemption.objects.none()
    return (
        Redemption.objects.filter(user_id=actor.pk)
        .select_related("item", "item__merchant")
        .order_by("-created_at", "-id")
    )


def my_redemption(*, actor: Any, redemption_id: int) -> Redemption:
    try:
        return my_redemptions(actor=actor).get(pk=redemption_id)
    except (Redemption.DoesNotExist, ValueError, TypeError):
        raise NotFound("redemption") from None


# ---- staff --------------------------------------------------------------------------------------------------------


def rule_list(*, actor: Any) -> QuerySet[EarningRule]:
    q = scope_for(actor).subtree_q(Perm.POINTS_VIEW, "org")
    return EarningRule.objects.filter(q).select_related("org").order_by("org__path", "event")


def rule_get(*, actor: Any, rule_id: int, perm: Perm = Perm.POINTS_VIEW) -> EarningRule:
    try:
        return EarningRule.objects.filter(scope_for(actor).subtree_q(perm, "org")).select_related("org").get(pk=rule_id)
    except (EarningRule.DoesNotExist, ValueError, TypeError):
        raise NotFound("rule") from None


def merchant_list(*, actor: Any) -> QuerySet[Merchant]:
    q = scope_for(actor).subtree_q(Perm.POINTS_VIEW, "owner")
    return Merchant.objects.filter(q).select_related("owner").order_by("owner__path", "name")


def merchant_get(*, actor: Any, merchant_id: int, perm: Perm = Perm.POINTS_VIEW) -> Merchant:
    try:
        return Merchant.objects.filter(scope_for(actor).subtree_q(perm, "owner")).get(pk=merchant_id)
    except (Merchant.DoesNotExist, ValueError, TypeError):
        raise NotFound("merchant") from None


def item_list(*, actor: Any) -> QuerySet[RewardItem]:
    q = scope_for(actor).subtree_q(Perm.POINTS_VIEW, "owner")
    return (
        RewardItem.objects.filter(q)
        .select_related("owner", "merchant")
        .annotate(redeemed=Count("redemptions", filter=~Q(redemptions__status=Redemption.Status.CANCELLED)))
        .order_by("-is_active", "owner__path", "cost", "id")
    )


def item_get(*, actor: Any, item_id: int, perm: Perm = Perm.POINTS_VIEW) -> RewardItem:
    try:
        return (
            RewardItem.objects.filter(scope_for(actor).subtree_q(perm, "owner"))
            .select_related("owner", "merchant")
            .get(pk=item_id)
        )
    except (RewardItem.DoesNotExist, ValueError, TypeError):
        raise NotFound("item") from None


def _in_line(scope_path: str | None, owner_path: str, is_superuser: bool) -> bool:
    """Staff hand out an item offered at, above or below their node: the whole line of the tree through them."""
    if is_superuser:
        return True
    return scope_path is not None and (owner_path.startswith(scope_path) or scope_path.startswith(owner_path))


def redemption_by_code(*, actor: Any, code: str) -> Redemption:
    """A code a member shows, for staff who may hand the item out (POINTS_VERIFY, the item's line of the tree)."""
    scope = scope_for(actor)
    scope.require(Perm.POINTS_VERIFY, "redemption")
    redemption = (
        Redemption.objects.filter(code=code.strip().upper())
        .select_related("item", "item__owner", "item__merchant", "user")
        .first()
    )
    if redemption is None or not _in_line(scope.path, redemption.item.owner.path, scope.is_superuser):
        raise NotFound("redemption")
    return redemption


def redemption_for_staff(*, actor: Any, redemption_id: int) -> Redemption:
    scope = scope_for(actor)
    scope.require(Perm.POINTS_VERIFY, "redemption")
    redemption = (
        Redemption.objects.filter(pk=redemption_id)
        .select_related("item", "item__owner", "item__merchant", "user")
        .first()
    )
    if redemption is None or not _in_line(scope.path, redemption.item.owner.path, scope.is_superuser):
        raise NotFound("redemption")
    return redemption


@dataclass(frozen=True)
class MonthRow:
    month: dt.date
    earned: int
    redeemed: int
    expired: int


@dataclass(frozen=True)
class TopItem:
    item_id: int
    name: str
    count: int
    points: int


@dataclass(frozen=True)
class Report:
    months: list[MonthRow]
    top_items: list[TopItem]
    by_event: dict[str, int]


def report(*, actor: Any, months: int = 12) -> Report:
    """Points earned at places in the subtree and spent on its items, per month; the most redeemed items."""
    scope = scope_for(actor)
    scope.require(Perm.POINTS_VIEW, "points")
    now = timezone.localtime()
    total = now.year * 12 + now.month - 1 - (months - 1)
    start = timezone.make_aware(dt.datetime(total // 12, total % 12 + 1, 1))
    entries = Entry.objects.filter(scope.subtree_q(Perm.POINTS_VIEW, "org"), created_at__gte=start)
    rows = (
        entries.annotate(month=TruncMonth("created_at"))
        .values("month")
        .annotate(
            earned=Sum("amount", filter=Q(kind=EntryKind.EARN)),
            spent=Sum("amount", filter=Q(kind__in=[EntryKind.REDEEM, EntryKind.REFUND])),
            expired=Sum("amount", filter=Q(kind=EntryKind.EXPIRE)),
        )
        .order_by("month")
    )
    by_month = {}
    for r in rows:
        m = r["month"]
        key = (m.date() if isinstance(m, dt.datetime) else m).replace(day=1)
        by_month[key] = MonthRow(key, r["earned"] or 0, -(r["spent"] or 0), -(r["expired"] or 0))
    out = []
    cursor = start.date()
    while cursor <= now.date():
        out.append(by_month.get(cursor, MonthRow(cursor, 0, 0, 0)))
        cursor = (cursor + dt.timedelta(days=32)).replace(day=1)
    top = (
        Redemption.objects.filter(scope.subtree_q(Perm.POINTS_VIEW, "item__owner"), created_at__gte=start)
        .exclude(status=Redemption.Status.CANCELLED)
        .values("item_id", "item__name")
        .annotate(count=Count("id"), points=Sum("cost"))
        .order_by("-count", "item_id")[:10]
    )
    by_event = dict(
        entries.filter(kind=EntryKind.EARN).values_list("event").annotate(total=Sum("amount")).order_by("event")
    )
    return Report(
        out,
        [TopItem(t["item_id"], t["item__name"], t["count"], t["points"] or 0) for t in top],
        {str(k): int(v or 0) for k, v in by_event.items()},
    )


def orgs_for(*, actor: Any, perm: Perm = Perm.POINTS_EDIT) -> QuerySet[Organization]:
    """The unions a staff member may set points up for: their node and (the upper levels of) its subtree."""
    scope = scope_for(actor)
    if not scope.can(perm) or scope.path is None:
        return Organization.objects.none()
    qs = Organization.objects.filter(path__startswith=scope.path)
    # A city has thousands of grassroots unions: offer the node and the levels just below it.
    depth = len(scope.path) // STEP if scope.path else 2  # the whole tree: down to the streets
    return qs.filter(depth__lte=depth + 2).order_by("path")


def member_by_no(*, actor: Any, member_no: str) -> Any:
    """A member of the actor's subtree by member number, or None."""
    return member_list(actor=actor).filter(member_no=member_no.strip().upper()).first()
