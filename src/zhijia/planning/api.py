"""HTTP for the ten-minute service circle: analysis runs and their results, site suggestions, density layers and
candidate lists. Coordinates are WGS-84 longitude/latitude in degrees."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from zhijia.core.api import PageMapped, Pagination, with_errors
from zhijia.network.coords import CoordSystem, from_wgs84
from zhijia.network.models import PointKind

from . import selectors, services
from .algorithms.hexgrid import MAX_RESOLUTION, MIN_RESOLUTION
from .models import AnalysisRun, AreaCoverage, CandidateList, DensityLayer, GridKind, SiteSuggestion, TravelMode

router = Router(tags=["planning"])

ID = Field(..., ge=1, le=2**53)
MAX_CSV_CHARS = 20_000_000


class JobRef(Schema):
    id: str
    status: str


class RunOut(Schema):
    id: int
    title: str
    area_id: int
    area_name: str
    status: str
    mode: str
    minutes: int
    speed_kmh: float
    detour: float
    cell_m: int
    grid_kind: str = Field(description="square（方格）或 h3（H3 六边形）")
    h3_resolution: int | None
    include_members: bool
    include_planned: bool
    layer_ids: list[int]
    candidates_id: int | None
    use_cells: bool
    sites_wanted: int
    summary: dict[str, Any]
    job_id: str | None
    created_at: str
    finished_at: str | None


class AreaOut(Schema):
    org_id: int
    name: str
    level: str
    workers: int
    covered: int
    share: float
    median_minutes: float


class RunDetailOut(RunOut):
    districts: list[AreaOut]
    streets: list[AreaOut]


class CellsOut(Schema):
    cell_m: int = Field(description="方格边长；H3 网格为该分辨率六边形的平均边长（米）")
    grid_kind: str = Field("square", description="square（方格）或 h3（H3 六边形）")
    h3_resolution: int | None = None
    h3: list[str] = Field(default_factory=list, description="H3 网格：各格的 H3 索引（十六进制），与 lng/lat 一一对应")
    coordinates: str = Field("wgs84", description="坐标系：WGS-84（格中心）")
    lng: list[float]
    lat: list[float]
    workers: list[int]
    covered: list[int]
    minutes: list[float]


class SuggestionOut(Schema):
    id: int
    run_id: int
    rank: int
    name: str
    source: str
    lng: float
    lat: float
    coordinates: str = "wgs84"
    street_id: int | None
    street_name: str | None
    district_id: int | None
    district_name: str | None
    newly_covered: int
    accepted_point_id: int | None


class RunIn(Schema):
    area_id: int = ID
    mode: TravelMode = TravelMode.WALK
    cell_m: int | None = Field(None, ge=50, le=5000, description="方格边长（米）；H3 网格不用")
    grid_kind: GridKind | None = Field(None, description="square（方格，默认）或 h3（H3 六边形）")
    h3_resolution: int | None = Field(
        None, ge=MIN_RESOLUTION, le=MAX_RESOLUTION, description="H3 分辨率（6–10，默认 9）"
    )
    include_members: bool = True
    include_planned: bool = False
    layer_ids: list[int] = Field(default_factory=list, max_length=20)
    candidates_id: int | None = Field(None, ge=1, le=2**53)
    use_cells: bool = True
    sites_wanted: int = Field(0, ge=0, le=services.MAX_SITES)
    title: str = Field("", max_length=150)


class RunStartedOut(Schema):
    run: RunOut
    job: JobRef


class AcceptIn(Schema):
    kind: PointKind = PointKind.REST_STATION
    name: str = Field("", max_length=150)


class ImportIn(Schema):
    owner_id: int = ID
    name: str = Field(..., min_length=1, max_length=100)
    note: str = Field("", max_length=300)
    coordinates: CoordSystem = Field(CoordSystem.WGS84, description="文件中经纬度的坐标系：wgs84 或 gcj02")
    csv: str = Field(..., min_length=1, max_length=MAX_CSV_CHARS, description="CSV 文本（含表头）")


class ImportedOut(Schema):
    id: int
    owner_id: int
    owner_name: str
    name: str
    note: str
    status: str
    rows: int
    workers: int | None = None
    job_id: str | None
    created_at: str


class ImportStartedOut(Schema):
    item: ImportedOut
    job: JobRef


def _run_out(run: AnalysisRun) -> RunOut:
    return RunOut(
        id=run.pk,
        title=run.title,
        area_id=run.area_id,
        area_name=run.area.name,
        status=run.status,
        mode=run.mode,
        minutes=run.minutes,
        speed_kmh=run.speed_kmh,
        detour=run.detour,
        cell_m=run.cell_m,
        grid_kind=run.grid_kind,
        h3_resolution=run.h3_resolution,
        include_members=run.include_members,
        include_planned=run.include_planned,
        layer_ids=sorted(layer.pk for layer in run.layers.all()),
        candidates_id=run.candidates_id,
        use_cells=run.use_cells,
        sites_wanted=run.sites_wanted,
        summary=run.summary,
        job_id=str(run.job_id) if run.job_id else None,
        created_at=run.created_at.isoformat(),
        finished_at=run.finished_at.isoformat() if run.finished_at else None,
    )


def _area_out(row: AreaCoverage) -> AreaOut:
    return AreaOut(
        org_id=row.org_id,
        name=row.org.name,
        level=row.level,
        workers=row.workers,
        covered=row.covered,
        share=row.share,
        median_minutes=row.median_minutes,
    )


def _suggestion_out(s: SiteSuggestion) -> SuggestionOut:
    return SuggestionOut(
        id=s.pk,
        run_id=s.run_id,
        rank=s.rank,
        name=s.name,
        source=s.source,
        lng=s.lng,
        lat=s.lat,
        street_id=s.street_id,
        street_name=s.street.name if s.street else None,
        district_id=s.district_id,
        district_name=s.district.name if s.district else None,
        newly_covered=s.newly_covered,
        accepted_point_id=s.accepted_point_id,
    )


def _imported_out(item: DensityLayer | CandidateList) -> ImportedOut:
    return ImportedOut(
        id=item.pk,
        owner_id=item.owner_id,
        owner_name=item.owner.name,
        name=item.name,
        note=item.note,
        status=item.status,
        rows=item.rows,
        workers=getattr(item, "workers", None),
        job_id=str(item.job_id) if item.job_id else None,
        created_at=item.created_at.isoformat(),
    )


@router.get("/runs", response=with_errors({200: list[RunOut]}), summary="服务圈分析列表")
@paginate(Pagination)
def run_list(request: HttpRequest) -> Any:
    qs = selectors.run_visible(actor=request.user).prefetch_related("layers")
    return PageMapped(qs, lambda runs: [_run_out(r) for r in runs])


@router.post("/runs", response=with_errors({202: RunStartedOut}), summary="发起服务圈分析（后台计算）")
def run_start(request: HttpRequest, payload: RunIn) -> Any:
    run = services.analysis_start(actor=request.user, **payload.dict())
    assert run.job is not None
    return Status(202, RunStartedOut(run=_run_out(run), job=JobRef(id=str(run.job.pk), status=run.job.status)))


@router.get("/runs/{run_id}", response=with_errors({200: RunDetailOut}), summary="服务圈分析结果（按区县、街道）")
def run_detail(request: HttpRequest, run_id: int) -> Any:
    run = selectors.run_get(actor=request.user, run_id=run_id)
    return RunDetailOut(
        **_run_out(run).dict(),
        districts=[_area_out(r) for r in selectors.area_rows(run, "district")],
        streets=[_area_out(r) for r in selectors.area_rows(run, "street")],
    )


@router.get("/runs/{run_id}/cells", response=with_errors({200: CellsOut}), summary="分析网格（到最近阵地的时间）")
def run_cells(request: HttpRequest, run_id: int) -> Any:
    run = selectors.run_get(actor=request.user, run_id=run_id)
    cells = selectors.run_cells(run)
    return CellsOut(
        cell_m=int(cells.get("cell_m", run.cell_m)),
        grid_kind=cells.get("grid", run.grid_kind),
        h3_resolution=cells.get("h3_resolution"),
        h3=cells.get("h3", []),
        coordinates="wgs84",
        lng=cells.get("lng", []),
        lat=cells.get("lat", []),
        workers=cells.get("workers", []),
        covered=cells.get("covered", []),
        minutes=cells.get("minutes", []),
    )


@router.get("/runs/{run_id}/suggestions", response=with_errors({200: list[SuggestionOut]}), summary="选址建议")
def run_suggestions(request: HttpRequest, run_id: int) -> Any:
    run = selectors.run_get(actor=request.user, run_id=run_id)
    return [_suggestion_out(s) for s in selectors.suggestion_list(run)]


@router.post(
    "/suggestions/{suggestion_id}/accept",
    response=with_errors({201: SuggestionOut}),
    summary="采纳选址建议，登记为规划中的阵地",
)
def suggestion_accept(request: HttpRequest, suggestion_id: int, payload: AcceptIn) -> Any:
    suggestion = services.suggestion_accept(
        actor=request.user, suggestion_id=suggestion_id, kind=payload.kind, name=payload.name
    )
    return Status(201, _suggestion_out(suggestion))


@router.get("/layers", response=with_errors({200: list[ImportedOut]}), summary="职工分布图层")
@paginate(Pagination)
def layer_list(request: HttpRequest) -> Any:
    qs = selectors.layer_visible(actor=request.user).order_by("-created_at", "-id")
    return PageMapped(qs, lambda items: [_imported_out(i) for i in items])


@router.post(
    "/layers", response=with_errors({202: ImportStartedOut}), summary="导入职工分布图层（CSV：经度,纬度,人数）"
)
def layer_import(request: HttpRequest, payload: ImportIn) -> Any:
    layer = services.density_layer_import(
        actor=request.user,
        owner_id=payload.owner_id,
        name=payload.name,
        note=payload.note,
        system=payload.coordinates,
        content=payload.csv.encode("utf-8"),
    )
    assert layer.job is not None
    return Status(
        202, ImportStartedOut(item=_imported_out(layer), job=JobRef(id=str(layer.job.pk), status=layer.job.status))
    )


@router.get("/candidate-lists", response=with_errors({200: list[ImportedOut]}), summary="备选点位清单")
@paginate(Pagination)
def candidate_list_list(request: HttpRequest) -> Any:
    qs = selectors.candidate_list_visible(actor=request.user).order_by("-created_at", "-id")
    return PageMapped(qs, lambda items: [_imported_out(i) for i in items])


@router.post(
    "/candidate-lists", response=with_errors({202: ImportStartedOut}), summary="导入备选点位（CSV：名称,经度,纬度）"
)
def candidate_list_import(request: HttpRequest, payload: ImportIn) -> Any:
    candidates = services.candidate_list_import(
        actor=request.user,
        owner_id=payload.owner_id,
        name=payload.name,
        note=payload.note,
        system=payload.coordinates,
        content=payload.csv.encode("utf-8"),
    )
    assert candidates.job is not None
    job = candidates.job
    return Status(202, ImportStartedOut(item=_imported_out(candidates), job=JobRef(id=str(job.pk), status=job.status)))


class LocationsIn(Schema):
    owner_id: int = ID
    coordinates: CoordSystem = Field(CoordSystem.WGS84, description="文件中经纬度的坐标系：wgs84 或 gcj02")
    csv: str = Field(..., min_length=1, max_length=MAX_CSV_CHARS, description="CSV 文本：会员号,经度,纬度")


@router.post(
    "/work-locations", response=with_errors({202: JobRef}), summary="导入会员工作地点（CSV：会员号,经度,纬度）"
)
def work_locations_import(request: HttpRequest, payload: LocationsIn) -> Any:
    job = services.worker_locations_import(
        actor=request.user, owner_id=payload.owner_id, system=payload.coordinates, content=payload.csv.encode("utf-8")
    )
    return Status(202, JobRef(id=str(job.pk), status=job.status))


# ---- a member's own work location --------------------------------------------------------------------------------
# It lives here, with the circle that uses it: planning sits above members and may read memberships, members may
# not reach up to planning, and the roster has no use for it.


class WorkLocationOut(Schema):
    is_set: bool = Field(description="是否已填报工作地点")
    lng: float | None
    lat: float | None
    coord: CoordSystem = Field(description="lng/lat 的坐标系：wgs84 或 gcj02")
    source: str | None = Field(description="member（本人填报）、import（工会导入）或 demo")
    consented_at: str | None
    updated_at: str | None


class WorkLocationQuery(Schema):
    coord: CoordSystem = Field(CoordSystem.WGS84, description="返回坐标所用的坐标系")


class WorkLocationIn(Schema):
    lng: float = Field(..., ge=-180, le=180, allow_inf_nan=False)
    lat: float = Field(..., ge=-90, le=90, allow_inf_nan=False)
    coord: CoordSystem = Field(CoordSystem.WGS84, description="lng/lat 的坐标系，也是返回坐标的坐标系")
    consent: bool = Field(
        False, description="本人同意工会将工作地点加密保存，仅以汇总人数用于十分钟服务圈分析（必须为 true）"
    )


def _work_location_out(location: Any, coord: str) -> WorkLocationOut:
    at = location.lnglat if location is not None else None
    x, y = from_wgs84(at[0], at[1], coord) if at else (None, None)
    return WorkLocationOut(
        is_set=at is not None,
        lng=round(x, 7) if x is not None else None,
        lat=round(y, 7) if y is not None else None,
        coord=CoordSystem(coord),
        source=location.source if location is not None else None,
        consented_at=location.consented_at.isoformat() if location is not None and location.consented_at else None,
        updated_at=location.updated_at.isoformat() if location is not None else None,
    )


@router.get("/me/work-location", response=with_errors({200: WorkLocationOut}), summary="我的工作地点（仅本人可见）")
def my_work_location(request: HttpRequest, query: Query[WorkLocationQuery]) -> Any:
    _membership, location = selectors.my_work_location(actor=request.user)
    return _work_location_out(location, query.coord)


@router.put(
    "/me/work-location",
    response=with_errors({200: WorkLocationOut}),
    summary="填报或修改我的工作地点（须同意使用说明）",
)
def my_work_location_set(request: HttpRequest, payload: WorkLocationIn) -> Any:
    location = services.my_work_location_set(
        actor=request.user, lng=payload.lng, lat=payload.lat, system=payload.coord, consent=payload.consent
    )
    return _work_location_out(location, payload.coord)


@router.delete("/me/work-location", response=with_errors({204: None}), summary="删除我的工作地点（撤回同意）")
def my_work_location_clear(request: HttpRequest) -> Any:
    services.my_work_location_clear(actor=request.user)
    return Status(204, None)
