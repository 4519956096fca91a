"""HTTP for the service network: the nearest finder and a point's public page (anyone), the registry, hours, mobile
routes, standards and inspections (staff, within their subtree).

Coordinates: every location object carries `coord`, the system it is in. Queries and bodies take `coord=wgs84`
(the default, what GPS gives) or `coord=gcj02` (what Chinese map services and many phones in China give); the
platform stores WGS-84 and answers in the system asked for.
"""

import datetime as dt
from functools import lru_cache
from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate
from ninja.security import SessionAuth

from zhijia.accounts.api_auth import TokenAuth
from zhijia.core.api import Instant, PageMapped, Pagination, plain_json, with_errors
from zhijia.core.errors import ValidationFailed

from . import routes, selectors, services
from .coords import CoordSystem, from_wgs84, to_wgs84
from .geo import travel_minutes
from .hours import HOLIDAY, fmt_minute
from .models import (
    Facility,
    HomeSubtype,
    Inspection,
    PointFacility,
    PointKind,
    PointStatus,
    ServicePoint,
    Standard,
    StopRepeat,
)

router = Router(tags=["network"])


def _anyone(request: HttpRequest) -> bool:
    """Public operations: signed-in callers are recognised (staff see their own registry's points), anyone else
    passes as an anonymous visitor."""
    return True


PUBLIC = [TokenAuth(), SessionAuth(), _anyone]

Lng = Field(..., ge=-180, le=180, allow_inf_nan=False, description="经度")
Lat = Field(..., ge=-90, le=90, allow_inf_nan=False, description="纬度")


class LocationOut(Schema):
    lng: float
    lat: float
    coord: CoordSystem = Field(description="坐标系：wgs84 或 gcj02")


def _loc(lng: float, lat: float, coord: str) -> dict[str, Any]:
    x, y = from_wgs84(lng, lat, coord)
    return {"lng": round(x, 7), "lat": round(y, 7), "coord": coord}


class CoordQuery(Schema):
    coord: CoordSystem = Field(CoordSystem.WGS84, description="返回坐标所用的坐标系")


# ---- the finder ----------------------------------------------------------------------------------------------------


class NearestQuery(Schema):
    lng: float = Lng
    lat: float = Lat
    coord: CoordSystem = Field(CoordSystem.WGS84, description="lng/lat 的坐标系；结果也用此坐标系")
    mode: Literal["walk", "ride"] = Field("walk", description="步行或骑行")
    kind: list[PointKind] = Field(default_factory=list, description="阵地类型（可多选）")
    facility: list[Facility] = Field(default_factory=list, description="须具备的设施（可多选，全部具备）")
    open_now: bool = Field(False, description="只要现在开放的")
    limit: int = Field(10, ge=1, le=50)


class StopVisitOut(Schema):
    site: str
    address: str
    location: LocationOut
    starts: dt.datetime
    ends: dt.datetime


class NearestItemOut(Schema):
    id: int
    code: str
    name: str
    kind: str
    kind_label: str
    home_subtype: str
    address: str
    location: LocationOut = Field(description="此刻所在位置（流动型职工之家为当前停靠点）")
    distance_m: float = Field(description="直线距离（米）")
    minutes: float = Field(description="按绕行系数和速度估算的路程时间（分钟）")
    open_now: bool | None = Field(description="现在是否开放；未公布开放时间的为 null")
    facilities: list[str]
    at_stop: StopVisitOut | None
    url: str


class NearestOut(Schema):
    origin: LocationOut
    mode: str
    speed_kmh: float
    detour_factor: float
    items: list[NearestItemOut]


def _visit(visit: routes.Visit | None, coord: str) -> dict[str, Any] | None:
    if visit is None:
        return None
    return {
        "site": visit.stop.site,
        "address": visit.stop.address,
        "location": _loc(visit.stop.lng, visit.stop.lat, coord),
        "starts": visit.starts,
        "ends": visit.ends,
    }


@router.get(
    "/nearest",
    auth=PUBLIC,
    url_name="network_nearest",
    response=with_errors({200: NearestOut}),
    summary="最近的服务阵地（按步行或骑行时间）",
)
def nearest(request: HttpRequest, query: Query[NearestQuery]) -> HttpResponse:
    # The member site's busiest read: answered from the in-memory index, written as plain JSON in NearestOut's shape
    # (test_api_nearest.py holds it to the schema).
    lng, lat = to_wgs84(query.lng, query.lat, query.coord)
    trip = selectors.travel(query.mode)
    hits = selectors.nearest(
        lng=lng,
        lat=lat,
        limit=query.limit,
        kinds=[str(k) for k in query.kind],
        facilities=[str(f) for f in query.facility],
        open_now=query.open_now,
    )
    coord = str(query.coord)
    labels: dict[str, str] = {}
    url_head, url_tail = _point_url(get_script_prefix(), get_urlconf())
    items = []
    for h in hits:
        card = h.card
        label = labels.get(card.kind)
        if label is None:
            label = labels[card.kind] = str(PointKind(card.kind).label)
        items.append(
            {
                "id": card.id,
                "code": card.code,
                "name": card.name,
                "kind": card.kind,
                "kind_label": label,
                "home_subtype": card.home_subtype,
                "address": card.address,
                "location": _loc(h.lng, h.lat, coord),
                "distance_m": round(h.distance_m, 1),
                "minutes": round(
                    travel_minutes(h.distance_m, speed_kmh=trip.speed_kmh, detour_factor=trip.detour_factor), 1
                ),
                "open_now": h.open_now,
                "facilities": list(card.facilities),
                "at_stop": _visit(h.visit, coord),
                "url": f"{url_head}{card.id}{url_tail}",
            }
        )
    return plain_json(
        {
            "origin": {"lng": query.lng, "lat": query.lat, "coord": coord},
            "mode": trip.mode,
            "speed_kmh": trip.speed_kmh,
            "detour_factor": trip.detour_factor,
            "items": items,
        }
    )


_URL_ID = 987654321  # stands for a point's id in its page's address


@lru_cache(maxsize=16)
def _point_url(script_prefix: str, urlconf: Any) -> tuple[str, str]:
    """A point page's address around its id, reversed once per process (and per URL map and prefix)."""
    head, tail = reverse("network:point", args=[_URL_ID]).split(str(_URL_ID))
    return head, tail


# ---- points ------------------------------------------------------------------------------------------------------


class OrgRef(Schema):
    id: int
    name: str


class InspectionSummary(Schema):
    id: int
    inspected_at: dt.datetime
    passed: bool


class PointOut(Schema):
    id: int
    code: str
    name: str
    kind: str
    kind_label: str
    home_subtype: str
    owner: OrgRef
    address: str
    location: LocationOut
    status: str
    status_label: str
    area_m2: int | None
    contact_name: str
    contact_phone: str
    facilities: list[str]
    next_inspection_due: dt.date | None
    latest_inspection: InspectionSummary | None


class SpanOut(Schema):
    opens: str = Field(description="HH:MM")
    closes: str = Field(description="HH:MM，24:00 表示午夜")


class DayHoursOut(Schema):
    day: int = Field(description="0-6 星期一至星期日，7 法定节假日")
    spans: list[SpanOut]


class DateHoursOut(Schema):
    date: dt.date
    closed: bool
    spans: list[SpanOut]
    note: str


class WhereaboutsOut(Schema):
    now: StopVisitOut | None
    next: StopVisitOut | None


class PointDetailOut(PointOut):
    description: str
    vehicle_plate: str
    follows_holidays: bool
    open_now: bool | None
    weekly_hours: list[DayHoursOut]
    exceptions: list[DateHoursOut]
    whereabouts: WhereaboutsOut | None
    in_registry: bool = Field(description="调用者是否管理该阵地（其所属工会在调用者的范围内）")


def _span(a: int, b: int) -> dict[str, str]:
    return {"opens": fmt_minute(a), "closes": fmt_minute(b)}


def _facility_map(points: list[ServicePoint]) -> dict[int, list[str]]:
    found: dict[int, set[str]] = {}
    for pid, code in PointFacility.objects.filter(point__in=points).values_list("point_id", "facility"):
        found.setdefault(pid, set()).add(code)
    return {pid: [c for c in Facility.values if c in codes] for pid, codes in found.items()}


def _point(point: ServicePoint, facilities: list[str], coord: str, *, registry: bool = True) -> dict[str, Any]:
    latest = point.latest_inspection if registry else None
    return {
        "id": point.pk,
        "code": point.code,
        "name": point.name,
        "kind": point.kind,
        "kind_label": str(point.get_kind_display()),
        "home_subtype": point.home_subtype,
        "owner": {"id": point.owner.pk, "name": point.owner.name},
        "address": point.address,
        "location": _loc(point.lng, point.lat, coord),
        "status": point.status,
        "status_label": str(point.get_status_display()),
        "area_m2": point.area_m2,
        "contact_name": point.contact_name,
        "contact_phone": point.contact_phone,
        "facilities": facilities,
        "next_inspection_due": point.next_inspection_due if registry else None,
        "latest_inspection": (
            {"id": latest.pk, "inspected_at": latest.inspected_at, "passed": latest.passed} if latest else None
        ),
    }


def _many(points: list[ServicePoint], coord: str) -> list[dict[str, Any]]:
    facilities = _facility_map(points)
    return [_point(p, facilities.get(p.pk, []), coord) for p in points]


def _detail(request: HttpRequest, point: ServicePoint, coord: str) -> dict[str, Any]:
    registry = selectors.in_registry(actor=request.user, point=point)
    schedule = selectors.point_schedule(point)
    out = _point(point, selectors.point_facilities(point), coord, registry=registry)
    whereabouts = selectors.point_whereabouts(point) if point.is_mobile else None
    out.update(
        description=point.description,
        vehicle_plate=point.vehicle_plate if registry else "",
        follows_holidays=point.follows_holidays,
        open_now=None if schedule.is_empty() else schedule.is_open(timezone.now()),
        weekly_hours=[
            {"day": day, "spans": [_span(a, b) for a, b in schedule.weekly.get(day, ())]} for day in range(HOLIDAY + 1)
        ],
        exceptions=[
            {
                "date": e.date,
                "closed": e.closed,
                "spans": [] if e.closed else [_span(e.opens_minute or 0, e.closes_minute or 0)],
                "note": e.note,
            }
            for e in selectors.point_exceptions(point)
        ],
        whereabouts=(
            {"now": _visit(whereabouts.now, coord), "next": _visit(whereabouts.next, coord)} if whereabouts else None
        ),
        in_registry=registry,
    )
    return out


class PointQuery(CoordQuery):
    kind: PointKind | None = None
    status: PointStatus | None = None
    facility: Facility | None = None
    owner_id: int | None = Field(None, description="只列出该组织（含下级）的阵地")
    search: str | None = Field(None, max_length=60, description="名称或地址包含，或编码等于")
    overdue: bool | None = Field(None, description="只列出逾期未检查的")


@router.get("/points", response=with_errors({200: list[PointOut]}), summary="服务阵地名录（本级及下级）")
@paginate(Pagination, page_size=100)
def point_list(request: HttpRequest, query: Query[PointQuery]) -> list[dict[str, Any]]:
    filters = selectors.PointFilters(
        kind=query.kind,
        status=query.status,
        facility=query.facility,
        owner_id=query.owner_id,
        search=query.search,
        overdue=query.overdue,
    )
    qs = selectors.point_list(actor=request.user, filters=filters)
    return PageMapped(qs, lambda page: _many(page, query.coord))  # type: ignore[return-value]


@router.get("/overdue", response=with_errors({200: list[PointOut]}), summary="逾期未检查的阵地")
@paginate(Pagination, page_size=100)
def overdue(request: HttpRequest, query: Query[CoordQuery]) -> list[dict[str, Any]]:
    return PageMapped(selectors.overdue_list(actor=request.user), lambda page: _many(page, query.coord))  # type: ignore[return-value]


class PointIn(Schema):
    owner_id: int = Field(..., description="所属工会（须在本级及下级）")
    name: str = Field(..., min_length=1, max_length=150)
    kind: PointKind
    home_subtype: HomeSubtype = HomeSubtype.NONE
    lng: float = Lng
    lat: float = Lat
    coord: CoordSystem = Field(CoordSystem.WGS84, description="lng/lat 的坐标系")
    code: str = Field("", max_length=40, description="留空自动生成")
    address: str = Field("", max_length=200)
    status: Literal["planned", "open"] = "open"
    area_m2: int | None = Field(None, ge=0, le=1_000_000)
    contact_name: str = Field("", max_length=60)
    contact_phone: str = Field("", max_length=30)
    description: str = Field("", max_length=2000)
    vehicle_plate: str = Field("", max_length=20)
    follows_holidays: bool = True
    facilities: list[Facility] = Field(default_factory=list)


class PointPatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=150)
    kind: PointKind | None = None
    home_subtype: HomeSubtype | None = None
    owner_id: int | None = None
    lng: float | None = Field(None, ge=-180, le=180, allow_inf_nan=False)
    lat: float | None = Field(None, ge=-90, le=90, allow_inf_nan=False)
    coord: CoordSystem = Field(CoordSystem.WGS84, description="lng/lat 的坐标系，也是返回坐标的坐标系")
    address: str | None = Field(None, max_length=200)
    status: PointStatus | None = None
    area_m2: int | None = Field(None, ge=0, le=1_000_000)
    contact_name: str | None = Field(None, max_length=60)
    contact_phone: str | None = Field(None, max_length=30)
    description: str | None = Field(None, max_length=2000)
    vehicle_plate: str | None = Field(None, max_length=20)
    follows_holidays: bool | None = None
    facilities: list[Facility] | None = None


@router.post("/points", response=with_errors({201: PointDetailOut}), summary="新建服务阵地")
def point_create(request: HttpRequest, payload: PointIn) -> Status[Any]:
    data = payload.dict()
    coord = data.pop("coord")
    data["lng"], data["lat"] = to_wgs84(data["lng"], data["lat"], coord)
    data["facilities"] = [str(f) for f in data["facilities"]]
    point = services.point_create(actor=request.user, **data)
    return Status(201, _detail(request, selectors.point_get(actor=request.user, point_id=point.pk), coord))


@router.get("/points/{point_id}", auth=PUBLIC, response=with_errors({200: PointDetailOut}), summary="服务阵地详情")
def point_detail(request: HttpRequest, point_id: int, query: Query[CoordQuery]) -> dict[str, Any]:
    point = selectors.point_get_public(actor=request.user, point_id=point_id)
    return _detail(request, point, query.coord)


@router.patch("/points/{point_id}", response=with_errors({200: PointDetailOut}), summary="修改服务阵地")
def point_update(request: HttpRequest, point_id: int, payload: PointPatch) -> dict[str, Any]:
    data = payload.dict(exclude_unset=True, exclude_none=True)
    coord = data.pop("coord", CoordSystem.WGS84)
    if ("lng" in data) != ("lat" in data):
        raise ValidationFailed("network.half_location", _("经度和纬度须同时填写。"), field="lng")
    if "lng" in data:
        data["lng"], data["lat"] = to_wgs84(data["lng"], data["lat"], coord)
    if "facilities" in data:
        data["facilities"] = [str(f) for f in data["facilities"]]
    point = services.point_update(actor=request.user, point_id=point_id, **data)
    return _detail(request, selectors.point_get(actor=request.user, point_id=point.pk), coord)


class CloseIn(Schema):
    reason: str = Field("", max_length=200)


@router.post("/points/{point_id}/close", response=with_errors({200: PointDetailOut}), summary="关闭服务阵地")
def point_close(request: HttpRequest, point_id: int, payload: CloseIn) -> dict[str, Any]:
    point = services.point_close(actor=request.user, point_id=point_id, reason=payload.reason)
    return _detail(request, selectors.point_get(actor=request.user, point_id=point.pk), CoordSystem.WGS84)


HHMM = r"^([01]\d|2[0-3]):[0-5]\d$|^24:00$"


class SpanIn(Schema):
    opens: str = Field(..., pattern=HHMM, description="HH:MM")
    closes: str = Field(..., pattern=HHMM, description="HH:MM，可为 24:00")


class DayHoursIn(Schema):
    day: int = Field(..., ge=0, le=7, description="0-6 星期一至星期日，7 法定节假日")
    spans: list[SpanIn] = Field(default_factory=list, max_length=6)


class DateHoursIn(Schema):
    date: dt.date
    spans: list[SpanIn] = Field(default_factory=list, max_length=6, description="为空表示全天关闭")
    note: str = Field("", max_length=200)


class HoursIn(Schema):
    weekly: list[DayHoursIn] = Field(default_factory=list, max_length=8)
    exceptions: list[DateHoursIn] = Field(default_factory=list, max_length=366)
    follows_holidays: bool | None = None


def _minute(text: str) -> int:
    hours, minutes = text.split(":")
    return int(hours) * 60 + int(minutes)


@router.put("/points/{point_id}/hours", response=with_errors({200: PointDetailOut}), summary="设置开放时间")
def point_hours_set(request: HttpRequest, point_id: int, payload: HoursIn) -> dict[str, Any]:
    weekly: dict[int, list[tuple[int, int]]] = {}
    for day in payload.weekly:
        weekly.setdefault(day.day, []).extend((_minute(s.opens), _minute(s.closes)) for s in day.spans)
    exceptions = [
        services.DateHours(e.date, tuple((_minute(s.opens), _minute(s.closes)) for s in e.spans), e.note)
        for e in payload.exceptions
    ]
    point = services.point_hours_set(
        actor=request.user,
        point_id=point_id,
        weekly=weekly,
        exceptions=exceptions,
        follows_holidays=payload.follows_holidays,
    )
    return _detail(request, selectors.point_get(actor=request.user, point_id=point.pk), CoordSystem.WGS84)


# ---- mobile routes -------------------------------------------------------------------------------------------------


class StopIn(Schema):
    site: str = Field(..., min_length=1, max_length=150)
    address: str = Field("", max_length=200)
    lng: float = Lng
    lat: float = Lat
    coord: CoordSystem = CoordSystem.WGS84
    repeat: StopRepeat = StopRepeat.WEEKLY
    weekdays: list[int] = Field(default_factory=list, max_length=7, description="0-6 星期一至星期日（每周重复时）")
    starts_on: dt.date
    ends_on: dt.date
    arrives: str = Field(..., pattern=HHMM)
    leaves: str = Field(..., pattern=HHMM)


class StopOut(Schema):
    id: int
    site: str
    address: str
    location: LocationOut
    repeat: str
    weekdays: list[int]
    starts_on: dt.date
    ends_on: dt.date
    arrives: str
    leaves: str


@router.post("/points/{point_id}/stops", response=with_errors({201: StopOut}), summary="为流动型职工之家添加停靠点")
def stop_create(request: HttpRequest, point_id: int, payload: StopIn) -> Status[Any]:
    lng, lat = to_wgs84(payload.lng, payload.lat, payload.coord)
    stop = services.mobile_stop_create(
        actor=request.user,
        point_id=point_id,
        site=payload.site,
        address=payload.address,
        lng=lng,
        lat=lat,
        repeat=payload.repeat,
        weekdays=payload.weekdays,
        starts_on=payload.starts_on,
        ends_on=payload.ends_on,
        arrives_minute=_minute(payload.arrives),
        leaves_minute=_minute(payload.leaves),
    )
    out = {
        "id": stop.pk,
        "site": stop.site,
        "address": stop.address,
        "location": _loc(stop.lng, stop.lat, payload.coord),
        "repeat": stop.repeat,
        "weekdays": routes.mask_days(stop.weekdays),
        "starts_on": stop.starts_on,
        "ends_on": stop.ends_on,
        "arrives": fmt_minute(stop.arrives_minute),
        "leaves": fmt_minute(stop.leaves_minute),
    }
    return Status(201, out)


@router.delete("/stops/{stop_id}", response=with_errors({204: None}), summary="删除停靠点")
def stop_delete(request: HttpRequest, stop_id: int) -> Status[Any]:
    services.mobile_stop_delete(actor=request.user, stop_id=stop_id)
    return Status(204, None)


# ---- standards and inspections -------------------------------------------------------------------------------------


class StandardItemOut(Schema):
    code: str
    label: str
    description: str


class StandardOut(Schema):
    id: int
    code: str
    name: str
    applies_to: str
    owner: OrgRef | None
    inspection_interval_days: int
    items: list[StandardItemOut]


def _standard(s: Standard) -> dict[str, Any]:
    return {
        "id": s.pk,
        "code": s.code,
        "name": s.name,
        "applies_to": s.applies_to,
        "owner": {"id": s.owner.pk, "name": s.owner.name} if s.owner else None,
        "inspection_interval_days": s.inspection_interval_days,
        "items": [{"code": i.code, "label": i.label, "description": i.description} for i in s.items.all()],
    }


@router.get("/standards", response=with_errors({200: list[StandardOut]}), summary="建设标准（检查清单）")
def standard_list(request: HttpRequest) -> list[dict[str, Any]]:
    return [_standard(s) for s in selectors.standard_list(actor=request.user)]


class StandardIn(Schema):
    owner_id: int
    name: str = Field(..., min_length=1, max_length=100)
    applies_to: PointKind
    items: list[str] = Field(..., min_length=1, max_length=30)
    inspection_interval_days: int = Field(180, ge=1, le=3660)
    code: str = Field("", max_length=40)


@router.post("/standards", response=with_errors({201: StandardOut}), summary="制定本地建设标准")
def standard_create(request: HttpRequest, payload: StandardIn) -> Status[Any]:
    standard = services.standard_create(actor=request.user, **payload.dict())
    return Status(201, _standard(standard))


class ItemResultOut(Schema):
    code: str
    label: str
    passed: bool


class InspectionOut(Schema):
    id: int
    point_id: int
    standard: str
    inspector: str
    inspected_at: dt.datetime
    passed: bool
    note: str
    items: list[ItemResultOut]
    photos: list[str]


def _inspection(i: Inspection) -> dict[str, Any]:
    return {
        "id": i.pk,
        "point_id": i.point_id,
        "standard": i.standard.name,
        "inspector": str(i.inspector),
        "inspected_at": i.inspected_at,
        "passed": i.passed,
        "note": i.note,
        "items": [{"code": r.item.code, "label": r.item.label, "passed": r.passed} for r in i.results.all()],
        "photos": [p.image.url for p in i.photos.all()],
    }


@router.get(
    "/points/{point_id}/inspections", response=with_errors({200: list[InspectionOut]}), summary="阵地的检查记录"
)
@paginate(Pagination, page_size=50)
def inspection_list(request: HttpRequest, point_id: int) -> list[dict[str, Any]]:
    qs = selectors.inspection_list(actor=request.user, point_id=point_id)
    return PageMapped(qs, lambda page: [_inspection(i) for i in page])  # type: ignore[return-value]


class InspectionIn(Schema):
    passed_items: list[str] = Field(default_factory=list, max_length=50, description="达标的检查项编码")
    note: str = Field("", max_length=2000)
    inspected_at: Instant | None = Field(None, description="检查时间（带时区）；留空为现在")


@router.post("/points/{point_id}/inspections", response=with_errors({201: InspectionOut}), summary="记录一次检查")
def inspection_record(request: HttpRequest, point_id: int, payload: InspectionIn) -> Status[Any]:
    inspection = services.inspection_record(
        actor=request.user,
        point_id=point_id,
        passed_items=payload.passed_items,
        note=payload.note,
        inspected_at=payload.inspected_at,
    )
    return Status(201, _inspection(selectors.inspection_get(actor=request.user, inspection_id=inspection.pk)))
