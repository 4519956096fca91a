"""Reading the service menu: the queue and its overdue mark, the report's buckets and weeks, the visit check, and the
catalogue each actor sees, all within the actor's subtree."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from zhijia.servicemenu import services
from zhijia.servicemenu.models import Order, OrderStatus, ServiceType
from zhijia.servicemenu.selectors import (
    QueueFilters,
    catalogue_list,
    checkins_at,
    is_overdue,
    my_orders,
    order_queue,
    order_report,
    waited_hours,
)
from zhijia.servicemenu.tests.servicemenu_support import an_offering, an_order, handled_to, y_point


def _aged(order: Order, hours: float) -> Order:
    Order.objects.filter(pk=order.pk).update(created_at=timezone.now() - dt.timedelta(hours=hours))
    order.refresh_from_db()
    return order


def _legal() -> int:
    return ServiceType.objects.get_or_create(code="legal", defaults={"name": "法律咨询"})[0].pk


def test_the_queue_holds_open_orders_oldest_first_and_can_show_only_the_overdue(world, settings):
    settings.SERVICEMENU_OVERDUE_HOURS = 24
    offering = an_offering(world)
    fresh = an_order(world, offering, "worker")
    old = _aged(an_order(world, offering, "other_worker"), 30)
    done = handled_to(
        world, an_order(world, an_offering(world, point=offering.point, service_type_id=_legal())), "completed"
    )
    staff = world.user("district_x_staff")

    assert list(order_queue(actor=staff)) == [old, fresh]
    assert list(order_queue(actor=staff, filters=QueueFilters(overdue=True))) == [old]
    assert list(order_queue(actor=staff, filters=QueueFilters(status=OrderStatus.COMPLETED))) == [done]
    assert set(order_queue(actor=staff, filters=QueueFilters(include_closed=True))) == {old, fresh, done}
    assert is_overdue(old)
    assert not is_overdue(fresh)


def test_the_queue_of_one_district_never_shows_anothers_orders(world):
    x_order = an_order(world, an_offering(world))
    y_order = an_order(world, an_offering(world, point=y_point(world)), "other_worker")

    assert list(order_queue(actor=world.user("district_x_staff"))) == [x_order]
    assert list(order_queue(actor=world.user("district_y_staff"))) == [y_order]
    assert set(order_queue(actor=world.user("city_staff"))) == {x_order, y_order}
    assert list(order_queue(actor=world.user("union_a_staff"))) == []
    assert list(order_queue(actor=world.user("worker"))) == []


def test_a_completed_order_stops_its_waiting_clock(world):
    order = _aged(an_order(world, an_offering(world)), 10)

    handled_to(world, order, "completed")
    order.refresh_from_db()

    assert 9.9 < waited_hours(order, timezone.now() + dt.timedelta(days=3)) < 10.1


def test_the_report_buckets_open_orders_by_their_wait_and_counts_completions_per_week(world, settings):
    settings.SERVICEMENU_OVERDUE_HOURS = 48
    offering = an_offering(world)
    _aged(an_order(world, offering, "worker"), 2)
    _aged(an_order(world, an_offering(world, point=offering.point, service_type_id=_legal()), "worker"), 100)
    done = handled_to(world, an_order(world, offering, "other_worker"), "completed")
    services.order_confirm(actor=world.user("other_worker"), order_id=done.pk, stars=4)

    report = order_report(actor=world.user("district_x_staff"), weeks=4)

    buckets = {b["label"]: b for b in report.wait_buckets}
    assert buckets["0h-4h"]["count"] == 1
    assert buckets["3d-7d"]["count"] == 1
    assert buckets["3d-7d"]["overdue"] is True
    assert buckets["0h-4h"]["overdue"] is False
    assert (report.open, report.overdue, report.completed, report.avg_stars) == (2, 1, 1, 4.0)
    assert [w["completed"] for w in report.weekly] == [0, 0, 0, 1]
    assert report.by_status["confirmed"] == 1
    (row,) = report.points
    assert (row.open, row.overdue, row.completed) == (2, 1, 1)
    assert row.oldest_hours is not None
    assert row.oldest_hours >= 100


def test_a_visit_is_a_completed_order_at_that_point_since_that_time(world):
    since = timezone.now() - dt.timedelta(hours=1)
    order = handled_to(world, an_order(world, an_offering(world)), "completed")
    other = y_point(world)

    assert checkins_at(order.point_id, world.user("worker").pk, since)
    assert not checkins_at(other.pk, world.user("worker").pk, since)


def test_a_declined_order_is_no_visit(world):
    since = timezone.now() - dt.timedelta(hours=1)
    order = an_order(world, an_offering(world))
    services.order_decline(actor=world.user("district_x_staff"), order_id=order.pk, reason="休假")

    assert not checkins_at(order.point_id, world.user("worker").pk, since)


def test_staff_see_their_unions_own_services_in_the_catalogue_and_workers_only_the_national_ones(world):
    own = services.service_type_create(actor=world.user("district_x_staff"), owner_id=world.street_x.pk, name="家政")

    assert own in catalogue_list(actor=world.user("district_x_staff"))
    assert own in catalogue_list(actor=world.user("union_a_staff"))  # added above union A: its points may offer it
    assert own not in catalogue_list(actor=world.user("district_y_staff"))
    assert own not in catalogue_list(actor=world.user("worker"))


def test_my_orders_are_mine_only_newest_first(world):
    offering = an_offering(world)
    first = _aged(an_order(world, offering, "worker"), 5)
    an_order(world, offering, "other_worker")
    second = an_order(world, an_offering(world, point=offering.point, service_type_id=_legal()), "worker")

    assert list(my_orders(actor=world.user("worker"))) == [second, first]
    assert list(my_orders(actor=None)) == []
