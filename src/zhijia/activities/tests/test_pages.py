"""The pages, walked as people walk them: a member registers, shows the card's QR code at the door, staff scan it,
the member rates the activity; staff read the registrations, the feedback and the report."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest

from zhijia.activities.models import Activity, Feedback, Registration
from zhijia.members.services import card_token_issue

from .activities_support import make_activity, make_member, shift

pytestmark = pytest.mark.django_db


def test_register_check_in_and_rate_through_the_pages(world, client_as):
    member = make_member(world, world.user("other_worker"))
    activity = make_activity(world, starts_in=dt.timedelta(minutes=30), title="X街道急救知识培训")
    worker = client_as(member.user)
    staff = client_as(world.user("district_x_staff"))

    # the member finds the activity and registers; a double-submitted form (same key) registers once
    browse = worker.get("/activities/", {"kind": "training"})
    assert "X街道急救知识培训" in browse.content.decode()
    page = worker.get(f"/activities/{activity.pk}/").content.decode()
    found = re.search(r'name="key" value="([0-9a-f]+)"', page)
    assert found is not None
    key = found.group(1)
    for _ in range(2):
        done = worker.post(f"/activities/{activity.pk}/register/", {"key": key})
        assert done.status_code == 302
    assert Registration.objects.filter(activity=activity, user=member.user).count() == 1

    # my activities carries the card's QR code (loaded from the card's own refreshing fragment)
    mine = worker.get("/activities/mine/").content.decode()
    assert 'hx-get="/card/qr/"' in mine
    assert "X街道急救知识培训" in mine

    # at the door, staff scan the card on the check-in page (htmx swaps in the answer)
    scanner = staff.get(f"/console/activities/{activity.pk}/checkin/").content.decode()
    assert 'id="scan-token"' in scanner
    assert "zhijia/js/scanner.js" in scanner
    answer = staff.post(
        f"/console/activities/{activity.pk}/checkin/",
        {"token": card_token_issue(membership=member)},
        headers={"HX-Request": "true"},
    ).content.decode()
    assert 'data-status="checked_in"' in answer
    again = staff.post(
        f"/console/activities/{activity.pk}/checkin/",
        {"token": card_token_issue(membership=member)},
        headers={"HX-Request": "true"},
    ).content.decode()
    assert 'data-status="already"' in again
    stranger = staff.post(
        f"/console/activities/{activity.pk}/checkin/", {"token": "garbage"}, headers={"HX-Request": "true"}
    ).content.decode()
    assert 'data-status="activity.card_invalid"' in stranger

    # once it has begun, the member rates it from the activity's page
    shift(activity, -dt.timedelta(hours=1))
    detail = worker.get(f"/activities/{activity.pk}/").content.decode()
    assert 'id="feedback-form"' in detail
    reg = Registration.objects.get(activity=activity, user=member.user)
    worker.post(f"/activities/registrations/{reg.pk}/feedback/", {"stars": "4", "comment": "很实用"})
    assert Feedback.objects.get(registration=reg).stars == 4

    # staff see the attendance, the feedback and the report with its chart
    listing = staff.get(f"/console/activities/{activity.pk}/").content.decode()
    assert 'id="attended-count">1<' in listing
    summary = staff.get(f"/console/activities/{activity.pk}/feedback/").content.decode()
    assert 'id="feedback-average">4.0<' in summary
    report = staff.get("/console/activities/report/").content.decode()
    found = re.search(r'<script id="attendance-chart" type="application/json">(.*?)</script>', report)
    assert found is not None
    chart = json.loads(found.group(1))
    assert chart["values"] == [100.0]


def test_a_full_activity_puts_the_next_person_on_the_waitlist(world, client_as):
    activity = make_activity(world, capacity=1)
    client_as(world.user("worker")).post(f"/activities/{activity.pk}/register/", {"key": "a"})

    page = client_as(world.user("other_worker")).get(f"/activities/{activity.pk}/").content.decode()
    client_as(world.user("other_worker")).post(f"/activities/{activity.pk}/register/", {"key": "b"})

    assert 'id="register">' in page
    assert "加入候补" in page
    assert Registration.objects.get(activity=activity, user=world.user("other_worker")).status == "waitlisted"


def test_staff_publish_an_activity_from_the_form(world, client_as):
    staff = client_as(world.user("district_x_staff"))

    response = staff.post(
        "/console/activities/new/",
        {
            "title": "X街道读书日",
            "kind": "reading_day",
            "organiser": world.street_x.pk,
            "audience": "members",
            "address": "X街道职工书屋",
            "starts_at": "2030-04-23T09:00",
            "ends_at": "2030-04-23T11:00",
            "capacity": "30",
            "waitlist_size": "5",
        },
    )
    form_error = staff.post(
        "/console/activities/new/",
        {
            "title": "没有地点",
            "kind": "training",
            "organiser": world.street_x.pk,
            "audience": "members",
            "starts_at": "2030-04-23T09:00",
            "ends_at": "2030-04-23T11:00",
            "capacity": "30",
            "waitlist_size": "5",
        },
    )

    assert response.status_code == 302
    assert form_error.status_code == 200
    assert "请选择服务阵地，或填写活动地址。" in form_error.content.decode()


def test_a_time_in_year_one_is_refused_on_its_field_and_nothing_is_published(world, client_as):
    staff = client_as(world.user("district_x_staff"))

    response = staff.post(
        "/console/activities/new/",
        {
            "title": "第一年的活动",
            "kind": "training",
            "organiser": world.street_x.pk,
            "audience": "members",
            "address": "X街道职工书屋",
            "starts_at": "0001-01-01T01:00",
            "ends_at": "0001-01-01T03:00",
            "registration_opens_at": "0001-01-01T00:00",
            "registration_closes_at": "0001-01-01T00:30",
            "capacity": "30",
            "waitlist_size": "5",
        },
    )

    assert response.status_code == 200
    assert "开始时间须在 2000 年至 2100 年之间。" in response.content.decode()
    assert response.context["form"].errors["starts_at"]
    assert not Activity.objects.filter(title="第一年的活动").exists()
