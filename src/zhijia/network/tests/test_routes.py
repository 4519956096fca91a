"""A mobile home's route: where it stands now and where it goes next, for one-off, daily and weekly stops."""

import datetime as dt

from zhijia.network.hours import SHANGHAI
from zhijia.network.routes import DAILY, ONCE, WEEKLY, Stop, mask_days, weekday_mask, where_next, where_now

# November 2026: Monday the 2nd, Wednesday the 4th, Friday the 6th.
SITE_A = Stop(
    1,
    "亦庄工地",
    "",
    116.50,
    39.79,
    WEEKLY,
    weekday_mask([0, 2]),
    dt.date(2026, 11, 1),
    dt.date(2026, 12, 31),
    600,
    900,
)
SITE_B = Stop(
    2,
    "大兴机场工地",
    "",
    116.41,
    39.51,
    WEEKLY,
    weekday_mask([4]),
    dt.date(2026, 11, 1),
    dt.date(2026, 12, 31),
    540,
    1020,
)
FAIR = Stop(3, "劳动者服务日", "", 116.40, 39.90, ONCE, 0, dt.date(2026, 11, 7), dt.date(2026, 11, 7), 480, 720)
DEPOT = Stop(4, "车场", "", 116.45, 39.95, DAILY, 0, dt.date(2026, 11, 20), dt.date(2026, 11, 22), 1200, 1320)
ROUTE = [SITE_A, SITE_B, FAIR, DEPOT]


def at(day: int, hh: int, mm: int = 0, month: int = 11) -> dt.datetime:
    return dt.datetime(2026, month, day, hh, mm, tzinfo=SHANGHAI)


def test_weekday_masks_round_trip():
    assert weekday_mask([0, 2, 4]) == 0b10101
    assert mask_days(0b10101) == [0, 2, 4]


def test_at_a_stop_during_its_hours():
    visit = where_now(ROUTE, at(2, 10))  # Monday 10:00
    assert visit is not None
    assert visit.stop.site == "亦庄工地"
    assert (visit.starts, visit.ends) == (at(2, 10), at(2, 15))


def test_arrival_counts_as_there_and_departure_as_gone():
    assert where_now(ROUTE, at(4, 10)) is not None  # Wednesday, the minute it arrives
    assert where_now(ROUTE, at(4, 15)) is None  # the minute it leaves


def test_between_stops_it_is_nowhere_and_next_is_the_following_visit():
    monday_evening = at(2, 18)
    assert where_now(ROUTE, monday_evening) is None

    following = where_next(ROUTE, monday_evening)
    assert following is not None
    assert following.stop.site == "亦庄工地"
    assert following.starts == at(4, 10)  # Wednesday


def test_next_skips_the_visit_under_way():
    friday_noon = at(6, 12)
    assert where_now(ROUTE, friday_noon).stop.site == "大兴机场工地"  # type: ignore[union-attr]

    following = where_next(ROUTE, friday_noon)
    assert following is not None
    assert (following.stop.site, following.starts) == ("劳动者服务日", at(7, 8))  # the one-off on Saturday


def test_a_one_off_stop_happens_once():
    assert where_now(ROUTE, at(7, 9)).stop.site == "劳动者服务日"  # type: ignore[union-attr]
    assert where_now(ROUTE, at(14, 9)) is None


def test_a_daily_stop_runs_every_day_of_its_range_only():
    assert where_now(ROUTE, at(21, 20, 30)).stop.site == "车场"  # type: ignore[union-attr]
    assert where_now(ROUTE, at(19, 20, 30)) is None
    assert where_now(ROUTE, at(23, 20, 30)) is None


def test_after_the_route_ends_there_is_no_next():
    assert where_next(ROUTE, at(31, 23, month=12)) is None


def test_the_clock_is_beijing_time_whatever_zone_now_is_given_in():
    # 02:30 UTC on Monday is 10:30 in Beijing: at the first site
    visit = where_now(ROUTE, dt.datetime(2026, 11, 2, 2, 30, tzinfo=dt.UTC))
    assert visit is not None
    assert visit.stop.id == 1
