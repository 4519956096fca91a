"""The booking pages: a member books from the venue's day and cancels from my bookings; staff scan a card."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from zhijia.bookings.models import Booking, BookingStatus, Slot
from zhijia.members.services import card_token_issue
from zhijia.members.tests.membership_support import member

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


def test_the_console_pages_show_the_subtree(world, client_as):
    point = home(world)
    court = venue(world, point)
    staff = client_as(world.user("district_x_staff"))

    for name, args in [
        ("bookings:console_venues", []),
        ("bookings:venue_day", [court.pk]),
        ("bookings:venue_edit", [court.pk]),
        ("bookings:venue_create", [point.pk]),
        ("bookings:no_shows", []),
        ("bookings:report", []),
        ("bookings:policy", [world.district_x.pk]),
    ]:
        assert staff.get(reverse(name, args=args)).status_code == 200, name
    outsider = client_as(world.user("district_y_staff"))
    assert outsider.get(reverse("bookings:venue_day", args=[court.pk])).status_code == 404
