"""The count other apps ask of the service menu: orders completed per point over a span (the annual evaluation)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from zhijia.servicemenu import selectors, services
from zhijia.servicemenu.tests.servicemenu_support import an_offering, an_order, handled_to, x_point, y_point

DAY = dt.timedelta(days=1)


def test_completed_orders_are_counted_per_point_by_their_completion(world):
    # given at point X an order completed, one completed and confirmed by the worker and one only accepted; at
    # point Y one order cancelled by the worker
    before = timezone.now()
    x, y = x_point(world), y_point(world)
    at_x = an_offering(world, x)
    handled_to(world, an_order(world, at_x), "completed")
    confirmed = handled_to(world, an_order(world, at_x, who="other_worker"), "completed")
    services.order_confirm(actor=world.user("other_worker"), order_id=confirmed.pk, stars=5)
    handled_to(world, an_order(world, at_x), "accepted")
    cancelled = an_order(world, an_offering(world, y))
    services.order_cancel(actor=world.user("worker"), order_id=cancelled.pk)
    after = timezone.now()

    def count(start: dt.datetime, end: dt.datetime) -> dict[int, int]:
        return selectors.completed_orders_by_point(point_ids=[x.pk, y.pk], start=start, end=end)

    # then the two done orders count at X, and only within the span of their completion
    assert count(before, after) == {x.pk: 2}
    assert count(after + dt.timedelta(seconds=1), after + DAY) == {}
    assert count(before - DAY, before) == {}
