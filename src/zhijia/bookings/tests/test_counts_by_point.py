"""The count other apps ask of bookings: check-ins per point over a span (the annual evaluation's traffic)."""

from __future__ import annotations

import datetime as dt

from zhijia.bookings import selectors, services
from zhijia.members.services import card_token_issue
from zhijia.members.tests.membership_support import member

from .booking_support import MONDAY, at, book, home, venue, workers

NINE = at(MONDAY, 9)
HOUR = dt.timedelta(hours=1)


def test_checked_in_bookings_are_counted_per_point_within_the_span(world):
    # given two homes: at the first one a booking checked in at 08:55 and one never checked in; none at the second
    first, second = home(world), home(world, name="X街道第二职工之家")
    court = venue(world, first)
    book(world.user("worker"), court, NINE)
    (late,) = workers(1)
    book(late, court, NINE + HOUR)
    venue(world, second)
    token = card_token_issue(membership=member(world, "worker"))
    services.booking_checkin(
        actor=world.user("district_x_staff"), point_id=first.pk, token=token, now=NINE - dt.timedelta(minutes=5)
    )

    def count(start: dt.datetime, end: dt.datetime) -> dict[int, int]:
        return selectors.checked_in_bookings_by_point(point_ids=[first.pk, second.pk], start=start, end=end)

    # then only the check-in counts, at its own point; the span's end is left out, its start kept in
    assert count(NINE - HOUR, NINE + HOUR) == {first.pk: 1}
    assert count(NINE - dt.timedelta(minutes=5), NINE) == {first.pk: 1}
    assert count(NINE - HOUR, NINE - dt.timedelta(minutes=5)) == {}
    assert selectors.checked_in_bookings_by_point(point_ids=[second.pk], start=NINE - HOUR, end=NINE + HOUR) == {}
