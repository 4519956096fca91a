"""The circle over HTTP: the planner's pages and the API, scoped to the subtree."""

from __future__ import annotations

import pytest
from django.test import TestCase
from django.urls import reverse

from zhijia.planning import services
from zhijia.planning.models import AnalysisRun

from .planning_support import finish, point_at, ring, workers_at


@pytest.fixture
def run(world, media_root):
    point_at(world, 0, 0)
    workers_at(world.union_a, ring(20, 400, seed=1))
    workers_at(world.joint_x, ring(10, 300, east=3000, seed=2))
    with TestCase.captureOnCommitCallbacks(execute=False):
        run = services.analysis_start(actor=world.user("district_x_staff"), area_id=world.district_x.pk, sites_wanted=2)
    assert run.job is not None
    finish(run.job)
    run.refresh_from_db()
    return run


def test_the_circle_page_shows_the_latest_run_its_map_data_and_tables(run, world, client_as):
    response = client_as(world.user("district_x_staff")).get(reverse("planning:circle"))

    assert response.status_code == 200
    page = response.content.decode()
    assert run.title in page
    assert 'id="circle-data"' in page
    assert "X街道总工会" in page
    assert "67%" in page  # 20 of 30 workers
    assert response.context["map_data"]["points"]
    assert sum(c[3] for c in response.context["map_data"]["cells"]) == 30


def test_the_sites_page_lists_suggestions_and_accepting_makes_a_planned_point(run, world, client_as):
    client = client_as(world.user("district_x_staff"))
    page = client.get(reverse("planning:sites", args=[run.pk]))
    suggestion = run.suggestions.get(rank=1)
    assert page.status_code == 200
    assert "采纳为规划阵地" in page.content.decode()

    response = client.post(reverse("planning:accept", args=[suggestion.pk]))

    assert response.status_code == 302
    suggestion.refresh_from_db()
    assert suggestion.accepted_point is not None
    assert suggestion.accepted_point.status == "planned"


def test_another_district_gets_404_everywhere(run, world, client_as, api_as):
    suggestion = run.suggestions.get(rank=1)
    client = client_as(world.user("district_y_staff"))
    assert client.get(reverse("planning:run", args=[run.pk])).status_code == 404
    assert client.get(reverse("planning:sites", args=[run.pk])).status_code == 404
    assert client.post(reverse("planning:accept", args=[suggestion.pk])).status_code == 404
    api = api_as(world.user("district_y_staff"))
    assert api.get(f"/planning/runs/{run.pk}").status_code == 404
    assert api.post(f"/planning/suggestions/{suggestion.pk}/accept").status_code == 404
    assert api.get("/planning/runs").json()["items"] == []
    suggestion.refresh_from_db()
    assert suggestion.accepted_point_id is None


def test_the_api_gives_areas_cells_and_suggestions(run, world, api_as):
    api = api_as(world.user("district_x_readonly"))

    detail = api.get(f"/planning/runs/{run.pk}").json()
    cells = api.get(f"/planning/runs/{run.pk}/cells").json()
    suggestions = api.get(f"/planning/runs/{run.pk}/suggestions").json()

    assert detail["status"] == AnalysisRun.Status.SUCCEEDED
    assert [(d["name"], d["workers"], d["covered"]) for d in detail["districts"]] == [("X区总工会", 30, 20)]
    assert sum(cells["workers"]) == 30
    assert cells["coordinates"] == "wgs84"
    assert suggestions[0]["newly_covered"] == 10
    assert suggestions[0]["street_name"] == "X街道总工会"


def test_starting_a_run_and_importing_through_the_api(world, api_as, media_root):
    api = api_as(world.user("district_x_staff"))
    with TestCase.captureOnCommitCallbacks(execute=False):
        started = api.post("/planning/runs", {"area_id": world.street_x.pk, "mode": "ride", "sites_wanted": 3})
        layer = api.post(
            "/planning/layers",
            {"owner_id": world.district_x.pk, "name": "骑手", "csv": "经度,纬度,人数\n116.4,39.9,3\n"},
        )
    assert started.status_code == 202, started.content
    assert started.json()["run"]["mode"] == "ride"
    assert layer.status_code == 202, layer.content
    assert layer.json()["item"]["status"] == "importing"
    refused = api.post("/planning/runs", {"area_id": world.district_y.pk})
    assert refused.status_code == 404


def test_the_imports_page_lists_every_reason_a_file_was_refused(world, client_as, media_root):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_as(world.user("district_x_staff"))
    bad = SimpleUploadedFile("bad.csv", "经度,纬度,人数\nabc,39.9,1\n116.4,39.9,-1\n".encode(), content_type="text/csv")
    with TestCase.captureOnCommitCallbacks(execute=False):
        response = client.post(
            reverse("planning:imports"),
            {
                "layer": "1",
                "layer-owner": world.district_x.pk,
                "layer-name": "坏文件",
                "layer-system": "wgs84",
                "layer-file": bad,
            },
        )
    assert response.status_code == 302
    from zhijia.planning.models import DensityLayer

    layer = DensityLayer.objects.get(name="坏文件")
    assert layer.job is not None
    finish(layer.job)

    page = client.get(reverse("planning:imports")).content.decode()
    assert "第 2 行：经度不是数字。" in page
    assert "第 3 行：人数应为不小于 0 的整数。" in page


def test_the_finished_job_page_leads_to_the_run(run, world, client_as):
    assert run.job is not None
    page = client_as(world.user("district_x_staff")).get(reverse("jobs:detail", args=[run.job.pk])).content.decode()
    assert f'href="{reverse("planning:run", args=[run.pk])}"' in page


def test_an_h3_run_through_the_api_answers_its_cells_with_their_h3_indices(world, api_as, media_root):
    import h3

    point_at(world, 0, 0)
    workers_at(world.union_a, ring(20, 400, seed=1))
    api = api_as(world.user("district_x_staff"))
    with TestCase.captureOnCommitCallbacks(execute=False):
        started = api.post("/planning/runs", {"area_id": world.district_x.pk, "grid_kind": "h3", "h3_resolution": 10})
    assert started.status_code == 202, started.content
    assert (started.json()["run"]["grid_kind"], started.json()["run"]["h3_resolution"]) == ("h3", 10)
    run = AnalysisRun.objects.get(pk=started.json()["run"]["id"])
    assert run.job is not None
    finish(run.job)

    cells = api.get(f"/planning/runs/{run.pk}/cells").json()

    assert (cells["grid_kind"], cells["h3_resolution"], cells["cell_m"]) == ("h3", 10, 76)
    assert len(cells["h3"]) == len(cells["lng"]) > 1
    assert all(h3.is_valid_cell(c) and h3.get_resolution(c) == 10 for c in cells["h3"])
    assert sum(cells["workers"]) == 20
    refused = api.post("/planning/runs", {"area_id": world.district_x.pk, "grid_kind": "h3", "h3_resolution": 11})
    assert refused.status_code == 422


def test_the_circle_form_starts_an_h3_run_and_its_page_says_so(world, client_as, media_root):
    point_at(world, 0, 0)
    workers_at(world.union_a, ring(20, 400, seed=1))
    client = client_as(world.user("district_x_staff"))
    form = {"area": world.district_x.pk, "mode": "walk", "grid_kind": "h3", "h3_resolution": "8", "sites_wanted": 0}
    form["include_members"] = "on"
    with TestCase.captureOnCommitCallbacks(execute=False):
        started = client.post(reverse("planning:run_start"), form)
    assert started.status_code == 302
    run = AnalysisRun.objects.get()
    assert (run.grid_kind, run.h3_resolution, run.cell_m) == ("h3", 8, 531)
    assert run.job is not None
    finish(run.job)

    page = client.get(reverse("planning:run", args=[run.pk]))

    assert "H3 六边形网格（分辨率 8" in page.content.decode()
    assert len(page.context["map_data"]["hex"]["corners_m"]) == 6
