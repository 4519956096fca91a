"""A member shares where they work (the browser's position, on a map drawn with no tile server), agrees to its use
and saves it; a planner's analysis on an H3 grid then counts them, and the circle's map draws hexagons."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from zhijia.planning import services
from zhijia.planning.algorithms.projection import haversine_m
from zhijia.planning.models import WorkerLocation
from zhijia.planning.tests.planning_support import point_at, ring, workers_at

pytestmark = pytest.mark.browser

HERE = {"longitude": 116.4010, "latitude": 39.9005}  # WGS-84, about 100 m from the station at X's centre


def test_a_member_saves_their_work_place_and_the_h3_circle_counts_it(
    page: Any, shot: Any, world: Any, sign_in: Any
) -> None:
    point_at(world, 0, 0)
    workers_at(world.union_a, ring(30, 1500, seed=4))
    (location,) = workers_at(world.union_a, [(0.0, 0.0)])
    member = location.membership
    location.delete()
    member.user = world.user("worker")
    member.save(update_fields=["user"])
    sign_in(world.user("worker"))

    # the member opens the page from their card and lets the browser tell where they are
    page.context.grant_permissions(["geolocation"])
    page.context.set_geolocation(HERE)
    page.goto("/card/")
    page.click("#card-work-location")
    expect(page.locator("h1")).to_have_text("我的工作地点")
    expect(page.locator("#work-location-state")).to_contain_text("您还没有填报工作地点")
    page.click("#work-location-locate")
    expect(page.locator("#id_lng")).to_have_value(f"{HERE['longitude']:.6f}")
    expect(page.locator("#id_lat")).to_have_value(f"{HERE['latitude']:.6f}")
    expect(page.locator("#work-location-map[data-ready='1'] canvas").first).to_be_visible()
    shot("position-on-the-map")

    # without agreeing the browser does not even send the form (the server refuses it too, see the page tests);
    # once agreed, it is saved
    expect(page.locator("#id_consent")).to_have_attribute("required", "")
    page.click("#work-location-form button[type=submit]")
    expect(page.locator("h1")).to_have_text("我的工作地点")
    assert not WorkerLocation.objects.filter(membership=member).exists()
    page.check("#id_consent")
    page.click("#work-location-form button[type=submit]")
    expect(page.locator("#work-location-state")).to_contain_text("已填报")
    stored = WorkerLocation.objects.get(membership=member).lnglat
    assert stored is not None
    assert haversine_m(stored[0], stored[1], HERE["longitude"], HERE["latitude"]) < 1.0
    shot("saved")

    # a planner's walking analysis of district X on H3 cells of resolution 9 counts the member among 31 workers
    run = services.analysis_start(
        actor=world.user("superuser"), area_id=world.district_x.pk, grid_kind="h3", h3_resolution=9, background=False
    )
    assert run.summary["workers"] == 31
    sign_in(world.user("district_x_staff"))
    page.goto(f"/console/planning/runs/{run.pk}/")
    expect(page.locator("#run-params")).to_contain_text("H3")
    expect(page.locator(".planning-map canvas").first).to_be_visible()
    drawn = page.evaluate(
        """() => {
            const chart = window.echarts.getInstanceByDom(document.querySelector('.planning-map'));
            const cells = chart.getOption().series[0];
            return {symbol: cells.symbol, size: cells.symbolSize, count: cells.data.length};
        }"""
    )
    assert drawn["symbol"].startswith("path://M")
    assert drawn["symbol"].count("L") == 5  # six corners
    assert drawn["count"] == len(run.grid.cells["h3"])
    shot("h3-circle")
