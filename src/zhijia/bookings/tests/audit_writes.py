"""Venue booking's rows of the audit guard (`audit/tests/test_audit_record.py`): each write service, what it does
on a fresh world, and the action it records."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from zhijia.bookings import services
from zhijia.bookings.models import Booking
from zhijia.members.services import card_token_issue
from zhijia.members.tests.membership_support import member
from zhijia.testing.world import World

from .booking_support import MONDAY, NOW, at, book, home, venue

NINE = at(MONDAY, 9)
# Reads, or compositions of the audited writes below.
NOT_AUDITED = {"bookings_sweep"}


def _court(w: World, **values: Any) -> Any:
    return venue(w, home(w), **values)


def _offered(w: World) -> Booking:
    court = _court(w)
    held = book(w.user("other_worker"), court, NINE)
    services.waitlist_join(actor=w.user("worker"), venue_id=court.pk, starts_at=NINE, now=NOW)
    services.booking_cancel(actor=w.user("other_worker"), booking_id=held.pk, now=NOW)
    return Booking.objects.get(user=w.user("worker"), status="offered")


def _checkin(w: World) -> object:
    point = home(w)
    court = venue(w, point)
    token = card_token_issue(membership=member(w, "worker"))
    book(w.user("worker"), court, NINE)
    return services.booking_checkin(actor=w.user("district_x_staff"), point_id=point.pk, token=token, now=NINE)


def _suspended(w: World) -> Any:
    court = _court(w, no_show_limit=1)
    booking = book(w.user("worker"), court, NINE)
    services.booking_release(booking_id=booking.pk, now=NINE + dt.timedelta(hours=1))
    return services.suspension_lift(
        actor=w.user("district_x_staff"), suspension_id=w.user("worker").booking_suspensions.get().pk, now=NINE
    )


WRITES: list[tuple[str, str | None, Callable[[World], object], str]] = [
    ("venue_create", "superuser", lambda w: _court(w), "venue.create"),
    (
        "venue_update",
        "district_x_staff",
        lambda w: services.venue_update(actor=w.user("district_x_staff"), venue_id=_court(w).pk, capacity=2),
        "venue.update",
    ),
    (
        "policy_set",
        "district_x_staff",
        lambda w: services.policy_set(
            actor=w.user("district_x_staff"),
            org_id=w.district_x.pk,
            release_after_minutes=10,
            no_show_limit=3,
            no_show_window_days=30,
            suspension_days=7,
            offer_minutes=15,
        ),
        "booking.policy_set",
    ),
    ("booking_create", "worker", lambda w: book(w.user("worker"), _court(w), NINE), "booking.create"),
    (
        "booking_cancel",
        "worker",
        lambda w: services.booking_cancel(
            actor=w.user("worker"), booking_id=book(w.user("worker"), _court(w), NINE).pk, now=NOW
        ),
        "booking.cancel",
    ),
    (
        "waitlist_join",
        "worker",
        lambda w: (
            (court := _court(w)),
            book(w.user("other_worker"), court, NINE),
            services.waitlist_join(actor=w.user("worker"), venue_id=court.pk, starts_at=NINE, now=NOW),
        ),
        "booking.waitlist_join",
    ),
    (
        "waitlist_leave",
        "worker",
        lambda w: services.waitlist_leave(actor=w.user("worker"), entry_id=_offered(w).waitlist_entry.pk, now=NOW),
        "booking.waitlist_leave",
    ),
    (
        "offer_accept",
        "worker",
        lambda w: services.offer_accept(actor=w.user("worker"), booking_id=_offered(w).pk, now=NOW),
        "booking.offer_accept",
    ),
    (
        "offer_lapse",
        None,
        lambda w: services.offer_lapse(booking_id=_offered(w).pk, now=NOW + dt.timedelta(hours=1)),
        "booking.offer_lapse",
    ),
    ("booking_checkin", "district_x_staff", _checkin, "booking.checkin"),
    (
        "booking_release",
        None,
        lambda w: services.booking_release(
            booking_id=book(w.user("worker"), _court(w), NINE).pk, now=NINE + dt.timedelta(hours=1)
        ),
        "booking.release",
    ),
    ("suspension_lift", "district_x_staff", _suspended, "booking.suspension_lift"),
]
