"""Earning: the nearest union's rule decides the amount, each action earns once, a daily cap holds, and the entry
lives and dies with the caller's transaction."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction

from zhijia.core.errors import ValidationFailed
from zhijia.points.models import EarnEvent, Entry, PointAccount
from zhijia.points.selectors import balance_of
from zhijia.points.services import expires_on_for, points_earn
from zhijia.points.tests.points_support import a_rule


def test_no_rule_no_points(world):
    worker = world.user("worker")

    entry = points_earn(worker, event=EarnEvent.BOOKING_CHECKIN, source="booking:1", node=world.union_a)

    assert entry is None
    assert not Entry.objects.exists()
    assert balance_of(user_id=worker.pk) == 0


def test_the_nearest_unions_rule_wins(world):
    a_rule(world.city, EarnEvent.BOOKING_CHECKIN, 5)
    a_rule(world.street_x, EarnEvent.BOOKING_CHECKIN, 8)
    worker = world.user("worker")

    in_x = points_earn(worker, event=EarnEvent.BOOKING_CHECKIN, source="booking:1", node=world.union_a)
    in_y = points_earn(worker, event=EarnEvent.BOOKING_CHECKIN, source="booking:2", node=world.union_b)

    assert in_x is not None
    assert in_y is not None
    assert (in_x.amount, in_y.amount) == (8, 5)
    assert balance_of(user_id=worker.pk) == 13
    assert in_y.balance_after == 13
    assert in_x.reason  # the member sees why


def test_the_same_action_earns_once(world):
    a_rule(world.district_x, EarnEvent.ACTIVITY_CHECKIN, 10)
    worker = world.user("worker")

    first = points_earn(worker, event=EarnEvent.ACTIVITY_CHECKIN, source="activity:7", node=world.street_x)
    again = points_earn(worker, event=EarnEvent.ACTIVITY_CHECKIN, source="activity:7", node=world.street_x)

    assert first is not None
    assert again is None
    assert Entry.objects.count() == 1
    assert PointAccount.objects.get(pk=worker.pk).balance == 10


def test_a_daily_cap_limits_what_one_day_earns(world):
    a_rule(world.district_x, EarnEvent.BOOKING_CHECKIN, 4, daily_cap=10)
    worker = world.user("worker")

    amounts = [
        getattr(
            points_earn(worker, event=EarnEvent.BOOKING_CHECKIN, source=f"booking:{i}", node=world.union_a),
            "amount",
            None,
        )
        for i in range(4)
    ]

    assert amounts == [4, 4, 2, None]
    assert balance_of(user_id=worker.pk) == 10


def test_an_earn_rolls_back_with_the_callers_transaction(world):
    a_rule(world.district_x, EarnEvent.BOOKING_CHECKIN, 4)
    worker = world.user("worker")

    def check_in_then_fail() -> None:
        with transaction.atomic():
            points_earn(worker, event=EarnEvent.BOOKING_CHECKIN, source="booking:1", node=world.union_a)
            raise RuntimeError("the check-in failed")

    with pytest.raises(RuntimeError):
        check_in_then_fail()

    assert not Entry.objects.exists()
    assert balance_of(user_id=worker.pk) == 0
    # and the action can still earn once it really happens
    assert points_earn(worker, event=EarnEvent.BOOKING_CHECKIN, source="booking:1", node=world.union_a) is not None


def test_an_unknown_event_is_refused(world):
    with pytest.raises(ValidationFailed) as refused:
        points_earn(world.user("worker"), event="sunshine", source="x:1", node=world.union_a)

    assert refused.value.code == "points.event_unknown"


def test_earned_points_last_until_the_end_of_the_next_year(settings):
    settings.POINTS_EXPIRE_AFTER_YEARS = 1
    earned = dt.datetime(2026, 12, 31, 20, 0, tzinfo=dt.UTC)  # already 1 January 2027 in Beijing

    assert expires_on_for(earned) == dt.date(2028, 12, 31)
    settings.POINTS_EXPIRE_AFTER_YEARS = None
    assert expires_on_for(earned) is None
