"""The demo's venue booking on a small city: venues at the palace and homes, a week of bookings with check-ins and
no-shows, never over capacity, loaded once however often the demo runs."""

from __future__ import annotations

from django.db.models import Count

from zhijia.bookings.models import LIVE_STATUSES, Booking, BookingStatus, Venue
from zhijia.bookings.selectors import report
from zhijia.demo.bookings import build_for
from zhijia.network.models import PointKind
from zhijia.network.tests.network_support import a_point


def test_the_demo_has_venues_and_a_week_of_bookings_and_loads_once(world):
    a_point(world, name="X区工人文化宫", kind=PointKind.CULTURAL_PALACE, owner=world.district_x)
    for i in range(3):
        a_point(world, name=f"X职工之家{i}", kind=PointKind.SHARED_HOME, owner=world.union_a)
    quiet: list[str] = []

    added = build_for(city=world.city, admin=world.user("superuser"), homes=3, progress=quiet.append)
    again = build_for(city=world.city, admin=world.user("superuser"), homes=3, progress=quiet.append)

    assert added["venues"] >= 5
    assert added["bookings"] > 100
    assert again == {"venues": 0, "bookings": 0}
    statuses = set(Booking.objects.values_list("status", flat=True))
    assert {BookingStatus.CHECKED_IN, BookingStatus.RELEASED, BookingStatus.BOOKED} <= statuses
    worst = (
        Booking.objects.filter(status__in=LIVE_STATUSES)
        .values("slot", "venue__capacity")
        .annotate(n=Count("pk"))
        .order_by("-n")
    )
    assert all(row["n"] <= row["venue__capacity"] for row in worst)
    days = report(
        actor=world.user("city_staff"),
        since=min(r.starts_at for r in Booking.objects.all()).date(),
        until=max(r.starts_at for r in Booking.objects.all()).date(),
    )
    assert sum(d.checked_in for d in days) > 0
    assert Venue.objects.filter(point__kind=PointKind.CULTURAL_PALACE).count() == 5
