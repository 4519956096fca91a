"""A worker orders a haircut from a home's service menu; the home's district staff accept and complete it from the
order queue while the worker's "my orders" page follows the status live; the worker confirms and rates it."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from zhijia.servicemenu.models import Order
from zhijia.servicemenu.tests.servicemenu_support import an_offering, x_point

pytestmark = pytest.mark.browser

# The worker's page asks for fresh statuses every 15 seconds; give it two rounds.
LIVE_MS = 35_000


def _staff_tab(chromium: Any, live_server: Any, user: Any) -> Any:
    """A second browser, signed in as the staff member, beside the worker's."""
    client = Client()
    client.force_login(user)
    context = chromium.new_context(base_url=live_server.url, locale="zh-CN", viewport={"width": 1280, "height": 900})
    name = django_settings.SESSION_COOKIE_NAME
    context.add_cookies([{"name": name, "value": client.cookies[name].value, "url": live_server.url}])
    return context.new_page()


def test_a_worker_orders_a_haircut_staff_accept_and_complete_it_and_the_worker_rates_it(
    page: Any, shot: Any, world: Any, sign_in: Any, chromium: Any, live_server: Any
) -> None:
    point = x_point(world, name="X街道共享职工之家")
    an_offering(world, point=point, note="每周二、四下午理发师坐班")

    # the worker finds the home's services from its page and orders a haircut for tomorrow afternoon
    sign_in(world.user("worker"))
    page.goto(f"/network/points/{point.pk}/")
    page.click("#point-services a")
    expect(page.locator("#service-list")).to_contain_text("每周二、四下午理发师坐班")
    page.locator("#service-list li", has_text="理发").get_by_role("link", name="预约").click()
    tomorrow = timezone.localtime(timezone.now() + dt.timedelta(days=1)).replace(hour=15, minute=0)
    page.fill("input[name=preferred_at]", tomorrow.strftime("%Y-%m-%dT%H:%M"))
    page.fill("textarea[name=note]", "两边剃短一点")
    shot("order-form")
    page.click("#order-form button[type=submit]")
    expect(page.locator(".messages")).to_contain_text("预约已提交")
    expect(page.locator("#my-orders-table")).to_contain_text("待受理")
    order = Order.objects.get(user=world.user("worker"))

    # district X's staff see it in their queue and open it
    staff = _staff_tab(chromium, live_server, world.user("district_x_staff"))
    staff.goto("/console/servicemenu/orders/")
    expect(staff.locator(f"#queue-order-{order.pk}")).to_contain_text("理发")
    staff.click(f"#queue-order-{order.pk} a")
    expect(staff.locator("#order-events")).to_contain_text("两边剃短一点")
    staff.click("#accept")
    expect(staff.locator("#order-status")).to_have_text("已受理")

    # the worker's page, left open, follows along without a reload
    expect(page.locator(f"#order-{order.pk}")).to_contain_text("已受理", timeout=LIVE_MS)

    folder = shot("worker-sees-accepted").parent

    staff.click("#complete")
    expect(staff.locator("#order-status")).to_have_text("已完成")
    expect(staff.locator("#order-events li")).to_have_count(3)
    staff.screenshot(path=str(folder / "staff-completed.png"), full_page=True)

    # the report counts it among this week's completions and draws both charts
    staff.goto("/console/servicemenu/report/")
    expect(staff.locator("#completed-count")).to_have_text("1")
    expect(staff.locator('[data-servicemenu-chart="waits"] svg')).to_have_count(1)
    expect(staff.locator('[data-servicemenu-chart="weekly"] svg')).to_have_count(1)
    expect(staff.locator("#report-points")).to_contain_text("X街道共享职工之家")
    staff.screenshot(path=str(folder / "staff-report.png"), full_page=True)
    staff.context.close()

    expect(page.locator(f"#order-{order.pk}")).to_contain_text("已完成", timeout=LIVE_MS)
    shot("worker-sees-completed")

    # the worker confirms and rates it; the order shows the stars and cannot be rated again
    page.locator(f"#order-{order.pk}").get_by_role("link", name="确认并评价").click()
    page.check('input[name="stars"][value="5"]')
    page.fill("textarea[name=comment]", "手艺好，还很快")
    page.click("#confirm-form button[type=submit]")
    expect(page.locator(".messages")).to_contain_text("感谢您的评价")
    expect(page.locator(f"#order-{order.pk}")).to_contain_text("已评价")
    expect(page.locator(f"#order-{order.pk}")).to_contain_text("5★")
    expect(page.locator(f"#order-{order.pk}").get_by_role("link", name="确认并评价")).to_have_count(0)
    shot("worker-rated")
    order.refresh_from_db()
    assert (order.status, order.stars, order.comment) == ("confirmed", 5, "手艺好，还很快")
