"""Opening hours: the weekly spans, the dates with hours of their own, and China's public holidays.

Which spans apply on a date, in this order:
1. an exception for the date (closed, or its own spans);
2. for a point that follows the holiday calendar: a statutory holiday, or a rest day of its holiday period, uses the
   "holiday" spans (day 7; none means closed); a make-up workday (调休上班日, a Saturday or Sunday worked in exchange)
   opens as on a Monday;
3. otherwise the spans of the weekday.
Holidays come from the `chinesecalendar` package, which the State Council's yearly notice updates; for a year it
does not know yet, the weekly hours apply.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from zoneinfo import ZoneInfo

import chinese_calendar

SHANGHAI = ZoneInfo("Asia/Shanghai")
HOLIDAY = 7
MONDAY = 0
MINUTES_PER_DAY = 1440

Span = tuple[int, int]  # minutes after midnight, [opens, closes)


class DayKind:
    WEEKDAY = "weekday"
    HOLIDAY = "holiday"
    MAKEUP_WORKDAY = "makeup_workday"


@lru_cache(maxsize=4096)
def day_kind(day: dt.date) -> str:
    """What China's calendar makes of a date: a holiday (of a holiday period), a make-up workday, or an ordinary day
    (an ordinary weekend included)."""
    try:
        on_holiday, name = chinese_calendar.get_holiday_detail(day)
        workday = chinese_calendar.is_workday(day)
    except NotImplementedError:  # a year the package does not cover yet
        return DayKind.WEEKDAY
    if on_holiday and name is not None:
        return DayKind.HOLIDAY
    if workday and day.weekday() >= 5:
        return DayKind.MAKEUP_WORKDAY
    return DayKind.WEEKDAY


@lru_cache(maxsize=4096)
def holiday_name(day: dt.date) -> str | None:
    try:
        on_holiday, name = chinese_calendar.get_holiday_detail(day)
    except NotImplementedError:
        return None
    return name if on_holiday or name else None


def week_key(day: dt.date, *, follows_holidays: bool) -> int:
    """The key of the weekly spans that apply on `day` (0-6 Monday-Sunday, 7 holiday)."""
    if follows_holidays:
        kind = day_kind(day)
        if kind == DayKind.HOLIDAY:
            return HOLIDAY
        if kind == DayKind.MAKEUP_WORKDAY:
            return MONDAY
    return day.weekday()


@dataclass(frozen=True)
class Schedule:
    weekly: Mapping[int, tuple[Span, ...]] = field(default_factory=dict)
    # A date with an empty tuple is closed all day.
    exceptions: Mapping[dt.date, tuple[Span, ...]] = field(default_factory=dict)
    follows_holidays: bool = True

    def spans_on(self, day: dt.date) -> tuple[Span, ...]:
        if day in self.exceptions:
            return self.exceptions[day]
        return self.weekly.get(week_key(day, follows_holidays=self.follows_holidays), ())

    def is_open(self, when: dt.datetime) -> bool:
        local = when.astimezone(SHANGHAI)
        minute = local.hour * 60 + local.minute
        return any(opens <= minute < closes for opens, closes in self.spans_on(local.date()))

    def open_at(self, day: dt.date, minute: int, *, holiday_key: int) -> bool:
        """Open on `day` at `minute` (Beijing time), given the week key the calendar makes of the day (so a caller
        checking many points works the calendar out once)."""
        if day in self.exceptions:
            spans = self.exceptions[day]
        else:
            spans = self.weekly.get(holiday_key if self.follows_holidays else day.weekday(), ())
        return any(opens <= minute < closes for opens, closes in spans)

    def is_empty(self) -> bool:
        return not any(self.weekly.values()) and not self.exceptions


def fmt_minute(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


def fmt_spans(spans: tuple[Span, ...]) -> str:
    return ", ".join(f"{fmt_minute(a)}-{fmt_minute(b)}" for a, b in spans)


class BadSpans(ValueError):
    """Text that is not a list of non-overlapping "HH:MM-HH:MM" spans."""


def parse_spans(text: str) -> tuple[Span, ...]:
    """Text such as "09:00-12:00, 13:00-18:00" → ((540, 720), (780, 1080)). Empty text is no span (closed)."""
    spans: list[Span] = []
    for part in text.replace("，", ",").replace("、", ",").split(","):
        part = part.strip()
        if not part:
            continue
        start, _, end = part.replace("–", "-").replace("~", "-").partition("-")
        opens, closes = _parse_minute(start), _parse_minute(end)
        if not opens < closes:
            raise BadSpans(part)
        spans.append((opens, closes))
    spans.sort()
    for (_, a_end), (b_start, _) in itertools.pairwise(spans):
        if b_start < a_end:
            raise BadSpans(text)
    return tuple(spans)


def _parse_minute(text: str) -> int:
    hours, _, minutes = text.strip().replace("：", ":").partition(":")
    try:
        h, m = int(hours), int(minutes or 0)
    except ValueError:
        raise BadSpans(text) from None
    if not (0 <= h <= 24 and 0 <= m < 60) or (h == 24 and m):
        raise BadSpans(text)
    return h * 60 + m
