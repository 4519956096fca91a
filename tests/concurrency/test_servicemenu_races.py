"""Fifty requests at the same instant on one order or one day of a service: the order's row lock lets one step win
and refuses the rest with a clear code; a day's capacity is never exceeded; one idempotency key orders once."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from zhijia.accounts.models import StaffAssignment, StaffRole, User
from zhijia.core.errors import Conflict
from zhijia.core.roles import Role
from zhijia.servicemenu import services
from zhijia.servicemenu.models import Order, OrderEvent, OrderStatus
from zhijia.servicemenu.tests.servicemenu_support import an_offering, an_order, handled_to, soon
from zhijia.testing.world import make_user

pytestmark = pytest.mark.postgres

THREADS = 50


def _staff(world: Any, n: int) -> list[int]:
    """n admins of district X, each a separate account (as at a busy palace's front desk)."""
    ids = []
    for i in range(n):
        user = make_user(f"desk-{i}", kind=User.Kind.STAFF)
        assignment = StaffAssignment.objects.create(user=user, org=world.district_x)
        StaffRole.objects.create(assignment=assignment, role=Role.UNION_ADMIN)
        ids.append(user.pk)
    return ids


def _workers(n: int) -> list[int]:
    return [make_user(f"sm-worker-{i}").pk for i in range(n)]


def test_fifty_staff_accept_the_same_order_at_once_one_wins(world: Any, together: Callable[..., Any]) -> None:
    order = an_order(world, an_offering(world))
    staff = _staff(world, THREADS)

    outcomes = together(
        THREADS, lambda i: services.order_accept(actor=User.objects.get(pk=staff[i]), order_id=order.pk)
    )

    assert sum(1 for o in outcomes if o.ok) == 1
    refused = [o.error for o in outcomes if not o.ok]
    assert all(isinstance(e, Conflict) and e.code == "order.not_requested" for e in refused)
    assert OrderEvent.objects.filter(order=order, status=OrderStatus.ACCEPTED).count() == 1


def test_fifty_staff_complete_the_same_order_at_once_one_wins(world: Any, together: Callable[..., Any]) -> None:
    order = handled_to(world, an_order(world, an_offering(world)), "accepted")
    staff = _staff(world, THREADS)

    outcomes = together(
        THREADS, lambda i: services.order_complete(actor=User.objects.get(pk=staff[i]), order_id=order.pk)
    )

    assert sum(1 for o in outcomes if o.ok) == 1
    assert all(
        isinstance(o.error, Conflict) and o.error.code == "order.already_completed" for o in outcomes if not o.ok
    )
    assert OrderEvent.objects.filter(order=order, status=OrderStatus.COMPLETED).count() == 1


def test_fifty_workers_for_the_last_place_of_the_day_one_gets_it(world: Any, together: Callable[..., Any]) -> None:
    offering = an_offering(world, daily_capacity=10)
    day = soon(24)
    taken = _workers(9)
    for pk in taken:
        services.order_create(actor=User.objects.get(pk=pk), offering_id=offering.pk, preferred_at=day)
    people = [make_user(f"sm-late-{i}").pk for i in range(THREADS)]

    outcomes = together(
        THREADS,
        lambda i: services.order_create(
            actor=User.objects.get(pk=people[i]), offering_id=offering.pk, preferred_at=day
        ),
    )

    assert Order.objects.filter(offering=offering, service_date=timezone.localdate(day)).count() == 10
    assert sum(1 for o in outcomes if o.ok) == 1
    assert all(isinstance(o.error, Conflict) and o.error.code == "order.day_full" for o in outcomes if not o.ok)


def test_one_idempotency_key_sent_fifty_times_at_once_orders_once(world: Any, together: Callable[..., Any]) -> None:
    offering = an_offering(world)
    worker = world.user("worker")

    outcomes = together(
        THREADS,
        lambda i: services.order_create(
            actor=User.objects.get(pk=worker.pk), offering_id=offering.pk, idempotency_key="tap-tap-tap"
        ),
    )

    assert all(o.ok for o in outcomes), [o.error for o in outcomes if not o.ok][:3]
    assert len({o.value.pk for o in outcomes}) == 1
    assert Order.objects.filter(user=worker).count() == 1
    assert OrderEvent.objects.filter(order__user=worker).count() == 1
