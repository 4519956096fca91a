"""What one booking costs the database: a pinned upper bound on its queries, so a change that adds a query per
booking (a count, a lookup up the tree, the day's slot list) fails here instead of showing up under load."""

from __future__ import annotations

import datetime as dt

from zhijia.bookings import selectors, services
from zhijia.bookings.models import Booking, BookingStatus
from zhijia.network import services as network

from .booking_support import MONDAY, at, book, home, venue, workers

# Person lock, key, venue with its point and owner, the day's hours, suspension, slot lock, one count query, the
# booking, the key, audit, policy, the release task, the inbox message with its audit row (savepoints included): 18
# in all when the slot exists already. The reads among them are written out (statements.py): what they cost in CPU
# is measured by bench/booking_load.py, not here.
MAX_QUERIES_EXISTING_SLOT = 18
# The first booking of a slot also creates the slot row (in a savepoint, and found again if someone else made it).
MAX_QUERIES_NEW_SLOT = 21


def test_a_booking_runs_a_fixed_small_number_of_queries(world, django_assert_max_num_queries):
    court = venue(world, home(world), capacity=5, per_day_limit=2, per_week_limit=4)
    first, second = workers(2)

    with django_assert_max_num_queries(MAX_QUERIES_NEW_SLOT):
        made = book(first, court, at(MONDAY, 19), key="first-try")
    with django_assert_max_num_queries(MAX_QUERIES_EXISTING_SLOT):
        joined = book(second, court, at(MONDAY, 19), key="second-try")

    assert made.slot_id == joined.slot_id
    assert Booking.objects.filter(slot_id=made.slot_id, status=BookingStatus.BOOKED).count() == 2


def test_a_start_is_bookable_exactly_when_the_day_lists_its_slot(world):
    """Booking checks only the requested slot; it must agree with the day's full slot list on ordinary days, a day
    with a lunch break, a date with its own hours, a date closed for the point, a venue's closed date, and starts
    off the grid (a minute off, a second off)."""
    superuser = world.user("superuser")
    point = home(world)
    open_late, shut = MONDAY + dt.timedelta(days=2), MONDAY + dt.timedelta(days=3)
    network.point_hours_set(
        actor=superuser,
        point_id=point.pk,
        weekly={d: ((8 * 60, 12 * 60), (13 * 60 + 30, 18 * 60)) for d in range(7)},
        exceptions=[network.DateHours(open_late, ((17 * 60, 23 * 60),)), network.DateHours(shut)],
    )
    court = venue(world, point, slot_minutes=45, closed_dates=[MONDAY + dt.timedelta(days=1)])

    checked = 0
    for day in [MONDAY + dt.timedelta(days=i) for i in range(5)]:
        listed = dict(selectors.day_slots(court, day))
        for minute in range(0, 24 * 60, 15):
            start = at(day, 0) + dt.timedelta(minutes=minute)
            expected = (start, listed[start]) if start in listed else None
            assert selectors.slot_at(court, start) == expected, start
            checked += expected is not None
            assert selectors.slot_at(court, start + dt.timedelta(seconds=1)) is None
    # Monday and Friday: 5 + 6 slots each; Wednesday's own hours: 8; Tuesday (venue closed) and Thursday: none.
    assert checked == 2 * 11 + 8


def test_the_nearest_unions_policy_wins_and_a_venue_setting_every_rule_reads_none(world, django_assert_num_queries):
    rules = {"no_show_limit": 3, "no_show_window_days": 30, "suspension_days": 7, "offer_minutes": 15}
    services.policy_set(actor=world.user("superuser"), org_id=world.city.pk, release_after_minutes=40, **rules)
    services.policy_set(actor=world.user("superuser"), org_id=world.district_x.pk, release_after_minutes=20, **rules)
    point = home(world)

    policy = selectors.policy_for(venue(world, point))
    assert (policy.release_after_minutes, policy.org_id) == (20, world.district_x.pk)

    strict = venue(world, point, name="羽毛球场3号", release_after_minutes=5, **rules)
    with django_assert_num_queries(0):
        policy = selectors.policy_for(strict)
    assert (policy.release_after_minutes, policy.offer_minutes) == (5, 15)
