"""Every write of the circle: importing layers and candidate lists, starting an analysis, accepting a suggestion
as a planned point, and setting members' work locations. Each checks scope, writes and records an audit row."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhijia.audit.services import audit_record
from zhijia.core.errors import Conflict, NotFound, ValidationFailed
from zhijia.core.ids import valid_id
from zhijia.core.roles import Perm
from zhijia.core.scope import scope_for
from zhijia.jobs.models import Job
from zhijia.jobs.services import job_start
from zhijia.network.coords import CoordSystem, out_of_china, to_wgs84
from zhijia.network.models import PointKind, PointStatus
from zhijia.network.services import point_create
from zhijia.organizations.models import Organization

from . import selectors, tasks
from .algorithms.hexgrid import MAX_RESOLUTION, MIN_RESOLUTION, HexGrid
from .models import (
    AnalysisRun,
    CandidateList,
    DensityLayer,
    GridKind,
    ImportStatus,
    SiteSuggestion,
    TravelMode,
    WorkerLocation,
)

UPLOAD_DIR = "planning-imports"
MAX_UPLOAD_BYTES = 50 * 1024 * 1024
MAX_SITES = 200


def _node_in_scope(actor: Any, org_id: Any, perm: Perm) -> Organization:
    scope = scope_for(actor)
    scope.require(perm, "org")
    node = Organization.objects.filter(pk=org_id).first() if valid_id(org_id) else None
    if node is None or not scope.covers_path(node.path):
        raise NotFound("org")
    return node


def _save_upload(content: bytes) -> str:
    if not content:
        raise ValidationFailed("planning.file_required", _("请选择要导入的 CSV 文件。"), field="file")
    if len(content) > MAX_UPLOAD_BYTES:
        raise ValidationFailed("planning.file_too_large", _("文件超过 50 MB，请分批导入。"), field="file")
    stored = f"{UPLOAD_DIR}/{uuid.uuid4().hex}.csv"
    path = Path(settings.MEDIA_ROOT) / stored
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    return stored


def _check_name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise ValidationFailed("planning.name_required", _("请填写名称。"), field="name")
    if len(name) > 100:
        raise ValidationFailed("planning.name_too_long", _("名称不能超过 100 个字。"), field="name")
    return name


def _check_system(system: str) -> str:
    if system not in CoordSystem.__members__.values():
        raise ValidationFailed("planning.unknown_system", _("未知的坐标系。"), field="system")
    return system


@transaction.atomic
def density_layer_import(
    *,
    actor: Any,
    owner_id: int,
    name: str,
    content: bytes,
    system: str = CoordSystem.WGS84,
    note: str = "",
    background: bool = True,
) -> DensityLayer:
    """Start importing a worker-density CSV (grid cells or points with counts) as a layer of `owner_id`.

    The system (no actor: the demo) imports in the foreground."""
    owner = _node_in_scope(actor, owner_id, Perm.PLANNING_EDIT) if actor is not None else _system_node(owner_id)
    layer = DensityLayer.objects.create(
        owner=owner, name=_check_name(name), note=(note or "")[:300], created_by=actor, status=ImportStatus.IMPORTING
    )
    if not background or actor is None:
        audit_record(actor=actor, action="planning.layer_import", obj=layer, org=owner, changes={"name": layer.name})
        tasks.density_import(layer, content, system=_check_system(system), actor=actor)
        return layer
    stored = _save_upload(content)
    job = job_start(
        owner=actor,
        kind="planning.layer_import",
        title=_("导入职工分布图层：%(name)s") % {"name": layer.name},
        task=tasks.import_density,
        params={"layer_id": layer.pk, "file": stored, "system": _check_system(system)},
        org=owner,
    )
    DensityLayer.objects.filter(pk=layer.pk).update(job=job)
    layer.job = job
    audit_record(actor=actor, action="planning.layer_import", obj=layer, org=owner, changes={"name": layer.name})
    return layer


@transaction.atomic
def candidate_list_import(
    *, actor: Any, owner_id: int, name: str, content: bytes, system: str = CoordSystem.WGS84, note: str = ""
) -> CandidateList:
    """Start importing a CSV of candidate sites (post offices, partner shops...) as a list of `owner_id`."""
    owner = _node_in_scope(actor, owner_id, Perm.PLANNING_EDIT)
    candidates = CandidateList.objects.create(
        owner=owner, name=_check_name(name), note=(note or "")[:300], created_by=actor, status=ImportStatus.IMPORTING
    )
    stored = _save_upload(content)
    job = job_start(
        owner=actor,
        kind="planning.candidates_import",
        title=_("导入备选点位：%(name)s") % {"name": candidates.name},
        task=tasks.import_candidates,
        params={"list_id": candidates.pk, "file": stored, "system": _check_system(system)},
        org=owner,
    )
    CandidateList.objects.filter(pk=candidates.pk).update(job=job)
    candidates.job = job
    audit_record(
        actor=actor, action="planning.candidates_import", obj=candidates, org=owner, changes={"name": candidates.name}
    )
    return candidates


@transaction.atomic
def worker_locations_import(*, actor: Any, owner_id: int, content: bytes, system: str = CoordSystem.WGS84) -> Job:
    """Start importing members' work locations (CSV: 会员号, 经度, 纬度) for the unions under `owner_id`."""
    owner = _node_in_scope(actor, owner_id, Perm.PLANNING_EDIT)
    stored = _save_upload(content)
    job = job_start(
        owner=actor,
        kind="planning.locations_import",
        title=_("导入会员工作地点：%(org)s") % {"org": owner.name},
        task=tasks.import_locations,
        params={"org_id": owner.pk, "file": stored, "system": _check_system(system)},
        org=owner,
    )
    audit_record(actor=actor, action="planning.locations_import", obj=owner, org=owner, changes={"job": str(job.pk)})
    return job


def _speed(mode: str) -> float:
    return float(settings.NETWORK_RIDE_KMH if mode == TravelMode.RIDE else settings.NETWORK_WALK_KMH)


@transaction.atomic
def analysis_start(
    *,
    actor: Any,
    area_id: int,
    mode: str = TravelMode.WALK,
    cell_m: int | None = None,
    grid_kind: str | None = None,
    h3_resolution: int | None = None,
    include_members: bool = True,
    include_planned: bool = False,
    layer_ids: Sequence[int] = (),
    candidates_id: int | None = None,
    use_cells: bool = True,
    sites_wanted: int = 0,
    title: str = "",
    background: bool = True,
) -> AnalysisRun:
    """Record an analysis of `area_id` and compute it in the background (or at once, for the demo)."""
    area = _node_in_scope(actor, area_id, Perm.PLANNING_EDIT) if actor is not None else _system_node(area_id)
    if mode not in TravelMode.values:
        raise ValidationFailed("planning.unknown_mode", _("出行方式只能是步行或骑行。"), field="mode")
    grid = grid_kind or settings.PLANNING_GRID
    if grid not in GridKind.values:
        raise ValidationFailed("planning.unknown_grid", _("网格类型只能是方格或 H3 六边形。"), field="grid_kind")
    resolution: int | None = None
    if grid == GridKind.H3:
        resolution = int(h3_resolution if h3_resolution is not None else settings.PLANNING_H3_RESOLUTION)
        if not MIN_RESOLUTION <= resolution <= MAX_RESOLUTION:
            raise ValidationFailed(
                "planning.h3_resolution",
                _("H3 分辨率应在 %(low)s 到 %(high)s 之间。") % {"low": MIN_RESOLUTION, "high": MAX_RESOLUTION},
                field="h3_resolution",
            )
        # For H3 the run records the resolution's average edge length as its cell size, for comparison.
        cell = round(HexGrid(resolution).edge_m)
    else:
        cell = int(cell_m or settings.PLANNING_CELL_M)
    if not 50 <= cell <= 5000:
        raise ValidationFailed("planning.cell_size", _("网格边长应在 50 到 5000 米之间。"), field="cell_m")
    if not 0 <= sites_wanted <= MAX_SITES:
        raise ValidationFailed(
            "planning.sites_wanted", _("建议点位数应在 0 到 %(n)s 之间。") % {"n": MAX_SITES}, field="sites_wanted"
        )
    wanted = [i for i in layer_ids if valid_id(i)]
    if len(wanted) != len(layer_ids):
        raise NotFound("planning_layer")
    visible = selectors.layer_visible(actor=actor) if actor is not None else DensityLayer.objects.all()
    layers = list(visible.filter(pk__in=wanted))
    if len(layers) != len(set(layer_ids)):
        raise NotFound("planning_layer")
    if any(layer.status != ImportStatus.READY for layer in layers):
        raise ValidationFailed("planning.layer_not_ready", _("所选图层尚未导入完成。"), field="layer_ids")
    candidates = None
    if candidates_id is not None:
        candidates = (
            selectors.candidate_list_get(actor=actor, list_id=candidates_id)
            if actor
            else CandidateList.objects.get(pk=candidates_id)
        )
        if candidates.status != ImportStatus.READY:
            raise ValidationFailed(
                "planning.candidates_not_ready", _("所选备选点位清单尚未导入完成。"), field="candidates_id"
            )
    if not include_members and not layers:
        raise ValidationFailed(
            "planning.no_demand", _("请至少选择会员工作地点或一个职工分布图层。"), field="include_members"
        )
    minutes = int(settings.PLANNING_CIRCLE_MINUTES)
    run = AnalysisRun.objects.create(
        area=area,
        title=(title or "").strip()[:150]
        or _("%(area)s %(minutes)s分钟服务圈（%(mode)s）")
        % {"area": area.name, "minutes": minutes, "mode": TravelMode(mode).label},
        mode=mode,
        minutes=minutes,
        speed_kmh=_speed(mode),
        detour=float(settings.NETWORK_DETOUR_FACTOR),
        cell_m=cell,
        grid_kind=grid,
        h3_resolution=resolution,
        include_members=include_members,
        include_planned=include_planned,
        candidates=candidates,
        use_cells=use_cells,
        sites_wanted=sites_wanted,
        created_by=actor,
    )
    run.layers.set(layers)
    audit_record(
        actor=actor,
        action="planning.analysis_start",
        obj=run,
        org=area,
        changes={
            "mode": mode,
            "grid": grid,
            "h3_resolution": resolution,
            "cell_m": cell,
            "sites_wanted": sites_wanted,
            "layers": [x.pk for x in layers],
        },
    )
    if background and actor is not None:
        job = job_start(
            owner=actor,
            kind="planning.analysis",
            title=run.title,
            task=tasks.run_analysis,
            params={"run_id": run.pk},
            org=area,
        )
        AnalysisRun.objects.filter(pk=run.pk).update(job=job)
        run.job = job
    else:
        tasks.analysis_compute(run)
    return run


def _system_node(area_id: int) -> Organization:
    node = Organization.objects.filter(pk=area_id).first()
    if node is None:
        raise NotFound("org")
    return node


@transaction.atomic
def suggestion_accept(
    *, actor: Any, suggestion_id: int, kind: str = PointKind.REST_STATION, name: str = ""
) -> SiteSuggestion:
    """Turn a suggestion into a planned point of the service network, owned by its street (or the run's area).

    Creating the point is the network's own service, so its rules hold: only staff who may edit the network in
    that part of the tree can accept."""
    suggestion = selectors.suggestion_get(actor=actor, suggestion_id=suggestion_id, perm=Perm.PLANNING_VIEW)
    # Lock the suggestion row alone (the street is a nullable join, which PostgreSQL will not lock).
    suggestion = (
        SiteSuggestion.objects.select_for_update(of=("self",))
        .select_related("run__area", "street")
        .get(pk=suggestion.pk)
    )
    if suggestion.accepted_point_id is not None or suggestion.accepted_at is not None:
        raise Conflict("planning.already_accepted", _("该建议已采纳为规划阵地。"))
    scope = scope_for(actor)
    owner = (
        suggestion.street if suggestion.street and scope.covers_path(suggestion.street.path) else suggestion.run.area
    )
    point = point_create(
        actor=actor,
        owner_id=owner.pk,
        name=(name or "").strip()[:150] or _("规划点位：%(name)s") % {"name": suggestion.name},
        kind=kind,
        lng=suggestion.lng,
        lat=suggestion.lat,
        status=PointStatus.PLANNED,
        description=_("由服务圈分析“%(run)s”的第 %(rank)s 条选址建议采纳，预计新覆盖 %(n)s 名职工。")
        % {"run": suggestion.run.title, "rank": suggestion.rank, "n": suggestion.newly_covered},
    )
    suggestion.accepted_point = point
    suggestion.accepted_by = actor
    suggestion.accepted_at = timezone.now()
    suggestion.save(update_fields=["accepted_point", "accepted_by", "accepted_at"])
    audit_record(
        actor=actor,
        action="planning.suggestion_accept",
        obj=suggestion,
        org=owner,
        changes={"point": point, "newly_covered": suggestion.newly_covered},
    )
    return suggestion


@transaction.atomic
def worker_locations_bulk_set(
    *,
    actor: Any,
    rows: Sequence[tuple[int, float, float]],
    org: Organization,
    source: str = WorkerLocation.Source.IMPORT,
) -> int:
    """Set the work location (membership id, lng, lat in WGS-84) of many members at once; existing ones are kept
    (the demo and imports top up, and never touch what a member set or took back). Returns how many were added."""
    if actor is not None:
        scope = scope_for(actor)
        scope.require(Perm.PLANNING_EDIT, "org")
        if not scope.covers_path(org.path):
            raise NotFound("org")
    bad = [r for r in rows if out_of_china(r[1], r[2])]
    if bad:
        raise ValidationFailed("planning.location_outside_china", _("位置不在中国境内，请检查经纬度。"), field="lng")
    have = set(
        WorkerLocation.objects.filter(membership_id__in=[r[0] for r in rows]).values_list("membership_id", flat=True)
    )
    new = [
        WorkerLocation(membership_id=m, position=WorkerLocation.encode(x, y), source=source)
        for m, x, y in rows
        if m not in have
    ]
    WorkerLocation.objects.bulk_create(new, batch_size=5_000)
    audit_record(
        actor=actor,
        action="planning.locations_set",
        obj=org,
        org=org,
        changes={"added": len(new), "source": source},
    )
    return len(new)


def _check_lnglat(lng: Any, lat: Any) -> tuple[float, float]:
    try:
        x, y = float(lng), float(lat)
    except (TypeError, ValueError):
        raise ValidationFailed("planning.location_invalid", _("请填写经度和纬度。"), field="lng") from None
    if not (-180 <= x <= 180) or x != x:
        raise ValidationFailed("planning.lng_range", _("经度应在 -180 到 180 之间。"), field="lng")
    if not (-90 <= y <= 90) or y != y:
        raise ValidationFailed("planning.lat_range", _("纬度应在 -90 到 90 之间。"), field="lat")
    if out_of_china(x, y):
        raise ValidationFailed("planning.location_outside_china", _("位置不在中国境内，请检查经纬度。"), field="lng")
    return x, y


@transaction.atomic
def my_work_location_set(
    *, actor: Any, lng: float, lat: float, system: str = CoordSystem.WGS84, consent: bool = False
) -> WorkerLocation:
    """A member sets or moves their own work place. It is stored encrypted (WGS-84; GCJ-02 input is converted) and
    used only, counted with others, in the union's ten-minute circle analyses; the member must agree to that."""
    membership, _location = selectors.my_work_location(actor=actor)
    if consent is not True:
        raise ValidationFailed("planning.consent_required", _("请先阅读并同意工作地点的使用说明。"), field="consent")
    x, y = _check_lnglat(lng, lat)
    x, y = to_wgs84(x, y, _check_system(system))
    if out_of_china(x, y):
        raise ValidationFailed("planning.location_outside_china", _("位置不在中国境内，请检查经纬度。"), field="lng")
    location, created = WorkerLocation.objects.select_for_update().get_or_create(
        membership=membership, defaults={"source": WorkerLocation.Source.MEMBER}
    )
    was = location.source if not created else None
    location.set_position(x, y)
    location.source = WorkerLocation.Source.MEMBER
    location.consented_at = timezone.now()
    location.save()
    # The audit row says that the member set it, never where.
    audit_record(
        actor=actor,
        action="planning.my_work_location_set",
        obj=location,
        org=membership.union,
        changes={"created": created, "previous_source": was, "system": system},
    )
    return location


@transaction.atomic
def my_work_location_clear(*, actor: Any) -> WorkerLocation:
    """A member takes their work place back: the position is erased, and the row stays (empty, marked as the
    member's) so that no later import of the union's records puts it back."""
    membership, _location = selectors.my_work_location(actor=actor)
    location, created = WorkerLocation.objects.select_for_update().get_or_create(
        membership=membership, defaults={"source": WorkerLocation.Source.MEMBER}
    )
    location.position = ""
    location.source = WorkerLocation.Source.MEMBER
    location.consented_at = None
    location.save()
    audit_record(
        actor=actor,
        action="planning.my_work_location_clear",
        obj=location,
        org=membership.union,
        changes={"had_location": not created},
    )
    return location
