"""A worker who checked in at a home's court rates the home; the home's average changes; the home's district staff
reply in public; the worker sees the reply under their rating."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from zhijia.bookings import services as bookings
from zhijia.bookings.tests.booking_support import MONDAY, NOW, at, book, home, venue
from zhijia.members.services import card_token_issue
from zhijia.members.tests.membership_support import member, valid_id
from zhijia.ratings import services as ratings

pytestmark = pytest.mark.browser

CRITERIA = ("environment", "facilities", "services", "staff", "activities")


def _checked_in(world: Any, point: Any, court: Any, who: str, hour: int, seq: int) -> None:
    """`who` books the court and the home's staff scan their card when they come."""
    book(world.user(who), court, at(MONDAY, hour), now=NOW)
    token = card_token_issue(membership=member(world, who, id_number=valid_id(seq)))
    bookings.booking_checkin(
        actor=world.user("district_x_staff"), point_id=point.pk, token=token, now=at(MONDAY, hour, 5)
    )


def test_a_worker_who_checked_in_rates_the_home_and_sees_the_staff_reply(
    page: Any, shot: Any, world: Any, sign_in: Any
) -> None:
    point = home(world, name="X街道共享职工之家")
    court = venue(world, point)
    _checked_in(world, point, court, "other_worker", 9, seq=1)
    _checked_in(world, point, court, "worker", 10, seq=2)
    # someone rated it three stars before
    ratings.rating_submit(actor=world.user("other_worker"), point_id=point.pk, stars=dict.fromkeys(CRITERIA, 3))

    # the worker opens the home's page: one rating, three stars
    sign_in(world.user("worker"))
    page.goto(f"/network/points/{point.pk}/")
    expect(page.locator("#rating-average")).to_have_text("3.0")
    expect(page.locator("#rating-count")).to_contain_text("1 条评价")

    # and rates it: five stars for everything, and a comment
    page.click("#rate-link")
    expect(page.locator("h1")).to_contain_text("评价 X街道共享职工之家")
    for code in CRITERIA:
        page.check(f'input[name="star_{code}"][value="5"]')
    page.fill("textarea[name=comment]", "羽毛球场很干净，就是晚上灯光暗")
    shot("rating-form")
    page.click("#rating-form button[type=submit]")

    # back on the home's page the average has moved to four stars over two ratings
    expect(page.locator(".messages")).to_contain_text("感谢您的评价")
    expect(page.locator("#rating-average")).to_have_text("4.0")
    expect(page.locator("#rating-count")).to_contain_text("2 条评价")
    expect(page.locator("#home-ratings")).to_contain_text("羽毛球场很干净")
    expect(page.locator("#home-ratings")).to_contain_text("已评价")

    # the finder, asked from where the worker stands, shows the new average beside the home
    page.context.grant_permissions(["geolocation"])
    page.context.set_geolocation({"longitude": point.lng, "latitude": point.lat + 0.001})
    page.goto("/network/")
    page.click("#locate")
    first = page.locator("#finder-list .finder-item").first
    expect(first.locator(".finder-name")).to_have_text("X街道共享职工之家")
    expect(first.locator(".finder-rating")).to_have_text("4.0 ★ (2)")

    # the district's staff reply in public from the console
    sign_in(world.user("district_x_staff"))
    page.goto("/console/ratings/")
    rating = page.locator("article.rating", has_text="羽毛球场很干净")
    rating.locator("textarea[name=body]").fill("已更换球场灯具，欢迎再来")
    rating.locator("button[type=submit]").click()
    expect(page.locator(".messages")).to_contain_text("回复已发布")
    shot("staff-replied")

    # the worker sees the reply under their rating, and on the home's page
    sign_in(world.user("worker"))
    page.goto("/ratings/mine/")
    expect(page.locator("#my-ratings")).to_contain_text("已更换球场灯具，欢迎再来")
    page.goto(f"/network/points/{point.pk}/")
    expect(page.locator("#home-ratings blockquote.reply")).to_contain_text("已更换球场灯具")
    shot("worker-sees-reply")
