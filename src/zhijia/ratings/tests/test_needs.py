"""Needs, services and resources lists: workers and staff post needs, homes list their services and resources, and
the planner sees the needs no service within ten minutes answers."""

from __future__ import annotations

import pytest

from zhijia.core.errors import NotFound, PermissionDenied
from zhijia.network.tests.network_support import a_point
from zhijia.ratings import selectors, services
from zhijia.ratings.models import Need, Resource
from zhijia.ratings.tests.ratings_support import x_home, y_home
from zhijia.servicemenu.models import ServiceType
from zhijia.servicemenu.tests.servicemenu_support import an_offering


def _haircut() -> ServiceType:
    return ServiceType.objects.get(code="haircut")


def test_a_need_near_a_home_offering_the_service_is_answered_one_far_away_is_not(world):
    # given a home that offers haircuts, and another home 5 km east that offers nothing
    near = x_home(world, name="X理发职工之家")
    an_offering(world, near)
    far = x_home(world, name="X远处职工之家", lng=116.4 + 0.06)  # ≈ 5.1 km east: over an hour's walk
    worker = world.user("worker")

    # when workers at each home ask for a haircut, and one asks for something the catalogue lacks
    answered = services.need_post(actor=worker, title="想理发", service_type_id=_haircut().pk, point_id=near.pk)
    lacking = services.need_post(actor=worker, title="想理发", service_type_id=_haircut().pk, point_id=far.pk)
    other = services.need_post(actor=worker, title="想要充电柜", point_id=near.pk)

    # then the planner's view lists the far one (with how far the nearest haircut is) and the uncatalogued one
    rows = {u.need.pk: u.nearest_minutes for u in selectors.unanswered_needs(actor=world.user("district_x_staff"))}
    assert answered.pk not in rows
    far_minutes = rows[lacking.pk]
    assert far_minutes is not None
    assert far_minutes > 10
    assert rows[other.pk] is None
    # riding, 5 km is about 25 minutes: still outside the circle
    assert lacking.pk in {u.need.pk for u in selectors.unanswered_needs(actor=world.user("city_staff"), mode="ride")}


def test_staff_of_another_district_neither_see_nor_post_needs_for_x(world):
    home = x_home(world)
    need = services.need_post(actor=world.user("worker"), title="需要休息座椅", point_id=home.pk)
    with pytest.raises(NotFound):
        services.need_post(actor=world.user("district_y_staff"), title="越权", point_id=home.pk)
    with pytest.raises(NotFound):
        services.need_close(actor=world.user("district_y_staff"), need_id=need.pk)
    assert not selectors.need_list(actor=world.user("district_y_staff")).exists()
    assert [n.pk for n in selectors.need_list(actor=world.user("district_x_staff"))] == [need.pk]
    services.need_post(actor=world.user("district_x_staff"), title="街道统计：缺母婴室", point_id=home.pk)
    assert Need.objects.count() == 2


def test_a_homes_lists_show_its_needs_services_and_resources(world, client_as):
    home = x_home(world)
    an_offering(world, home)
    services.need_post(actor=world.user("worker"), title="希望有针线包", point_id=home.pk)
    services.resource_add(
        actor=world.user("district_x_staff"), point_id=home.pk, kind="room", name="多功能活动室", quantity=1
    )
    with pytest.raises(PermissionDenied):
        services.resource_add(actor=world.user("district_x_readonly"), point_id=home.pk, kind="room", name="只读")
    with pytest.raises(NotFound):
        services.resource_add(actor=world.user("district_y_staff"), point_id=home.pk, kind="room", name="越权")

    html = client_as(None).get(f"/network/points/{home.pk}/lists/").content.decode()

    assert "希望有针线包" in html
    assert "理发" in html
    assert "多功能活动室" in html
    assert Resource.objects.count() == 1


def test_the_planner_view_and_the_api_agree(world, api_as, client_as):
    home = y_home(world)
    a_point(world, owner=world.street_y, name="Y驿站", lng=116.3, lat=39.95)
    created = api_as(world.user("other_worker")).post(
        "/ratings/needs", {"title": "想修电动车", "service_type_id": _haircut().pk, "point_id": home.pk}
    )
    assert created.status_code == 201, created.content
    listed = api_as(world.user("district_y_staff")).get("/ratings/needs/unanswered").json()
    assert [row["need"]["title"] for row in listed] == ["想修电动车"]
    assert api_as(world.user("district_x_staff")).get("/ratings/needs/unanswered").json() == []
    page = client_as(world.user("district_y_staff")).get("/console/ratings/needs/", {"unanswered": "1"})
    assert "想修电动车" in page.content.decode()


def test_the_need_window_for_a_home_that_is_no_id_is_not_found_and_saves_nothing(world, client_as):
    worker = client_as(world.user("worker"))

    shown = worker.get("/ratings/needs/new/", {"point": "²"})
    sent = worker.post("/ratings/needs/new/", {"point": "²", "title": "理发", "body": "想理发"})

    for response in (shown, sent):
        assert response.status_code == 404
        assert "找不到该记录，或您无权查看。" in response.content.decode()
    assert not Need.objects.exists()
