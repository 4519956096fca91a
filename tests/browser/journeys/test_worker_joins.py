"""A worker joins the union from a phone: applies, watches the status page while a reviewer approves from the queue,
and opens the e-card; the reviewer then checks the card on the scanner page."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from playwright.sync_api import expect

from zhijia.members import services
from zhijia.members.idnumber import check_character
from zhijia.members.models import Membership

pytestmark = pytest.mark.browser

FIRST17 = "11010519850312001"
ID_NUMBER = FIRST17 + check_character(FIRST17)


def _settled(page: Any) -> None:
    """Wait until htmx has swapped in and wired up what it fetched (a person is slower than its 20 ms settle)."""
    page.wait_for_function("() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')")
    page.wait_for_timeout(50)


def _staff_tab(page: Any, live_server: Any, user: Any) -> Any:
    context = page.context.browser.new_context(
        base_url=live_server.url, locale="zh-CN", viewport={"width": 1280, "height": 900}
    )
    client = Client()
    client.force_login(user)
    name = "sessionid"
    context.add_cookies([{"name": name, "value": client.cookies[name].value, "url": live_server.url}])
    return context.new_page()


def test_a_worker_applies_a_reviewer_approves_and_the_worker_opens_the_card(
    page: Any, shot: Any, sign_in: Any, world: Any, live_server: Any
) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(world.actor("worker"))

    # fills in the form: the street list follows the district, the employer is found by name
    page.goto("/join/")
    expect(page.locator("h1")).to_have_text("入会申请")
    expect(page.locator("#phone-code-row")).to_be_hidden()
    page.fill("#id_name", "王师傅")
    page.fill("#id_id_number", ID_NUMBER)
    page.select_option("#id_job_group", "courier")
    page.fill("#employer-q", "甲公司")
    expect(page.locator("#employer-results input[type=radio]")).to_have_count(1)
    _settled(page)
    page.locator("#employer-results input[type=radio]").first.check()
    page.select_option("#id_work_district", str(world.district_x.pk))
    expect(page.locator("#id_work_street_id")).to_be_enabled()
    _settled(page)
    page.select_option("#id_work_street_id", str(world.street_x.pk))
    expect(page.locator("#id_work_community_id")).to_be_enabled()
    _settled(page)
    page.select_option("#id_work_community_id", str(world.community_x.pk))
    page.check("#id_consent")
    folder = shot("form-filled").parent
    page.click("#apply-form button[type=submit]")

    # the status page names the union and why, and waits
    page.wait_for_url("**/join/applications/**")
    expect(page.locator("#route-union")).to_have_text("X甲公司工会")
    expect(page.locator("#application-status")).to_have_text("待审核")
    shot("waiting")

    # the reviewer approves from the queue in one click
    reviewer = _staff_tab(page, live_server, world.actor("union_a_staff"))
    reviewer.goto("/console/members/applications/")
    expect(reviewer.locator("#queue-table")).to_contain_text("王师傅")
    reviewer.screenshot(path=str(folder / "reviewer-1-queue.png"), full_page=True)
    reviewer.locator("#queue-table form[action$='/approve/'] button").first.click()
    expect(reviewer.locator(".messages")).to_contain_text("会员号")

    # the worker's page notices by itself and offers the card
    expect(page.locator("#application-status")).to_have_text("已通过", timeout=10_000)
    shot("approved")
    page.click("#open-card")
    membership = Membership.objects.get()
    expect(page.locator("#card-member-no")).to_have_text(membership.member_no)
    expect(page.locator("#card-qr svg")).to_be_visible()
    assert ID_NUMBER not in page.content()
    shot("card")

    # the reviewer checks the card on the scanner page, as a scanner would type it
    token = services.card_token_issue(membership=membership)
    reviewer.goto("/console/members/cards/verify/")
    reviewer.fill("#scan-token", token)
    reviewer.press("#scan-token", "Enter")
    expect(reviewer.locator("#card-check-result")).to_contain_text("有效会员卡")
    expect(reviewer.locator("#scan-token")).to_have_value("")
    reviewer.screenshot(path=str(folder / "reviewer-2-scanner.png"), full_page=True)

    # and finds the new member in the roster, masked, with the time it took to hold the card
    reviewer.goto("/console/members/")
    expect(reviewer.locator("#roster-table")).to_contain_text(membership.member_no)
    assert ID_NUMBER not in reviewer.content()
    reviewer.click("#roster-table a:text('王师傅')")
    expect(reviewer.locator("#member-events")).to_contain_text("申请到领卡用时")
    reviewer.screenshot(path=str(folder / "reviewer-3-member.png"), full_page=True)
    reviewer.goto("/console/members/time-to-card/")
    expect(reviewer.locator("#timing-table")).to_contain_text("X甲公司工会")
    expect(reviewer.locator(".chart svg")).to_be_visible()
    reviewer.screenshot(path=str(folder / "reviewer-4-time-to-card.png"), full_page=True)
    reviewer.context.close()
