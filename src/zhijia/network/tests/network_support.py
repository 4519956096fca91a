"""Service points for the network tests, created through the services as the superuser, placed in the test world:
district X's points around (116.40, 39.90), district Y's around (116.30, 39.95)."""

from __future__ import annotations

from typing import Any

from zhijia.network import services
from zhijia.network.models import PointKind, ServicePoint
from zhijia.testing.world import World

X_CENTRE = (116.40, 39.90)
Y_CENTRE = (116.30, 39.95)
WORKDAY_HOURS = {d: [(540, 1080)] for d in range(5)}


def a_point(world: World, *, owner: Any = None, name: str = "X街道暖心驿站", **fields: Any) -> ServicePoint:
    owner = owner or world.street_x
    fields.setdefault("kind", PointKind.REST_STATION)
    fields.setdefault("lng", X_CENTRE[0])
    fields.setdefault("lat", X_CENTRE[1])
    return services.point_create(actor=world.user("superuser"), owner_id=owner.pk, name=name, **fields)


def with_hours(
    world: World, point: ServicePoint, weekly: dict[int, list[tuple[int, int]]] | None = None
) -> ServicePoint:
    return services.point_hours_set(
        actor=world.user("superuser"), point_id=point.pk, weekly=weekly if weekly is not None else WORKDAY_HOURS
    )


def a_mobile_home_with_a_stop(world: World) -> tuple[ServicePoint, Any]:
    import datetime as dt

    from zhijia.network.models import HomeSubtype

    home = a_point(world, name="X流动职工之家", kind=PointKind.SHARED_HOME, home_subtype=HomeSubtype.MOBILE)
    stop = services.mobile_stop_create(
        actor=world.user("superuser"),
        point_id=home.pk,
        site="X工地",
        lng=X_CENTRE[0],
        lat=X_CENTRE[1],
        weekdays=[0, 2],
        starts_on=dt.date(2026, 11, 1),
        ends_on=dt.date(2026, 12, 31),
        arrives_minute=600,
        leaves_minute=900,
    )
    return home, stop
