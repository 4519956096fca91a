"""The network's pages: the finder and a point's page for anyone; the registry, editing, hours, routes and
inspections for staff within their subtree."""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from zhijia.network.models import HomeSubtype, Inspection, MobileStop, PointKind, PointStatus, ServicePoint
from zhijia.network.tests.network_support import X_CENTRE, a_point, with_hours

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def test_the_finder_lists_the_nearest_points_without_javascript(client_as, world):
    with_hours(world, a_point(world, name="最近的驿站", lng=X_CENTRE[0] + 0.002, lat=X_CENTRE[1]))
    a_point(world, name="稍远的驿站", lng=X_CENTRE[0] + 0.02, lat=X_CENTRE[1])

    page = client_as(None).get(reverse("network:finder"), {"lng": X_CENTRE[0], "lat": X_CENTRE[1]})

    text = page.content.decode()
    assert page.status_code == 200
    assert text.index("最近的驿站") < text.index("稍远的驿站")
    assert 'id="finder-config"' in text
    assert "<script>" not in text  # data goes to the script through json_script only


def test_a_point_page_shows_facilities_and_hours(client_as, world):
    point = with_hours(world, a_point(world, name="暖心驿站", facilities=["water", "microwave"]))

    page = client_as(None).get(reverse("network:point", args=[point.pk]))

    text = page.content.decode()
    assert page.status_code == 200
    assert "饮用水" in text
    assert "微波炉" in text
    assert "09:00-18:00" in text


def test_a_planned_point_has_no_public_page(client_as, world):
    point = a_point(world, status=PointStatus.PLANNED)
    assert client_as(None).get(reverse("network:point", args=[point.pk])).status_code == 404
    assert client_as(world.actor("district_x_staff")).get(reverse("network:point", args=[point.pk])).status_code == 200


def test_the_registry_shows_the_callers_points_only(client_as, world):
    a_point(world, name="X的驿站")
    a_point(world, name="Y的驿站", owner=world.street_y)

    text = client_as(world.actor("district_y_staff")).get(reverse("network:registry")).content.decode()

    assert "Y的驿站" in text
    assert "X的驿站" not in text


def test_staff_create_a_point_from_the_console(client_as, world):
    response = client_as(world.actor("district_x_staff")).post(
        reverse("network:point_create"),
        {
            "name": "新驿站",
            "kind": "rest_station",
            "owner": world.street_x.pk,
            "lng": X_CENTRE[0],
            "lat": X_CENTRE[1],
            "coord": "wgs84",
            "status": "open",
            "facilities": ["water", "toilet"],
        },
    )

    point = ServicePoint.objects.get(name="新驿站")
    assert response.status_code == 302
    assert response["Location"] == reverse("network:console_point", args=[point.pk])
    assert set(point.facilities.values_list("facility", flat=True)) == {"water", "toilet"}


def test_another_district_cannot_open_the_edit_page_and_nothing_changes(client_as, world):
    point = a_point(world, name="X的驿站")
    client = client_as(world.actor("district_y_staff"))

    assert client.get(reverse("network:point_edit", args=[point.pk])).status_code == 404
    assert client.post(reverse("network:point_close", args=[point.pk])).status_code == 404
    assert ServicePoint.objects.get(pk=point.pk).status == PointStatus.OPEN


def test_hours_are_entered_as_text(client_as, world):
    point = a_point(world)
    response = client_as(world.actor("district_x_staff")).post(
        reverse("network:point_hours", args=[point.pk]),
        {
            "day0": "09:00-12:00, 13:00-18:00",
            "day7": "",
            "follows_holidays": "on",
            "exceptions": "2099-10-02 关闭 检修",
        },
    )
    assert response.status_code == 302
    assert list(point.weekly_hours.values_list("day", "opens_minute", "closes_minute")) == [
        (0, 540, 720),
        (0, 780, 1080),
    ]
    assert point.hours_exceptions.get().closed

    bad = client_as(world.actor("district_x_staff")).post(
        reverse("network:point_hours", args=[point.pk]), {"day1": "18-9"}
    )
    assert bad.status_code == 200
    assert "field-error" in bad.content.decode()


def test_staff_record_an_inspection_with_a_photo(client_as, world, media_root):
    point = a_point(world)
    data = {f"item_{code}": "on" for code in ("site", "sign", "facilities", "publicity", "services", "rules")}

    response = client_as(world.actor("district_x_staff")).post(
        reverse("network:inspect", args=[point.pk]),
        {**data, "note": "缺少服务记录", "photos": [SimpleUploadedFile("a.png", PNG, content_type="image/png")]},
    )

    assert response.status_code == 302
    inspection = Inspection.objects.get(point=point)
    assert not inspection.passed
    assert inspection.photos.count() == 1
    page = client_as(world.actor("district_x_staff")).get(reverse("network:console_point", args=[point.pk]))
    assert "缺少服务记录" in page.content.decode()


def test_a_mobile_homes_route_is_edited_on_its_page(client_as, world):
    home = a_point(world, kind=PointKind.SHARED_HOME, home_subtype=HomeSubtype.MOBILE)
    client = client_as(world.actor("district_x_staff"))
    response = client.post(
        reverse("network:stops", args=[home.pk]),
        {
            "site": "亦庄工地",
            "lng": 116.5,
            "lat": 39.8,
            "coord": "wgs84",
            "repeat": "weekly",
            "weekdays": ["0", "2"],
            "starts_on": "2026-11-01",
            "ends_on": "2026-12-31",
            "arrives": "10:00",
            "leaves": "15:00",
        },
    )
    assert response.status_code == 302
    stop = MobileStop.objects.get(point=home)
    assert stop.weekdays == 0b101

    assert (
        client_as(world.actor("district_y_staff")).post(reverse("network:stop_delete", args=[stop.pk])).status_code
        == 404
    )
    assert client.post(reverse("network:stop_delete", args=[stop.pk])).status_code == 302
    assert not MobileStop.objects.exists()


def test_the_overdue_page_lists_points_never_inspected_after_their_grace(client_as, world):
    point = a_point(world, name="久未检查的驿站")
    ServicePoint.objects.filter(pk=point.pk).update(next_inspection_due=dt.date(2020, 1, 1))

    text = client_as(world.actor("district_x_staff")).get(reverse("network:overdue")).content.decode()

    assert "久未检查的驿站" in text


def test_a_route_or_hours_dated_outside_the_platforms_years_is_refused_and_nothing_is_saved(client_as, world):
    home = a_point(world, kind=PointKind.SHARED_HOME, home_subtype=HomeSubtype.MOBILE)
    client = client_as(world.actor("district_x_staff"))
    stop = {
        "site": "亦庄工地",
        "lng": 116.5,
        "lat": 39.8,
        "coord": "wgs84",
        "repeat": "weekly",
        "weekdays": ["0"],
        "starts_on": "0001-01-01",
        "ends_on": "2026-12-31",
        "arrives": "10:00",
        "leaves": "15:00",
    }

    route = client.post(reverse("network:stops", args=[home.pk]), stop)
    hours = client.post(
        reverse("network:point_hours", args=[home.pk]), {"day0": "09:00-18:00", "exceptions": "9999-12-31 关闭"}
    )

    assert route.status_code == 200
    assert route.context["form"].errors["starts_on"] == ["开始日期须在 2000 年至 2100 年之间。"]
    assert not MobileStop.objects.exists()
    assert hours.status_code == 200
    assert "特殊日期须在 2000 年至 2100 年之间。" in hours.content.decode()
    assert not home.hours_exceptions.exists()
    assert not home.weekly_hours.exists()
