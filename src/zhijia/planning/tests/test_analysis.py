"""An analysis run end to end on the test world: coverage per street and district against counting by hand, the grid,
site suggestions, and accepting one as a planned point."""

from __future__ import annotations

import numpy as np
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


def test_another_district_cannot_see_run_or_accept_and_nothing_changes(city):
    run = _start(city, sites_wanted=1)
    suggestion = run.suggestions.get()
    points = ServicePoint.objects.count()

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
    assert run.summary["workers"] == 0
    assert run.summary["share"] is None
    assert not run.suggestions.exists()
    assert np.isnan(np.nan)
