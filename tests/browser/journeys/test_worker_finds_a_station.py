"""A worker allows the browser to share their location, sees the nearest rest station on the map and in the list,
and opens it."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from zhijia.network import services
from zhijia.network.models import PointKind

pytestmark = pytest.mark.browser

# Near the Chaoyangmen crossing in Beijing (WGS-84), where the worker stands.
HERE = {"longitude": 116.4330, "latitude": 39.9240}


def _station(world: Any, name: str, dlng: float, facilities: list[str]) -> Any:
    point = services.point_create(
        actor=world.user("superuser"),
        owner_id=world.street_x.pk,
        name=name,
        kind=PointKind.REST_STATION,
        lng=HERE["longitude"] + dlng,
        lat=HERE["latitude"],
        address="朝阳门外大街",
        facilities=facilities,
    )
    return services.point_hours_set(
        actor=world.user("superuser"), point_id=point.pk, weekly={d: [(0, 1440)] for d in range(8)}
    )


def test_a_worker_shares_their_location_and_opens_the_nearest_station(
    page: Any, shot: Any, world: Any, sign_in: Any
) -> None:
    nearest = _station(world, "朝外链家暖心驿站", 0.0012, ["water", "microwave", "phone_charging"])
    _station(world, "东大桥银行暖心驿站", 0.0150, ["water"])
    sign_in(world.user("worker"))

    # the worker allows the page to know where they are
    page.context.grant_permissions(["geolocation"])
    page.context.set_geolocation(HERE)
    page.goto("/network/")
    expect(page.locator("h1")).to_have_text("找职工之家")
    page.click("#locate")

    # the nearest station heads the list, a couple of minutes' walk away, open now
    first = page.locator("#finder-list .finder-item").first
    expect(first.locator(".finder-name")).to_have_text("朝外链家暖心驿站")
    expect(first.locator(".finder-time")).to_contain_text("分钟")
    expect(first).to_contain_text("开放中")
    expect(page.locator("#finder-list .finder-item")).to_have_count(2)

    # and the map, drawn with no tile server, shows it as marker 1 beside the worker's position
    expect(page.locator("#finder-map[data-ready='1'] canvas").first).to_be_visible()
    markers = page.evaluate(
        """() => {
            const chart = window.echarts.getInstanceByDom(document.getElementById('finder-map'));
            const series = chart.getOption().series;
            const results = series.find(s => s.name === 'results');
            const you = series.find(s => s.name === '您的位置');
            return {first: results.data[0].tip, count: results.data.length, you: you.data[0].value};
        }"""
    )
    assert markers["first"].startswith("朝外链家暖心驿站")
    assert markers["count"] == 2
    assert markers["you"] == pytest.approx([HERE["longitude"], HERE["latitude"]], abs=1e-5)
    shot("nearest-on-map-and-list")

    # opens the station's page: what it offers and when it is open
    first.locator(".finder-name").click()
    page.wait_for_url(f"**/network/points/{nearest.pk}/")
    expect(page.locator("h1")).to_have_text("朝外链家暖心驿站")
    expect(page.locator(".facility-list")).to_contain_text("微波炉")
    expect(page.locator("#open-now")).to_have_text("开放中")
    shot("station-page")
