"""Bookable slots come from the point's opening hours, holidays and the venue's closed dates."""

from __future__ import annotations

import datetime as dt

from zhijia.bookings import selectors, services
from zhijia.network import services as network

from .booking_support import MONDAY, NOW, at, home, venue

NATIONAL_DAY = dt.date(2026, 10, 1)


def test_slots_are_the_opening_spans_cut_into_whole_slots(world):
    point = home(world, spans=((8 * 60, 12 * 60), (13 * 60 + 30, 18 * 60)))
    court = venue(world, point, slot_minutes=90)

    slots = selectors.day_slots(court, MONDAY)

    # 08:00-12:00 holds two 90-minute slots (the last 60 minutes are too short), 13:30-18:00 holds three.
    assert [s.strftime("%H:%M") for s, _ in slots] == ["08:00", "09:30", "13:30", "15:00", "16:30"]
    assert all(e - s == dt.timedelta(minutes=90) for s, e in slots)


def test_a_statutory_holiday_uses_the_holiday_hours_and_a_closed_date_has_no_slots(world):
    point = home(world)
    court = venue(world, point, closed_dates=[MONDAY + dt.timedelta(days=1)])

    assert selectors.day_slots(court, NATIONAL_DAY) == []  # no holiday hours: closed
    assert selectors.day_slots(court, MONDAY + dt.timedelta(days=1)) == []
    assert len(selectors.day_slots(court, MONDAY)) == 14

    network.point_hours_set(
        actor=world.user("superuser"),
        point_id=point.pk,
        weekly={**{d: ((480, 1320),) for d in range(7)}, 7: ((600, 720),)},
    )
    assert [s.hour for s, _ in selectors.day_slots(court, NATIONAL_DAY)] == [10, 11]


def test_the_slot_picker_counts_places_and_marks_mine(world):
    point = home(world)
    gym = venue(world, point, name="健身房", kind="room", capacity=2)
    a, b = world.user("worker"), world.user("other_worker")
    services.booking_create(actor=a, venue_id=gym.pk, starts_at=at(MONDAY, 9), now=NOW)
    services.booking_create(actor=b, venue_id=gym.pk, starts_at=at(MONDAY, 9), now=NOW)
    services.booking_create(actor=b, venue_id=gym.pk, starts_at=at(MONDAY, 10), now=NOW)

    views = {v.starts_at.hour: v for v in selectors.slot_views(gym, MONDAY, user=a, now=at(MONDAY, 8, 30))}

    assert views[8].state == "past"
    assert (views[9].state, views[9].taken) == ("mine", 2)
    assert (views[10].state, views[10].free) == ("open", 1)
