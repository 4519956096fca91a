"""A home of street X open 08:00-22:00 every day (closed on statutory holidays) with its venues, and fixed times to
book at: services take `now`, so every test runs on a known Monday whatever the clock says."""

from __future__ import annotations

import datetime as dt
from typing import Any

from zhijia.bookings import services
from zhijia.bookings.models import Venue
from zhijia.network import services as network
from zhijia.network.hours import SHANGHAI
from zhijia.network.models import PointKind, ServicePoint
from zhijia.testing.world import World, make_user

MONDAY = dt.date(2026, 11, 23)
OPEN_ALL_DAY = ((8 * 60, 22 * 60),)


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=SHANGHAI)


# Before the first slot of the test Monday.
NOW = at(MONDAY, 6, 30)


def home(
    world: World, *, spans: tuple[tuple[int, int], ...] = OPEN_ALL_DAY, name: str = "X街道职工之家"
) -> ServicePoint:
    superuser = world.user("superuser")
    point = network.point_create(
        actor=superuser, owner_id=world.street_x.pk, name=name, kind=PointKind.SHARED_HOME, lng=116.4, lat=39.9
    )
    network.point_hours_set(
        actor=superuser, point_id=point.pk, weekly={d: spans for d in range(7)}, follows_holidays=True
    )
    return point


def venue(world: World, point: ServicePoint, **values: Any) -> Venue:
    fields: dict[str, Any] = {"name": "羽毛球场1号", "kind": "court", "capacity": 1}
    fields.update(values)
    return services.venue_create(actor=world.user("superuser"), point_id=point.pk, **fields)


def workers(n: int, prefix: str = "w") -> list[Any]:
    return [make_user(f"{prefix}{i}", display_name=f"职工{i}") for i in range(n)]


def book(user: Any, v: Venue, starts_at: dt.datetime, *, now: dt.datetime = NOW, key: str = "") -> Any:
    return services.booking_create(actor=user, venue_id=v.pk, starts_at=starts_at, idempotency_key=key, now=now)
