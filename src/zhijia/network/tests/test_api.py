"""The network over HTTP: the public finder and point page, the registry, editing and inspecting within scope."""

from __future__ import annotations

import datetime as dt

import pytest

from zhijia.network.coords import wgs84_to_gcj02
from zhijia.network.geo import haversine_m
from zhijia.network.models import HomeSubtype, PointKind, PointStatus, ServicePoint
from zhijia.network.tests.network_support import X_CENTRE, Y_CENTRE, a_point, with_hours


@pytest.fixture
def stations(world):
    near = with_hours(
        world, a_point(world, name="近站", lng=X_CENTRE[0] + 0.001, lat=X_CENTRE[1], facilities=["water"])
    )
    far = a_point(world, name="远站", lng=X_CENTRE[0] + 0.02, lat=X_CENTRE[1], facilities=["water", "toilet"])
    home = a_point(
        world,
        name="共享之家",
        kind=PointKind.SHARED_HOME,
        home_subtype=HomeSubtype.PARK,
        lng=X_CENTRE[0] + 0.01,
        lat=X_CENTRE[1],
    )
    y = a_point(world, name="Y站", owner=world.street_y, lng=Y_CENTRE[0], lat=Y_CENTRE[1])
    planned = a_point(world, name="规划站", status=PointStatus.PLANNED)
    return {"near": near, "far": far, "home": home, "y": y, "planned": planned}


def test_anyone_finds_the_nearest_points_by_walking_time(api_as, stations):
    response = api_as(None).get("/network/nearest", lng=X_CENTRE[0], lat=X_CENTRE[1])

    assert response.status_code == 200
    body = response.json()
    assert [i["name"] for i in body["items"]][:3] == ["近站", "共享之家", "远站"]
    first = body["items"][0]
    assert first["location"]["coord"] == "wgs84"
    assert first["distance_m"] == pytest.approx(haversine_m(*X_CENTRE, X_CENTRE[0] + 0.001, X_CENTRE[1]), abs=0.1)
    assert first["minutes"] == pytest.approx(first["distance_m"] * 1.3 / 4800 * 60, abs=0.1)
    assert first["url"] == f"/network/points/{stations['near'].pk}/"
    assert "规划站" not in [i["name"] for i in body["items"]]


def test_riding_is_faster_and_filters_narrow_the_list(api_as, stations):
    client = api_as(None)
    walk = client.get("/network/nearest", lng=X_CENTRE[0], lat=X_CENTRE[1]).json()["items"][0]["minutes"]
    ride = client.get("/network/nearest", lng=X_CENTRE[0], lat=X_CENTRE[1], mode="ride").json()["items"][0]["minutes"]
    assert ride == pytest.approx(walk * 4.8 / 15, abs=0.1)

    toilets = client.get("/network/nearest", lng=X_CENTRE[0], lat=X_CENTRE[1], facility="toilet").json()
    assert [i["name"] for i in toilets["items"]] == ["远站"]
    homes = client.get("/network/nearest", lng=X_CENTRE[0], lat=X_CENTRE[1], kind="shared_home").json()
    assert [i["name"] for i in homes["items"]] == ["共享之家"]


def test_gcj02_in_gives_gcj02_out(api_as, stations):
    g_lng, g_lat = wgs84_to_gcj02(*X_CENTRE)

    body = api_as(None).get("/network/nearest", lng=g_lng, lat=g_lat, coord="gcj02").json()

    assert body["origin"]["coord"] == "gcj02"
    first = body["items"][0]
    assert first["name"] == "近站"
    assert first["location"]["coord"] == "gcj02"
    expected = wgs84_to_gcj02(X_CENTRE[0] + 0.001, X_CENTRE[1])
    assert (first["location"]["lng"], first["location"]["lat"]) == pytest.approx(expected, abs=1e-6)
    assert first["distance_m"] == pytest.approx(haversine_m(*X_CENTRE, X_CENTRE[0] + 0.001, X_CENTRE[1]), abs=0.5)


def test_a_point_page_is_public_when_open_and_private_when_planned(api_as, world, stations):
    anonymous = api_as(None)
    assert anonymous.get(f"/network/points/{stations['near'].pk}").status_code == 200
    assert anonymous.get(f"/network/points/{stations['planned'].pk}").status_code == 404
    assert api_as(world.actor("district_y_staff")).get(f"/network/points/{stations['planned'].pk}").status_code == 404

    body = api_as(world.actor("district_x_staff")).get(f"/network/points/{stations['planned'].pk}").json()
    assert body["in_registry"] is True
    public = anonymous.get(f"/network/points/{stations['near'].pk}").json()
    assert public["in_registry"] is False
    assert public["latest_inspection"] is None
    assert public["weekly_hours"][0] == {"day": 0, "spans": [{"opens": "09:00", "closes": "18:00"}]}


def test_the_registry_lists_only_the_callers_subtree(api_as, world, stations):
    names = lambda actor: {i["name"] for i in api_as(world.actor(actor)).get("/network/points").json()["items"]}  # noqa: E731

    assert names("district_x_staff") == {"近站", "远站", "共享之家", "规划站"}
    assert names("district_y_staff") == {"Y站"}
    assert names("worker") == set()
    assert api_as(None).get("/network/points").status_code == 401


def test_staff_create_with_gcj02_coordinates_and_the_platform_stores_wgs84(api_as, world):
    g_lng, g_lat = wgs84_to_gcj02(*X_CENTRE)

    response = api_as(world.actor("district_x_staff")).post(
        "/network/points",
        {
            "owner_id": world.street_x.pk,
            "name": "新站",
            "kind": "rest_station",
            "lng": g_lng,
            "lat": g_lat,
            "coord": "gcj02",
        },
    )

    assert response.status_code == 201, response.content
    point = ServicePoint.objects.get(name="新站")
    assert haversine_m(point.lng, point.lat, *X_CENTRE) < 0.01
    assert response.json()["location"]["coord"] == "gcj02"


def test_another_district_cannot_patch_a_point_and_nothing_changes(api_as, world, stations):
    point = stations["near"]

    response = api_as(world.actor("district_y_staff")).patch(f"/network/points/{point.pk}", {"name": "被篡改"})

    assert response.status_code == 404
    assert set(response.json()) == {"code", "message", "detail"}
    assert ServicePoint.objects.get(pk=point.pk).name == "近站"


def test_hours_inspections_and_the_overdue_list_over_http(api_as, world, stations):
    staff = api_as(world.actor("district_x_staff"))
    point = stations["far"]

    hours = staff.client.put(
        f"/api/v1/network/points/{point.pk}/hours",
        {"weekly": [{"day": d, "spans": [{"opens": "00:00", "closes": "24:00"}]} for d in range(7)]},
        content_type="application/json",
    )
    assert hours.status_code == 200, hours.content
    assert hours.json()["open_now"] is True

    recorded = staff.post(
        f"/network/points/{point.pk}/inspections", {"passed_items": ["site", "sign"], "note": "缺宣传"}
    )
    assert recorded.status_code == 201, recorded.content
    assert recorded.json()["passed"] is False
    history = staff.get(f"/network/points/{point.pk}/inspections").json()
    assert [i["id"] for i in history["items"]] == [recorded.json()["id"]]

    overdue = {i["name"] for i in staff.get("/network/overdue").json()["items"]}
    assert overdue == set()  # everything is new: first inspections are due in 30 days


def test_a_mobile_home_says_where_it_is_and_where_it_goes(api_as, world):
    home = a_point(world, name="流动之家", kind=PointKind.SHARED_HOME, home_subtype=HomeSubtype.MOBILE)
    staff = api_as(world.actor("district_x_staff"))
    today = dt.date.today()
    created = staff.post(
        f"/network/points/{home.pk}/stops",
        {
            "site": "全天工地",
            "lng": 116.45,
            "lat": 39.92,
            "repeat": "daily",
            "starts_on": str(today - dt.timedelta(days=1)),
            "ends_on": str(today + dt.timedelta(days=10)),
            "arrives": "00:00",
            "leaves": "24:00",
        },
    )
    assert created.status_code == 201, created.content

    body = api_as(None).get(f"/network/points/{home.pk}").json()
    assert body["whereabouts"]["now"]["site"] == "全天工地"
    assert body["whereabouts"]["next"]["site"] == "全天工地"
    nearest = api_as(None).get("/network/nearest", lng=116.45, lat=39.92).json()["items"]
    assert nearest[0]["name"] == "流动之家"
    assert nearest[0]["at_stop"]["site"] == "全天工地"

    assert (
        api_as(world.actor("district_y_staff"))
        .client.delete(f"/api/v1/network/stops/{created.json()['id']}")
        .status_code
        == 404
    )
    assert staff.client.delete(f"/api/v1/network/stops/{created.json()['id']}").status_code == 204


def test_an_inspection_or_stop_dated_outside_the_platforms_years_is_refused_naming_the_field(api_as, world):
    point = a_point(world)
    home = a_point(world, name="流动之家", kind=PointKind.SHARED_HOME, home_subtype=HomeSubtype.MOBILE)
    staff = api_as(world.actor("district_x_staff"))

    inspected = staff.post(
        f"/network/points/{point.pk}/inspections", {"passed_items": [], "inspected_at": "0001-01-01T00:00:00Z"}
    )
    stop = staff.post(
        f"/network/points/{home.pk}/stops",
        {
            "site": "工地",
            "lng": 116.45,
            "lat": 39.92,
            "repeat": "daily",
            "starts_on": "2026-11-01",
            "ends_on": "9999-12-31",
            "arrives": "09:00",
            "leaves": "12:00",
        },
    )

    for response, field in [(inspected, "inspected_at"), (stop, "ends_on")]:
        assert response.status_code == 400, response.content
        assert (response.json()["code"], response.json()["detail"]["field"]) == ("date.out_of_range", field)
        assert "须在 2000 年至 2100 年之间" in response.json()["message"]
    assert not point.inspections.exists()
    assert not home.stops.exists()


def test_standards_list_the_national_ones_and_a_citys_own(api_as, world):
    staff = api_as(world.actor("city_staff"))
    created = staff.post(
        "/network/standards",
        {
            "owner_id": world.city.pk,
            "name": "测试市共享职工之家标准",
            "applies_to": "shared_home",
            "items": ["有场地", "有活动"],
        },
    )
    assert created.status_code == 201, created.content

    codes = {s["code"] for s in api_as(world.actor("district_x_staff")).get("/network/standards").json()}
    assert {"rest-station-7", "enterprise-home-6", created.json()["code"]} <= codes
