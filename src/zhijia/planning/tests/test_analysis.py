"""An analysis run end to end on the test world: coverage per street and district against counting by hand, the grid,
site suggestions, and accepting one as a planned point."""

from __future__ import annotations

import json

import pytest
from django.test import TestCase

from zhijia.audit.models import AuditEvent
from zhijia.core.errors import Conflict, NotFound, PermissionDenied
from zhijia.network.models import PointStatus, ServicePoint
from zhijia.planning import services
from zhijia.planning.models import AnalysisRun, AreaCoverage, SiteSuggestion

from .planning_support import finish, point_at, ring, workers_at


@pytest.fixture
def city(world, media_root):
    """District X: 40 workers of union A around a station at the centre, 25 of the joint union 3 km east with
    nothing near them; district Y: 10 workers of union B."""
    point_at(world, 0, 0)
    workers_at(world.union_a, ring(40, 500, seed=1))
    workers_at(world.joint_x, ring(25, 300, east=3000, seed=2))
    workers_at(world.union_b, ring(10, 300, north=-4000, seed=3))
    return world


def _start(world, actor="district_x_staff", area=None, **kw):
    with TestCase.captureOnCommitCallbacks(execute=False):
        run = services.analysis_start(actor=world.user(actor), area_id=(area or world.district_x).pk, **kw)
    assert run.job is not None
    finish(run.job)
    run.refresh_from_db()
    return run


def test_a_district_run_counts_its_own_workers_and_who_is_within_ten_minutes(city):
    run = _start(city, sites_wanted=0)

    assert run.status == AnalysisRun.Status.SUCCEEDED
    # 615 m walking reach: the 40 around the station (within 500 m) are in, the 25 three kilometres away are out;
    # district Y's workers are not this district's business.
    assert (run.summary["workers"], run.summary["covered"]) == (65, 40)
    street = AreaCoverage.objects.get(run=run, org=city.street_x)
    district = AreaCoverage.objects.get(run=run, org=city.district_x)
    assert (street.workers, street.covered, district.workers, district.covered) == (65, 40, 65, 40)
    assert street.share == pytest.approx(40 / 65)
    assert not AreaCoverage.objects.filter(run=run, org=city.district_y).exists()
    cells = run.grid.cells
    assert sum(cells["workers"]) == 65
    assert sum(cells["covered"]) == 40
    assert max(cells["minutes"]) > 30  # the far cluster is about 3 km away at 4.8 km/h with the detour


def test_a_city_run_reports_every_district_and_riding_reaches_further(city):
    run = _start(city, actor="city_staff", area=city.city, mode="ride")

    rows = {r.org_id: (r.workers, r.covered) for r in AreaCoverage.objects.filter(run=run, level="district")}
    assert rows == {city.district_x.pk: (65, 40), city.district_y.pk: (10, 0)}
    assert run.summary["reach_m"] == 1923


def test_site_suggestions_cover_the_gap_and_name_its_street(city):
    run = _start(city, sites_wanted=2)

    first, *rest = SiteSuggestion.objects.filter(run=run).order_by("rank")
    assert first.newly_covered == 25
    assert first.street == city.street_x
    assert first.district == city.district_x
    # nothing else is left to cover, so no second suggestion
    assert rest == []
    assert run.summary["share_after"] == 1.0
    # the suggestion sits among the far workers, three kilometres east
    assert first.lng > 116.43


def test_accepting_a_suggestion_creates_a_planned_point_once(city):
    run = _start(city, sites_wanted=1)
    suggestion = run.suggestions.get()

    accepted = services.suggestion_accept(actor=city.user("district_x_staff"), suggestion_id=suggestion.pk)

    point = accepted.accepted_point
    assert point is not None
    assert (point.status, point.owner_id) == (PointStatus.PLANNED, city.street_x.pk)
    assert (point.lng, point.lat) == (suggestion.lng, suggestion.lat)
    assert AuditEvent.objects.filter(action="planning.suggestion_accept", object_id=str(suggestion.pk)).count() == 1
    with pytest.raises(Conflict):
        services.suggestion_accept(actor=city.user("district_x_staff"), suggestion_id=suggestion.pk)
    # the planned point counts when a later run asks for it
    again = _start(city, include_planned=True)
    assert again.summary["covered"] == 65


def test_another_district_cannot_see_run_or_accept_and_nothing_changes(city, api_as):
    run = _start(city, sites_wanted=1)
    suggestion = run.suggestions.get()
    points = ServicePoint.objects.count()
    own, other = api_as(city.user("district_x_staff")), api_as(city.user("district_y_staff"))

    assert own.get(f"/planning/runs/{run.pk}").status_code == 200
    assert [r["id"] for r in own.get("/planning/runs").json()["items"]] == [run.pk]
    for path in (f"/planning/runs/{run.pk}", f"/planning/runs/{run.pk}/cells", f"/planning/runs/{run.pk}/suggestions"):
        assert other.get(path).status_code == 404, path
    assert other.get("/planning/runs").json()["items"] == []
    with pytest.raises(NotFound):
        services.suggestion_accept(actor=city.user("district_y_staff"), suggestion_id=suggestion.pk)
    with pytest.raises(NotFound):
        services.analysis_start(actor=city.user("district_y_staff"), area_id=city.district_x.pk)
    with pytest.raises(PermissionDenied):
        services.analysis_start(actor=city.user("district_x_readonly"), area_id=city.district_x.pk)

    suggestion.refresh_from_db()
    assert suggestion.accepted_point_id is None
    assert ServicePoint.objects.count() == points
    assert AnalysisRun.objects.count() == 1


def test_a_run_with_no_workers_anywhere_still_finishes(world, media_root):
    run = _start(world, sites_wanted=3)
    assert run.status == AnalysisRun.Status.SUCCEEDED
    assert (run.summary["workers"], run.summary["covered"], run.summary["cells"]) == (0, 0, 0)
    # no share of nobody: none rather than NaN, which JSON (and so the page's chart and the API) cannot carry
    assert (run.summary["share"], run.summary["share_after"], run.summary["median_minutes"]) == (None, None, None)
    json.dumps(run.summary, allow_nan=False)
    assert not AreaCoverage.objects.filter(run=run).exists()
    assert run.grid.cells["workers"] == run.grid.cells["minutes"] == []
    assert not run.suggestions.exists()


def test_an_h3_run_counts_each_hexagon_as_h3_places_the_workers(city):
    import h3

    from zhijia.planning.algorithms.projection import haversine_m
    from zhijia.planning.models import WorkerLocation

    run = _start(city, sites_wanted=1, grid_kind="h3", h3_resolution=9)

    # the same people inside and outside as on squares: the grid only groups them
    assert (run.grid_kind, run.h3_resolution, run.cell_m) == ("h3", 9, 201)
    assert (run.summary["workers"], run.summary["covered"]) == (65, 40)
    cells = run.grid.cells
    assert cells["grid"] == "h3"
    assert len(cells["hex_corners_m"]) == 6
    # by hand: every worker of district X looked up in h3, every distance to the station taken on the sphere
    station = ServicePoint.objects.get()
    reach = run.summary["reach_m"]
    by_hand: dict[str, list[int]] = {}
    for loc in WorkerLocation.objects.filter(membership__union__path__startswith=city.district_x.path):
        assert loc.lnglat is not None
        lng, lat = loc.lnglat
        row = by_hand.setdefault(h3.latlng_to_cell(lat, lng, 9), [0, 0])
        row[0] += 1
        row[1] += int(haversine_m(lng, lat, station.lng, station.lat) <= reach)
    got = {c: [w, k] for c, w, k in zip(cells["h3"], cells["workers"], cells["covered"], strict=True)}
    assert got == by_hand
    # each cell's centre is H3's own, and its minutes are those from that centre to the station
    for cell, lng, lat, minutes in zip(cells["h3"], cells["lng"], cells["lat"], cells["minutes"], strict=True):
        c_lat, c_lng = h3.cell_to_latlng(cell)
        assert (lng, lat) == pytest.approx((c_lng, c_lat), abs=1e-5)
        d = haversine_m(c_lng, c_lat, station.lng, station.lat)
        assert minutes == pytest.approx(min(60.0, d * run.detour / (run.speed_kmh * 1000 / 60)), abs=0.15)
    # and the suggestion still lands among the far workers
    assert run.suggestions.get().newly_covered == 25


def test_a_run_refuses_an_h3_resolution_outside_6_to_10(city):
    from zhijia.core.errors import ValidationFailed

    with pytest.raises(ValidationFailed) as refused:
        services.analysis_start(
            actor=city.user("district_x_staff"), area_id=city.district_x.pk, grid_kind="h3", h3_resolution=12
        )
    assert refused.value.detail["field"] == "h3_resolution"
    assert not AnalysisRun.objects.exists()
