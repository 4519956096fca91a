"""The authorization matrix rows of the ten-minute service circle (planning), and the objects they point at: a
finished analysis of district X with one site suggestion, and street X's density layer and candidate list."""

from __future__ import annotations

from typing import Any

from tests.authz.matrix import FORM, LOGIN, Ref, Row, Seen, Text, api, page

CSV = "经度,纬度,人数\n116.40,39.90,12\n"


class CsvUpload:
    """A CSV file the test client can send again and again (each actor posts the same upload)."""

    name = "layer.csv"
    content_type = "text/csv"

    def read(self, *args: Any) -> bytes:
        return CSV.encode()


NEW_RUN = {"area_id": Ref("district_x"), "mode": "walk", "sites_wanted": 2}
IMPORT = {"owner_id": Ref("district_x"), "name": "骑手分布", "csv": CSV}
PAGE_NEW_RUN = {
    "area": Ref("district_x"),
    "mode": "walk",
    "cell_m": 250,
    "include_members": "on",
    "sites_wanted": 2,
    "use_cells": "on",
}
MY_WORK_LOCATION = {"lng": 116.40, "lat": 39.90, "coord": "gcj02", "consent": True}
PAGE_MY_WORK_LOCATION = {"lng": "116.40", "lat": "39.90", "coord": "wgs84", "consent": "on"}
PAGE_IMPORT = {
    "layer": "1",
    "layer-owner": Ref("district_x"),
    "layer-name": "骑手分布",
    "layer-system": "wgs84",
    "layer-file": CsvUpload(),
}

# fmt: off
PLANNING_API_ROWS: list[Row] = [
    #   operation                                 on             anon wkr  oth  uA   dX   dY   city ro   case su
    api("GET /planning/runs",                     None,         (401, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    api("POST /planning/runs",                    None,         (401, 404, 404, 404, 202, 404, 202, 403, 403, 202),
        NEW_RUN),
    api("GET /planning/runs/{run_id}",            "x_run",      (401, 404, 404, 404, 200, 404, 200, 200, 404, 200)),
    api("GET /planning/runs/{run_id}/cells",      "x_run",      (401, 404, 404, 404, 200, 404, 200, 200, 404, 200)),
    api("GET /planning/runs/{run_id}/suggestions", "x_run",     (401, 404, 404, 404, 200, 404, 200, 200, 404, 200)),
    # Accepting creates a network point, so it takes the right to edit the network there (read-only staff see the
    # registry but may not add to it: 403).
    api("POST /planning/suggestions/{suggestion_id}/accept",
                                                  "x_suggestion", (401, 404, 404, 404, 201, 404, 201, 403, 404, 201)),
    api("GET /planning/layers",                   None,         (401, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    api("POST /planning/layers",                  None,         (401, 404, 404, 404, 202, 404, 202, 403, 403, 202),
        IMPORT),
    api("GET /planning/candidate-lists",          None,         (401, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    api("POST /planning/candidate-lists",         None,         (401, 404, 404, 404, 202, 404, 202, 403, 403, 202),
        {**IMPORT, "csv": "名称,经度,纬度\n朝外邮政支局,116.44,39.92\n"}),
    api("POST /planning/work-locations",          None,         (401, 404, 404, 404, 202, 404, 202, 403, 403, 202),
        {"owner_id": Ref("district_x"), "csv": "会员号,经度,纬度\nP00000001,116.40,39.90\n"}),
    # A member's own work location: only members have one (the other worker is the member of the world); nobody,
    # staff included, reads anyone else's.
    api("GET /planning/me/work-location",         None,         (401, 404, 200, 404, 404, 404, 404, 404, 404, 404)),
    api("PUT /planning/me/work-location",         None,         (401, 404, 200, 404, 404, 404, 404, 404, 404, 404),
        MY_WORK_LOCATION),
    api("DELETE /planning/me/work-location",      None,         (401, 404, 204, 404, 404, 404, 404, 404, 404, 404)),
]

PLANNING_PAGE_ROWS: list[Row] = [
    #    page                               on               anon   wkr  oth  uA    dX   dY    city ro   case su
    page("GET planning:circle",             None,           (LOGIN, 404, 404, 200,  200, 200,  200, 200, 403, 200)),
    page("GET planning:run",                "x_run",        (LOGIN, 404, 404, 404,  200, 404,  200, 200, 403, 200)),
    page("GET planning:sites",              "x_run",        (LOGIN, 404, 404, 404,  200, 404,  200, 200, 403, 200)),
    page("GET planning:run_start",          None,           (  405, 405, 405, 405,  405, 405,  405, 405, 405, 405)),
    # Union A's staff and district Y's cannot pick district X: the form says so and nothing starts.
    page("POST planning:run_start",         None,           (LOGIN, 404, 404, FORM, 302, FORM, 302, 403, 403, 302),
         PAGE_NEW_RUN),
    page("GET planning:accept",             "x_suggestion", (  405, 405, 405, 405,  405, 405,  405, 405, 405, 405)),
    page("POST planning:accept",            "x_suggestion", (LOGIN, 404, 404, 404,  302, 404,  302, 403, 403, 302)),
    page("GET planning:imports",            None,           (LOGIN, 404, 404, 200,  200, 200,  200, 200, 403, 200)),
    page("POST planning:imports",           None,           (LOGIN, 404, 404, FORM, 302, FORM, 302, 403, 403, 302),
         PAGE_IMPORT),
    page("GET planning_member:work_location",  None,        (LOGIN, 404, 200, 404,  404, 404,  404, 404, 404, 404)),
    page("POST planning_member:work_location", None,        (LOGIN, 404, 302, 404,  404, 404,  404, 404, 404, 404),
         PAGE_MY_WORK_LOCATION),
]

Y, N, NA = True, False, None
PLANNING_SEEN_ROWS: list[Seen] = [
    #    list                               finds           anon wkr oth uA  dX  dY  city ro  case su
    Seen("GET /planning/runs",              "x_run",        (NA,  N,  N,  N,  Y,  N,  Y,   Y,  N,   Y)),
    Seen("GET /planning/layers",            "x_layer",      (NA,  N,  N,  N,  Y,  N,  Y,   Y,  N,   Y)),
    Seen("GET /planning/candidate-lists",   "x_candidates", (NA,  N,  N,  N,  Y,  N,  Y,   Y,  N,   Y)),
    Seen("GET planning:circle",             "x_run",        (NA,  NA, NA, N,  Y,  N,  Y,   Y,  NA,  Y),
         shows=Text("title")),
    Seen("GET planning:imports",            "x_layer",      (NA,  NA, NA, N,  Y,  N,  Y,   Y,  NA,  Y),
         shows=Text("name")),
    Seen("GET planning:imports",            "x_candidates", (NA,  NA, NA, N,  Y,  N,  Y,   Y,  NA,  Y),
         shows=Text("name")),
]
# fmt: on


def planning_targets(world: Any, targets: dict[str, Any]) -> None:
    """A finished walking analysis of district X: a member of union A works where no point serves them, so the
    run suggests one site. Street X keeps an imported density layer and a list of candidate sites."""
    from zhijia.planning import services
    from zhijia.planning.models import CandidateList, DensityLayer, ImportStatus
    from zhijia.planning.tests.planning_support import workers_at

    superuser = world.user("superuser")
    workers_at(world.union_a, [(0.0, 0.0)])
    run = services.analysis_start(actor=superuser, area_id=world.district_x.pk, sites_wanted=1, background=False)
    targets["x_run"] = run
    targets["x_suggestion"] = run.suggestions.get()
    imported = {"owner": world.street_x, "status": ImportStatus.READY, "rows": 1, "created_by": superuser}
    targets["x_layer"] = DensityLayer.objects.create(name="X街道外卖骑手分布", workers=12, **imported)
    targets["x_candidates"] = CandidateList.objects.create(name="X街道邮政网点清单", **imported)
