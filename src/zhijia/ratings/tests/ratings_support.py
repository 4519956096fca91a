"""Homes and real visits for the ratings tests: homes of street X (district X) and street Y (district Y), and a
visit made the way a worker makes one, through the service menu (an order the staff complete)."""

from __future__ import annotations

from typing import Any

from zhijia.network.models import PointKind, ServicePoint
from zhijia.network.tests.network_support import Y_CENTRE, a_point
from zhijia.servicemenu.models import Offering
from zhijia.servicemenu.tests.servicemenu_support import an_offering, an_order, handled_to
from zhijia.testing.world import World

ALL_FIVE = {"environment": 5, "facilities": 5, "services": 5, "staff": 5, "activities": 5}
ALL_THREE = {"environment": 3, "facilities": 3, "services": 3, "staff": 3, "activities": 3}


def x_home(world: World, name: str = "X街道共享职工之家", **fields: Any) -> ServicePoint:
    fields.setdefault("kind", PointKind.SHARED_HOME)
    fields.setdefault("home_subtype", "community")
    return a_point(world, name=name, **fields)


def y_home(world: World, name: str = "Y街道共享职工之家", **fields: Any) -> ServicePoint:
    fields.setdefault("kind", PointKind.SHARED_HOME)
    fields.setdefault("home_subtype", "community")
    return a_point(world, owner=world.street_y, name=name, lng=Y_CENTRE[0], lat=Y_CENTRE[1], **fields)


def visit(world: World, home: ServicePoint, who: str = "worker") -> None:
    """The worker orders a service at the home and the home's staff complete it: a real visit."""
    staff = "district_y_staff" if home.owner.path.startswith(world.district_y.path) else "district_x_staff"
    offering = Offering.objects.filter(point=home).first() or an_offering(world, home)
    handled_to(world, an_order(world, offering, who), "completed", staff=staff)
