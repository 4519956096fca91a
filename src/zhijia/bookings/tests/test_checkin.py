"""Checking a member in by their card at the point's scanner: the booking on now is checked in, points are earned,
and the visit shows in `checkins_at`."""

from __future__ import annotations

import datetime as dt

import pytest

from zhijia.bookings import selectors, services
from zhijia.bookings.models import BookingStatus
from zhijia.core.errors import Conflict, NotFound, ValidationFailed
from zhijia.members.services import card_token_issue
from zhijia.members.tests.membership_support import member
from zhijia.points.models import EarningRule
from zhijia.points.selectors import balance_of

from .booking_support import MONDAY, at, book, home, venue

NINE = at(MONDAY, 9)


def test_scanning_the_card_checks_in_the_booking_on_now(world):
    point = home(world)
    court = venue(world, point)
    membership = member(world, "worker")
    booking = book(world.user("worker"), court, NINE)
    token = card_token_issue(membership=membership)
    staff = world.user("district_x_staff")

    done = services.booking_checkin(actor=staff, point_id=point.pk, token=token, now=NINE - dt.timedelta(minutes=5))
    again = services.booking_checkin(actor=staff, point_id=point.pk, token=token, now=NINE)

    booking.refresh_from_db()
    assert booking.status == BookingStatus.CHECKED_IN
    assert booking.checked_in_by == staff
    assert (done.already, again.already) == (False, True)
    assert done.masked_name == "王**"
    assert selectors.checkins_at(point.pk, world.user("worker").pk, NINE - dt.timedelta(days=1))
    assert not selectors.checkins_at(point.pk, world.user("worker").pk, NINE + dt.timedelta(hours=1))
    # A checked-in booking is never released.
    assert services.booking_release(booking_id=booking.pk, now=NINE + dt.timedelta(hours=2)) is False


def test_no_booking_on_now_and_bad_cards_are_refused(world):
    point = home(world)
    court = venue(world, point)
    membership = member(world, "worker")
    book(world.user("worker"), court, at(MONDAY, 15))
    staff = world.user("district_x_staff")

    with pytest.raises(Conflict, match=r"booking.nothing_to_check_in"):
        services.booking_checkin(
            actor=staff, point_id=point.pk, token=card_token_issue(membership=membership), now=NINE
        )
    with pytest.raises(ValidationFailed, match=r"booking.card_invalid"):
        services.booking_checkin(actor=staff, point_id=point.pk, token="not-a-card", now=NINE)


def test_staff_of_another_district_cannot_check_in_here(world):
    point = home(world)
    membership = member(world, "worker")
    book(world.user("worker"), venue(world, point), NINE)

    with pytest.raises(NotFound):
        services.booking_checkin(
            actor=world.user("district_y_staff"),
            point_id=point.pk,
            token=card_token_issue(membership=membership),
            now=NINE,
        )


def test_checking_in_earns_the_points_of_the_unions_rule_once(world):
    point = home(world)
    membership = member(world, "worker")
    worker = world.user("worker")
    # The district's earning rule (set up here directly: the rule pages belong to the points app).
    EarningRule.objects.create(org=world.district_x, event="booking_checkin", points=5)
    book(worker, venue(world, point), NINE)
    token = card_token_issue(membership=membership)
    staff = world.user("district_x_staff")

    done = services.booking_checkin(actor=staff, point_id=point.pk, token=token, now=NINE)
    services.booking_checkin(actor=staff, point_id=point.pk, token=token, now=NINE + dt.timedelta(minutes=1))

    assert done.points == 5
    assert balance_of(user_id=worker.pk) == 5
