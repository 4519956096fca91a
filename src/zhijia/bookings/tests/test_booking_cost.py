"""What one booking costs the database: a pinned upper bound on its queries, so a change that adds a query per
booking (a count, a lookup up the tree, the day's slot list) fails here instead of showing up under load."""

from __future__ import annotations

from zhijia.bookings.models import Booking, BookingStatus

from .booking_support import MONDAY, at, book, home, venue, workers

# Person lock, key, venue, the day's hours, suspension, slot lock, one count query, the booking, the key, audit,
# policy, the inbox message with its audit row (savepoints included): 20 in all when the slot exists already.
MAX_QUERIES_EXISTING_SLOT = 20
# The first booking of a slot also creates the slot row.
MAX_QUERIES_NEW_SLOT = 23


def test_a_booking_runs_a_fixed_small_number_of_queries(world, django_assert_max_num_queries):
    court = venue(world, home(world), capacity=5, per_day_limit=2, per_week_limit=4)
    first, second = workers(2)

    with django_assert_max_num_queries(MAX_QUERIES_NEW_SLOT):
        made = book(first, court, at(MONDAY, 19), key="first-try")
    with django_assert_max_num_queries(MAX_QUERIES_EXISTING_SLOT):
        joined = book(second, court, at(MONDAY, 19), key="second-try")

    assert made.slot_id == joined.slot_id
    assert Booking.objects.filter(slot_id=made.slot_id, status=BookingStatus.BOOKED).count() == 2
