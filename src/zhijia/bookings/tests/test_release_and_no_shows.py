"""Bookings nobody checked in for are released after the window; no-shows add up to a suspension; all of it
configurable per union (the nearest one above the point) and per venue."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import TestCase
from django_tasks_db.models import DBTaskResult
from freezegun import freeze_time

from zhijia.bookings import services, tasks
from zhijia.bookings.models import Booking, BookingStatus, Suspension
from zhijia.core.errors import PermissionDenied

from .booking_support import MONDAY, NOW, at, book, home, venue

NINE = at(MONDAY, 9)


def test_a_booking_not_checked_in_is_released_after_the_window_as_a_no_show(world):
    court = venue(world, home(world), release_after_minutes=15)
    booking = book(world.user("worker"), court, NINE)

    assert services.booking_release(booking_id=booking.pk, now=NINE + dt.timedelta(minutes=14)) is False
    assert services.booking_release(booking_id=booking.pk, now=NINE + dt.timedelta(minutes=15)) is True
    assert services.booking_release(booking_id=booking.pk, now=NINE + dt.timedelta(minutes=16)) is False

    booking.refresh_from_db()
    assert (booking.status, booking.no_show) == (BookingStatus.RELEASED, True)
    # The place is free again for the rest of the hour.
    other = book(world.user("other_worker"), court, at(MONDAY, 10), now=NINE + dt.timedelta(minutes=20))
    assert other.status == BookingStatus.BOOKED


def test_booking_defers_its_release_task_whose_body_rechecks(world):
    court = venue(world, home(world), release_after_minutes=10)
    with TestCase.captureOnCommitCallbacks(execute=True):
        booking = book(world.user("worker"), court, NINE)

    queued = DBTaskResult.objects.get(task_path="zhijia.bookings.tasks.release_if_absent")
    assert queued.run_after == NINE + dt.timedelta(minutes=10)
    assert queued.args_kwargs["args"] == [booking.pk]

    with freeze_time(NINE + dt.timedelta(minutes=10)):
        tasks.release_if_absent.call(booking.pk)
    booking.refresh_from_db()
    assert booking.status == BookingStatus.RELEASED


def _no_show(world, court, user, day_offset: int) -> Booking:
    day = MONDAY + dt.timedelta(days=day_offset)
    booking = book(user, court, at(day, 9), now=at(day, 7))
    services.booking_release(booking_id=booking.pk, now=at(day, 9, 30))
    return booking


def test_three_no_shows_within_the_window_suspend_booking(world):
    point = home(world)
    court = venue(world, point, per_week_limit=20, book_ahead_days=14)
    gym = venue(world, point, name="健身房", kind="room", capacity=10)
    worker = world.user("worker")
    _no_show(world, court, worker, 0)
    _no_show(world, court, worker, 1)
    assert not Suspension.objects.exists()

    _no_show(world, court, worker, 2)

    suspension = Suspension.objects.get(user=worker)
    assert suspension.no_shows == 3
    assert suspension.org == world.street_x  # the point's owner: no union above sets a policy
    assert suspension.ends_at == at(MONDAY + dt.timedelta(days=2), 9, 30) + dt.timedelta(days=14)
    day = MONDAY + dt.timedelta(days=3)
    with pytest.raises(PermissionDenied) as refused:
        book(worker, gym, at(day, 9), now=at(day, 7))
    assert refused.value.code == "booking.suspended"
    # Lifted early by staff, booking works again, and the old no-shows do not count twice.
    services.suspension_lift(actor=world.user("district_x_staff"), suspension_id=suspension.pk, now=at(day, 7))
    assert book(worker, gym, at(day, 9), now=at(day, 7)).status == BookingStatus.BOOKED


def test_a_unions_policy_applies_below_it_and_a_venue_may_override(world):
    services.policy_set(
        actor=world.user("district_x_staff"),
        org_id=world.district_x.pk,
        release_after_minutes=5,
        no_show_limit=1,
        no_show_window_days=7,
        suspension_days=3,
        offer_minutes=10,
    )
    point = home(world)
    court = venue(world, point)
    lenient = venue(world, point, name="羽毛球场2号", no_show_limit=5, release_after_minutes=30)

    booking = book(world.user("worker"), court, NINE)
    assert services.booking_release(booking_id=booking.pk, now=NINE + dt.timedelta(minutes=5)) is True
    suspension = Suspension.objects.get(user=world.user("worker"))
    assert suspension.org == world.district_x
    assert suspension.ends_at - suspension.starts_at == dt.timedelta(days=3)

    other = book(world.user("other_worker"), lenient, NINE)
    assert services.booking_release(booking_id=other.pk, now=NINE + dt.timedelta(minutes=29)) is False
    assert services.booking_release(booking_id=other.pk, now=NINE + dt.timedelta(minutes=30)) is True
    assert not Suspension.objects.filter(user=world.user("other_worker")).exists()


def test_the_sweep_releases_every_overdue_booking_once(world):
    court = venue(world, home(world), capacity=5, kind="room", name="乒乓球室")
    for name in ("worker", "other_worker"):
        book(world.user(name), court, NINE)

    first = services.bookings_sweep(now=NINE + dt.timedelta(minutes=20))
    second = services.bookings_sweep(now=NINE + dt.timedelta(minutes=20))

    assert first == {"released": 2, "lapsed": 0}
    assert second == {"released": 0, "lapsed": 0}
    assert NOW < NINE
