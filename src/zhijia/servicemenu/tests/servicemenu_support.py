"""Menus and orders for the service menu's tests, made through the services: a rest station of street X (district X)
and one of street Y (district Y), each offering a haircut; the other worker becomes a member of union A."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from zhijia.members.idnumber import check_character
from zhijia.members.models import Membership
from zhijia.members.services import application_approve, application_submit
from zhijia.network.models import ServicePoint
from zhijia.network.tests.network_support import Y_CENTRE, a_point
from zhijia.servicemenu import services
from zhijia.servicemenu.models import Offering, Order, ServiceType
from zhijia.testing.world import World

EVERY_DAY = 0b1111111


def haircut() -> ServiceType:
    # The national catalogue is in every database, also after a transactional test's flush (national_catalogue.py).
    return ServiceType.objects.get(code="haircut")


def x_point(world: World, **fields: Any) -> ServicePoint:
    return a_point(world, name=fields.pop("name", "X街道职工之家"), **fields)


def y_point(world: World) -> ServicePoint:
    return a_point(world, owner=world.street_y, name="Y街道职工之家", lng=Y_CENTRE[0], lat=Y_CENTRE[1])


def an_offering(world: World, point: ServicePoint | None = None, **fields: Any) -> Offering:
    """A haircut offered every day round the clock (so any preferred time fits), unless told otherwise."""
    fields.setdefault("weekdays", EVERY_DAY)
    fields.setdefault("starts_minute", 0)
    fields.setdefault("ends_minute", 1440)
    return services.offering_create(
        actor=world.user("superuser"),
        point_id=(point or x_point(world)).pk,
        service_type_id=fields.pop("service_type_id", haircut().pk),
        **fields,
    )


def id_number(seq: int) -> str:
    first17 = f"11010519900101{seq:03d}"
    return first17 + check_character(first17)


def make_member(world: World, who: str = "other_worker", seq: int = 7) -> Membership:
    user = world.user(who)
    application = application_submit(
        actor=user,
        name=user.display_name,
        id_number=id_number(seq),
        phone=user.phone,
        job_group="courier",
        work_street_id=world.street_x.pk,
        employer_id=world.employer_a.pk,
        consent=True,
    )
    return application_approve(actor=world.user("superuser"), application_id=application.pk)


def an_order(world: World, offering: Offering, who: str = "worker", **fields: Any) -> Order:
    return services.order_create(actor=world.user(who), offering_id=offering.pk, **fields)


def soon(hours: float = 2) -> dt.datetime:
    return timezone.now() + dt.timedelta(hours=hours)


def handled_to(world: World, order: Order, status: str, staff: str = "district_x_staff") -> Order:
    """Take an order through the staff's steps up to `status` (accepted, scheduled or completed)."""
    actor = world.user(staff)
    order = services.order_accept(actor=actor, order_id=order.pk)
    if status in ("scheduled", "completed"):
        order = services.order_schedule(actor=actor, order_id=order.pk, scheduled_at=soon(3))
    if status == "completed":
        order = services.order_complete(actor=actor, order_id=order.pk)
    return order
