"""Fifty people tapping "book" for the last place of a slot at the same instant: exactly the capacity is taken and
everyone else is told the slot is full. The same person's retried request (one idempotency key) books once."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest
from django.db import IntegrityError, connection, transaction

from zhijia.accounts.models import User
from zhijia.bookings import services
from zhijia.bookings.models import LIVE_STATUSES, Booking, Slot, Venue
from zhijia.bookings.tests.booking_support import MONDAY, NOW, at, home, venue, workers
from zhijia.core.errors import Conflict

pytestmark = pytest.mark.postgres

THREADS = 50
NINE = at(MONDAY, 9)


def _book(user_pk: int, venue_pk: int, key: str = "") -> Booking:
    return services.booking_create(
        actor=User.objects.get(pk=user_pk), venue_id=venue_pk, starts_at=NINE, idempotency_key=key, now=NOW
    )


def _live(v: Venue) -> int:
    return Booking.objects.filter(venue=v, starts_at=NINE, status__in=LIVE_STATUSES).count()


def _refusals(outcomes: list[Any]) -> Counter[str]:
    return Counter(o.error.code if isinstance(o.error, Conflict) else repr(o.error) for o in outcomes if not o.ok)


def test_fifty_requests_for_the_last_place_of_a_gym_slot(world: Any, together: Callable[..., Any]) -> None:
    # given a gym of capacity 5 with 4 places of the 09:00 slot already taken
    gym = venue(world, home(world), name="健身房", kind="room", capacity=5)
    early = workers(4, "early")
    for person in early:
        _book(person.pk, gym.pk)
    crowd = [p.pk for p in workers(THREADS, "crowd")]

    # when fifty more ask for it at the same instant
    outcomes = together(THREADS, lambda i: _book(crowd[i], gym.pk))

    # then one of them got the last place and 49 were told the slot is full
    assert sum(o.ok for o in outcomes) == 1
    assert _refusals(outcomes) == Counter({"booking.slot_full": THREADS - 1})
    assert _live(gym) == 5


def test_fifty_requests_for_one_court(world: Any, together: Callable[..., Any]) -> None:
    court = venue(world, home(world))
    crowd = [p.pk for p in workers(THREADS, "crowd")]

    outcomes = together(THREADS, lambda i: _book(crowd[i], court.pk))

    assert sum(o.ok for o in outcomes) == 1
    assert _refusals(outcomes) == Counter({"booking.slot_full": THREADS - 1})
    assert _live(court) == 1


def test_one_person_retrying_with_one_key_books_once(world: Any, together: Callable[..., Any]) -> None:
    gym = venue(world, home(world), name="健身房", kind="room", capacity=20)
    worker = world.user("worker")

    outcomes = together(THREADS, lambda i: _book(worker.pk, gym.pk, key="retry-42"))

    assert all(o.ok for o in outcomes), _refusals(outcomes)
    assert {o.value.pk for o in outcomes} == {Booking.objects.get().pk}
    assert _live(gym) == 1


def test_postgresql_itself_refuses_overlapping_bookings_of_a_capacity_one_venue(world: Any) -> None:
    # The lock path never lets this happen; the exclusion constraint is the database's own guarantee beneath it.
    if connection.vendor != "postgresql":
        pytest.skip("the exclusion constraint exists on PostgreSQL only")
    court = venue(world, home(world))
    a, b = workers(2)
    slot = Slot.objects.create(venue=court, starts_at=NINE, ends_at=NINE + dt.timedelta(hours=1))
    overlapping = Slot.objects.create(
        venue=court, starts_at=NINE + dt.timedelta(minutes=30), ends_at=NINE + dt.timedelta(minutes=90)
    )
    Booking.objects.create(slot=slot, venue=court, user=a, starts_at=NINE, ends_at=slot.ends_at, exclusive=True)

    with pytest.raises(IntegrityError, match="booking_exclusive_no_overlap"), transaction.atomic():
        Booking.objects.create(
            slot=overlapping,
            venue=court,
            user=b,
            starts_at=overlapping.starts_at,
            ends_at=overlapping.ends_at,
            exclusive=True,
        )
