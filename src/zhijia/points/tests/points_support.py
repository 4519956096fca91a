"""Test helpers for points: rules, items, merchants, and a member of union A holding some points."""

from __future__ import annotations

import itertools
from typing import Any

from zhijia.members.models import Membership
from zhijia.members.tests.membership_support import member
from zhijia.points.models import EarnEvent, EarningRule, Merchant, RewardItem
from zhijia.points.services import points_earn

_sources = itertools.count(1)


def a_rule(org: Any, event: str, points: int, *, daily_cap: int | None = None) -> EarningRule:
    return EarningRule.objects.create(org=org, event=event, points=points, daily_cap=daily_cap)


def an_item(owner: Any, *, name: str = "保温杯", cost: int = 10, stock: int | None = 5, **kw: Any) -> RewardItem:
    return RewardItem.objects.create(owner=owner, name=name, cost=cost, stock=stock, **kw)


def a_merchant(owner: Any, *, name: str = "X街道爱心理发店") -> Merchant:
    return Merchant.objects.create(owner=owner, name=name)


def give(user: Any, amount: int, node: Any) -> None:
    """`amount` points for `user`, earned at `node` by a rule set just for it (written ratings)."""
    EarningRule.objects.update_or_create(org=node, event=EarnEvent.RATING_WRITTEN, defaults={"points": amount})
    assert points_earn(user, event=EarnEvent.RATING_WRITTEN, source=f"test:{next(_sources)}", node=node)


def a_member_with_points(world: Any, amount: int, actor: str = "worker") -> Membership:
    """A member of union A (approved by union A's staff) holding `amount` points."""
    membership = member(world, actor)
    if amount:
        give(world.user(actor), amount, world.union_a)
    return membership
