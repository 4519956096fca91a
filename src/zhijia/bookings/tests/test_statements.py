"""The booking path's written-out reads (statements.py) answer exactly what the ORM would, on both databases."""

from __future__ import annotations

import datetime as dt

from zhijia.bookings import statements
from zhijia.bookings.models import Suspension, Venue
from zhijia.network.models import PointStatus, ServicePoint

from .booking_support import NOW, home, venue, workers

OPEN = (PointStatus.OPEN,)


def _fields(instance):
    return {f.attname: getattr(instance, f.attname) for f in type(instance)._meta.concrete_fields}


def test_the_venue_with_its_point_and_owner_is_the_orms_own_reading(world):
    made = venue(world, home(world), capacity=4, kind="room", no_show_limit=5, description="二楼")
    orm = Venue.objects.select_related("point", "point__owner").get(pk=made.pk)

    found = statements.bookable_venue(made.pk, OPEN)

    assert found is not None
    assert _fields(found) == _fields(orm)
    assert _fields(found.point) == _fields(orm.point)
    assert _fields(found.point.owner) == _fields(orm.point.owner)
    assert found._state.adding is False


def test_an_inactive_venue_or_a_point_not_open_is_not_bookable(world):
    point = home(world)
    shut = venue(world, point, name="停用场地")
    Venue.objects.filter(pk=shut.pk).update(is_active=False)
    court = venue(world, point)

    assert statements.bookable_venue(shut.pk, OPEN) is None
    ServicePoint.objects.filter(pk=point.pk).update(status=PointStatus.SUSPENDED)
    assert statements.bookable_venue(court.pk, OPEN) is None
    assert statements.bookable_venue(court.pk, (PointStatus.OPEN, PointStatus.SUSPENDED)) is not None


def test_only_suspensions_in_force_and_not_lifted_count_newest_first(world):
    (user,) = workers(1)
    day = dt.timedelta(days=1)

    def suspend(starts_at, ends_at, **extra):
        return Suspension.objects.create(
            user=user, org=world.district_x, starts_at=starts_at, ends_at=ends_at, no_shows=3, **extra
        )

    older = suspend(NOW - 3 * day, NOW + day)
    newer = suspend(NOW - day, NOW + day)
    suspend(NOW - 5 * day, NOW - 4 * day)  # over
    suspend(NOW + day, NOW + 2 * day)  # not begun
    suspend(NOW - day, NOW + day, lifted_at=NOW - dt.timedelta(hours=1))  # lifted

    assert statements.live_suspensions(user.pk, NOW) == [
        (newer.pk, world.district_x.path),
        (older.pk, world.district_x.path),
    ]
