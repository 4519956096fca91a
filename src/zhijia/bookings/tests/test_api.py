"""The booking API as a client uses it: slots, booking with an Idempotency-Key header, cancelling, staff set-up,
check-in and the report."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from zhijia.bookings.models import Booking, Venue
from zhijia.members.services import card_token_issue
from zhijia.members.tests.membership_support import member

from .booking_support import home, venue


def _tomorrow_at(hour: int) -> dt.datetime:
    day = timezone.localdate() + dt.timedelta(days=1)
    return dt.datetime.combine(day, dt.time(hour), tzinfo=timezone.get_current_timezone())


def test_anyone_reads_the_venues_and_slots_of_an_open_point(world, api_as):
    point = home(world)
    court = venue(world, point)

    listed = api_as(None).get(f"/bookings/points/{point.pk}/venues")
    slots = api_as(None).get(f"/bookings/venues/{court.pk}/slots", date=_tomorrow_at(9).date().isoformat())

    assert listed.status_code == 200
    assert [v["name"] for v in listed.json()] == ["羽毛球场1号"]
    body = slots.json()
    assert slots.status_code == 200
    assert len(body["slots"]) == 14
    assert body["slots"][0]["state"] == "open"


def test_booking_with_an_idempotency_key_header_books_once(world, api_as):
    court = venue(world, home(world))
    client = api_as(world.user("worker"))
    client.headers["Idempotency-Key"] = "phone-retry-7"
    body = {"venue_id": court.pk, "starts_at": _tomorrow_at(19).isoformat()}

    first = client.post("/bookings", body)
    again = client.post("/bookings", body)

    assert (first.status_code, again.status_code) == (201, 201)
    assert first.json()["id"] == again.json()["id"]
    assert Booking.objects.count() == 1
    mine = client.get("/bookings/mine")
    assert [b["id"] for b in mine.json()["items"]] == [first.json()["id"]]


def test_a_full_slot_answers_409_with_its_code(world, api_as):
    court = venue(world, home(world))
    body = {"venue_id": court.pk, "starts_at": _tomorrow_at(19).isoformat()}
    api_as(world.user("worker")).post("/bookings", body)

    refused = api_as(world.user("other_worker")).post("/bookings", body)
    queued = api_as(world.user("other_worker")).post("/bookings/waitlist", body)

    assert refused.status_code == 409
    assert refused.json()["code"] == "booking.slot_full"
    assert queued.status_code == 201
    assert queued.json()["ahead"] == 0


def test_a_venue_id_no_row_can_have_is_not_found_not_a_server_error(world, api_as):
    client = api_as(world.user("worker"))
    for venue_id in (0, -1, 2**63, 10**30):
        body = {"venue_id": venue_id, "starts_at": _tomorrow_at(19).isoformat()}
        booked = client.post("/bookings", body)
        slots = client.get(f"/bookings/venues/{venue_id}/slots")
        assert (booked.status_code, booked.json()["code"]) == (404, "venue.not_found"), venue_id
        assert slots.status_code == 404, venue_id
    assert not Booking.objects.exists()


def test_cancel_through_the_api(world, api_as):
    court = venue(world, home(world))
    client = api_as(world.user("worker"))
    booked = client.post("/bookings", {"venue_id": court.pk, "starts_at": _tomorrow_at(19).isoformat()}).json()

    cancelled = client.post(f"/bookings/{booked['id']}/cancel", {"idempotency_key": "c1"})

    assert cancelled.status_code == 200
    assert cancelled.json()["status"] == "cancelled"


def test_staff_set_up_a_venue_and_see_its_day(world, api_as):
    point = home(world)
    staff = api_as(world.user("district_x_staff"))

    created = staff.post(
        "/bookings/manage/venues",
        {
            "point_id": point.pk,
            "name": "阅览室",
            "kind": "room",
            "capacity": 30,
            "audience": "members",
            "closed_dates": ["2026-12-01"],
        },
    )
    other = api_as(world.user("district_y_staff")).post(
        "/bookings/manage/venues", {"point_id": point.pk, "name": "越权", "kind": "room"}
    )
    patched = staff.patch(f"/bookings/manage/venues/{created.json()['id']}", {"capacity": 40, "offer_minutes": 20})

    assert created.status_code == 201
    assert created.json()["closed_dates"] == ["2026-12-01"]
    assert other.status_code == 404
    assert (patched.json()["capacity"], patched.json()["offer_minutes"]) == (40, 20)
    assert Venue.objects.count() == 1
    day = staff.get(f"/bookings/manage/venues/{created.json()['id']}/bookings")
    assert day.status_code == 200


def test_check_in_by_card_through_the_api_and_the_report(world, api_as):
    point = home(world)
    court = venue(world, point)
    membership = member(world, "worker")
    now = timezone.localtime()
    # A booking that is on now: made directly, as the slot has already started.
    from zhijia.bookings.models import Slot

    start = now.replace(minute=0, second=0, microsecond=0)
    slot = Slot.objects.create(venue=court, starts_at=start, ends_at=start + dt.timedelta(hours=1))
    booking = Booking.objects.create(
        slot=slot, venue=court, user=world.user("worker"), starts_at=slot.starts_at, ends_at=slot.ends_at
    )

    done = api_as(world.user("district_x_staff")).post(
        "/bookings/manage/checkin", {"point_id": point.pk, "token": card_token_issue(membership=membership)}
    )
    report = api_as(world.user("district_x_staff")).get("/bookings/manage/report", days=7)

    assert done.status_code == 200
    assert done.json()["booking"]["id"] == booking.pk
    assert done.json()["booking"]["status"] == "checked_in"
    assert done.json()["member"] == "王**"
    today = report.json()[-1]
    assert (today["bookings"], today["checked_in"], today["checkin_rate"]) == (1, 1, 1.0)


def test_dates_and_times_outside_the_platforms_years_are_refused_naming_the_field(world, api_as):
    point = home(world)
    court = venue(world, point)
    worker, staff = api_as(world.user("worker")), api_as(world.user("district_x_staff"))

    booked = worker.post("/bookings", {"venue_id": court.pk, "starts_at": "9999-12-31T23:00:00Z"})
    queued = worker.post("/bookings/waitlist", {"venue_id": court.pk, "starts_at": "9999-12-31T23:00:00Z"})
    day = staff.get(f"/bookings/manage/venues/{court.pk}/bookings", date="9999-12-31")
    created = staff.post(
        "/bookings/manage/venues",
        {"point_id": point.pk, "name": "阅览室", "kind": "room", "closed_dates": ["0001-01-01"]},
    )
    patched = staff.patch(f"/bookings/manage/venues/{court.pk}", {"closed_dates": ["0001-01-01"]})

    for response, field in [
        (booked, "starts_at"),
        (queued, "starts_at"),
        (day, "date"),
        (created, "closed_dates"),
        (patched, "closed_dates"),
    ]:
        assert response.status_code == 400, response.content
        assert (response.json()["code"], response.json()["detail"]["field"]) == ("date.out_of_range", field)
        assert "须在 2000 年至 2100 年之间" in response.json()["message"]
    assert not Booking.objects.exists()
    assert list(Venue.objects.values_list("name", flat=True)) == ["羽毛球场1号"]
    assert not court.closures.exists()


def test_an_idempotency_key_header_with_a_nul_or_too_long_is_refused_naming_the_header(world, api_as):
    court = venue(world, home(world))
    client = api_as(world.user("worker"))
    body = {"venue_id": court.pk, "starts_at": _tomorrow_at(19).isoformat()}

    for key in ("phone\x00retry", "k" * 81):
        client.headers["Idempotency-Key"] = key
        refused = client.post("/bookings", body)

        assert refused.status_code == 422
        assert refused.json()["code"] == "request.invalid"
        assert refused.json()["detail"]["field"] == "header.Idempotency-Key"
    assert not Booking.objects.exists()
