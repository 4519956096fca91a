"""The nearest-point index: every open service point in memory, in a k-d tree over unit vectors (see `geo`), so the
finder answers without scanning the table. Each process keeps one index and rebuilds it when the network's version
counter (bumped by every write that changes what the finder sees) has moved; it reads the counter at most every
NETWORK_INDEX_CHECK_SECONDS, and at once after a write of its own.

Mobile homes are not in the tree: where they are depends on the minute, so each query places the few of them that
stand at a stop now and merges them in.
"""

from __future__ import annotations

import datetime as dt
import math
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from django.conf import settings
from django.db import connection
from scipy.spatial import cKDTree

from . import geo, routes
from .hours import SHANGHAI, Schedule, Span, week_key
from .models import (
    Facility,
    HoursException,
    MobileStop,
    NetworkVersion,
    PointFacility,
    PointStatus,
    ServicePoint,
    WeeklyHours,
)

VERSION_NAME = "points"
_DIAMETER = 2 * geo.EARTH_RADIUS_M
FACILITY_BIT = {code: 1 << i for i, code in enumerate(Facility.values)}


def facility_mask(codes: Iterable[str]) -> int:
    mask = 0
    for code in codes:
        mask |= FACILITY_BIT[code]
    return mask


@dataclass(frozen=True)
class Card:
    """What the finder shows of a point, kept in memory."""

    id: int
    code: str
    name: str
    kind: str
    home_subtype: str
    address: str
    lng: float
    lat: float
    facilities: tuple[str, ...]
    facility_mask: int
    schedule: Schedule
    has_hours: bool


@dataclass(frozen=True)
class _Clock:
    day: dt.date
    minute: int
    key: int  # the week key of the day for points that follow the holiday calendar


@dataclass(frozen=True)
class Hit:
    card: Card
    distance_m: float
    lng: float  # where the point is now (a mobile home's stop), WGS-84
    lat: float
    clock: _Clock
    visit: routes.Visit | None = None

    @property
    def open_now(self) -> bool | None:
        """Open at the time of the search; None when the point publishes no hours. Worked out when asked."""
        if self.visit is not None:
            return True
        if not self.card.has_hours:
            return None
        return self.card.schedule.open_at(self.clock.day, self.clock.minute, holiday_key=self.clock.key)


class _Tree:
    def __init__(self, cards: list[Card]):
        self.cards = cards
        self.n = len(cards)
        self.tree = (
            cKDTree(geo.unit_vectors(np.array([c.lng for c in cards]), np.array([c.lat for c in cards])))
            if cards
            else None
        )


@dataclass
class NearestIndex:
    version: int
    all: _Tree
    by_kind: dict[str, _Tree]
    mobiles: list[tuple[Card, list[routes.Stop]]]
    _standing_cache: tuple[dt.datetime, list[tuple[Card, routes.Visit]]] | None = None

    @classmethod
    def build(cls, version: int, cards: list[Card], mobiles: list[tuple[Card, list[routes.Stop]]]) -> NearestIndex:
        kinds = sorted({c.kind for c in cards})
        return cls(
            version=version,
            all=_Tree(cards),
            by_kind={k: _Tree([c for c in cards if c.kind == k]) for k in kinds},
            mobiles=mobiles,
        )

    @property
    def size(self) -> int:
        return self.all.n

    def nearest(
        self,
        lng: float,
        lat: float,
        *,
        limit: int = 10,
        kinds: frozenset[str] | None = None,
        facilities: int = 0,
        open_now: bool = False,
        now: dt.datetime | None = None,
    ) -> list[Hit]:
        """The `limit` nearest points to (lng, lat) in WGS-84 that pass the filters, nearest first."""
        local = (now or dt.datetime.now(dt.UTC)).astimezone(SHANGHAI)
        clock = _Clock(local.date(), local.hour * 60 + local.minute, week_key(local.date(), follows_holidays=True))
        trees = [self.by_kind[k] for k in sorted(kinds) if k in self.by_kind] if kinds else [self.all]
        phi, lam = math.radians(lat), math.radians(lng)
        origin = (math.cos(phi) * math.cos(lam), math.cos(phi) * math.sin(lam), math.sin(phi))
        hits: list[Hit] = []
        for tree in trees:
            hits += self._from_tree(tree, origin, limit, facilities, open_now, clock)
        moving = self._mobiles_now(lng, lat, kinds, facilities, local, clock) if self.mobiles else []
        if moving or len(trees) > 1:
            hits += moving
            hits.sort(key=lambda h: (h.distance_m, h.card.id))
        return hits[:limit]

    @staticmethod
    def _from_tree(
        tree: _Tree,
        origin: tuple[float, float, float],
        limit: int,
        facilities: int,
        open_now: bool,
        clock: _Clock,
    ) -> list[Hit]:
        if tree.tree is None or limit <= 0:
            return []
        filtered = bool(facilities) or open_now
        k = min(tree.n, limit * 4 if filtered else limit)
        while True:
            chords, idx = tree.tree.query(origin, k=k)
            pairs = zip(chords.tolist(), idx.tolist(), strict=True) if k > 1 else [(float(chords), int(idx))]
            hits: list[Hit] = []
            cards = tree.cards
            for chord, i in pairs:
                card = cards[i]
                if facilities and card.facility_mask & facilities != facilities:
                    continue
                if open_now and not (
                    card.has_hours and card.schedule.open_at(clock.day, clock.minute, holiday_key=clock.key)
                ):
                    continue
                hits.append(Hit(card, _DIAMETER * math.asin(min(1.0, chord / 2)), card.lng, card.lat, clock))
                if len(hits) == limit:
                    return hits
            if k >= tree.n:
                return hits
            k = min(tree.n, k * 4)

    def _mobiles_now(
        self,
        lng: float,
        lat: float,
        kinds: frozenset[str] | None,
        facilities: int,
        local: dt.datetime,
        clock: _Clock,
    ) -> list[Hit]:
        hits = []
        for card, visit in self._standing(local):
            if kinds and card.kind not in kinds:
                continue
            if facilities and card.facility_mask & facilities != facilities:
                continue
            distance = geo.haversine_m(lng, lat, visit.stop.lng, visit.stop.lat)
            hits.append(Hit(card, distance, visit.stop.lng, visit.stop.lat, clock, visit))
        return hits

    def _standing(self, local: dt.datetime) -> list[tuple[Card, routes.Visit]]:
        """The mobile homes standing at a stop this minute (worked out once a minute, not once a query)."""
        minute = local.replace(second=0, microsecond=0)
        cached = self._standing_cache
        if cached is not None and cached[0] == minute:
            return cached[1]
        standing = []
        for card, stops in self.mobiles:
            visit = routes.where_now(stops, local)
            if visit is not None:  # on the road or parked: not a place a worker can walk to
                standing.append((card, visit))
        self._standing_cache = (minute, standing)
        return standing


def stop_of(row: MobileStop) -> routes.Stop:
    return routes.Stop(
        id=row.pk,
        site=row.site,
        address=row.address,
        lng=row.lng,
        lat=row.lat,
        repeat=row.repeat,
        weekdays=row.weekdays,
        starts_on=row.starts_on,
        ends_on=row.ends_on,
        arrives=row.arrives_minute,
        leaves=row.leaves_minute,
    )


def schedules_for(point_ids: list[int] | None = None) -> dict[int, Schedule]:
    """The opening hours of many points (all open points when `point_ids` is None), in two queries."""
    weekly: dict[int, dict[int, list[Span]]] = {}
    exceptions: dict[int, dict[dt.date, list[Span]]] = {}
    hours = WeeklyHours.objects.all()
    extra = HoursException.objects.filter(date__gte=dt.date.today() - dt.timedelta(days=1))
    if point_ids is not None:
        hours, extra = hours.filter(point_id__in=point_ids), extra.filter(point_id__in=point_ids)
    else:
        hours = hours.filter(point__status=PointStatus.OPEN)
        extra = extra.filter(point__status=PointStatus.OPEN)
    for pid, day, opens, closes in hours.order_by("opens_minute").values_list(
        "point_id", "day", "opens_minute", "closes_minute"
    ):
        weekly.setdefault(pid, {}).setdefault(day, []).append((opens, closes))
    for pid, date, closed, start, end in extra.order_by("opens_minute").values_list(
        "point_id", "date", "closed", "opens_minute", "closes_minute"
    ):
        spans = exceptions.setdefault(pid, {}).setdefault(date, [])
        if not closed and start is not None and end is not None:
            spans.append((start, end))
    ids = set(weekly) | set(exceptions)
    follows = dict(ServicePoint.objects.filter(pk__in=ids).values_list("pk", "follows_holidays"))
    return {
        pid: Schedule(
            weekly={d: tuple(s) for d, s in weekly.get(pid, {}).items()},
            exceptions={d: tuple(s) for d, s in exceptions.get(pid, {}).items()},
            follows_holidays=follows.get(pid, True),
        )
        for pid in ids
    }


_VERSION_SQL = f"SELECT value FROM {NetworkVersion._meta.db_table} WHERE name = %s"  # noqa: S608 (a constant)


def current_version() -> int:
    """The network's version: one indexed row read by plain SQL (the ORM would cost more than the search itself)."""
    with connection.cursor() as cursor:
        cursor.execute(_VERSION_SQL, [VERSION_NAME])
        row = cursor.fetchone()
    return int(row[0]) if row else 0


def load(version: int) -> NearestIndex:
    facilities: dict[int, list[str]] = {}
    for pid, code in PointFacility.objects.filter(point__status=PointStatus.OPEN).values_list("point_id", "facility"):
        facilities.setdefault(pid, []).append(code)
    schedules = schedules_for()
    stops: dict[int, list[routes.Stop]] = {}
    for row in MobileStop.objects.filter(point__status=PointStatus.OPEN, ends_on__gte=dt.date.today()):
        stops.setdefault(row.point_id, []).append(stop_of(row))
    cards: list[Card] = []
    mobiles: list[tuple[Card, list[routes.Stop]]] = []
    rows = ServicePoint.objects.filter(status=PointStatus.OPEN).values_list(
        "pk", "code", "name", "kind", "home_subtype", "address", "lng", "lat"
    )
    for pk, code, name, kind, subtype, address, lng, lat in rows.order_by("pk"):
        codes = tuple(sorted(facilities.get(pk, ()), key=Facility.values.index))
        schedule = schedules.get(pk, Schedule())
        card = Card(
            pk,
            code,
            name,
            kind,
            subtype,
            address,
            lng,
            lat,
            codes,
            facility_mask(codes),
            schedule,
            not schedule.is_empty(),
        )
        if subtype == "mobile":
            mobiles.append((card, stops.get(pk, [])))
        else:
            cards.append(card)
    return NearestIndex.build(version, cards, mobiles)


_lock = threading.Lock()
_index: NearestIndex | None = None
_clock = time.monotonic
_checked_at = -math.inf  # _clock() of the last version read that found the index current


def current_index() -> NearestIndex:
    """This process's index, rebuilt first when the network changed since it was built. Whether it changed costs one
    small query, asked at most every NETWORK_INDEX_CHECK_SECONDS; a write through the services of this process makes
    the next search ask at once (`changed`)."""
    global _index, _checked_at
    index = _index
    started = _clock()
    if index is not None and started - _checked_at < settings.NETWORK_INDEX_CHECK_SECONDS:
        return index
    version = current_version()  # read before the rows, so a write landing during the build forces another
    if index is not None and index.version == version:
        _checked_at = started
        return index
    with _lock:
        if _index is None or _index.version != version:
            _index = load(version)
        _checked_at = started
        return _index


def changed() -> None:
    """The network changed (a write committed): the next search in this process reads the version again."""
    global _checked_at
    _checked_at = -math.inf


def forget() -> None:
    """Drop this process's index (tests that write rows without the services)."""
    global _index, _checked_at
    with _lock:
        _index = None
        _checked_at = -math.inf
