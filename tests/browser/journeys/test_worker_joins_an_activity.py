"""A worker signs up for a training on the phone; at the door, staff scan the member card on the activity's check-in
page (typed in, as a scanner gun does); the worker sees the check-in and their points, and rates the activity."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from playwright.sync_api import expect

from zhijia.activities.tests.activities_support import make_activity, shift
from zhijia.members.services import card_token_issue
from zhijia.members.tests.membership_support import member
from zhijia.points.models import EarningRule

pytestmark = pytest.mark.browser


def _staff_tab(page: Any, live_server: Any, user: Any) -> Any:
    context = page.context.browser.new_context(
        base_url=live_server.url, locale="zh-CN", viewport={"width": 1280, "height": 900}
    )
    client = Client()
    client.force_login(user)
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])
    return context.new_page()


def test_a_worker_registers_is_checked_in_by_card_and_rates_the_activity(
    page: Any, shot: Any, sign_in: Any, world: Any, live_server: Any
) -> None:
    # given a first-aid training of street X within the hour, and the district's 8 points for turning up
    activity = make_activity(world, starts_in=dt.timedelta(minutes=40), capacity=20, title="X街道急救知识培训")
    EarningRule.objects.create(org=world.district_x, event="activity_checkin", points=8)
    membership = member(world, "worker")
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(world.user("worker"))

    # the worker finds the training among the activities and registers
    page.goto("/activities/")
    page.click("#activity-list a:text('X街道急救知识培训')")
    expect(page.locator("#places")).to_contain_text("0 / 20")
    page.click("#register")
    expect(page.locator(".messages")).to_contain_text("报名成功")
    expect(page.locator("#my-status")).to_contain_text("已报名")
    shot("registered")

    # my activities shows it, with the card's QR code to show at the door
    page.goto("/activities/mine/")
    expect(page.locator("#upcoming-table")).to_contain_text("X街道急救知识培训")
    expect(page.locator("#door-card svg.qr")).to_be_visible()
    shot("my-activities")

    # at the door, staff open the activity's check-in page and scan the card
    staff = _staff_tab(page, live_server, world.user("district_x_staff"))
    staff.goto(f"/console/activities/{activity.pk}/")
    staff.click("#open-scanner")
    staff.fill("#scan-token", card_token_issue(membership=membership))
    staff.press("#scan-token", "Enter")
    expect(staff.locator("#card-check-result")).to_contain_text("签到成功")
    expect(staff.locator("#checkin-count")).to_contain_text("1 / 1")
    expect(staff.locator("#scan-token")).to_have_value("")
    staff.screenshot(path=str(shot("after-scan").parent / "staff-checkin.png"), full_page=True)
    staff.goto(f"/console/activities/{activity.pk}/")
    expect(staff.locator("#attended-count")).to_have_text("1")
    staff.context.close()

    # the worker sees the check-in and 8 more points; once the training is under way, they rate it
    page.goto(f"/activities/{activity.pk}/")
    expect(page.locator("#checked-in")).to_be_visible()
    page.goto("/points/")
    expect(page.locator("#points-balance")).to_have_text("8")
    shift(activity, -dt.timedelta(hours=1))
    page.goto(f"/activities/{activity.pk}/")
    page.check("#feedback-form input[name='stars'][value='5']")
    page.fill("#feedback-form textarea[name='comment']", "老师讲得很实用")
    page.click("#feedback-form button[type='submit']")
    expect(page.locator(".messages")).to_contain_text("感谢您的评价")
    expect(page.locator("#my-feedback")).to_contain_text("5")
    shot("rated")
