"""Creating, editing and closing points, and their hours: within the staff's own subtree only, nothing changed
otherwise."""

from __future__ import annotations

import datetime as dt

import pytest

from zhijia.audit.models import AuditEvent
from zhijia.core.errors import NotFound, PermissionDenied, ValidationFailed
from zhijia.network import services
from zhijia.network.models import (
    HomeSubtype,
    HoursException,
    PointFacility,
    PointKind,
    PointStatus,
    ServicePoint,
    WeeklyHours,
)
from zhijia.network.tests.network_support import X_CENTRE, a_point


def _fingerprint(point: ServicePoint) -> tuple:
    row = ServicePoint.objects.values().get(pk=point.pk)
    facilities = sorted(PointFacility.objects.filter(point=point).values_list("facility", flat=True))
    hours = sorted(WeeklyHours.objects.filter(point=point).values_list("day", "opens_minute", "closes_minute"))
    return (tuple(sorted(row.items())), tuple(facilities), tuple(hours), AuditEvent.objects.count())


def test_district_staff_create_a_point_for_a_union_in_their_subtree(world):
    point = services.point_create(
        actor=world.user("district_x_staff"),
        owner_id=world.street_x.pk,
        name="X街道第一暖心驿站",
        kind=PointKind.REST_STATION,
        lng=X_CENTRE[0],
        lat=X_CENTRE[1],
        facilities=["water", "microwave", "water"],
    )

    assert point.owner == world.street_x
    assert point.status == PointStatus.OPEN
    assert point.code.startswith("SP-")
    assert sorted(point.facilities.values_list("facility", flat=True)) == ["microwave", "water"]
    assert point.next_inspection_due == dt.date.today() + dt.timedelta(days=services.FIRST_INSPECTION_DAYS)
    assert AuditEvent.objects.filter(action="point.create", object_id=str(point.pk)).count() == 1


@pytest.mark.parametrize("actor", ["district_y_staff", "union_a_staff", "worker", "anonymous", "case_handler"])
def test_no_one_outside_the_owner_subtree_creates_a_point_for_it(world, actor):
    count = ServicePoint.objects.count()

    with pytest.raises(NotFound):
        services.point_create(
            actor=world.actor(actor), owner_id=world.street_x.pk, name="越权", kind="rest_station", lng=116.4, lat=39.9
        )

    assert ServicePoint.objects.count() == count


@pytest.mark.parametrize(
    "write",
    [
        lambda w, p: services.point_update(actor=w.actor("district_y_staff"), point_id=p.pk, name="被篡改"),
        lambda w, p: services.point_close(actor=w.actor("district_y_staff"), point_id=p.pk),
        lambda w, p: services.point_hours_set(actor=w.actor("district_y_staff"), point_id=p.pk, weekly={0: [(0, 60)]}),
        lambda w, p: services.inspection_record(actor=w.actor("district_y_staff"), point_id=p.pk, passed_items=[]),
        lambda w, p: services.point_update(actor=w.actor("union_a_staff"), point_id=p.pk, name="被篡改"),
    ],
    ids=["update", "close", "hours", "inspect", "union-below-street"],
)
def test_staff_of_another_district_get_404_and_nothing_changes(world, write):
    point = a_point(world, facilities=["water"])
    services.point_hours_set(actor=world.user("superuser"), point_id=point.pk, weekly={0: [(540, 1080)]})
    before = _fingerprint(point)

    with pytest.raises(NotFound):
        write(world, point)

    assert _fingerprint(point) == before


def test_read_only_staff_see_but_may_not_edit(world):
    point = a_point(world)
    before = _fingerprint(point)

    with pytest.raises(PermissionDenied):  # read-only staff see the point, but may not change it
        services.point_update(actor=world.actor("district_x_readonly"), point_id=point.pk, name="改")

    assert _fingerprint(point) == before


def test_moving_a_point_to_a_union_outside_the_subtree_is_refused(world):
    point = a_point(world)

    with pytest.raises(NotFound):
        services.point_update(actor=world.user("district_x_staff"), point_id=point.pk, owner_id=world.union_b.pk)

    assert ServicePoint.objects.get(pk=point.pk).owner == world.street_x


def test_editing_records_what_changed(world):
    point = a_point(world, facilities=["water"])

    services.point_update(
        actor=world.user("district_x_staff"), point_id=point.pk, name="新名", facilities=["toilet"], area_m2=30
    )

    point.refresh_from_db()
    assert (point.name, point.area_m2) == ("新名", 30)
    assert list(point.facilities.values_list("facility", flat=True)) == ["toilet"]
    event = AuditEvent.objects.get(action="point.update")
    assert event.changes["name"] == ["X街道暖心驿站", "新名"]
    assert event.changes["facilities"] == [["water"], ["toilet"]]


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"kind": "rest_station", "home_subtype": HomeSubtype.PARK}, "network.subtype_only_for_shared_homes"),
        ({"lng": 2.35, "lat": 48.85}, "network.location_outside_china"),
        ({"facilities": ["jacuzzi"]}, "network.unknown_facility"),
        ({"status": "closed"}, "network.bad_initial_status"),
    ],
)
def test_bad_points_are_refused_with_a_reason(world, fields, code):
    with pytest.raises(ValidationFailed) as refused:
        a_point(world, **fields)
    assert refused.value.code == code
    assert not ServicePoint.objects.exists()


def test_closing_takes_a_point_out_for_good_and_twice_is_refused(world):
    point = a_point(world)

    services.point_close(actor=world.user("district_x_staff"), point_id=point.pk, reason="场地收回")

    assert ServicePoint.objects.get(pk=point.pk).status == PointStatus.CLOSED
    with pytest.raises(ValidationFailed):
        services.point_close(actor=world.user("district_x_staff"), point_id=point.pk)


def test_hours_replace_the_week_and_future_exceptions(world):
    point = a_point(world)
    actor = world.user("district_x_staff")
    services.point_hours_set(
        actor=actor,
        point_id=point.pk,
        weekly={0: [(540, 720), (780, 1080)], 7: [(600, 900)]},
        exceptions=[services.DateHours(dt.date(2099, 1, 2)), services.DateHours(dt.date(2099, 1, 3), ((600, 660),))],
        follows_holidays=False,
    )

    services.point_hours_set(actor=actor, point_id=point.pk, weekly={1: [(0, 1440)]})

    assert list(WeeklyHours.objects.filter(point=point).values_list("day", "opens_minute", "closes_minute")) == [
        (1, 0, 1440)
    ]
    assert not HoursException.objects.filter(point=point).exists()
    assert ServicePoint.objects.get(pk=point.pk).follows_holidays is False


@pytest.mark.parametrize(
    ("weekly", "code"),
    [
        ({0: [(600, 540)]}, "network.bad_hours"),
        ({0: [(540, 720), (700, 800)]}, "network.overlapping_hours"),
        ({0: [(0, 1500)]}, "network.bad_hours"),
        ({8: [(0, 60)]}, "network.bad_day"),
    ],
)
def test_bad_hours_are_refused(world, weekly, code):
    point = a_point(world)
    with pytest.raises(ValidationFailed) as refused:
        services.point_hours_set(actor=world.user("district_x_staff"), point_id=point.pk, weekly=weekly)
    assert refused.value.code == code


def test_only_a_mobile_home_has_stops(world):
    station = a_point(world)
    with pytest.raises(ValidationFailed) as refused:
        services.mobile_stop_create(
            actor=world.user("district_x_staff"),
            point_id=station.pk,
            site="工地",
            lng=116.4,
            lat=39.9,
            weekdays=[0],
            starts_on=dt.date(2026, 11, 1),
            ends_on=dt.date(2026, 11, 30),
            arrives_minute=480,
            leaves_minute=600,
        )
    assert refused.value.code == "network.not_mobile"


def test_a_city_defines_its_own_standard_that_wins_in_its_subtree(world):
    from zhijia.network.selectors import standard_for

    point = a_point(world)
    assert standard_for(point).code == "rest-station-7"  # type: ignore[union-attr]

    own = services.standard_create(
        actor=world.user("city_staff"),
        owner_id=world.city.pk,
        name="测试市暖心驿站标准",
        applies_to=PointKind.REST_STATION,
        items=["有场地", "有标识", "有空调"],
        inspection_interval_days=90,
    )

    assert standard_for(point) == own
    with pytest.raises(NotFound):
        services.standard_create(
            actor=world.user("district_y_staff"),
            owner_id=world.district_x.pk,
            name="越权",
            applies_to=PointKind.REST_STATION,
            items=["x"],
        )


def test_reviewers_hold_no_network_edit_permission(world):
    from zhijia.core.roles import Perm, Role
    from zhijia.core.scope import scope_for
    from zhijia.network.selectors import point_get
    from zhijia.testing.world import make_staff

    # a reviewer and nothing else (union A's staff are admins as well), bound to district X above the point
    reviewer = make_staff("district_x_reviewer", world.district_x, [Role.REVIEWER])
    point = a_point(world)
    before = _fingerprint(point)

    scope = scope_for(reviewer)
    assert scope.can(Perm.NETWORK_VIEW)
    assert not scope.can(Perm.NETWORK_EDIT)
    assert point_get(actor=reviewer, point_id=point.pk) == point
    with pytest.raises(PermissionDenied):
        services.point_update(actor=reviewer, point_id=point.pk, name="审核员改的名字")
    with pytest.raises(PermissionDenied):
        services.point_close(actor=reviewer, point_id=point.pk)
    assert _fingerprint(point) == before
