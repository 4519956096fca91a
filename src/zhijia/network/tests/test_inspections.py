"""Inspections against a standard: the latest is the point's compliance and sets the next due date; staff see the
overdue points of their own subtree."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from zhijia.core.errors import PermissionDenied, ValidationFailed
from zhijia.network import selectors, services
from zhijia.network.models import Inspection, InspectionPhoto, PointKind, PointStatus
from zhijia.network.tests.network_support import Y_CENTRE, a_point

SEVEN = ["site", "sign", "facilities", "publicity", "services", "rules", "results"]
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def test_a_full_pass_sets_the_next_due_date_by_the_standard_interval(world):
    point = a_point(world)

    inspection = services.inspection_record(actor=world.user("district_x_staff"), point_id=point.pk, passed_items=SEVEN)

    point.refresh_from_db()
    assert inspection.passed
    assert inspection.standard.code == "rest-station-7"
    assert inspection.results.count() == 7
    assert point.latest_inspection == inspection
    assert point.next_inspection_due == timezone.localdate() + dt.timedelta(days=180)


def test_a_missing_item_fails_the_inspection_and_says_which(world):
    point = a_point(world)

    inspection = services.inspection_record(
        actor=world.user("district_x_staff"), point_id=point.pk, passed_items=SEVEN[:-1], note="无服务记录"
    )

    assert not inspection.passed
    failed = [r.item.code for r in inspection.results.all() if not r.passed]
    assert failed == ["results"]


def test_an_older_inspection_recorded_later_does_not_replace_the_latest(world):
    point = a_point(world)
    actor = world.user("district_x_staff")
    recent = services.inspection_record(actor=actor, point_id=point.pk, passed_items=SEVEN)

    services.inspection_record(
        actor=actor, point_id=point.pk, passed_items=[], inspected_at=timezone.now() - dt.timedelta(days=30)
    )

    point.refresh_from_db()
    assert point.latest_inspection == recent


def test_photos_are_kept_with_the_inspection(world, media_root):
    point = a_point(world)

    inspection = services.inspection_record(
        actor=world.user("district_x_staff"),
        point_id=point.pk,
        passed_items=SEVEN,
        photos=[SimpleUploadedFile("sign.png", PNG, content_type="image/png")],
    )

    (photo,) = InspectionPhoto.objects.filter(inspection=inspection)
    assert str(photo.image.name).startswith("network/inspections/")
    assert (media_root / str(photo.image.name)).read_bytes() == PNG


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"passed_items": ["jacuzzi"]}, "network.unknown_item"),
        ({"passed_items": [], "inspected_at": dt.datetime(2099, 1, 1, tzinfo=dt.UTC)}, "network.future_inspection"),
        (
            {"passed_items": [], "photos": [SimpleUploadedFile("x.exe", b"MZ", content_type="image/png")]},
            "network.photo_type",
        ),
    ],
)
def test_bad_inspections_are_refused(world, kwargs, code):
    point = a_point(world)
    with pytest.raises(ValidationFailed) as refused:
        services.inspection_record(actor=world.user("district_x_staff"), point_id=point.pk, **kwargs)
    assert refused.value.code == code
    assert not Inspection.objects.exists()


def test_a_kind_without_a_standard_cannot_be_inspected(world):
    library = a_point(world, kind=PointKind.LIBRARY)
    with pytest.raises(ValidationFailed) as refused:
        services.inspection_record(actor=world.user("district_x_staff"), point_id=library.pk, passed_items=[])
    assert refused.value.code == "network.no_standard"


def test_read_only_staff_may_not_inspect(world):
    point = a_point(world)
    with pytest.raises(PermissionDenied):
        services.inspection_record(actor=world.user("district_x_readonly"), point_id=point.pk, passed_items=SEVEN)


def test_staff_see_the_overdue_points_of_their_own_subtree_only(world):
    actor = world.user("superuser")
    due_x = a_point(world, name="X逾期驿站")
    fresh_x = a_point(world, name="X新检驿站")
    planned_x = a_point(world, name="X规划驿站", status=PointStatus.PLANNED)
    due_y = a_point(world, name="Y逾期驿站", owner=world.street_y, lng=Y_CENTRE[0], lat=Y_CENTRE[1])
    services.inspection_record(actor=actor, point_id=fresh_x.pk, passed_items=SEVEN)
    later = timezone.localdate() + dt.timedelta(days=services.FIRST_INSPECTION_DAYS + 1)

    seen_by = {
        name: set(selectors.overdue_list(actor=world.actor(name), today=later).values_list("name", flat=True))
        for name in ("district_x_staff", "district_y_staff", "city_staff", "union_a_staff", "worker")
    }

    assert seen_by["district_x_staff"] == {due_x.name}
    assert seen_by["district_y_staff"] == {due_y.name}
    assert seen_by["city_staff"] == {due_x.name, due_y.name}
    assert seen_by["union_a_staff"] == set()
    assert seen_by["worker"] == set()
    assert planned_x.name not in seen_by["city_staff"]


def test_a_point_is_overdue_once_its_due_date_has_passed(world):
    point = a_point(world)
    services.inspection_record(actor=world.user("superuser"), point_id=point.pk, passed_items=SEVEN)
    due = timezone.localdate() + dt.timedelta(days=180)

    assert not selectors.overdue_list(actor=world.actor("city_staff"), today=due).exists()
    assert selectors.overdue_list(actor=world.actor("city_staff"), today=due + dt.timedelta(days=1)).get() == point


def test_past_inspections_load_in_bulk_and_become_each_points_compliance(world):
    first, second = a_point(world, name="甲"), a_point(world, name="乙")
    inspector = world.user("superuser").pk
    when = timezone.now() - dt.timedelta(days=200)

    loaded = services.inspections_bulk_record(
        actor=None,
        seeds=[
            services.InspectionSeed(first.pk, inspector, when),
            services.InspectionSeed(second.pk, inspector, when - dt.timedelta(days=10), frozenset({"results"})),
        ],
        org=world.street_x,
    )

    first.refresh_from_db()
    second.refresh_from_db()
    assert loaded == 2
    assert first.latest_inspection is not None
    assert first.latest_inspection.passed
    assert second.latest_inspection is not None
    assert not second.latest_inspection.passed
    assert first.next_inspection_due == timezone.localdate(when) + dt.timedelta(days=180)
    assert second.next_inspection_due == timezone.localdate(when) + dt.timedelta(days=170)
    # both are overdue now, and loading again changes nothing
    assert set(selectors.overdue_list(actor=world.actor("district_x_staff"))) == {first, second}
    assert (
        services.inspections_bulk_record(
            actor=None, seeds=[services.InspectionSeed(first.pk, inspector, when)], org=world.street_x
        )
        == 0
    )
