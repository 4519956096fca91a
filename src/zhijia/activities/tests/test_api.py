"""The activities API as a client sees it: browse, register with an Idempotency-Key header, my activities, and the
staff's side (create, registrations, check-in by card, report)."""

from __future__ import annotations

import datetime as dt

import pytest

from zhijia.activities.models import Activity, Registration
from zhijia.members.services import card_token_issue
from zhijia.points.models import EarningRule

from .activities_support import make_activity, make_member

pytestmark = pytest.mark.django_db


def test_browse_register_with_a_key_and_see_it_among_my_activities(world, api_as):
    activity = make_activity(world, capacity=2, title="X街道急救知识培训")
    api = api_as(world.actor("worker"))

    listed = api.get("/activities", kind="training")
    api.headers["Idempotency-Key"] = "phone-tap-1"
    first = api.post(f"/activities/{activity.pk}/register")
    again = api.post(f"/activities/{activity.pk}/register")
    mine = api.get("/activities/mine")
    detail = api.get(f"/activities/{activity.pk}")

    assert [a["title"] for a in listed.json()["items"]] == ["X街道急救知识培训"]
    assert (first.status_code, again.status_code) == (201, 201)
    assert first.json()["id"] == again.json()["id"]
    assert first.json()["status"] == "registered"
    assert Registration.objects.filter(activity=activity).count() == 1
    assert [m["activity"]["id"] for m in mine.json()["items"]] == [activity.pk]
    assert detail.json()["my_registration"]["id"] == first.json()["id"]
    assert detail.json()["taken"] == 1


def test_a_full_activity_answers_409_with_a_clear_code(world, api_as):
    activity = make_activity(world, capacity=1, waitlist_size=0)
    api_as(world.actor("worker")).post(f"/activities/{activity.pk}/register")

    refused = api_as(world.actor("other_worker")).post(f"/activities/{activity.pk}/register")

    assert refused.status_code == 409
    assert refused.json()["code"] == "activity.full"


def test_staff_create_an_activity_and_check_a_member_in_by_card(world, api_as):
    member = make_member(world, world.user("other_worker"))
    EarningRule.objects.create(org=world.city, event="activity_checkin", points=5)
    staff = api_as(world.actor("district_x_staff"))
    starts = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=30)

    created = staff.post(
        "/activities",
        {
            "organiser_id": world.street_x.pk,
            "title": "X街道职工观影",
            "kind": "film",
            "audience": "members",
            "address": "X街道职工之家放映厅",
            "starts_at": starts.isoformat(),
            "ends_at": (starts + dt.timedelta(hours=2)).isoformat(),
            "capacity": 50,
            "member_price_fen": 1000,
            "price_fen": 3000,
        },
    )
    activity_id = created.json()["id"]
    registered = api_as(member.user).post(f"/activities/{activity_id}/register", {"idempotency_key": "k1"})
    checked = staff.post(f"/activities/{activity_id}/checkin", {"token": card_token_issue(membership=member)})
    listing = staff.get(f"/activities/{activity_id}/registrations")
    report = staff.get("/activities/report")

    assert created.status_code == 201
    assert registered.json()["price_fen"] == 1000
    assert checked.status_code == 200
    assert checked.json()["already"] is False
    assert listing.json()["items"][0]["checked_in_at"] is not None
    assert listing.json()["items"][0]["name"].endswith("*")
    film = [r for r in report.json() if r["kind"] == "film"]
    assert (film[0]["activities"], film[0]["registered"], film[0]["attended"], film[0]["attendance_rate"]) == (
        1,
        1,
        1,
        1.0,
    )


def test_bad_input_is_a_clear_4xx(world, api_as):
    staff = api_as(world.actor("district_x_staff"))

    backwards = staff.post(
        "/activities",
        {
            "organiser_id": world.street_x.pk,
            "title": "倒着的活动",
            "kind": "training",
            "address": "X街道",
            "starts_at": "2030-05-01T10:00:00+08:00",
            "ends_at": "2030-05-01T09:00:00+08:00",
            "capacity": 10,
        },
    )
    unknown = staff.post("/activities/999999/register")

    assert (backwards.status_code, backwards.json()["code"]) == (400, "activity.ends_before_start")
    assert backwards.json()["detail"]["field"] == "ends_at"
    assert unknown.status_code == 404


def test_a_time_outside_the_years_the_platform_plans_in_is_refused_naming_the_field(world, api_as):
    staff = api_as(world.actor("district_x_staff"))
    fields = {"organiser_id": world.street_x.pk, "title": "远未来", "kind": "training", "address": "X街道"}

    far = staff.post(
        "/activities",
        {**fields, "starts_at": "9999-12-31T20:00:00Z", "ends_at": "9999-12-31T22:00:00Z", "capacity": 10},
    )
    closes_early = staff.post(
        "/activities",
        {
            **fields,
            "starts_at": "2030-05-01T10:00:00+08:00",
            "ends_at": "2030-05-01T12:00:00+08:00",
            "registration_opens_at": "0001-01-01T00:00:00Z",
            "capacity": 10,
        },
    )

    assert (far.status_code, far.json()["code"], far.json()["detail"]["field"]) == (
        400,
        "date.out_of_range",
        "starts_at",
    )
    assert far.json()["message"] == "开始时间须在 2000 年至 2100 年之间。"
    assert closes_early.json()["detail"]["field"] == "registration_opens_at"
    assert "报名开始时间" in closes_early.json()["message"]
    assert not Activity.objects.filter(title="远未来").exists()


@pytest.mark.parametrize("key", ["phone\x00tap", "k" * 101])
def test_an_idempotency_key_header_with_a_nul_or_too_long_is_refused_naming_the_header(world, api_as, key):
    activity = make_activity(world)
    api = api_as(world.actor("worker"))
    api.headers["Idempotency-Key"] = key

    refused = api.post(f"/activities/{activity.pk}/register")

    assert refused.status_code == 422
    assert refused.json()["code"] == "request.invalid"
    assert refused.json()["detail"]["field"] == "header.Idempotency-Key"
    assert not Registration.objects.exists()
