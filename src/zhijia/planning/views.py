"""Console pages of the ten-minute service circle: the circle (a map drawn with no tile server, coverage per district
and street), the site suggestions with their map and an accept button, and the imports."""

from __future__ import annotations

from typing import Any

import numpy as np
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhijia.core.errors import ZhijiaError
from zhijia.core.pages import error_page, staff_page
from zhijia.core.roles import Perm
from zhijia.core.scope import scope_for
from zhijia.network.coords import CoordSystem
from zhijia.organizations.models import Organization, OrgLevel
from zhijia.organizations.selectors import org_root_for

from . import selectors, services
from .forms import ImportForm, LocationImportForm, RunForm, WorkLocationForm
from .models import AnalysisRun, AreaLevel, GridKind, ImportStatus

# Map layers are capped so that a page stays light on a phone; the API has every cell.
MAX_MAP_CELLS = 30_000
MAX_MAP_POINTS = 15_000
# Where the picker opens when nothing else is known: Tiananmen, WGS-84.
DEFAULT_CENTRE = (116.3913, 39.9075)


def _areas_for(actor: Any) -> list[tuple[int, str]]:
    """The nodes a run may analyse: the actor's own node and the districts and streets below it."""
    root = org_root_for(actor=actor)
    if root is None:
        return []
    below = Organization.objects.filter(
        path__startswith=root.path, depth__gt=root.depth, level__in=[OrgLevel.DISTRICT, OrgLevel.STREET]
    ).order_by("path")[:600]
    return [(root.pk, root.name)] + [(o.pk, ("— " if o.level == OrgLevel.STREET else "") + o.name) for o in below]


def _map_data(run: AnalysisRun, *, gaps_only: bool = False) -> dict[str, Any]:
    cells = selectors.run_cells(run)
    lng = np.array(cells.get("lng", []), dtype=float)
    lat = np.array(cells.get("lat", []), dtype=float)
    workers = np.array(cells.get("workers", []), dtype=int)
    covered = np.array(cells.get("covered", []), dtype=int)
    minutes = np.array(cells.get("minutes", []), dtype=float)
    keep = np.flatnonzero(workers > covered) if gaps_only else np.arange(len(lng))
    if len(keep) > MAX_MAP_CELLS:
        keep = keep[np.argsort(-workers[keep], kind="stable")[:MAX_MAP_CELLS]]
    p_lng, p_lat = selectors.service_points(include_planned=run.include_planned)
    if len(lng):
        # Wide enough to fill the map around the cells once the browser stretches it to the screen's shape;
        # past the cap, the points nearest the cells' centre are kept.
        margin = 0.5
        near = (
            (p_lng >= lng.min() - margin)
            & (p_lng <= lng.max() + margin)
            & (p_lat >= lat.min() - margin)
            & (p_lat <= lat.max() + margin)
        )
        p_lng, p_lat = p_lng[near], p_lat[near]
        if len(p_lng) > MAX_MAP_POINTS:
            order = np.argsort(np.hypot(p_lng - lng.mean(), p_lat - lat.mean()), kind="stable")[:MAX_MAP_POINTS]
            p_lng, p_lat = p_lng[order], p_lat[order]
    places = selectors.places_for(run.area)
    labels = [
        {"name": places.names[pk].removesuffix("总工会"), "lng": round(float(c[0]), 4), "lat": round(float(c[1]), 4)}
        for pk, c in zip(places.district_ids, places.district_centres, strict=True)
        if not np.isnan(c[0])
    ]
    return {
        "cell_m": int(cells.get("cell_m", run.cell_m)),
        # H3 cells are drawn as one cell's outline repeated at every centre (see hex_shape).
        "hex": {"corners_m": cells.get("hex_corners_m", [])} if cells.get("grid") == GridKind.H3 else None,
        "minutes": run.minutes,
        "cells": [
            [float(lng[i]), float(lat[i]), float(minutes[i]), int(workers[i]), int(workers[i] - covered[i])]
            for i in keep
        ],
        "points": [[round(float(x), 5), round(float(y), 5)] for x, y in zip(p_lng, p_lat, strict=True)],
        "districts": labels if run.area.level not in (OrgLevel.STREET, OrgLevel.AREA_FEDERATION) else [],
        "labels": {
            "cells": _("网格（按到达时间着色）"),
            "points": _("现有阵地"),
            "suggestions": _("选址建议"),
            "minutes": _("分钟"),
            "workers": _("职工"),
            "outside": _("圈外职工"),
        },
    }


def _circle(request: HttpRequest, run: AnalysisRun | None, form: RunForm | None = None) -> HttpResponse:
    scope = scope_for(request.user)
    context: dict[str, Any] = {
        "run": run,
        "runs": selectors.run_visible(actor=request.user)[:20],
        "can_edit": scope.can(Perm.PLANNING_EDIT),
    }
    if run is not None and run.status == AnalysisRun.Status.SUCCEEDED:
        districts = list(selectors.area_rows(run, AreaLevel.DISTRICT))
        context.update(
            districts=districts,
            streets=list(selectors.area_rows(run, AreaLevel.STREET)[:400]),
            map_data=_map_data(run),
            chart={
                "categories": [d.org.name.removesuffix("总工会") for d in districts],
                "values": [round(d.share * 100, 1) for d in districts],
            },
            suggestions=list(selectors.suggestion_list(run)[:10]),
        )
    if context["can_edit"]:
        context["form"] = form or RunForm(
            areas=_areas_for(request.user),
            layers=selectors.layer_visible(actor=request.user).filter(status=ImportStatus.READY),
            candidates=selectors.candidate_list_visible(actor=request.user).filter(status=ImportStatus.READY),
            initial={"area": scope.org_id},
        )
    return render(request, "planning/circle.html", context)


@staff_page(Perm.PLANNING_VIEW)
def circle(request: HttpRequest) -> HttpResponse:
    return _circle(request, selectors.run_latest(actor=request.user))


@staff_page(Perm.PLANNING_VIEW)
def run_detail(request: HttpRequest, run_id: int) -> HttpResponse:
    return _circle(request, selectors.run_get(actor=request.user, run_id=run_id))


@require_POST
@staff_page(Perm.PLANNING_EDIT)
def run_start(request: HttpRequest) -> HttpResponse:
    form = RunForm(
        request.POST,
        areas=_areas_for(request.user),
        layers=selectors.layer_visible(actor=request.user, perm=Perm.PLANNING_EDIT),
        candidates=selectors.candidate_list_visible(actor=request.user, perm=Perm.PLANNING_EDIT),
    )
    if not form.is_valid():
        # The form shows why, on the circle page; nothing was started.
        response = _circle(request, selectors.run_latest(actor=request.user), form=form)
        return response
    data = form.cleaned_data
    run = services.analysis_start(
        actor=request.user,
        area_id=data["area"],
        mode=data["mode"],
        cell_m=data["cell_m"],
        grid_kind=data["grid_kind"] or None,
        h3_resolution=data["h3_resolution"] if data["grid_kind"] == GridKind.H3 else None,
        include_members=data["include_members"],
        include_planned=data["include_planned"],
        layer_ids=data["layers"],
        candidates_id=data["candidates"],
        use_cells=data["use_cells"],
        sites_wanted=data["sites_wanted"] or 0,
    )
    assert run.job is not None
    return redirect("jobs:detail", job_id=run.job.pk)


@staff_page(Perm.PLANNING_VIEW)
def sites(request: HttpRequest, run_id: int) -> HttpResponse:
    run = selectors.run_get(actor=request.user, run_id=run_id)
    suggestions = list(selectors.suggestion_list(run))
    data = _map_data(run, gaps_only=True) if run.status == AnalysisRun.Status.SUCCEEDED else None
    if data is not None:
        data["suggestions"] = [[s.lng, s.lat, s.rank, s.newly_covered, s.name] for s in suggestions]
    return render(
        request,
        "planning/sites.html",
        {
            "run": run,
            "suggestions": suggestions,
            "map_data": data,
            "can_accept": scope_for(request.user).can(Perm.NETWORK_EDIT),
        },
    )


@require_POST
@staff_page(Perm.PLANNING_VIEW)
def accept(request: HttpRequest, suggestion_id: int) -> HttpResponse:
    suggestion = selectors.suggestion_get(actor=request.user, suggestion_id=suggestion_id)
    accepted = services.suggestion_accept(actor=request.user, suggestion_id=suggestion.pk)
    messages.success(
        request,
        _("已将“%(name)s”登记为规划中的阵地。")
        % {"name": accepted.accepted_point.name if accepted.accepted_point else ""},
    )
    return redirect("planning:sites", run_id=suggestion.run_id)


@staff_page(Perm.PLANNING_VIEW)
def imports(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    can_edit = scope.can(Perm.PLANNING_EDIT)
    owners = _areas_for(request.user)
    layer_form = ImportForm(prefix="layer", owners=owners, initial={"owner": scope.org_id})
    candidates_form = ImportForm(prefix="candidates", owners=owners, initial={"owner": scope.org_id})
    locations_form = LocationImportForm(prefix="locations", owners=owners, initial={"owner": scope.org_id})
    if request.method == "POST" and "locations" in request.POST:
        scope.require(Perm.PLANNING_EDIT, "planning")
        locations_form = LocationImportForm(request.POST, request.FILES, prefix="locations", owners=owners)
        if locations_form.is_valid():
            data = locations_form.cleaned_data
            try:
                job = services.worker_locations_import(
                    actor=request.user,
                    owner_id=data["owner"],
                    system=data["system"],
                    content=data["file"].read(services.MAX_UPLOAD_BYTES + 1),
                )
            except ZhijiaError as exc:
                if exc.status == 404:
                    raise
                locations_form.add_error(None, exc.message)
            else:
                return redirect("jobs:detail", job_id=job.pk)
    elif request.method == "POST":
        scope.require(Perm.PLANNING_EDIT, "planning")
        which = "candidates" if "candidates" in request.POST else "layer"
        form = ImportForm(request.POST, request.FILES, prefix=which, owners=owners)
        if which == "layer":
            layer_form = form
        else:
            candidates_form = form
        if form.is_valid():
            data = form.cleaned_data
            start = services.density_layer_import if which == "layer" else services.candidate_list_import
            try:
                item = start(
                    actor=request.user,
                    owner_id=data["owner"],
                    name=data["name"],
                    note=data["note"],
                    system=data["system"],
                    content=data["file"].read(services.MAX_UPLOAD_BYTES + 1),
                )
            except ZhijiaError as exc:
                if exc.status == 404:
                    raise
                form.add_error(None, exc.message)
            else:
                assert item.job is not None
                return redirect("jobs:detail", job_id=item.job.pk)
    return render(
        request,
        "planning/imports.html",
        {
            "layers": selectors.layer_visible(actor=request.user).select_related("job").order_by("-created_at")[:50],
            "candidate_lists": selectors.candidate_list_visible(actor=request.user)
            .select_related("job")
            .order_by("-created_at")[:50],
            "layer_form": layer_form,
            "candidates_form": candidates_form,
            "locations_form": locations_form,
            "can_edit": can_edit,
        },
    )


# ---- the member site: my work location --------------------------------------------------------------------------


def _work_location_map(membership: Any, at: tuple[float, float] | None) -> dict[str, Any]:
    """What the picker draws: the member's district centres as landmarks (WGS-84) and the place set so far."""
    places = selectors.places_for(membership.union)
    districts = [
        {"name": places.names[pk].removesuffix("总工会"), "lng": round(float(c[0]), 5), "lat": round(float(c[1]), 5)}
        for pk, c in zip(places.district_ids, places.district_centres, strict=True)
        if not np.isnan(c[0])
    ]
    own = places.district_of_path(membership.union.path)
    if at is not None:
        centre = list(at)
    elif own >= 0 and not np.isnan(places.district_centres[own][0]):
        centre = [float(places.district_centres[own][0]), float(places.district_centres[own][1])]
    else:
        centre = list(DEFAULT_CENTRE)
    return {
        "centre": centre,
        "at": list(at) if at else None,
        "districts": districts,
        "labels": {
            "here": _("我的工作地点"),
            "locating": _("正在获取您的位置……"),
            "denied": _("无法获取您的位置。请在地图上点选，或直接填写经纬度。"),
            "picked": _("已选好位置，请确认下方的经纬度并保存。"),
        },
    }


@login_required
def my_work_location(request: HttpRequest) -> HttpResponse:
    """A member sets, moves or deletes their own work place (the circle counts it, with everyone else's)."""
    try:
        membership, location = selectors.my_work_location(actor=request.user)
    except ZhijiaError as exc:
        return error_page(request, exc)
    at = location.lnglat if location is not None else None
    form = WorkLocationForm(
        request.POST if request.method == "POST" and "clear" not in request.POST else None,
        initial={"lng": round(at[0], 6), "lat": round(at[1], 6), "coord": CoordSystem.WGS84.value} if at else None,
    )
    if request.method == "POST" and "clear" in request.POST:
        services.my_work_location_clear(actor=request.user)
        messages.success(request, _("已删除您的工作地点，今后的服务圈分析不再计入。"))
        return redirect("planning_member:work_location")
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.my_work_location_set(
                actor=request.user, lng=data["lng"], lat=data["lat"], system=data["coord"], consent=data["consent"]
            )
        except ZhijiaError as exc:
            if exc.status == 404:
                raise
            field = exc.detail.get("field")
            form.add_error(field if field in form.fields else None, exc.message)
        else:
            messages.success(request, _("已保存您的工作地点。"))
            return redirect("planning_member:work_location")
    return render(
        request,
        "planning/work_location.html",
        {"form": form, "location": location, "at": at, "map": _work_location_map(membership, at)},
    )
