"""An order's life: the worker orders, the point's staff accept, schedule and complete, the worker confirms and rates.
Every refused step says why with a code; every step is recorded, audited and told to the worker."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import DatabaseError, transaction
from django.utils import timezone

from zhijia.audit.models import AuditEvent
from zhijia.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from zhijia.notifications.models import Notification
from zhijia.points.selectors import balance_of
from zhijia.points.services import rule_set
from zhijia.servicemenu import services
from zhijia.servicemenu.models import Audience, Availability, Order, OrderEvent, OrderStatus, Pricing
from zhijia.servicemenu.selectors import checkins_at
from zhijia.servicemenu.tests.servicemenu_support import (
    an_offering,
    an_order,
    handled_to,
    make_member,
    soon,
    y_point,
)


def test_an_order_goes_from_request_to_rating_and_each_step_is_recorded(world):
    offering = an_offering(world)
    staff = world.user("district_x_staff")

    order = an_order(world, offering, preferred_at=soon(), note="剪短一点")
    assert order.status == OrderStatus.REQUESTED
    services.order_accept(actor=staff, order_id=order.pk)
    services.order_schedule(actor=staff, order_id=order.pk, scheduled_at=soon(5))
    services.order_complete(actor=staff, order_id=order.pk)
    order = services.order_confirm(actor=world.user("worker"), order_id=order.pk, stars=5, comment="师傅手艺好")

    assert (order.status, order.stars, order.comment) == (OrderStatus.CONFIRMED, 5, "师傅手艺好")
    events = list(OrderEvent.objects.filter(order=order).order_by("at", "pk"))
    assert [e.status for e in events] == ["requested", "accepted", "scheduled", "completed", "confirmed"]
    assert [e.actor for e in events] == [world.user("worker"), staff, staff, staff, world.user("worker")]
    actions = set(
        AuditEvent.objects.filter(object_id=str(order.pk), action__startswith="order.").values_list("action", flat=True)
    )
    assert actions == {"order.create", "order.accept", "order.schedule", "order.complete", "order.confirm"}


def test_the_worker_hears_of_every_step_in_the_inbox(world):
    order = handled_to(world, an_order(world, an_offering(world)), "completed")

    titles = list(Notification.objects.filter(user=world.user("worker")).order_by("pk").values_list("title", flat=True))

    assert len(titles) == 4
    assert titles[0].startswith("已收到您的预约")
    assert titles[1].startswith("您的预约已受理")
    assert "已安排在" in titles[2]
    assert titles[3].startswith("服务已完成")
    assert order.status == OrderStatus.COMPLETED


def test_a_declined_order_tells_the_worker_why(world):
    order = an_order(world, an_offering(world))

    services.order_decline(actor=world.user("district_x_staff"), order_id=order.pk, reason="师傅本周休假")

    order.refresh_from_db()
    assert (order.status, order.decline_reason) == (OrderStatus.DECLINED, "师傅本周休假")
    assert Notification.objects.filter(user=world.user("worker"), body="师傅本周休假").exists()


def test_declining_needs_a_reason(world):
    order = an_order(world, an_offering(world))

    with pytest.raises(ValidationFailed) as refused:
        services.order_decline(actor=world.user("district_x_staff"), order_id=order.pk, reason="  ")

    assert refused.value.code == "order.reason_required"


def test_completing_before_accepting_is_refused(world):
    order = an_order(world, an_offering(world))

    with pytest.raises(Conflict) as refused:
        services.order_complete(actor=world.user("district_x_staff"), order_id=order.pk)

    assert refused.value.code == "order.not_accepted"
    assert "受理" in refused.value.message
    order.refresh_from_db()
    assert order.status == OrderStatus.REQUESTED


def test_accepting_twice_is_refused(world):
    order = an_order(world, an_offering(world))
    services.order_accept(actor=world.user("district_x_staff"), order_id=order.pk)

    with pytest.raises(Conflict) as refused:
        services.order_accept(actor=world.user("city_staff"), order_id=order.pk)

    assert refused.value.code == "order.not_requested"


def test_rating_before_completion_and_rating_twice_are_refused(world):
    order = an_order(world, an_offering(world))
    with pytest.raises(Conflict) as early:
        services.order_confirm(actor=world.user("worker"), order_id=order.pk, stars=4)
    handled_to(world, order, "completed")
    services.order_confirm(actor=world.user("worker"), order_id=order.pk, stars=4)

    with pytest.raises(Conflict) as twice:
        services.order_confirm(actor=world.user("worker"), order_id=order.pk, stars=1)

    assert (early.value.code, twice.value.code) == ("order.not_completed", "order.already_rated")
    order.refresh_from_db()
    assert order.stars == 4


def test_nobody_rates_or_cancels_someone_elses_order(world):
    order = handled_to(world, an_order(world, an_offering(world)), "completed")

    for who in ("other_worker", "district_x_staff"):
        with pytest.raises(NotFound):
            services.order_confirm(actor=world.user(who), order_id=order.pk, stars=1)
        with pytest.raises(NotFound):
            services.order_cancel(actor=world.user(who), order_id=order.pk)
    order.refresh_from_db()
    assert (order.status, order.stars) == (OrderStatus.COMPLETED, None)


def test_stars_are_one_to_five(world):
    order = handled_to(world, an_order(world, an_offering(world)), "completed")

    with pytest.raises(ValidationFailed) as refused:
        services.order_confirm(actor=world.user("worker"), order_id=order.pk, stars=6)

    assert refused.value.code == "order.stars_invalid"


def test_an_inactive_service_cannot_be_ordered(world):
    offering = an_offering(world, is_active=False)

    with pytest.raises(Conflict) as refused:
        an_order(world, offering)

    assert refused.value.code == "order.service_inactive"
    assert not Order.objects.exists()


def test_a_members_only_service_refuses_a_worker_who_is_not_a_member_and_charges_members_their_price(world):
    offering = an_offering(world, audience=Audience.MEMBERS, pricing=Pricing.MEMBER_PRICE, member_price_fen=500)
    make_member(world, "other_worker")

    with pytest.raises(PermissionDenied) as refused:
        an_order(world, offering, "worker")
    order = an_order(world, offering, "other_worker")

    assert refused.value.code == "order.members_only"
    assert (order.is_member, order.price_fen) == (True, 500)


def test_a_time_outside_the_service_hours_is_refused(world):
    offering = an_offering(
        world, availability=Availability.WEEKLY, weekdays=0b1111111, starts_minute=540, ends_minute=600
    )
    local = timezone.localtime(timezone.now() + dt.timedelta(days=1)).replace(hour=20, minute=0)

    with pytest.raises(ValidationFailed) as refused:
        an_order(world, offering, preferred_at=local)

    assert refused.value.code == "order.outside_hours"


def test_by_appointment_any_time_in_the_next_weeks_will_do(world):
    offering = an_offering(world, availability=Availability.APPOINTMENT, weekdays=0, starts_minute=540, ends_minute=600)
    late = timezone.localtime(timezone.now() + dt.timedelta(days=2)).replace(hour=21, minute=30)

    assert an_order(world, offering, preferred_at=late).status == OrderStatus.REQUESTED
    with pytest.raises(ValidationFailed) as refused:
        an_order(world, offering, "other_worker", preferred_at=timezone.now() + dt.timedelta(days=90))
    assert refused.value.code == "order.time_too_far"


def test_a_days_capacity_is_never_exceeded(world):
    offering = an_offering(world, daily_capacity=1)
    day = soon(24)
    an_order(world, offering, preferred_at=day)

    with pytest.raises(Conflict) as refused:
        an_order(world, offering, "other_worker", preferred_at=day)

    assert refused.value.code == "order.day_full"
    assert an_order(world, offering, "other_worker", preferred_at=day + dt.timedelta(days=1))


def test_a_declined_order_frees_its_place_for_the_day(world):
    offering = an_offering(world, daily_capacity=1)
    day = soon(24)
    first = an_order(world, offering, preferred_at=day)
    services.order_decline(actor=world.user("district_x_staff"), order_id=first.pk, reason="设备故障")

    assert an_order(world, offering, "other_worker", preferred_at=day).status == OrderStatus.REQUESTED


def test_the_same_idempotency_key_orders_once(world):
    offering = an_offering(world)

    first = an_order(world, offering, idempotency_key="k-1", note="第一次")
    again = an_order(world, offering, idempotency_key="k-1", note="重复提交")

    assert again.pk == first.pk
    assert Order.objects.count() == 1
    assert OrderEvent.objects.count() == 1


def test_a_second_open_order_for_the_same_service_is_refused(world):
    offering = an_offering(world)
    an_order(world, offering)

    with pytest.raises(Conflict) as refused:
        an_order(world, offering)

    assert refused.value.code == "order.already_open"


def test_the_worker_cancels_an_order_not_yet_completed(world):
    order = handled_to(world, an_order(world, an_offering(world)), "accepted")

    services.order_cancel(actor=world.user("worker"), order_id=order.pk, reason="临时有事")
    order.refresh_from_db()

    assert order.status == OrderStatus.CANCELLED
    with pytest.raises(Conflict):
        services.order_accept(actor=world.user("district_x_staff"), order_id=order.pk)


def test_staff_of_another_district_cannot_see_or_act_on_the_order(world):
    order = an_order(world, an_offering(world))

    for step in (
        lambda a: services.order_accept(actor=a, order_id=order.pk),
        lambda a: services.order_decline(actor=a, order_id=order.pk, reason="不归我管"),
        lambda a: services.order_complete(actor=a, order_id=order.pk),
    ):
        with pytest.raises(NotFound):
            step(world.user("district_y_staff"))
    order.refresh_from_db()
    assert order.status == OrderStatus.REQUESTED
    assert OrderEvent.objects.filter(order=order).count() == 1


def test_read_only_staff_see_the_order_but_may_not_handle_it(world):
    order = an_order(world, an_offering(world))

    with pytest.raises(PermissionDenied):
        services.order_accept(actor=world.user("district_x_readonly"), order_id=order.pk)


def test_a_point_of_district_y_is_handled_by_district_y(world):
    order = an_order(world, an_offering(world, point=y_point(world)))

    with pytest.raises(NotFound):
        services.order_accept(actor=world.user("district_x_staff"), order_id=order.pk)
    assert services.order_accept(actor=world.user("district_y_staff"), order_id=order.pk).status == "accepted"


def test_completion_counts_as_a_visit_to_the_point(world):
    before = timezone.now() - dt.timedelta(minutes=1)
    order = an_order(world, an_offering(world))
    assert not checkins_at(order.point_id, world.user("worker").pk, before)

    handled_to(world, order, "completed")

    assert checkins_at(order.point_id, world.user("worker").pk, before)
    assert not checkins_at(order.point_id, world.user("worker").pk, timezone.now() + dt.timedelta(minutes=1))
    assert not checkins_at(order.point_id, world.user("other_worker").pk, before)


def test_the_database_refuses_to_change_a_recorded_step(world):
    order = an_order(world, an_offering(world))
    event = OrderEvent.objects.get(order=order)

    with pytest.raises(DatabaseError), transaction.atomic():
        OrderEvent.objects.filter(pk=event.pk).update(note="改写历史")

    event.refresh_from_db()
    assert event.note == ""


def test_rating_an_order_earns_the_points_the_unions_rule_gives_once(world):
    rule_set(actor=world.user("district_x_staff"), org_id=world.district_x.pk, event="order_rated", points=5)
    order = handled_to(world, an_order(world, an_offering(world)), "completed")
    worker = world.user("worker")

    services.order_confirm(actor=worker, order_id=order.pk, stars=5)
    with pytest.raises(Conflict):
        services.order_confirm(actor=worker, order_id=order.pk, stars=5)

    assert balance_of(user_id=worker.pk) == 5


def test_rating_where_no_rule_applies_earns_nothing(world):
    order = handled_to(world, an_order(world, an_offering(world)), "completed")

    services.order_confirm(actor=world.user("worker"), order_id=order.pk, stars=3)

    assert balance_of(user_id=world.user("worker").pk) == 0
