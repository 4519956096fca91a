"""Spending points: an item offered above the member's union, a code to show, the balance and stock taken once, the
limits, handing the item out, cancelling, and every refusal with its code."""

from __future__ import annotations

import pytest

from zhijia.core.errors import Conflict, NotFound
from zhijia.notifications.models import Notification
from zhijia.points.models import Entry, EntryKind, Redemption
from zhijia.points.selectors import balance_of, items_for_member, redemption_by_code
from zhijia.points.services import item_update, points_redeem, redemption_cancel, redemption_use
from zhijia.points.tests.points_support import a_member_with_points, an_item


def test_a_member_redeems_an_item_of_a_union_above_theirs(world):
    a_member_with_points(world, 30)
    worker = world.user("worker")
    cup = an_item(world.district_x, cost=12, stock=3)

    redemption = points_redeem(actor=worker, item_id=cup.pk, idempotency_key="k1")

    cup.refresh_from_db()
    assert (redemption.status, redemption.cost, len(redemption.code)) == (Redemption.Status.ISSUED, 12, 10)
    assert cup.stock == 2
    assert balance_of(user_id=worker.pk) == 18
    entry = Entry.objects.get(kind=EntryKind.REDEEM)
    assert (entry.amount, entry.balance_after, entry.reason) == (-12, 18, "兑换：保温杯")
    assert Notification.objects.filter(user=worker, kind="points.redeemed").exists()


def test_the_same_key_redeems_once(world):
    a_member_with_points(world, 30)
    worker = world.user("worker")
    cup = an_item(world.district_x, cost=12, stock=3)

    first = points_redeem(actor=worker, item_id=cup.pk, idempotency_key="tap-1")
    again = points_redeem(actor=worker, item_id=cup.pk, idempotency_key="tap-1")

    assert first.pk == again.pk
    assert balance_of(user_id=worker.pk) == 18
    assert Redemption.objects.count() == 1


def test_items_of_another_branch_are_not_offered(world):
    a_member_with_points(world, 30)
    y_item = an_item(world.district_y, name="Y区礼品")
    x_item = an_item(world.street_x, name="X街道礼品")

    offered = list(items_for_member(actor=world.user("worker")))

    assert offered == [x_item]
    with pytest.raises(NotFound):
        points_redeem(actor=world.user("worker"), item_id=y_item.pk)


@pytest.mark.parametrize(
    ("balance", "item", "code"),
    [
        (5, {"cost": 12}, "points.insufficient"),
        (30, {"cost": 12, "stock": 0}, "points.out_of_stock"),
        (30, {"cost": 12, "is_active": False}, None),  # off the shelf: not offered at all
    ],
)
def test_refusals_spend_nothing(world, balance, item, code):
    a_member_with_points(world, balance)
    worker = world.user("worker")
    target = an_item(world.street_x, **item)

    with pytest.raises(Conflict if code else NotFound) as refused:
        points_redeem(actor=worker, item_id=target.pk)

    if code:
        assert refused.value.code == code
    assert balance_of(user_id=worker.pk) == balance
    assert not Redemption.objects.exists()


def test_a_per_member_limit_holds(world):
    a_member_with_points(world, 50)
    worker = world.user("worker")
    ticket = an_item(world.street_x, cost=5, stock=None, per_member_limit=1)

    points_redeem(actor=worker, item_id=ticket.pk)
    with pytest.raises(Conflict) as refused:
        points_redeem(actor=worker, item_id=ticket.pk)

    assert refused.value.code == "points.limit_reached"
    assert balance_of(user_id=worker.pk) == 45


def test_a_non_member_is_offered_nothing(world):
    an_item(world.street_x)

    assert list(items_for_member(actor=world.user("worker"))) == []


def test_staff_find_the_code_and_hand_the_item_out_once(world):
    a_member_with_points(world, 30)
    redemption = points_redeem(actor=world.user("worker"), item_id=an_item(world.street_x).pk)
    clerk = world.user("case_handler")  # staffs the desk in district X

    found = redemption_by_code(actor=clerk, code=redemption.code.lower())
    used = redemption_use(actor=clerk, redemption_id=found.pk)

    assert (used.status, used.used_by) == (Redemption.Status.USED, clerk)
    with pytest.raises(Conflict) as refused:
        redemption_use(actor=clerk, redemption_id=found.pk)
    assert refused.value.code == "points.code_used"


def test_staff_of_another_district_cannot_use_the_code(world):
    a_member_with_points(world, 30)
    redemption = points_redeem(actor=world.user("worker"), item_id=an_item(world.street_x).pk)

    with pytest.raises(NotFound):
        redemption_by_code(actor=world.user("district_y_staff"), code=redemption.code)
    with pytest.raises(NotFound):
        redemption_use(actor=world.user("district_y_staff"), redemption_id=redemption.pk)


def test_cancelling_gives_points_and_stock_back(world):
    a_member_with_points(world, 30)
    worker = world.user("worker")
    cup = an_item(world.street_x, cost=10, stock=1)
    redemption = points_redeem(actor=worker, item_id=cup.pk)

    redemption_cancel(actor=worker, redemption_id=redemption.pk)

    cup.refresh_from_db()
    assert cup.stock == 1
    assert balance_of(user_id=worker.pk) == 30
    assert list(Entry.objects.filter(user=worker).order_by("id").values_list("kind", "amount")) == [
        ("earn", 30),
        ("redeem", -10),
        ("refund", 10),
    ]
    with pytest.raises(Conflict):
        redemption_cancel(actor=worker, redemption_id=redemption.pk)


def test_a_restock_adds_to_what_is_left_and_never_goes_below_zero(world):
    cup = an_item(world.street_x, stock=2)
    admin = world.user("district_x_staff")

    item_update(actor=admin, item_id=cup.pk, stock_add=5)
    with pytest.raises(Conflict) as refused:
        item_update(actor=admin, item_id=cup.pk, stock_add=-8)

    cup.refresh_from_db()
    assert cup.stock == 7
    assert refused.value.code == "points.stock_would_go_negative"
