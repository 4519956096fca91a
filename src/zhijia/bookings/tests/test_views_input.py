"""The booking pages given values no slot or point can have: a point that is no id, a day or a start outside the
years the platform plans in. The pages fall back or say so; nothing is booked."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from zhijia.bookings.models import Booking, WaitlistEntry

from .booking_support import home, venue


def test_console_values_out_of_range_fall_back_to_every_point_and_today(world, client_as):
    court = venue(world, home(world))
    staff = client_as(world.user("district_x_staff"))

    venues = staff.get(reverse("bookings:console_venues"), {"point": "²"})
    far_day = staff.get(reverse("bookings:venue_day", args=[court.pk]), {"date": "9999-12-31"})
    first_day = staff.get(reverse("bookings:venue_day", args=[court.pk]), {"date": "0001-01-01"})

    assert venues.status_code == 200
    assert "羽毛球场1号" in venues.content.decode()
    for response in (far_day, first_day):
        assert response.status_code == 200
        assert response.context["day"] == timezone.localdate()


def test_booking_a_start_no_slot_can_have_says_so_and_books_nothing(world, client_as):
    court = venue(world, home(world))
    client = client_as(world.user("worker"))

    for starts_at in ("0001-01-01T00:00:00+09:00", "9999-12-31T23:00:00-08:00"):
        for url, data in [
            (reverse("bookings:book", args=[court.pk]), {"starts_at": starts_at, "idempotency_key": "k"}),
            (reverse("bookings:waitlist_join", args=[court.pk]), {"starts_at": starts_at}),
        ]:
            response = client.post(url, data)

            assert response.status_code == 302
            assert "请选择一个时段。" in client.get(response["Location"]).content.decode()
    assert not Booking.objects.exists()
    assert not WaitlistEntry.objects.exists()
