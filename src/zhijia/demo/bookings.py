"""The Beijing demo's venue booking: a few hundred homes and the cultural palaces have badminton courts, table tennis
rooms, reading rooms and gyms; demo workers have booked them over the past week (most checked in, some no-shows,
some cancelled) and for the next two days. Deterministic and idempotent (venues by point and name, bookings only
added to venues that have none), bulk-loaded.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from zhijia.accounts.models import User
from zhijia.audit.services import audit_record
from zhijia.bookings.models import Audience, Booking, BookingStatus, Slot, Venue, VenueKind
from zhijia.network.hours import SHANGHAI
from zhijia.network.models import PointKind, PointStatus, ServicePoint
from zhijia.network.nearest import schedules_for
from zhijia.organizations.models import Organization

HOMES = 300
WORKERS = 200
PAST_DAYS = 7
AHEAD_DAYS = 2
SEED = 20261121
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
GIVEN = ["师傅", "大姐", "阿姨", "大哥", "小妹", "师兄"]

# (name, kind, capacity, slot minutes, audience, how busy a slot is: the share of its places taken)
COURTS = [
    ("羽毛球场1号", VenueKind.COURT, 1, 60, Audience.WORKERS, 0.55),
    ("羽毛球场2号", VenueKind.COURT, 1, 60, Audience.WORKERS, 0.4),
]
TABLE_TENNIS = ("乒乓球室", VenueKind.ROOM, 4, 60, Audience.WORKERS, 0.35)
READING_ROOM = ("职工阅览室", VenueKind.ROOM, 20, 120, Audience.MEMBERS, 0.1)
GYM = ("健身房", VenueKind.ROOM, 12, 90, Audience.WORKERS, 0.15)


def _venues_for(point: ServicePoint, rng: random.Random) -> list[tuple[Any, ...]]:
    if point.kind == PointKind.CULTURAL_PALACE:
        return [*COURTS, TABLE_TENNIS, READING_ROOM, GYM]
    if point.kind == PointKind.LIBRARY:
        return [READING_ROOM]
    pool = [COURTS[0], TABLE_TENNIS, READING_ROOM, GYM]
    return rng.sample(pool, rng.randint(1, 3))


def _workers() -> list[User]:
    have = set(User.objects.filter(username__startswith="bk-demo-").values_list("username", flat=True))
    unusable = make_password(None)
    User.objects.bulk_create(
        [
            User(
                username=f"bk-demo-{i:03d}",
                display_name=SURNAMES[(i * 7) % len(SURNAMES)] + GIVEN[i % len(GIVEN)],
                kind=User.Kind.WORKER,
                password=unusable,
            )
            for i in range(WORKERS)
            if f"bk-demo-{i:03d}" not in have
        ]
    )
    demo = list(User.objects.filter(username="worker-demo"))
    return demo + list(User.objects.filter(username__startswith="bk-demo-").order_by("username"))


def _slots(schedule: Any, day: dt.date, minutes: int) -> list[tuple[dt.datetime, dt.datetime]]:
    midnight = dt.datetime.combine(day, dt.time(), tzinfo=SHANGHAI)
    out = []
    for opens, closes in schedule.spans_on(day) if schedule else ((9 * 60, 21 * 60),):
        m = opens
        while m + minutes <= closes:
            out.append((midnight + dt.timedelta(minutes=m), midnight + dt.timedelta(minutes=m + minutes)))
            m += minutes
    return out


def build_for(*, city: Organization, admin: User, homes: int = HOMES, progress: Any = print) -> dict[str, int]:
    rng = random.Random(SEED)
    open_points = ServicePoint.objects.filter(owner__path__startswith=city.path, status=PointStatus.OPEN)
    palaces = list(open_points.filter(kind=PointKind.CULTURAL_PALACE).order_by("code"))
    kinds = [PointKind.ENTERPRISE_HOME, PointKind.SHARED_HOME, PointKind.LIBRARY]
    candidates = list(open_points.filter(kind__in=kinds).exclude(home_subtype="mobile").order_by("code"))
    points = palaces + rng.sample(candidates, min(homes, len(candidates)))
    now = timezone.now()
    before = Venue.objects.filter(point__in=points).count()
    with transaction.atomic():
        new_venues = [
            Venue(
                point=p,
                name=name,
                kind=kind,
                capacity=capacity,
                slot_minutes=minutes,
                audience=audience,
                per_day_limit=2,
                per_week_limit=6,
                book_ahead_days=7,
                description="请穿运动鞋入场" if kind == VenueKind.COURT else "",
            )
            for p in points
            for name, kind, capacity, minutes, audience, _busy in _venues_for(p, rng)
        ]
        Venue.objects.bulk_create(new_venues, ignore_conflicts=True, batch_size=1000)
        busy = {v[0]: v[5] for v in [*COURTS, TABLE_TENNIS, READING_ROOM, GYM]}
        venues = list(
            Venue.objects.filter(point__in=points).exclude(bookings__isnull=False).select_related("point").distinct()
        )
        schedules = schedules_for([p.pk for p in points])
        workers = _workers()
        today = timezone.localdate()
        slots: list[Slot] = []
        planned: list[tuple[int, int, list[str]]] = []  # slot index, venue capacity, statuses
        for v in venues:
            for offset in range(-PAST_DAYS, AHEAD_DAYS + 1):
                day = today + dt.timedelta(days=offset)
                for start, end in _slots(schedules.get(v.point_id), day, v.slot_minutes):
                    share = busy.get(v.name, 0.3) * (1.3 if day.weekday() >= 5 or start.hour >= 18 else 0.8)
                    taken = sum(rng.random() < share for _ in range(v.capacity))
                    if not taken:
                        continue
                    statuses = []
                    for _ in range(taken):
                        r = rng.random()
                        if end <= now:
                            statuses.append(
                                BookingStatus.CHECKED_IN
                                if r < 0.8
                                else "no_show"
                                if r < 0.9
                                else BookingStatus.CANCELLED
                            )
                        elif start <= now:
                            statuses.append(BookingStatus.CHECKED_IN)
                        else:
                            statuses.append(BookingStatus.BOOKED if r < 0.9 else BookingStatus.CANCELLED)
                    slots.append(Slot(venue=v, starts_at=start, ends_at=end))
                    planned.append((len(slots) - 1, v.capacity, statuses))
        Slot.objects.bulk_create(slots, batch_size=2000)
        bookings = []
        for index, capacity, statuses in planned:
            slot = slots[index]
            people = rng.sample(workers, min(len(statuses), len(workers)))
            for user, status in zip(people, statuses, strict=False):
                b = Booking(
                    slot=slot,
                    venue_id=slot.venue_id,
                    user=user,
                    starts_at=slot.starts_at,
                    ends_at=slot.ends_at,
                    exclusive=capacity == 1,
                    status=BookingStatus.RELEASED if status == "no_show" else status,
                    no_show=status == "no_show",
                )
                if status == BookingStatus.CHECKED_IN:
                    b.checked_in_at = slot.starts_at + dt.timedelta(minutes=rng.randint(-10, 12))
                    b.checked_in_by = admin
                if status == BookingStatus.CANCELLED:
                    b.cancelled_at = slot.starts_at - dt.timedelta(hours=rng.randint(3, 30))
                bookings.append(b)
        Booking.objects.bulk_create(bookings, batch_size=2000)
        if Venue.objects.filter(point__in=points).count() > before or bookings:
            audit_record(
                actor=admin,
                action="booking.demo_load",
                obj=city,
                org=city,
                changes={"points": len(points), "bookings": len(bookings)},
            )
    progress(
        f"bookings: venues at {len(points)} points, {len(bookings)} bookings over {PAST_DAYS + AHEAD_DAYS + 1} days"
    )
    return {"venues": Venue.objects.filter(point__in=points).count() - before, "bookings": len(bookings)}


def build(*, progress: Any = print) -> dict[str, int]:
    city = Organization.objects.get(code="FED-11")
    admin = User.objects.get(username="bj-city")
    return build_for(city=city, admin=admin, progress=progress)
