"""A member's own work location: set and moved by the member (API and page), in either datum, only with consent;
encrypted at rest; never overwritten by an import; taken back for good; and counted by the analyses."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import TestCase
from django.urls import reverse

from zhijia.audit.models import AuditEvent
from zhijia.network.coords import wgs84_to_gcj02
from zhijia.planning import services
from zhijia.planning.algorithms.projection import haversine_m
from zhijia.planning.models import WorkerLocation

from .planning_support import finish, lnglat, member_user, point_at

HERE = lnglat(100.0, 50.0)  # WGS-84, 112 m from the station the tests put at X's centre
FAR = lnglat(3000.0, 0.0)


def _metres_from(member, where: tuple[float, float]) -> float:
    """How far the member's stored work place is from `where` (both WGS-84)."""
    at = WorkerLocation.objects.get(membership=member).lnglat
    assert at is not None
    return float(haversine_m(at[0], at[1], where[0], where[1]))


@pytest.fixture
def member(world):
    """The worker of the test world, made a member of union A (under street X, district X)."""
    return member_user(world).memberships.get()


def test_a_member_sets_their_work_place_in_gcj02_and_reads_it_back_in_either_datum(world, member, api_as):
    api = api_as(world.user("worker"))
    gcj = wgs84_to_gcj02(*HERE)

    saved = api.put("/planning/me/work-location", {"lng": gcj[0], "lat": gcj[1], "coord": "gcj02", "consent": True})

    assert saved.status_code == 200, saved.content
    assert saved.json()["coord"] == "gcj02"
    stored = WorkerLocation.objects.get(membership=member)
    assert stored.source == WorkerLocation.Source.MEMBER
    assert stored.consented_at is not None
    # stored in WGS-84, within a metre of where the member is
    assert _metres_from(member, HERE) < 1.0
    back = api.get("/planning/me/work-location").json()
    assert back["is_set"] is True
    assert back["coord"] == "wgs84"
    assert haversine_m(back["lng"], back["lat"], *HERE) < 1.0
    as_gcj = api.get("/planning/me/work-location?coord=gcj02").json()
    assert as_gcj["coord"] == "gcj02"
    assert haversine_m(as_gcj["lng"], as_gcj["lat"], *gcj) < 1.0


def test_without_consent_or_outside_china_nothing_is_stored(world, member, api_as):
    api = api_as(world.user("worker"))

    no_consent = api.put("/planning/me/work-location", {"lng": HERE[0], "lat": HERE[1]})
    abroad = api.put("/planning/me/work-location", {"lng": 2.35, "lat": 48.85, "consent": True})

    assert no_consent.status_code == 400
    assert no_consent.json()["detail"]["field"] == "consent"
    assert abroad.status_code == 400
    assert abroad.json()["code"] == "planning.location_outside_china"
    assert not WorkerLocation.objects.exists()
    assert api.get("/planning/me/work-location").json()["is_set"] is False


def test_the_position_is_encrypted_at_rest_and_the_audit_says_only_that_it_was_set(world, member, api_as):
    api_as(world.user("worker")).put(
        "/planning/me/work-location", {"lng": 116.412345, "lat": 39.912345, "consent": True}
    )

    with connection.cursor() as cursor:
        cursor.execute("SELECT position FROM planning_workerlocation")
        (raw,) = cursor.fetchone()
    assert "116.41" not in raw
    assert "39.91" not in raw
    assert raw.startswith("a1.")
    event = AuditEvent.objects.get(action="planning.my_work_location_set")
    assert "116.41" not in str(event.changes) + event.object_repr


def test_moving_it_replaces_it_and_deleting_it_keeps_a_later_import_from_putting_it_back(
    world, member, api_as, media_root
):
    api = api_as(world.user("worker"))
    api.put("/planning/me/work-location", {"lng": HERE[0], "lat": HERE[1], "consent": True})
    api.put("/planning/me/work-location", {"lng": FAR[0], "lat": FAR[1], "consent": True})
    assert _metres_from(member, FAR) < 1.0

    deleted = api.delete("/planning/me/work-location")

    assert deleted.status_code == 204
    assert api.get("/planning/me/work-location").json()["is_set"] is False
    content = f"会员号,经度,纬度\n{member.member_no},116.41,39.91\n".encode()
    with TestCase.captureOnCommitCallbacks(execute=False):
        job = services.worker_locations_import(
            actor=world.user("district_x_staff"), owner_id=world.district_x.pk, content=content
        )
    job = finish(job)
    assert job.result["kept_member_set"] == 1
    location = WorkerLocation.objects.get(membership=member)
    assert location.lnglat is None
    assert location.source == WorkerLocation.Source.MEMBER


def test_an_import_never_moves_what_the_member_set(world, member, api_as, media_root):
    api_as(world.user("worker")).put("/planning/me/work-location", {"lng": HERE[0], "lat": HERE[1], "consent": True})
    content = f"会员号,经度,纬度\n{member.member_no},116.41,39.91\n".encode()
    with TestCase.captureOnCommitCallbacks(execute=False):
        job = services.worker_locations_import(
            actor=world.user("district_x_staff"), owner_id=world.district_x.pk, content=content
        )

    job = finish(job)

    assert (job.result["added"], job.result["updated"], job.result["kept_member_set"]) == (0, 0, 1)
    assert _metres_from(member, HERE) < 1.0


def test_the_analysis_counts_the_members_own_place_and_forgets_it_once_deleted(world, member, api_as):
    point_at(world, 0, 0)
    api = api_as(world.user("worker"))
    api.put("/planning/me/work-location", {"lng": HERE[0], "lat": HERE[1], "consent": True})
    staff = world.user("district_x_staff")

    counted = services.analysis_start(actor=staff, area_id=world.district_x.pk, background=False)
    api.delete("/planning/me/work-location")
    forgotten = services.analysis_start(actor=staff, area_id=world.district_x.pk, background=False)

    assert (counted.summary["workers"], counted.summary["covered"]) == (1, 1)
    assert forgotten.summary["workers"] == 0


def test_no_one_else_reads_a_members_place(world, member, api_as):
    api_as(world.user("worker")).put("/planning/me/work-location", {"lng": HERE[0], "lat": HERE[1], "consent": True})
    other = api_as(member_user(world, "other_worker"))

    # another member reads their own place: none yet, and never the first member's
    theirs = other.get("/planning/me/work-location")
    assert theirs.status_code == 200
    assert (theirs.json()["is_set"], theirs.json()["lng"], theirs.json()["lat"]) == (False, None, None)
    other.put("/planning/me/work-location", {"lng": FAR[0], "lat": FAR[1], "consent": True})
    moved = other.get("/planning/me/work-location").json()
    assert haversine_m(moved["lng"], moved["lat"], *FAR) < 1.0
    mine = api_as(world.user("worker")).get("/planning/me/work-location").json()
    assert haversine_m(mine["lng"], mine["lat"], *HERE) < 1.0
    # staff, the superuser included, have no place of their own and read no one else's
    for who in ("district_x_staff", "superuser"):
        answer = api_as(world.user(who)).get("/planning/me/work-location")
        assert answer.status_code == 404, who


def test_the_page_saves_typed_coordinates_with_consent_and_refuses_without(world, member, client_as):
    client = client_as(world.user("worker"))
    url = reverse("planning_member:work_location")
    page = client.get(url)
    assert page.status_code == 200
    assert "您还没有填报工作地点" in page.content.decode()
    assert 'id="work-location-config"' in page.content.decode()

    refused = client.post(url, {"lng": f"{HERE[0]:.6f}", "lat": f"{HERE[1]:.6f}", "coord": "wgs84"})
    assert refused.status_code == 200
    assert "请先阅读并同意工作地点的使用说明" in refused.content.decode()
    assert not WorkerLocation.objects.exists()

    gcj = wgs84_to_gcj02(*HERE)
    saved = client.post(url, {"lng": f"{gcj[0]:.6f}", "lat": f"{gcj[1]:.6f}", "coord": "gcj02", "consent": "on"})
    assert saved.status_code == 302
    assert _metres_from(member, HERE) < 1.0
    assert "已填报" in client.get(url).content.decode()

    cleared = client.post(url, {"clear": "1"})
    assert cleared.status_code == 302
    assert WorkerLocation.objects.get(membership=member).lnglat is None


def test_the_page_is_for_members_only(world, client_as):
    assert client_as(world.user("worker")).get(reverse("planning_member:work_location")).status_code == 404
