"""Test helpers for points: rules, items and a member with an account, placed in the shared test world."""

from __future__ import annotations

from typing import Any

from zhijia.points.models import EarningRule, Merchant, RewardItem


def a_rule(org: Any, event: str, points: int, *, daily_cap: int | None = None) -> EarningRule:
    return EarningRule.objects.create(org=org, event=event, points=points, daily_cap=daily_cap)


def an_item(owner: Any, *, name: str = "保温杯", cost: int = 10, stock: int | None = 5, **kw: Any) -> RewardItem:
    return RewardItem.objects.create(owner=owner, name=name, cost=cost, stock=stock, **kw)


def a_merchant(owner: Any, *, name: str = "X街道爱心理发店") -> Merchant:
    return Merchant.objects.create(owner=owner, name=name)
