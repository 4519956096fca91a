"""Member points' rows of the audit guard (`audit/tests/test_audit_record.py`): each write service, what it does on a
fresh world, and the action it records."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.utils import timezone

from zhijia.points import services
from zhijia.points.models import EarnEvent, Redemption
from zhijia.testing.world import World

from .points_support import a_member_with_points, a_merchant, a_rule, an_item

# A pure helper (the last valid day of points earned at a moment), not a write.
NOT_AUDITED = {"expires_on_for"}


def _redeemed(w: World) -> Redemption:
    a_member_with_points(w, 30)
    return services.points_redeem(actor=w.user("worker"), item_id=an_item(w.street_x).pk)


def _expired(w: World) -> int:
    from django.conf import settings

    years = settings.POINTS_EXPIRE_AFTER_YEARS
    settings.POINTS_EXPIRE_AFTER_YEARS = 0
    try:
        a_member_with_points(w, 10)
    finally:
        settings.POINTS_EXPIRE_AFTER_YEARS = years
    return services.points_expire(today=dt.date(timezone.localdate().year + 1, 1, 1))


def _volunteer(w: World) -> Any:
    membership = a_member_with_points(w, 0)
    return services.volunteer_credit(
        actor=w.user("district_x_staff"),
        membership_id=membership.pk,
        hours=Decimal(2),
        served_on=timezone.localdate(),
        note="驿站值守",
    )


def _earn(w: World) -> Any:
    a_rule(w.street_x, EarnEvent.BOOKING_CHECKIN, 5)
    return services.points_earn(w.user("worker"), event=EarnEvent.BOOKING_CHECKIN, source="booking:1", node=w.union_a)


WRITES: list[tuple[str, str | None, Callable[[World], object], str]] = [
    ("points_earn", None, _earn, "points.earn"),
    (
        "rule_set",
        "district_x_staff",
        lambda w: services.rule_set(actor=w.user("district_x_staff"), org_id=w.street_x.pk, event="joined", points=5),
        "points.rule_set",
    ),
    (
        "rule_disable",
        "district_x_staff",
        lambda w: services.rule_disable(
            actor=w.user("district_x_staff"), rule_id=a_rule(w.street_x, EarnEvent.JOINED, 5).pk
        ),
        "points.rule_disable",
    ),
    ("volunteer_credit", "district_x_staff", _volunteer, "points.volunteer_credit"),
    (
        "merchant_create",
        "district_x_staff",
        lambda w: services.merchant_create(actor=w.user("district_x_staff"), owner_id=w.street_x.pk, name="爱心面馆"),
        "points.merchant_create",
    ),
    (
        "merchant_update",
        "district_x_staff",
        lambda w: services.merchant_update(
            actor=w.user("district_x_staff"), merchant_id=a_merchant(w.street_x).pk, contact="010-1"
        ),
        "points.merchant_update",
    ),
    (
        "item_create",
        "district_x_staff",
        lambda w: services.item_create(actor=w.user("district_x_staff"), owner_id=w.street_x.pk, name="伞", cost=5),
        "points.item_create",
    ),
    (
        "item_update",
        "district_x_staff",
        lambda w: services.item_update(actor=w.user("district_x_staff"), item_id=an_item(w.street_x).pk, stock_add=1),
        "points.item_update",
    ),
    ("points_redeem", "worker", _redeemed, "points.redeem"),
    (
        "redemption_cancel",
        "worker",
        lambda w: services.redemption_cancel(actor=w.user("worker"), redemption_id=_redeemed(w).pk),
        "points.redemption_cancel",
    ),
    (
        "redemption_use",
        "case_handler",
        lambda w: services.redemption_use(actor=w.user("case_handler"), redemption_id=_redeemed(w).pk),
        "points.redemption_use",
    ),
    ("points_expire", None, _expired, "points.expire"),
]
