"""The finder's order against a brute-force computation over every row, with filters, open-now and mobile homes."""

from __future__ import annotations

import datetime as dt
import random

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zhijia.network import nearest, selectors, services
from zhijia.network.geo import haversine_m, haversine_many_m
from zhijia.network.hours import SHANGHAI, Schedule
from zhijia.network.models import (
    Facility,
    HomeSubtype,
    MobileStop,
    PointKind,
    PointStatus,
    ServicePoint,
    StopRepeat,
)
from zhijia.network.routes import weekday_mask
from zhijia.network.tests.network_support import X_CENTRE, a_point

KINDS = [PointKind.REST_STATION, PointKind.SHARED_HOME, PointKind.LIBRARY]
FACILITIES = [Facility.WATER, Facility.MICROWAVE, Facility.TOILET, Facility.PHONE_CHARGING]
MONDAY_NOON = dt.datetime(2026, 11, 2, 12, 0, tzinfo=SHANGHAI)
SUNDAY_NOON = dt.datetime(2026, 11, 8, 12, 0, tzinfo=SHANGHAI)


@pytest.fixture
def city(world):
    """300 points scattered over 20 km around district X's centre, with random kinds, facilities and hours; some
    planned or closed (never found)."""
    rng = random.Random(7)
    seeds = []
    for i in range(300):
        kind = rng.choice(KINDS)
        status = rng.choices([PointStatus.OPEN, PointStatus.PLANNED, PointStatus.CLOSED], [8, 1, 1])[0]
        point = ServicePoint(
            code=f"T-P{i:03d}",
            name=f"点{i}",
            kind=kind,
            owner=world.street_x if i % 2 else world.union_a,
            lng=X_CENTRE[0] + rng.uniform(-0.12, 0.12),
            lat=X_CENTRE[1] + rng.uniform(-0.09, 0.09),
            status=status,
        )
        weekly = {d: [(540, 1080)] for d in range(5)} if i % 3 else {d: [(0, 1440)] for d in range(7)}
        seeds.append(services.PointSeed(point, rng.sample(FACILITIES, rng.randint(0, 4)), weekly if i % 5 else {}))
    services.points_bulk_create(actor=None, seeds=seeds, org=world.street_x)
    return ServicePoint.objects.all()


def brute_force(lng, lat, *, limit, kinds=None, facilities=(), open_now=False, now=MONDAY_NOON):
    rows = list(ServicePoint.objects.filter(status=PointStatus.OPEN).prefetch_related("facilities"))
    schedules = nearest.schedules_for([r.pk for r in rows])
    keep = []
    for r in rows:
        if kinds and r.kind not in kinds:
            continue
        if not set(facilities) <= {f.facility for f in r.facilities.all()}:
            continue
        schedule = schedules.get(r.pk, Schedule())
        if open_now and (schedule.is_empty() or not schedule.is_open(now)):
            continue
        keep.append(r)
    distances = haversine_many_m(lng, lat, np.array([r.lng for r in keep]), np.array([r.lat for r in keep]))
    order = sorted(range(len(keep)), key=lambda i: (distances[i], keep[i].pk))[:limit]
    return [(keep[i].pk, float(distances[i])) for i in order]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    dlng=st.floats(-0.2, 0.2),
    dlat=st.floats(-0.15, 0.15),
    limit=st.integers(1, 25),
    kinds=st.one_of(st.none(), st.sets(st.sampled_from(KINDS), min_size=1)),
    facilities=st.sets(st.sampled_from(FACILITIES), max_size=2),
    open_now=st.booleans(),
    now=st.sampled_from([MONDAY_NOON, SUNDAY_NOON]),
)
def test_the_finder_returns_what_brute_force_finds_in_the_same_order(
    city, dlng, dlat, limit, kinds, facilities, open_now, now
):
    lng, lat = X_CENTRE[0] + dlng, X_CENTRE[1] + dlat

    found = selectors.nearest(
        lng=lng, lat=lat, limit=limit, kinds=list(kinds or []), facilities=list(facilities), open_now=open_now, now=now
    )
    expected = brute_force(lng, lat, limit=limit, kinds=kinds, facilities=facilities, open_now=open_now, now=now)

    # random positions never tie, so the order is the same point by point, at the same distance
    assert [h.card.id for h in found] == [pk for pk, _ in expected]
    assert [h.distance_m for h in found] == pytest.approx([d for _, d in expected], abs=1e-3)


def test_a_new_point_is_found_at_once_and_a_closed_one_no_more(world):
    assert selectors.nearest(lng=X_CENTRE[0], lat=X_CENTRE[1]) == []

    point = a_point(world)
    (hit,) = selectors.nearest(lng=X_CENTRE[0], lat=X_CENTRE[1])
    assert hit.card.id == point.pk
    assert hit.distance_m == pytest.approx(0, abs=0.01)

    services.point_close(actor=world.user("superuser"), point_id=point.pk)
    assert selectors.nearest(lng=X_CENTRE[0], lat=X_CENTRE[1]) == []


def test_a_point_without_hours_is_listed_but_never_counts_as_open_now(world):
    a_point(world)

    (hit,) = selectors.nearest(lng=X_CENTRE[0], lat=X_CENTRE[1])
    assert hit.open_now is None
    assert selectors.nearest(lng=X_CENTRE[0], lat=X_CENTRE[1], open_now=True) == []


def test_a_mobile_home_is_found_only_while_it_stands_at_a_stop(world):
    home = a_point(
        world, name="流动职工之家", kind=PointKind.SHARED_HOME, home_subtype=HomeSubtype.MOBILE, lng=116.0, lat=39.5
    )
    site = (X_CENTRE[0] + 0.01, X_CENTRE[1])
    services.mobile_stop_create(
        actor=world.user("superuser"),
        point_id=home.pk,
        site="亦庄工地",
        lng=site[0],
        lat=site[1],
        repeat=StopRepeat.WEEKLY,
        weekdays=[0],
        starts_on=dt.date(2026, 11, 1),
        ends_on=dt.date(2026, 12, 31),
        arrives_minute=600,
        leaves_minute=900,
    )

    # Monday noon: at the site, found there (not at its base) and open
    (hit,) = selectors.nearest(lng=X_CENTRE[0], lat=X_CENTRE[1], now=MONDAY_NOON, open_now=True)
    assert hit.card.id == home.pk
    assert (hit.lng, hit.lat) == site
    assert hit.distance_m == pytest.approx(haversine_m(*X_CENTRE, *site))
    assert hit.visit is not None
    assert hit.visit.stop.site == "亦庄工地"
    # Sunday noon: on no stop, so not on the map at all
    assert selectors.nearest(lng=X_CENTRE[0], lat=X_CENTRE[1], now=SUNDAY_NOON) == []


def test_the_index_is_rebuilt_only_when_the_network_changes(world):
    a_point(world)
    first = nearest.current_index()

    assert nearest.current_index() is first

    a_point(world, name="第二个驿站", lng=116.41)
    second = nearest.current_index()
    assert second is not first
    assert second.size == 2


def test_stops_carry_a_weekday_mask(world):
    home = a_point(world, kind=PointKind.SHARED_HOME, home_subtype=HomeSubtype.MOBILE)
    stop = services.mobile_stop_create(
        actor=world.user("superuser"),
        point_id=home.pk,
        site="工地",
        lng=116.4,
        lat=39.9,
        weekdays=[1, 3],
        starts_on=dt.date(2026, 11, 1),
        ends_on=dt.date(2026, 11, 30),
        arrives_minute=480,
        leaves_minute=600,
    )
    assert MobileStop.objects.get(pk=stop.pk).weekdays == weekday_mask([1, 3])
