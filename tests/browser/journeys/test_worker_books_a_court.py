"""A worker books a badminton court from the home's page on a phone; at the desk, staff scan the member card on the
check-in scanner (typed in, as a scanner gun does); the worker's booking shows as checked in and their points rise."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from zhijia.bookings import services as bookings
from zhijia.members.services import card_token_issue
from zhijia.members.tests.membership_support import member
from zhijia.network import services as network
from zhijia.network.models import PointKind
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


def test_a_worker_books_a_court_and_staff_check_the_card_in(
    page: Any, shot: Any, sign_in: Any, world: Any, live_server: Any
) -> None:
    # given a shared home of street X open round the clock, with a court in half-hour slots, and the district's rule
    # of 10 points for turning up to a booking
    superuser = world.user("superuser")
    home = network.point_create(
        actor=superuser,
        owner_id=world.street_x.pk,
        name="X街道共享职工之家",
        kind=PointKind.SHARED_HOME,
        lng=116.40,
        lat=39.90,
    )
    network.point_hours_set(actor=superuser, point_id=home.pk, weekly={d: ((0, 1440),) for d in range(7)})
    bookings.venue_create(actor=superuser, point_id=home.pk, name="羽毛球场1号", kind="court", slot_minutes=30)
    EarningRule.objects.create(org=world.district_x, event="booking_checkin", points=10)
    membership = member(world, "worker")
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(world.user("worker"))

    # the worker finds the court from the home's page and books the next half hour
    page.goto(f"/network/points/{home.pk}/")
    page.click("#book-venues")
    page.click("#venue-list a:text('羽毛球场1号')")
    expect(page.locator("#venue-name")).to_have_text("羽毛球场1号")
    if page.locator("#slot-table tr[data-state='open']").count() == 0:  # the last half hour of the day
        page.click("#day-picker a >> nth=1")
    shot("slots")
    page.locator("#slot-table tr[data-state='open'] button").first.click()
    page.wait_for_url("**/bookings/mine/")
    expect(page.locator(".messages")).to_contain_text("预约成功")
    expect(page.locator("#upcoming .booking-status").first).to_have_text("已预约")
    shot("booked")

    # at the desk, staff scan the member card on the home's check-in scanner
    staff = _staff_tab(page, live_server, world.user("district_x_staff"))
    staff.goto(f"/console/bookings/points/{home.pk}/scanner/")
    staff.fill("#scan-token", card_token_issue(membership=membership))
    staff.press("#scan-token", "Enter")
    expect(staff.locator("#checkin-result")).to_contain_text("签到成功")
    expect(staff.locator("#checkin-result")).to_contain_text("羽毛球场1号")
    expect(staff.locator("#checkin-result")).to_contain_text("+10")
    expect(staff.locator("#scan-token")).to_have_value("")
    staff.screenshot(path=str(shot("scanned").parent / "staff-scanner.png"), full_page=True)
    staff.goto(f"/console/bookings/venues/{home.venues.get().pk}/?date={timezone.localdate().isoformat()}")
    if timezone.localtime().hour == 23 and timezone.localtime().minute >= 30:
        staff.goto(
            f"/console/bookings/venues/{home.venues.get().pk}/"
            f"?date={(timezone.localdate() + dt.timedelta(days=1)).isoformat()}"
        )
    expect(staff.locator("#day-bookings .booking-status")).to_have_text("已签到")
    staff.context.close()

    # the worker sees the booking checked in, and 10 more points
    page.goto("/bookings/mine/")
    expect(page.locator("#upcoming .booking-status").first).to_have_text("已签到")
    page.goto("/points/")
    expect(page.locator("#points-balance")).to_have_text("10")
    shot("points")
