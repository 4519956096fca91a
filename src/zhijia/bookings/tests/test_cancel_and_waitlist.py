"""Cancelling before the cut-off, and the waitlist: a freed place is offered to the first in line, held for the offer
window, and passed to the next when nobody confirms."""

from __future__ import annotations

import datetime as dt

import pytest

from zhijia.audit.models import AuditEvent
from zhijia.bookings import services
from zhijia.bookings.models import Booking, BookingStatus, WaitlistEntry, WaitStatus
from zhijia.core.errors import Conflict
from zhijia.notifications.models import Notification

from .booking_support import MONDAY, NOW, at, book, home, venue, workers

NINE = at(MONDAY, 9)


def test_cancel_before_the_cut_off_only(world):
    court = venue(world, home(world), cancel_cutoff_minutes=120)
    worker = world.user("worker")
    early = book(worker, court, NINE)
    late = book(worker, court, at(MONDAY, 10))

    cancelled = services.booking_cancel(actor=worker, booking_id=early.pk, now=at(MONDAY, 6, 59))
    with pytest.raises(Conflict) as refused:
        services.booking_cancel(actor=worker, booking_id=late.pk, now=at(MONDAY, 8, 0))

    assert cancelled.status == BookingStatus.CANCELLED
    assert refused.value.code == "booking.past_cutoff"
    late.refresh_from_db()
    assert late.status == BookingStatus.BOOKED


def test_a_repeated_cancel_key_answers_once(world):
    court = venue(world, home(world))
    worker = world.user("worker")
    booking = book(worker, court, NINE)

    first = services.booking_cancel(actor=worker, booking_id=booking.pk, idempotency_key="c-1", now=NOW)
    again = services.booking_cancel(actor=worker, booking_id=booking.pk, idempotency_key="c-1", now=NOW)

    assert first.pk == again.pk == booking.pk
    assert AuditEvent.objects.filter(action="booking.cancel").count() == 1
    with pytest.raises(Conflict, match=r"booking.not_cancellable"):
        services.booking_cancel(actor=worker, booking_id=booking.pk, idempotency_key="c-2", now=NOW)


def test_someone_elses_booking_is_not_found(world):
    booking = book(world.user("worker"), venue(world, home(world)), NINE)

    with pytest.raises(Exception, match=r"booking.not_found"):
        services.booking_cancel(actor=world.user("other_worker"), booking_id=booking.pk, now=NOW)


def _full_court_with_queue(world, waiting: int):
    court = venue(world, home(world), offer_minutes=15)
    holder, *queue = workers(waiting + 1)
    booking = book(holder, court, NINE)
    for i, person in enumerate(queue):
        services.waitlist_join(actor=person, venue_id=court.pk, starts_at=NINE, now=NOW + dt.timedelta(seconds=i))
    return court, holder, booking, queue


def test_a_freed_place_is_offered_to_the_first_in_line(world):
    court, holder, booking, (first, second) = _full_court_with_queue(world, 2)

    services.booking_cancel(actor=holder, booking_id=booking.pk, now=NOW)

    offer = Booking.objects.get(user=first, starts_at=NINE)
    assert offer.status == BookingStatus.OFFERED
    assert offer.offer_expires_at == NOW + dt.timedelta(minutes=15)
    assert Notification.objects.filter(user=first, kind="booking_waitlist_offer").count() == 1
    assert not Booking.objects.filter(user=second).exists()
    # Nobody else can take the held place.
    with pytest.raises(Conflict, match=r"booking.slot_full"):
        book(world.user("worker"), court, NINE)

    accepted = services.offer_accept(actor=first, booking_id=offer.pk, now=NOW + dt.timedelta(minutes=14))
    assert accepted.status == BookingStatus.BOOKED
    assert WaitlistEntry.objects.get(user=first).status == WaitStatus.ACCEPTED


def test_an_unconfirmed_offer_passes_to_the_next_when_its_window_ends(world):
    _court, holder, booking, (first, second) = _full_court_with_queue(world, 2)
    services.booking_cancel(actor=holder, booking_id=booking.pk, now=NOW)
    offer = Booking.objects.get(user=first, starts_at=NINE)

    # The deferred task may run early (a clock skew) or late; it acts only once the window has ended.
    assert services.offer_lapse(booking_id=offer.pk, now=NOW + dt.timedelta(minutes=14)) is False
    assert services.offer_lapse(booking_id=offer.pk, now=NOW + dt.timedelta(minutes=15)) is True
    assert services.offer_lapse(booking_id=offer.pk, now=NOW + dt.timedelta(minutes=16)) is False

    offer.refresh_from_db()
    assert offer.status == BookingStatus.LAPSED
    handed = Booking.objects.get(user=second, starts_at=NINE)
    assert handed.status == BookingStatus.OFFERED
    assert handed.offer_expires_at == NOW + dt.timedelta(minutes=30)
    with pytest.raises(Conflict, match=r"booking.offer_expired"):
        services.offer_accept(actor=first, booking_id=offer.pk, now=NOW + dt.timedelta(minutes=16))


def test_the_sweep_hands_over_what_the_timers_missed_and_is_idempotent(world):
    _court, holder, booking, (_first, second) = _full_court_with_queue(world, 2)
    services.booking_cancel(actor=holder, booking_id=booking.pk, now=NOW)

    later = NOW + dt.timedelta(minutes=40)
    done = services.bookings_sweep(now=later)
    again = services.bookings_sweep(now=later)

    # First's offer lapsed at +15 and second's (made at the sweep) still runs: one hand-over, then nothing to do.
    assert done == {"released": 0, "lapsed": 1}
    assert again == {"released": 0, "lapsed": 0}
    assert Booking.objects.get(user=second, starts_at=NINE).status == BookingStatus.OFFERED


def test_declining_an_offer_passes_it_on_at_once(world):
    _court, holder, booking, (first, second) = _full_court_with_queue(world, 2)
    services.booking_cancel(actor=holder, booking_id=booking.pk, now=NOW)
    offer = Booking.objects.get(user=first, starts_at=NINE)

    services.booking_cancel(actor=first, booking_id=offer.pk, now=NOW + dt.timedelta(minutes=1))

    assert Booking.objects.get(user=second, starts_at=NINE).status == BookingStatus.OFFERED


def test_the_waitlist_is_only_for_full_slots(world):
    court = venue(world, home(world))

    with pytest.raises(Conflict, match=r"booking.slot_not_full"):
        services.waitlist_join(actor=world.user("worker"), venue_id=court.pk, starts_at=NINE, now=NOW)
