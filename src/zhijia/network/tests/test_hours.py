"""Opening hours across China's public holidays and make-up workdays, as the chinesecalendar package knows them.

2026's National Day holiday runs 1-7 October; Sunday 20 September and Saturday 10 October are make-up workdays.
"""

import datetime as dt

import pytest

from zhijia.network.hours import (
    HOLIDAY,
    SHANGHAI,
    BadSpans,
    DayKind,
    Schedule,
    day_kind,
    fmt_spans,
    parse_spans,
    week_key,
)

WORKDAYS = {d: ((540, 1080),) for d in range(5)}  # Monday to Friday 9:00-18:00, closed at weekends
SATURDAY_MORNINGS = {5: ((540, 720),)}


def at(day: dt.date, hh: int, mm: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hh, mm), tzinfo=SHANGHAI)


def test_the_calendar_knows_2026_national_day_and_its_make_up_workdays():
    assert day_kind(dt.date(2026, 10, 1)) == DayKind.HOLIDAY
    assert day_kind(dt.date(2026, 10, 7)) == DayKind.HOLIDAY
    assert day_kind(dt.date(2026, 9, 20)) == DayKind.MAKEUP_WORKDAY  # a Sunday worked
    assert day_kind(dt.date(2026, 10, 10)) == DayKind.MAKEUP_WORKDAY  # a Saturday worked
    assert day_kind(dt.date(2026, 10, 11)) == DayKind.WEEKDAY  # an ordinary Sunday
    assert day_kind(dt.date(2026, 10, 8)) == DayKind.WEEKDAY


def test_a_workday_point_is_closed_through_the_holiday_even_on_its_weekdays():
    schedule = Schedule(weekly=WORKDAYS)

    # Thursday 1 October to Wednesday 7 October: five weekdays, all holiday
    for day in range(1, 8):
        assert not schedule.is_open(at(dt.date(2026, 10, day), 10))
    # and open again on Thursday 8 October
    assert schedule.is_open(at(dt.date(2026, 10, 8), 10))


def test_a_make_up_workday_opens_like_a_monday():
    schedule = Schedule(weekly=WORKDAYS)

    # Saturday 10 October and Sunday 20 September are worked: open at ten, closed at seven in the evening
    assert schedule.is_open(at(dt.date(2026, 10, 10), 10))
    assert not schedule.is_open(at(dt.date(2026, 10, 10), 19))
    assert schedule.is_open(at(dt.date(2026, 9, 20), 17, 59))
    # an ordinary weekend stays closed
    assert not schedule.is_open(at(dt.date(2026, 10, 11), 10))
    assert not schedule.is_open(at(dt.date(2026, 9, 19), 10))


def test_holiday_hours_apply_on_holidays_when_the_point_publishes_them():
    schedule = Schedule(weekly={**WORKDAYS, HOLIDAY: ((600, 960),)})

    assert not schedule.is_open(at(dt.date(2026, 10, 3), 9, 30))
    assert schedule.is_open(at(dt.date(2026, 10, 3), 10))
    assert not schedule.is_open(at(dt.date(2026, 10, 3), 16))


def test_a_point_that_ignores_the_calendar_keeps_its_weekly_hours():
    schedule = Schedule(weekly={**WORKDAYS, **SATURDAY_MORNINGS}, follows_holidays=False)

    assert schedule.is_open(at(dt.date(2026, 10, 1), 10))  # a Thursday: open despite National Day
    assert schedule.is_open(at(dt.date(2026, 10, 10), 11))  # Saturday morning as every Saturday
    assert not schedule.is_open(at(dt.date(2026, 10, 10), 13))  # not as a make-up workday
    assert week_key(dt.date(2026, 10, 1), follows_holidays=False) == 3


def test_a_dated_exception_beats_the_week_and_the_calendar():
    schedule = Schedule(
        weekly=WORKDAYS,
        exceptions={dt.date(2026, 10, 2): ((600, 720),), dt.date(2026, 10, 9): ()},
    )

    assert schedule.is_open(at(dt.date(2026, 10, 2), 11))  # opens on a holiday for an event
    assert not schedule.is_open(at(dt.date(2026, 10, 9), 11))  # closed on a Friday for repairs


def test_open_means_from_the_opening_minute_up_to_but_not_including_the_closing_one():
    schedule = Schedule(weekly={0: ((540, 1080),)}, follows_holidays=False)
    monday = dt.date(2026, 11, 2)

    assert not schedule.is_open(at(monday, 8, 59))
    assert schedule.is_open(at(monday, 9, 0))
    assert schedule.is_open(at(monday, 17, 59))
    assert not schedule.is_open(at(monday, 18, 0))


def test_times_in_other_zones_are_read_as_beijing_time():
    schedule = Schedule(weekly={0: ((540, 1080),)}, follows_holidays=False)
    # 02:00 UTC on Monday is 10:00 in Beijing
    assert schedule.is_open(dt.datetime(2026, 11, 2, 2, 0, tzinfo=dt.UTC))


def test_a_year_the_calendar_does_not_know_falls_back_to_the_week():
    far = dt.date(2100, 1, 1)
    assert day_kind(far) == DayKind.WEEKDAY
    assert week_key(far, follows_holidays=True) == far.weekday()


def test_spans_parse_and_print():
    assert parse_spans("09:00-12:00, 13:30-18:00") == ((540, 720), (810, 1080))
    assert parse_spans("0:00-24:00") == ((0, 1440),)
    assert parse_spans(" ") == ()
    assert fmt_spans(((540, 720), (810, 1080))) == "09:00-12:00, 13:30-18:00"
    for bad in ("18:00-09:00", "09:00-12:00, 11:00-13:00", "25:00-26:00", "abc"):
        with pytest.raises(BadSpans):
            parse_spans(bad)
