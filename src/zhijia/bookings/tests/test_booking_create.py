"""Booking a place: capacity, the idempotency key, per-person limits, members-only venues, how far ahead."""

from __future__ import annotations

import datetime as dt

import pytest

from zhijia.audit.models import AuditEvent
from zhijia.bookings.models import Booking, BookingStatus, IdempotencyKey
from zhijia.core.errors import Conflict, PermissionDenied, ValidationFailed
from zhijia.members.tests.membership_support import member
from zhijia.notifications.models import Notification

from .booking_support import MONDAY, NOW, at, book, home, venue, workers


def test_a_worker_books_a_court_and_is_told_so(world):
    court = venue(world, home(world))
    worker = world.user("worker")

    booking = book(worker, court, at(MONDAY, 19))

    assert booking.status == BookingStatus.BOOKED
    assert (booking.starts_at, booking.ends_at) == (at(MONDAY, 19), at(MONDAY, 20))
    assert AuditEvent.objects.filter(action="booking.create", object_id=str(booking.pk)).count() == 1
    assert Notification.objects.filter(user=worker, kind="booking_confirmed").count() == 1


def test_a_full_slot_refuses_with_a_clear_code(world):
    gym = venue(world, home(world), name="健身房", kind="room", capacity=2)
    a, b, c = workers(3)
    book(a, gym, at(MONDAY, 9))
    book(b, gym, at(MONDAY, 9))

    with pytest.raises(Conflict) as refused:
        book(c, gym, at(MONDAY, 9))

    assert refused.value.code == "booking.slot_full"
    assert refused.value.detail["waitlist"] is True
    assert Booking.objects.filter(venue=gym, starts_at=at(MONDAY, 9)).count() == 2


def test_a_repeated_idempotency_key_books_once(world):
    court = venue(world, home(world))
    worker = world.user("worker")

    first = book(worker, court, at(MONDAY, 9), key="tap-1")
    again = book(worker, court, at(MONDAY, 9), key="tap-1")

    assert again.pk == first.pk
    assert Booking.objects.count() == 1
    assert AuditEvent.objects.filter(action="booking.create").count() == 1
    with pytest.raises(Conflict, match=r"booking.idempotency_key_reused"):
        book(worker, court, at(MONDAY, 10), key="tap-1")
    assert IdempotencyKey.objects.count() == 1


def test_the_same_person_cannot_hold_a_slot_twice(world):
    court = venue(world, home(world), capacity=3, kind="room", name="乒乓球室")
    book(world.user("worker"), court, at(MONDAY, 9))

    with pytest.raises(Conflict, match=r"booking.already_booked"):
        book(world.user("worker"), court, at(MONDAY, 9))


def test_limits_per_person_per_day_and_per_week(world):
    court = venue(world, home(world), per_day_limit=2, per_week_limit=3)
    worker = world.user("worker")
    book(worker, court, at(MONDAY, 9))
    book(worker, court, at(MONDAY, 10))

    with pytest.raises(Conflict) as day:
        book(worker, court, at(MONDAY, 11))
    book(worker, court, at(MONDAY + dt.timedelta(days=1), 9))
    with pytest.raises(Conflict) as week:
        book(worker, court, at(MONDAY + dt.timedelta(days=2), 9))

    assert (day.value.code, week.value.code) == ("booking.day_limit", "booking.week_limit")
    # The next week starts afresh.
    book(worker, court, at(MONDAY + dt.timedelta(days=7), 9), now=NOW + dt.timedelta(days=1))


def test_a_members_only_venue_refuses_a_worker_who_is_not_a_member(world):
    room = venue(world, home(world), name="职工阅览室", kind="room", capacity=20, audience="members")

    with pytest.raises(PermissionDenied) as refused:
        book(world.user("worker"), room, at(MONDAY, 9))
    member(world, "worker")
    booking = book(world.user("worker"), room, at(MONDAY, 9))

    assert refused.value.code == "booking.members_only"
    assert booking.status == BookingStatus.BOOKED


def test_only_real_future_slots_within_the_booking_window(world):
    court = venue(world, home(world), book_ahead_days=3)
    worker = world.user("worker")

    with pytest.raises(Conflict, match=r"booking.slot_started"):
        book(worker, court, at(MONDAY, 9), now=at(MONDAY, 9, 1))
    with pytest.raises(ValidationFailed, match=r"booking.too_far_ahead"):
        book(worker, court, at(MONDAY + dt.timedelta(days=4), 9))
    with pytest.raises(ValidationFailed, match=r"booking.not_a_slot"):
        book(worker, court, at(MONDAY, 9, 30))
    with pytest.raises(ValidationFailed, match=r"booking.not_a_slot"):
        book(worker, court, at(MONDAY, 22))
    assert Booking.objects.count() == 0
