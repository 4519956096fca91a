"""Points under 50 real threads on PostgreSQL: the last item in stock goes to exactly one member, concurrent
redemptions never take a balance below zero, a repeated idempotency key redeems once, and a repeated (event, source)
earns once."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db.models import Sum

from zhijia.accounts.models import User
from zhijia.core.errors import Conflict
from zhijia.members.services import application_approve, application_submit
from zhijia.members.tests.membership_support import valid_id
from zhijia.points.models import EarnEvent, Entry, EntryKind, PointAccount, Redemption, RewardItem
from zhijia.points.services import points_earn, points_redeem
from zhijia.points.tests.points_support import a_member_with_points, a_rule, an_item, give
from zhijia.testing.world import make_user

pytestmark = pytest.mark.postgres

THREADS = 50


def _members(world: Any, n: int, points: int) -> list[int]:
    """n workers, each a member of union A holding `points`."""
    reviewer = world.user("union_a_staff")
    ids = []
    for i in range(n):
        user = make_user(f"racer{i}", display_name=f"选手{i}", phone=f"1360000{i:04d}")
        application = application_submit(
            actor=user,
            name=f"选手{i}",
            id_number=valid_id(100 + i),
            phone=user.phone,
            job_group="courier",
            work_street_id=world.street_x.pk,
            employer_id=world.employer_a.pk,
            consent=True,
        )
        application_approve(actor=reviewer, application_id=application.pk)
        give(user, points, world.union_a)
        ids.append(user.pk)
    return ids


def _ledger_matches(user_id: int) -> int:
    balance = PointAccount.objects.get(pk=user_id).balance
    assert balance == (Entry.objects.filter(user_id=user_id).aggregate(s=Sum("amount"))["s"] or 0)
    assert balance >= 0
    return balance


def test_the_last_item_in_stock_goes_to_exactly_one(world: Any, together: Callable[..., Any]) -> None:
    # given 50 members with points enough, and one thermos flask left
    members = _members(world, THREADS, 20)
    flask = an_item(world.street_x, name="最后一个保温杯", cost=10, stock=1)

    # when all 50 redeem it at the same instant
    outcomes = together(
        THREADS, lambda i: points_redeem(actor=User.objects.get(pk=members[i]), item_id=flask.pk, idempotency_key="x")
    )

    # then exactly one has it, the rest were told it is gone, and nobody else paid
    assert sum(1 for o in outcomes if o.ok) == 1
    refused = [o.error for o in outcomes if not o.ok]
    assert len(refused) == THREADS - 1
    assert all(isinstance(e, Conflict) and e.code == "points.out_of_stock" for e in refused)
    assert RewardItem.objects.get(pk=flask.pk).stock == 0
    assert Redemption.objects.count() == 1
    assert Entry.objects.filter(kind=EntryKind.REDEEM).count() == 1
    assert sorted(_ledger_matches(m) for m in members) == [10] + [20] * (THREADS - 1)


def test_concurrent_redemptions_never_take_the_balance_below_zero(world: Any, together: Callable[..., Any]) -> None:
    # given a member with 100 points and an item of 10 points with plenty in stock
    worker_id = a_member_with_points(world, 100).user_id
    coupon = an_item(world.street_x, name="食堂代金券", cost=10, stock=None)

    # when 50 redemptions with different keys arrive at once
    outcomes = together(
        THREADS,
        lambda i: points_redeem(actor=User.objects.get(pk=worker_id), item_id=coupon.pk, idempotency_key=f"k{i}"),
    )

    # then exactly ten went through and the balance is zero, never below
    assert sum(1 for o in outcomes if o.ok) == 10
    assert all(isinstance(o.error, Conflict) and o.error.code == "points.insufficient" for o in outcomes if not o.ok)
    assert _ledger_matches(worker_id) == 0
    assert not Entry.objects.filter(balance_after__lt=0).exists()


def test_a_repeated_idempotency_key_redeems_once(world: Any, together: Callable[..., Any]) -> None:
    # given a member whose phone sends the same redemption 50 times at once
    worker_id = a_member_with_points(world, 100).user_id
    cup = an_item(world.street_x, cost=10, stock=5)

    outcomes = together(
        THREADS, lambda i: points_redeem(actor=User.objects.get(pk=worker_id), item_id=cup.pk, idempotency_key="tap")
    )

    # then every request got the same redemption, paid for once
    assert all(o.ok for o in outcomes), [o.error for o in outcomes if not o.ok]
    assert len({o.value.pk for o in outcomes}) == 1
    assert Redemption.objects.count() == 1
    assert RewardItem.objects.get(pk=cup.pk).stock == 4
    assert _ledger_matches(worker_id) == 90


def test_a_repeated_event_and_source_earns_once(world: Any, together: Callable[..., Any]) -> None:
    # given a check-in rule, and one booking's check-in reported 50 times at once
    a_rule(world.street_x, EarnEvent.BOOKING_CHECKIN, 5)
    worker_id = world.user("worker").pk

    outcomes = together(
        THREADS,
        lambda i: points_earn(
            User.objects.get(pk=worker_id), event=EarnEvent.BOOKING_CHECKIN, source="booking:42", node=world.union_a
        ),
    )

    # then one entry, five points; the repeats wrote nothing
    assert all(o.ok for o in outcomes), [o.error for o in outcomes if not o.ok]
    assert sum(1 for o in outcomes if o.value is not None) == 1
    assert Entry.objects.filter(event=EarnEvent.BOOKING_CHECKIN, source="booking:42").count() == 1
    assert _ledger_matches(worker_id) == 5
