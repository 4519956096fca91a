"""Background work of the circle, run by the task worker with a progress bar: importing density layers and
candidate lists, and computing an analysis run (coverage per area and per cell, then site suggestions)."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import numpy as np
from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task
from scipy.spatial import cKDTree

from zhijia.audit.services import audit_record
from zhijia.jobs.models import Job
from zhijia.jobs.services import Progress, job_run
from zhijia.members.models import Membership
from zhijia.organizations.models import Organization, OrgLevel

from . import files, selectors
from .algorithms.areas import fill_unknown, label_centres, nearest_label
from .algorithms.coverage import coverage, totals_by_area
from .algorithms.grid import Binned, SquareGrid, bin_points
from .algorithms.hexgrid import HexGrid, bin_cells, hex_shape
from .algorithms.projection import LocalProjection
from .algorithms.siting import choose_sites
from .algorithms.travel import TravelModel
from .models import (
    AnalysisRun,
    AreaCoverage,
    AreaLevel,
    CandidateList,
    CandidateSite,
    DensityLayer,
    DensityPoint,
    GridKind,
    ImportStatus,
    RunGrid,
    SiteSuggestion,
    WorkerLocation,
)

logger = logging.getLogger(__name__)
BATCH = 5_000
CAP_MINUTES = 60.0
TWO_STAGE_FROM = 500_000
TWO_STAGE_CELL_M = 100.0

# ----------------------------------------------------------------------------------------------------------------
# Imports


def _area_ids(owner: Organization, codes: list[str]) -> tuple[dict[str, int], list[str]]:
    """Organisation codes in the file that name a street or district under the owner; and the unknown ones."""
    wanted = sorted({c for c in codes if c})
    found = dict(
        Organization.objects.filter(
            code__in=wanted, path__startswith=owner.path, level__in=[OrgLevel.DISTRICT, OrgLevel.STREET]
        ).values_list("code", "pk")
    )
    return found, [c for c in wanted if c not in found]


def _read_upload(job: Job) -> bytes:
    path = Path(settings.MEDIA_ROOT) / job.params["file"]
    try:
        return path.read_bytes()
    finally:
        path.unlink(missing_ok=True)


def _refuse(model: type[DensityLayer] | type[CandidateList], pk: int, progress: Any, reasons: list[str]) -> dict:
    model.objects.filter(pk=pk).update(status=ImportStatus.FAILED)
    progress.set(0, 0, message=reasons[0] if reasons else "")
    return {"error": reasons[0] if reasons else "", "reasons": reasons}


def _unknown_codes(codes: list[str]) -> list[str]:
    shown = "、".join(codes[:5])
    return [_("街道编码不存在或不在本组织范围内：%(codes)s。") % {"codes": shown}]


def density_import_work(job: Job, progress: Progress) -> dict[str, Any]:
    layer = DensityLayer.objects.select_related("owner").get(pk=job.params["layer_id"])
    return {"open_url": reverse("planning:imports")} | density_import(
        layer, _read_upload(job), system=job.params.get("system", "wgs84"), progress=progress, actor=job.owner
    )


class _Quiet:
    """Progress for work run in the foreground (the demo): nobody watches it."""

    def set(self, done: int, total: int | None = None, message: str = "") -> None:
        return None

    def advance(self, n: int = 1) -> None:
        return None


def density_import(
    layer: DensityLayer, raw: bytes, *, system: str, progress: Any = None, actor: Any = None
) -> dict[str, Any]:
    """Check every row of a density CSV and write the layer's points, all or nothing."""
    progress = progress or _Quiet()
    try:
        rows = files.read_density(raw, system=system)
    except files.PlanningFileError as exc:
        return _refuse(DensityLayer, layer.pk, progress, [str(exc)])
    if rows.errors:
        return _refuse(DensityLayer, layer.pk, progress, rows.errors)
    areas, unknown = _area_ids(layer.owner, rows.area_code)
    if unknown:
        return _refuse(DensityLayer, layer.pk, progress, _unknown_codes(unknown))
    total = len(rows)
    progress.set(0, total)
    with transaction.atomic():
        for start in range(0, total, BATCH):
            end = min(total, start + BATCH)
            DensityPoint.objects.bulk_create(
                DensityPoint(
                    layer=layer,
                    lng=rows.lng[i],
                    lat=rows.lat[i],
                    workers=rows.workers[i],
                    area_id=areas.get(rows.area_code[i]),
                )
                for i in range(start, end)
            )
            progress.advance(end - start)
        workers = sum(rows.workers)
        DensityLayer.objects.filter(pk=layer.pk).update(status=ImportStatus.READY, rows=total, workers=workers)
        layer.status, layer.rows, layer.workers = ImportStatus.READY, total, workers
        audit_record(
            actor=actor,
            action="planning.layer_imported",
            obj=layer,
            org=layer.owner,
            changes={"rows": total, "workers": workers},
        )
    return {"rows": total, "workers": workers}


def candidates_import_work(job: Job, progress: Progress) -> dict[str, Any]:
    candidates = CandidateList.objects.select_related("owner").get(pk=job.params["list_id"])
    try:
        rows = files.read_candidates(_read_upload(job), system=job.params.get("system", "wgs84"))
    except files.PlanningFileError as exc:
        return _refuse(CandidateList, candidates.pk, progress, [str(exc)])
    if rows.errors:
        return _refuse(CandidateList, candidates.pk, progress, rows.errors)
    areas, unknown = _area_ids(candidates.owner, rows.area_code)
    if unknown:
        return _refuse(CandidateList, candidates.pk, progress, _unknown_codes(unknown))
    total = len(rows)
    progress.set(0, total)
    with transaction.atomic():
        for start in range(0, total, BATCH):
            end = min(total, start + BATCH)
            CandidateSite.objects.bulk_create(
                CandidateSite(
                    candidates=candidates,
                    name=rows.name[i],
                    category=rows.category[i],
                    address=rows.address[i],
                    lng=rows.lng[i],
                    lat=rows.lat[i],
                    area_id=areas.get(rows.area_code[i]),
                )
                for i in range(start, end)
            )
            progress.advance(end - start)
        CandidateList.objects.filter(pk=candidates.pk).update(status=ImportStatus.READY, rows=total)
        audit_record(
            actor=job.owner,
            action="planning.candidates_imported",
            obj=candidates,
            org=candidates.owner,
            changes={"rows": total},
        )
    return {"rows": total, "open_url": reverse("planning:imports")}


def locations_import_work(job: Job, progress: Progress) -> dict[str, Any]:
    """Members' work locations from CSV, for members of unions under the importer's node; all or nothing."""
    owner = Organization.objects.get(pk=job.params["org_id"])
    result: dict[str, Any] = {"open_url": reverse("planning:imports")}
    try:
        rows = files.read_locations(_read_upload(job), system=job.params.get("system", "wgs84"))
    except files.PlanningFileError as exc:
        progress.set(0, 0, message=str(exc))
        return {**result, "error": str(exc), "reasons": [str(exc)]}
    reasons = list(rows.errors)
    members: dict[str, int] = {}
    if not reasons:
        wanted = sorted(set(rows.member_no))
        for start in range(0, len(wanted), BATCH):
            members.update(
                Membership.objects.filter(
                    member_no__in=wanted[start : start + BATCH],
                    status=Membership.Status.ACTIVE,
                    union__path__startswith=owner.path,
                ).values_list("member_no", "pk")
            )
        reasons = [
            _("第 %(row)s 行：会员号 %(no)s 不存在、已不在会，或不在本组织范围内。") % {"row": i + 2, "no": no}
            for i, no in enumerate(rows.member_no)
            if no not in members
        ][: files.MAX_REASONS]
    if reasons:
        progress.set(0, 0, message=reasons[0])
        return {**result, "error": reasons[0], "reasons": reasons}
    latest = {members[no]: (x, y) for no, x, y in zip(rows.member_no, rows.lng, rows.lat, strict=True)}
    progress.set(0, len(latest))
    with transaction.atomic():
        have = {
            loc.membership_id: loc
            for loc in WorkerLocation.objects.filter(membership_id__in=list(latest)).only(
                "pk", "membership_id", "source"
            )
        }
        # What members set (or took back) themselves is theirs: an import never overwrites it.
        kept = [m for m, loc in have.items() if loc.source == WorkerLocation.Source.MEMBER]
        changed = []
        for membership_id, loc in have.items():
            if loc.source == WorkerLocation.Source.MEMBER:
                continue
            loc.set_position(*latest[membership_id])
            loc.source = WorkerLocation.Source.IMPORT
            changed.append(loc)
        WorkerLocation.objects.bulk_update(changed, ["position", "source"], batch_size=BATCH)
        WorkerLocation.objects.bulk_create(
            [
                WorkerLocation(
                    membership_id=m, position=WorkerLocation.encode(x, y), source=WorkerLocation.Source.IMPORT
                )
                for m, (x, y) in latest.items()
                if m not in have
            ],
            batch_size=BATCH,
        )
        progress.advance(len(latest))
        counts = {"added": len(latest) - len(have), "updated": len(changed), "kept_member_set": len(kept)}
        audit_record(actor=job.owner, action="planning.locations_imported", obj=owner, org=owner, changes=counts)
    return {**result, "rows": len(rows), **counts}


# ----------------------------------------------------------------------------------------------------------------
# The analysis


def _weighted_median_by_group(groups: np.ndarray, values: np.ndarray, weights: np.ndarray, n: int) -> np.ndarray:
    out = np.full(n, np.nan)
    keep = (groups >= 0) & (weights > 0)
    g, v, w = groups[keep], values[keep], weights[keep]
    order = np.lexsort((v, g))
    g, v, w = g[order], v[order], w[order]
    bounds = np.flatnonzero(np.diff(g)) + 1
    for part_g, part_v, part_w in zip(np.split(g, bounds), np.split(v, bounds), np.split(w, bounds), strict=True):
        if len(part_g):
            cum = np.cumsum(part_w)
            out[part_g[0]] = part_v[np.searchsorted(cum, cum[-1] / 2)]
    return out


def analysis_compute(run: AnalysisRun, progress: Any = None) -> dict[str, Any]:
    """Compute a run and store its results (areas, grid, suggestions). Also used by the demo, without a job."""

    def step(done: int, message: str) -> None:
        if progress is not None:
            progress.set(done, 6, message=message)

    step(0, _("读取职工分布"))
    places = selectors.places_for(run.area)
    demand = selectors.demand_for(run, places)
    p_lng, p_lat = selectors.service_points(include_planned=run.include_planned)
    step(1, _("计算到最近阵地的时间"))
    everything = np.concatenate([demand.lng, p_lng]) if len(demand.lng) else p_lng
    everything_lat = np.concatenate([demand.lat, p_lat]) if len(demand.lat) else p_lat
    proj = LocalProjection.around(
        demand.lng if len(demand.lng) else everything, demand.lat if len(demand.lat) else everything_lat
    )
    d_xy = proj.forward(demand.lng, demand.lat)
    p_xy = proj.forward(p_lng, p_lat)
    model = TravelModel(run.speed_kmh, run.detour)
    reach = model.reach_m(run.minutes)

    # Streets for locations with none: the nearest street centre of located members; else the nearest district.
    street_rows, street_centres = label_centres(d_xy, demand.street)
    street = fill_unknown(d_xy, demand.street, street_centres, street_rows)
    centres_known = ~np.isnan(places.district_centres[:, 0])
    c_xy = proj.forward(places.district_centres[centres_known, 0], places.district_centres[centres_known, 1])
    district_rows = np.flatnonzero(centres_known)
    street_district = np.array([*places.street_district, -1], dtype=np.int64)
    district = np.where(demand.district >= 0, demand.district, street_district[street])
    district = fill_unknown(d_xy, district, c_xy, district_rows)
    # Only the run's own area: imported layers may reach beyond it.
    inside = _inside(run.area, places, street, district)
    d_xy, weight, street, district = d_xy[inside], demand.weight[inside], street[inside], district[inside]

    # Millions of locations: settle most of them per 100 m cell (who is inside stays exact, see coverage()).
    two_stage = TWO_STAGE_CELL_M if len(d_xy) > TWO_STAGE_FROM else None
    cov = coverage(p_xy, d_xy, model, minutes=run.minutes, cap_minutes=CAP_MINUTES, cell_m=two_stage)
    step(2, _("按街道和区县汇总"))
    areas = _area_rows(run, places, street, district, weight, cov.covered, cov.minutes)
    step(3, _("生成网格"))
    binned, cell_xy, grid_fields = _grid(run, proj, demand.lng[inside], demand.lat[inside], d_xy)
    cell_minutes = coverage(p_xy, cell_xy, model, minutes=run.minutes, cap_minutes=CAP_MINUTES).minutes
    cell_workers = binned.total(weight)
    cell_covered = binned.total(weight * cov.covered)
    c_lng, c_lat = proj.inverse(cell_xy)
    cells = {
        "cell_m": run.cell_m,
        **grid_fields,
        "lng": np.round(c_lng, 5).tolist(),
        "lat": np.round(c_lat, 5).tolist(),
        "workers": np.round(cell_workers).astype(int).tolist(),
        "covered": np.round(cell_covered).astype(int).tolist(),
        "minutes": np.round(cell_minutes, 1).tolist(),
    }
    step(4, _("选址建议"))
    suggestions: list[SiteSuggestion] = []
    if run.sites_wanted:
        suggestions = _suggest(
            run, proj, places, d_xy, weight, cov.covered, binned, cell_xy, street_rows, street_centres, reach
        )
    step(5, _("保存结果"))
    total = float(weight.sum())
    inside_w = float((weight * cov.covered).sum())
    newly = sum(s.newly_covered for s in suggestions)
    summary = {
        "workers": round(total),
        "covered": round(inside_w),
        "share": inside_w / total if total else None,
        "members": demand.members,
        "layer_workers": demand.layer_workers,
        "points": len(p_xy),
        "cells": len(cell_xy),
        "reach_m": round(reach),
        "median_minutes": float(
            _weighted_median_by_group(np.zeros(len(weight), dtype=np.int64), cov.minutes, weight, 1)[0]
        )
        if len(weight)
        else None,
        "newly_covered": newly,
        "share_after": (inside_w + newly) / total if total else None,
    }
    with transaction.atomic():
        run.areas.all().delete()
        run.suggestions.all().delete()
        AreaCoverage.objects.bulk_create(areas)
        SiteSuggestion.objects.bulk_create(suggestions)
        RunGrid.objects.update_or_create(run=run, defaults={"cells": cells})
        AnalysisRun.objects.filter(pk=run.pk).update(
            status=AnalysisRun.Status.SUCCEEDED, summary=summary, finished_at=timezone.now()
        )
    run.status, run.summary = AnalysisRun.Status.SUCCEEDED, summary
    step(6, _("完成"))
    return summary


def _grid(
    run: AnalysisRun, proj: LocalProjection, lng: np.ndarray, lat: np.ndarray, d_xy: np.ndarray
) -> tuple[Binned, np.ndarray, dict[str, Any]]:
    """The run's grid: the workers binned into its cells, the cells' centres (projected metres) and what the stored
    grid says of its shape. Squares of cell_m on the projection, or H3 hexagons of the run's resolution (H3 cells
    are taken on the sphere, from the WGS-84 locations; their centres are H3's own)."""
    if run.grid_kind == GridKind.H3 and run.h3_resolution:
        hexes = HexGrid(int(run.h3_resolution))
        binned = bin_cells(hexes.cell_of(lng, lat))
        h_lng, h_lat = hexes.centre(binned.cells)
        shape = hex_shape(binned.cells, proj)
        fields: dict[str, Any] = {
            "grid": GridKind.H3.value,
            "h3_resolution": hexes.resolution,
            # The indices as H3's usual hexadecimal strings (JSON numbers lose 64-bit integers).
            "h3": [f"{int(c):x}" for c in binned.cells],
            # One cell's corners (metres east and north of its centre): the map draws this outline at every centre.
            "hex_corners_m": [list(c) for c in shape.corners_m] if shape else [],
        }
        return binned, proj.forward(h_lng, h_lat), fields
    squares = SquareGrid(float(run.cell_m))
    binned = bin_points(squares, d_xy)
    return binned, squares.centre(binned.cells), {"grid": GridKind.SQUARE.value}


def _inside(area: Organization, places: selectors.Places, street: np.ndarray, district: np.ndarray) -> np.ndarray:
    if area.level == OrgLevel.STREET:
        row = places.street_paths.get(area.path, -2)
        return street == row
    if area.level == OrgLevel.DISTRICT:
        return district == places.district_paths.get(area.path, -2)
    below = [i for p, i in places.district_paths.items() if p.startswith(area.path)]
    if not below:
        return np.ones(len(street), dtype=bool)
    return np.isin(district, below)


def _area_rows(
    run: AnalysisRun,
    places: selectors.Places,
    street: np.ndarray,
    district: np.ndarray,
    weight: np.ndarray,
    covered: np.ndarray,
    minutes: np.ndarray,
) -> list[AreaCoverage]:
    rows: list[AreaCoverage] = []
    # Only the run's own area is reported: the nodes under it, and its own district when it is a street.
    paths = {**{i: p for p, i in places.street_paths.items()}}
    district_paths = {i: p for p, i in places.district_paths.items()}
    for level, index, ids, path_of in (
        (AreaLevel.STREET, street, places.street_ids, paths),
        (AreaLevel.DISTRICT, district, places.district_ids, district_paths),
    ):
        totals = totals_by_area(index, weight, covered, len(ids))
        medians = _weighted_median_by_group(index, minutes, weight, len(ids))
        for i, org_id in enumerate(ids):
            path = path_of[i]
            if totals.workers[i] <= 0 or not (path.startswith(run.area.path) or run.area.path.startswith(path)):
                continue
            workers, inside = round(totals.workers[i]), round(totals.covered[i])
            rows.append(
                AreaCoverage(
                    run=run,
                    org_id=org_id,
                    level=level,
                    workers=workers,
                    covered=min(inside, workers),
                    share=inside / workers if workers else 0.0,
                    median_minutes=round(float(medians[i]), 1),
                )
            )
    return rows


def _suggest(
    run: AnalysisRun,
    proj: LocalProjection,
    places: selectors.Places,
    d_xy: np.ndarray,
    weight: np.ndarray,
    covered: np.ndarray,
    binned: Any,
    cell_xy: np.ndarray,
    street_rows: np.ndarray,
    street_centres: np.ndarray,
    reach: float,
) -> list[SiteSuggestion]:
    """Demand: each cell's workers not yet within reach, at their own centre. Candidates: the imported sites and,
    when asked, every cell's centre. Each suggestion's count is then taken exactly over the workers themselves."""
    open_w = weight * ~covered
    cell_open = binned.total(open_w)
    cell_pos = binned.weighted_mean_xy(d_xy, open_w)
    has = cell_open > 0
    demand_xy, demand_w = cell_pos[has], cell_open[has]
    imported = selectors.candidate_sites(run.candidates_id)
    cand_xy = proj.forward([c[2] for c in imported], [c[3] for c in imported]) if imported else np.empty((0, 2))
    if run.use_cells:
        cand_xy = np.vstack([cand_xy, cell_xy])
    siting = choose_sites(cand_xy, demand_xy, demand_w, int(run.sites_wanted), reach)
    if len(siting.chosen) == 0:
        return []
    chosen_xy = cand_xy[siting.chosen]
    # Exact attribution: each worker still outside the circle goes to the first suggestion that reaches them.
    outside = np.flatnonzero(open_w > 0)
    gained = np.zeros(len(chosen_xy))
    if len(outside):
        hits = cKDTree(chosen_xy).query_ball_point(d_xy[outside], r=reach)
        for row, found in enumerate(hits):
            if found:
                gained[min(found)] += open_w[outside[row]]
    s_lng, s_lat = proj.inverse(chosen_xy)
    street_of = nearest_label(chosen_xy, street_centres, street_rows)
    street_district = places.street_district
    out: list[SiteSuggestion] = []
    for rank, (cand, x, y, s) in enumerate(zip(siting.chosen, s_lng, s_lat, street_of, strict=True), start=1):
        site = imported[cand] if cand < len(imported) else None
        street_row = int(s)
        if site is not None and site[4]:
            own = places.street_of_path(site[4])
            street_row = own if own >= 0 else street_row
        district_row = street_district[street_row] if street_row >= 0 else -1
        out.append(
            SiteSuggestion(
                run=run,
                rank=rank,
                name=site[1] if site else f"网格中心 {x:.4f}, {y:.4f}",
                source=SiteSuggestion.Source.CANDIDATE if site else SiteSuggestion.Source.CELL,
                candidate_id=site[0] if site else None,
                lng=round(float(x), 6),
                lat=round(float(y), 6),
                street_id=places.street_ids[street_row] if street_row >= 0 else None,
                district_id=places.district_ids[district_row] if district_row >= 0 else None,
                newly_covered=round(gained[rank - 1]),
            )
        )
    return out


def analysis_work(job: Job, progress: Progress) -> dict[str, Any]:
    run = AnalysisRun.objects.select_related("area").get(pk=job.params["run_id"])
    AnalysisRun.objects.filter(pk=run.pk).update(status=AnalysisRun.Status.RUNNING)
    try:
        # The job page offers a button to the run's page once it is done.
        return {**analysis_compute(run, progress), "open_url": reverse("planning:run", args=[run.pk])}
    except Exception:
        AnalysisRun.objects.filter(pk=run.pk).update(status=AnalysisRun.Status.FAILED, finished_at=timezone.now())
        raise


@task()
def import_density(job_id: str) -> None:
    job_run(job_id, density_import_work)


@task()
def import_candidates(job_id: str) -> None:
    job_run(job_id, candidates_import_work)


@task()
def import_locations(job_id: str) -> None:
    job_run(job_id, locations_import_work)


@task()
def run_analysis(job_id: str) -> None:
    job_run(job_id, analysis_work)
