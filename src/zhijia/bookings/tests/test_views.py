"""The booking pages: a member books from the venue's day and cancels from my bookings; staff scan a card."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse
from django.utils import timezone

from zhijia.bookings.models import Booking, BookingStatus, Slot, Suspension, Venue
from zhijia.members.services import card_token_issue
from zhijia.members.tests.membership_support import member
from zhijia.network import services as network
from zhijia.network.models import PointKind

from .booking_support import home, venue


def test_a_member_books_a_slot_from_the_page_and_cancels_it(world, client_as):
    point = home(world)
    court = venue(world, point)
    day = timezone.localdate() + dt.timedelta(days=1)
    client = client_as(world.user("worker"))

    listed = client.get(reverse("bookings:point_venues", args=[point.pk]))
    page = client.get(reverse("bookings:venue", args=[court.pk]), {"date": day.isoformat()})
    start = dt.datetime.combine(day, dt.time(19), tzinfo=timezone.get_current_timezone())
    booked = client.post(
        reverse("bookings:book", args=[court.pk]), {"starts_at": start.isoformat(), "idempotency_key": "k1"}
    )
    twice = client.post(
        reverse("bookings:book", args=[court.pk]), {"starts_at": start.isoformat(), "idempotency_key": "k1"}
    )

    assert "羽毛球场1号" in listed.content.decode()
    assert page.content.decode().count('data-state="open"') == 14
    assert booked.status_code == twice.status_code == 302
    booking = Booking.objects.get()
    mine = client.get(reverse("bookings:mine"))
    assert f'id="booking-{booking.pk}"' in mine.content.decode()
    client.post(reverse("bookings:cancel", args=[booking.pk]))
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED


def test_the_scanner_page_checks_a_member_in(world, client_as):
    point = home(world)
    court = venue(world, point)
    membership = member(world, "worker")
    start = timezone.localtime().replace(minute=0, second=0, microsecond=0)
    slot = Slot.objects.create(venue=court, starts_at=start, ends_at=start + dt.timedelta(hours=1))
    Booking.objects.create(slot=slot, venue=court, user=world.user("worker"), starts_at=start, ends_at=slot.ends_at)
    staff = client_as(world.user("case_handler"))

    page = staff.get(reverse("bookings:scanner", args=[point.pk]))
    answer = staff.post(
        reverse("bookings:scanner", args=[point.pk]),
        {"token": card_token_issue(membership=membership)},
        headers={"HX-Request": "true"},
    )

    assert page.status_code == 200
    assert 'data-status="checked_in"' in answer.content.decode()
    # The day's count in the page head follows along (an out-of-band swap).
    assert 'id="checked-in-today" hx-swap-oob="true"' in answer.content.decode()
    assert Booking.objects.get().status == BookingStatus.CHECKED_IN


def _no_show(court: Venue, user: Any, hour: int) -> Booking:
    start = dt.datetime.combine(timezone.localdate(), dt.time(hour), tzinfo=timezone.get_current_timezone())
    slot = Slot.objects.create(venue=court, starts_at=start, ends_at=start + dt.timedelta(hours=1))
    return Booking.objects.create(
        slot=slot,
        venue=court,
        user=user,
        starts_at=start,
        ends_at=slot.ends_at,
        status=BookingStatus.RELEASED,
        no_show=True,
    )


def _suspended(user: Any, org: Any) -> Suspension:
    now = timezone.now()
    return Suspension.objects.create(user=user, org=org, starts_at=now, ends_at=now + dt.timedelta(days=7), no_shows=3)


def test_the_console_pages_show_the_subtree(world, client_as):
    # district X: a court at street X's home, where 王师傅 missed a booking today and is suspended; district Y: a
    # table-tennis room at street Y's home, where 李师傅 missed two and is suspended
    point = home(world)
    court = venue(world, point)
    _no_show(court, world.user("worker"), 9)
    _suspended(world.user("worker"), world.street_x)
    y_point = network.point_create(
        actor=world.user("superuser"),
        owner_id=world.street_y.pk,
        name="Y街道职工之家",
        kind=PointKind.SHARED_HOME,
        lng=116.5,
        lat=39.8,
    )
    y_room = venue(world, y_point, name="乒乓球室甲")
    _no_show(y_room, world.user("other_worker"), 9)
    _no_show(y_room, world.user("other_worker"), 10)
    _suspended(world.user("other_worker"), world.street_y)
    staff = client_as(world.user("district_x_staff"))

    def page(name: str, *args: int, **query: str) -> str:
        response = staff.get(reverse(name, args=args), query)
        assert response.status_code == 200, name
        return response.content.decode()

    venues = page("bookings:console_venues")
    assert "羽毛球场1号" in venues
    assert "X街道职工之家" in venues
    assert "乒乓球室甲" not in venues
    assert "Y街道职工之家" not in venues
    assert "王**" in page("bookings:venue_day", court.pk, date=timezone.localdate().isoformat())
    assert "羽毛球场1号" in page("bookings:venue_edit", court.pk)
    assert "X街道职工之家" in page("bookings:venue_create", point.pk)
    no_shows = page("bookings:no_shows")
    assert "X街道职工之家 · 羽毛球场1号" in no_shows
    assert "王**" in no_shows
    assert "X街道总工会" in no_shows
    assert "乒乓球室甲" not in no_shows
    assert "李**" not in no_shows
    assert "Y街道总工会" not in no_shows
    assert 'id="report-total">1</span>' in page("bookings:report")
    page("bookings:policy", world.district_x.pk)
    # district Y's own pages are missing to district X
    for name, args in [
        ("bookings:venue_day", [y_room.pk]),
        ("bookings:venue_edit", [y_room.pk]),
        ("bookings:venue_create", [y_point.pk]),
        ("bookings:policy", [world.district_y.pk]),
    ]:
        assert staff.get(reverse(name, args=args)).status_code == 404, name
    # while the city, above both districts, sees both
    city = client_as(world.user("city_staff"))
    assert "乒乓球室甲" in city.get(reverse("bookings:console_venues")).content.decode()
    assert "李**" in city.get(reverse("bookings:no_shows")).content.decode()
    assert 'id="report-total">3</span>' in city.get(reverse("bookings:report")).content.decode()
