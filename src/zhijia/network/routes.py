"""Where a mobile home (流动型职工之家) is: its route is a set of stops, each with a repeat rule, a date range and the
time of day it stands there. "Now" is the stop whose visit covers this minute; "next" is the first visit to start
after it. Times are Beijing time.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .hours import SHANGHAI

ONCE, DAILY, WEEKLY = "once", "daily", "weekly"
# How far ahead "where next" looks: a route with nothing for two months has no next stop worth showing.
HORIZON_DAYS = 62


def weekday_mask(days: list[int] | tuple[int, ...] | set[int]) -> int:
    """[0, 2, 4] (Monday, Wednesday, Friday) → 0b10101."""
    mask = 0
    for d in days:
        if not 0 <= d <= 6:
            raise ValueError(d)
        mask |= 1 << d
    return mask


def mask_days(mask: int) -> list[int]:
    return [d for d in range(7) if mask & (1 << d)]


@dataclass(frozen=True)
class Stop:
    id: int
    site: str
    address: str
    lng: float
    lat: float
    repeat: str
    weekdays: int
    starts_on: dt.date
    ends_on: dt.date
    arrives: int  # minutes after midnight
    leaves: int

    def occurs_on(self, day: dt.date) -> bool:
        if not self.starts_on <= day <= self.ends_on:
            return False
        if self.repeat == WEEKLY:
            return bool(self.weekdays & (1 << day.weekday()))
        if self.repeat == ONCE:
            return day == self.starts_on
        return True


@dataclass(frozen=True)
class Visit:
    stop: Stop
    starts: dt.datetime
    ends: dt.datetime


def _at(day: dt.date, minute: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0), tzinfo=SHANGHAI) + dt.timedelta(minutes=minute)


def visits_on(stops: list[Stop], day: dt.date) -> list[Visit]:
    found = [Visit(s, _at(day, s.arrives), _at(day, s.leaves)) for s in stops if s.occurs_on(day)]
    return sorted(found, key=lambda v: (v.starts, v.stop.id))


def where_now(stops: list[Stop], now: dt.datetime) -> Visit | None:
    """The visit under way at `now` (arrival included, departure excluded), or None when on the road or parked."""
    local = now.astimezone(SHANGHAI)
    for visit in visits_on(stops, local.date()):
        if visit.starts <= local < visit.ends:
            return visit
    return None


def where_next(stops: list[Stop], now: dt.datetime, *, horizon_days: int = HORIZON_DAYS) -> Visit | None:
    """The first visit that starts after `now` (strictly), within the horizon."""
    local = now.astimezone(SHANGHAI)
    today = local.date()
    for offset in range(horizon_days + 1):
        for visit in visits_on(stops, today + dt.timedelta(days=offset)):
            if visit.starts > local:
                return visit
    return None
