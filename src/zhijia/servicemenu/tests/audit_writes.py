"""The service menu's rows of the audit guard (`audit/tests/test_audit_record.py`): each write service, who acts, what
it does on a fresh world, and the action it records."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.utils import timezone

from zhijia.servicemenu import services
from zhijia.servicemenu.models import Offering, Order, OrderStatus, ServiceType
from zhijia.testing.world import World

from .servicemenu_support import an_offering, an_order, haircut, handled_to, soon, x_point

# The sweep composes an audited write (each reminder it sends records its own row).
NOT_AUDITED = {"order_reminders_due"}


def _bulk_offerings(w: World) -> Any:
    point = x_point(w)
    return services.offerings_bulk_create(
        actor=w.user("superuser"), offerings=[Offering(point=point, service_type=haircut())], org=w.street_x
    )


def _bulk_orders(w: World) -> Any:
    offering = an_offering(w)
    order = Order(
        offering=offering,
        point_id=offering.point_id,
        user=w.user("worker"),
        status=OrderStatus.REQUESTED,
        service_date=timezone.localdate(),
        idempotency_key="demo-1",
        created_at=timezone.now(),
    )
    seed = services.OrderSeed(order, [(OrderStatus.REQUESTED, w.user("worker").pk, timezone.now(), "")])
    return services.orders_bulk_load(actor=w.user("superuser"), seeds=[seed], org=w.street_x)


def _remind(w: World) -> Any:
    order = handled_to(w, an_order(w, an_offering(w)), "accepted")
    at = soon(24)
    services.order_schedule(actor=w.user("district_x_staff"), order_id=order.pk, scheduled_at=at)
    return services.order_remind(order_id=order.pk, now=at - dt.timedelta(hours=1))


# (service, who acts, what it does, the action it records)
WRITES: list[tuple[str, str | None, Callable[[World], object], str]] = [
    (
        "service_type_create",
        "district_x_staff",
        lambda w: services.service_type_create(actor=w.user("district_x_staff"), owner_id=w.street_x.pk, name="家政"),
        "menu.type_create",
    ),
    (
        "offering_create",
        "district_x_staff",
        lambda w: services.offering_create(
            actor=w.user("district_x_staff"),
            point_id=x_point(w).pk,
            service_type_id=ServiceType.objects.get(code="legal").pk,
        ),
        "menu.offering_create",
    ),
    (
        "offering_update",
        "district_x_staff",
        lambda w: services.offering_update(
            actor=w.user("district_x_staff"), offering_id=an_offering(w).pk, daily_capacity=3
        ),
        "menu.offering_update",
    ),
    ("order_create", "worker", lambda w: an_order(w, an_offering(w)), "order.create"),
    (
        "order_cancel",
        "worker",
        lambda w: services.order_cancel(actor=w.user("worker"), order_id=an_order(w, an_offering(w)).pk),
        "order.cancel",
    ),
    (
        "order_accept",
        "district_x_staff",
        lambda w: services.order_accept(actor=w.user("district_x_staff"), order_id=an_order(w, an_offering(w)).pk),
        "order.accept",
    ),
    (
        "order_decline",
        "district_x_staff",
        lambda w: services.order_decline(
            actor=w.user("district_x_staff"), order_id=an_order(w, an_offering(w)).pk, reason="休假"
        ),
        "order.decline",
    ),
    (
        "order_schedule",
        "city_staff",
        lambda w: services.order_schedule(
            actor=w.user("city_staff"),
            order_id=handled_to(w, an_order(w, an_offering(w)), "accepted").pk,
            scheduled_at=soon(),
        ),
        "order.schedule",
    ),
    (
        "order_complete",
        "city_staff",
        lambda w: services.order_complete(
            actor=w.user("city_staff"), order_id=handled_to(w, an_order(w, an_offering(w)), "accepted").pk
        ),
        "order.complete",
    ),
    (
        "order_confirm",
        "worker",
        lambda w: services.order_confirm(
            actor=w.user("worker"), order_id=handled_to(w, an_order(w, an_offering(w)), "completed").pk, stars=5
        ),
        "order.confirm",
    ),
    ("offerings_bulk_create", "superuser", _bulk_offerings, "menu.offering_bulk_create"),
    ("orders_bulk_load", "superuser", _bulk_orders, "order.bulk_load"),
    ("order_remind", None, _remind, "order.remind"),
]
