"""District X's staff sign in, see the dashboard chart, browse the tree, open a node; district Y stays out of reach."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from zhijia.testing.world import PASSWORD

pytestmark = pytest.mark.browser


def test_district_staff_browse_their_own_tree_and_not_their_neighbours(page: Any, shot: Any, world: Any) -> None:
    # signs in with the console account and lands on the dashboard
    page.goto("/accounts/login/")
    page.fill("#id_username", "district_x_staff")
    page.fill("#id_password", PASSWORD)
    page.click("#login-form button[type=submit]")
    page.wait_for_url("**/console/")
    expect(page.locator("h1")).to_have_text("X区总工会")

    # the chart of the subtree is drawn (ECharts renders SVG)
    expect(page.locator(".chart svg").first).to_be_visible()
    shot("dashboard")

    # opens the tree browser and expands street X (its children come in over htmx)
    page.click(".sidebar a[href='/console/orgs/']")
    street = page.locator(".tree-node", has=page.locator("a", has_text="X街道总工会")).first
    street.locator(".tree-toggle").click()
    expect(street.locator(".tree-slot a", has_text="X甲公司工会")).to_be_visible()
    shot("tree-expanded")

    # opens a node's page
    street.locator(".tree-slot a", has_text="X甲公司工会").click()
    expect(page.locator("h1")).to_have_text("X甲公司工会")
    expect(page.locator(".breadcrumb")).to_contain_text("X街道总工会")
    shot("node-page")

    # a node of district Y is not there for them: the Chinese 404 page
    response = page.goto(f"/console/orgs/{world.district_y.pk}/")
    assert response is not None
    assert response.status == 404
    expect(page.locator("h1")).to_have_text("找不到页面")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    shot("other-district-404")
