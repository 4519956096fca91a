"""Every write to the service network: points, their facilities and hours, mobile routes, standards, inspections.

Staff edit only points whose owner union lies in their subtree; anything else is a 404 and changes nothing. Every
write that changes what the finder sees bumps the network's version, so each process rebuilds its nearest index.
"""

from __future__ import annotations

import datetime as dt
import itertools
import secrets
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from zhijia.audit.services import audit_record
from zhijia.core.dates import check_years
from zhijia.core.errors import NotFound, ValidationFailed
from zhijia.core.roles import Perm
from zhijia.core.scope import scope_for
from zhijia.organizations.models import Organization

from . import routes
from .coords import out_of_china
from .hours import HOLIDAY, MINUTES_PER_DAY, Span
from .models import (
    Facility,
    HomeSubtype,
    HoursException,
    Inspection,
    InspectionPhoto,
    InspectionResult,
    MobileStop,
    NetworkVersion,
    PointFacility,
    PointKind,
    PointStatus,
    ServicePoint,
    Standard,
    StandardItem,
    StopRepeat,
    WeeklyHours,
)
from .nearest import VERSION_NAME
from .nearest import changed as nearest_changed
from .selectors import point_get, standard_for, stop_get

# A newly opened point is due for its first inspection (验收) within this many days.
FIRST_INSPECTION_DAYS = 30
PHOTO_SUFFIXES = {".jpg", ".jpeg", ".png", ".webp"}
PHOTO_MAX_BYTES = 10 * 1024 * 1024
MAX_PHOTOS = 6

EDITABLE_FIELDS = (
    "name",
    "kind",
    "home_subtype",
    "owner_id",
    "address",
    "lng",
    "lat",
    "status",
    "area_m2",
    "contact_name",
    "contact_phone",
    "description",
    "vehicle_plate",
    "follows_holidays",
    "facilities",
)


def _bump_version() -> None:
    """A fresh random value, not a count: a rolled-back transaction cannot make an old index look current. This
    process's finder looks at it on its next search; the others within NETWORK_INDEX_CHECK_SECONDS."""
    NetworkVersion.objects.update_or_create(name=VERSION_NAME, defaults={"value": secrets.randbits(62)})
    nearest_changed()
    transaction.on_commit(nearest_changed)


def _owner_in_scope(actor: Any, owner_id: int, perm: Perm) -> Organization:
    """The union that is to own a point: one the actor sees (404 otherwise), and may act for (403 otherwise)."""
    scope = scope_for(actor)
    owner = Organization.objects.filter(pk=owner_id).first() if isinstance(owner_id, int) else None
    if owner is None or not scope.can(Perm.NETWORK_VIEW) or not scope.covers_path(owner.path):
        raise NotFound("org")
    scope.require(perm, "org")
    return owner


def _point_for(actor: Any, point_id: int, perm: Perm) -> ServicePoint:
    """A point of the actor's registry (404 otherwise) that the actor may act on (403 otherwise)."""
    point = point_get(actor=actor, point_id=point_id)
    scope_for(actor).require(perm, "point")
    return point


def _check_kind(kind: str, subtype: str) -> None:
    if kind not in PointKind.values:
        raise ValidationFailed("network.unknown_kind", _("未知的阵地类型。"), field="kind")
    if subtype not in HomeSubtype.values:
        raise ValidationFailed("network.unknown_subtype", _("未知的共享职工之家类型。"), field="home_subtype")
    if subtype and kind != PointKind.SHARED_HOME:
        raise ValidationFailed(
            "network.subtype_only_for_shared_homes",
            _("只有创新型共享职工之家才分园区型、社区型、流动型等类型。"),
            field="home_subtype",
        )


def _check_location(lng: float, lat: float) -> None:
    if out_of_china(lng, lat):
        raise ValidationFailed("network.location_outside_china", _("位置不在中国境内，请检查经纬度。"), field="lng")


def _check_facilities(codes: Iterable[str]) -> list[str]:
    codes = list(dict.fromkeys(codes))
    unknown = [c for c in codes if c not in Facility.values]
    if unknown:
        raise ValidationFailed(
            "network.unknown_facility", _("未知的设施：%(code)s") % {"code": unknown[0]}, field="facilities"
        )
    return codes


def _set_facilities(point: ServicePoint, codes: list[str]) -> None:
    point.facilities.exclude(facility__in=codes).delete()
    have = set(point.facilities.values_list("facility", flat=True))
    PointFacility.objects.bulk_create([PointFacility(point=point, facility=c) for c in codes if c not in have])


@transaction.atomic
def point_create(
    *,
    actor: Any,
    owner_id: int,
    name: str,
    kind: str,
    lng: float,
    lat: float,
    home_subtype: str = "",
    code: str = "",
    address: str = "",
    status: str = PointStatus.OPEN,
    area_m2: int | None = None,
    contact_name: str = "",
    contact_phone: str = "",
    description: str = "",
    vehicle_plate: str = "",
    follows_holidays: bool = True,
    facilities: Sequence[str] = (),
) -> ServicePoint:
    owner = _owner_in_scope(actor, owner_id, Perm.NETWORK_EDIT)
    _check_kind(kind, home_subtype)
    _check_location(lng, lat)
    codes = _check_facilities(facilities)
    if not name.strip():
        raise ValidationFailed("network.missing_name", _("名称不能为空。"), field="name")
    if status not in (PointStatus.PLANNED, PointStatus.OPEN):
        raise ValidationFailed("network.bad_initial_status", _("新阵地只能是“规划中”或“开放”。"), field="status")
    code = code.strip() or f"SP-{secrets.token_hex(5).upper()}"
    if ServicePoint.objects.filter(code=code).exists():
        raise ValidationFailed("network.code_taken", _("编码 %(code)s 已被使用。") % {"code": code}, field="code")
    point = ServicePoint.objects.create(
        code=code,
        name=name.strip(),
        kind=kind,
        home_subtype=home_subtype,
        owner=owner,
        address=address,
        lng=lng,
        lat=lat,
        status=status,
        area_m2=area_m2,
        contact_name=contact_name,
        contact_phone=contact_phone,
        description=description,
        vehicle_plate=vehicle_plate,
        follows_holidays=follows_holidays,
        next_inspection_due=_first_due() if status == PointStatus.OPEN else None,
    )
    _set_facilities(point, codes)
    _bump_version()
    audit_record(
        actor=actor,
        action="point.create",
        obj=point,
        org=owner,
        changes={"kind": kind, "status": status, "owner": owner},
    )
    return point


def _first_due() -> dt.date:
    return timezone.localdate() + dt.timedelta(days=FIRST_INSPECTION_DAYS)


@transaction.atomic
def point_update(*, actor: Any, point_id: int, **fields: Any) -> ServicePoint:
    point = _point_for(actor, point_id, Perm.NETWORK_EDIT)
    point = ServicePoint.objects.select_for_update(of=("self",)).select_related("owner").get(pk=point.pk)
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        name = sorted(unknown)[0]
        raise ValidationFailed(
            "network.field_not_editable", _("字段 %(field)s 不能修改。") % {"field": name}, field=name
        )
    changes: dict[str, Any] = {}
    if "facilities" in fields:
        codes = _check_facilities(fields.pop("facilities"))
        before = sorted(point.facilities.values_list("facility", flat=True))
        if sorted(codes) != before:
            _set_facilities(point, codes)
            changes["facilities"] = [before, sorted(codes)]
    if "owner_id" in fields and fields["owner_id"] != point.owner_id:
        fields["owner"] = _owner_in_scope(actor, fields.pop("owner_id"), Perm.NETWORK_EDIT)
    fields.pop("owner_id", None)
    if "name" in fields and not str(fields["name"]).strip():
        raise ValidationFailed("network.missing_name", _("名称不能为空。"), field="name")
    if "status" in fields and fields["status"] not in PointStatus.values:
        raise ValidationFailed("network.unknown_status", _("未知的状态。"), field="status")
    _check_kind(fields.get("kind", point.kind), fields.get("home_subtype", point.home_subtype))
    _check_location(fields.get("lng", point.lng), fields.get("lat", point.lat))
    for key, value in fields.items():
        old = getattr(point, key)
        if old != value:
            changes[key] = [old, value]
            setattr(point, key, value)
    if (
        fields.get("status") == PointStatus.OPEN
        and point.next_inspection_due is None
        and point.latest_inspection_id is None
    ):
        point.next_inspection_due = _first_due()
    if changes:
        point.save()
        _bump_version()
        audit_record(actor=actor, action="point.update", obj=point, org=point.owner, changes=changes)
    return point


@transaction.atomic
def point_close(*, actor: Any, point_id: int, reason: str = "") -> ServicePoint:
    """Close a point for good: it leaves the finder and the inspection plan; its history stays."""
    point = _point_for(actor, point_id, Perm.NETWORK_EDIT)
    if point.status == PointStatus.CLOSED:
        raise ValidationFailed("network.already_closed", _("该阵地已关闭。"), field="status")
    old = point.status
    point.status = PointStatus.CLOSED
    point.save(update_fields=["status", "updated_at"])
    _bump_version()
    audit_record(
        actor=actor,
        action="point.close",
        obj=point,
        org=point.owner,
        changes={"status": [old, point.status], "reason": reason},
    )
    return point


@dataclass(frozen=True)
class DateHours:
    """A date with hours of its own: no spans means closed all day."""

    date: dt.date
    spans: tuple[Span, ...] = ()
    note: str = ""


def _check_spans(spans: Iterable[Span], field_name: str) -> list[Span]:
    ordered = sorted((int(a), int(b)) for a, b in spans)
    for a, b in ordered:
        if not 0 <= a < b <= MINUTES_PER_DAY:
            raise ValidationFailed(
                "network.bad_hours", _("开放时间有误：开门须早于关门，且在 0:00 至 24:00 之间。"), field=field_name
            )
    for (_a, a_end), (b_start, _b) in itertools.pairwise(ordered):
        if b_start < a_end:
            raise ValidationFailed("network.overlapping_hours", _("同一天的开放时段不能重叠。"), field=field_name)
    return ordered


@transaction.atomic
def point_hours_set(
    *,
    actor: Any,
    point_id: int,
    weekly: Mapping[int, Sequence[Span]],
    exceptions: Sequence[DateHours] = (),
    follows_holidays: bool | None = None,
) -> ServicePoint:
    """Replace a point's weekly hours (days 0-6 Monday-Sunday, 7 statutory holidays) and its dated exceptions from
    today on (past exceptions are history and stay)."""
    point = _point_for(actor, point_id, Perm.NETWORK_EDIT)
    rows: list[WeeklyHours] = []
    for day, spans in weekly.items():
        if not 0 <= int(day) <= HOLIDAY:
            raise ValidationFailed("network.bad_day", _("星期须为 0（星期一）至 7（法定节假日）。"), field="weekly")
        for a, b in _check_spans(spans, "weekly"):
            rows.append(WeeklyHours(point=point, day=int(day), opens_minute=a, closes_minute=b))
    dated: list[HoursException] = []
    seen: set[dt.date] = set()
    for item in exceptions:
        if item.date in seen:
            raise ValidationFailed("network.duplicate_date", _("同一日期只能设置一次。"), field="exceptions")
        check_years(item.date, field="exceptions", label=_("特殊日期"))
        seen.add(item.date)
        spans = _check_spans(item.spans, "exceptions")
        if not spans:
            dated.append(HoursException(point=point, date=item.date, closed=True, note=item.note[:200]))
        for a, b in spans:
            dated.append(
                HoursException(point=point, date=item.date, opens_minute=a, closes_minute=b, note=item.note[:200])
            )
    point.weekly_hours.all().delete()
    WeeklyHours.objects.bulk_create(rows)
    point.hours_exceptions.filter(date__gte=timezone.localdate()).delete()
    HoursException.objects.bulk_create(dated)
    if follows_holidays is not None and follows_holidays != point.follows_holidays:
        point.follows_holidays = follows_holidays
        point.save(update_fields=["follows_holidays", "updated_at"])
    _bump_version()
    audit_record(
        actor=actor,
        action="point.hours_set",
        obj=point,
        org=point.owner,
        changes={"spans": len(rows), "exceptions": len(seen), "follows_holidays": point.follows_holidays},
    )
    return point


@transaction.atomic
def mobile_stop_create(
    *,
    actor: Any,
    point_id: int,
    site: str,
    lng: float,
    lat: float,
    starts_on: dt.date,
    ends_on: dt.date,
    arrives_minute: int,
    leaves_minute: int,
    repeat: str = StopRepeat.WEEKLY,
    weekdays: Sequence[int] = (),
    address: str = "",
) -> MobileStop:
    point = _point_for(actor, point_id, Perm.NETWORK_EDIT)
    if not point.is_mobile:
        raise ValidationFailed("network.not_mobile", _("只有流动型职工之家才有停靠路线。"), field="point")
    if not site.strip():
        raise ValidationFailed("network.missing_site", _("停靠点名称不能为空。"), field="site")
    _check_location(lng, lat)
    if repeat not in StopRepeat.values:
        raise ValidationFailed("network.unknown_repeat", _("未知的重复方式。"), field="repeat")
    check_years(starts_on, field="starts_on", label=_("开始日期"))
    check_years(ends_on, field="ends_on", label=_("结束日期"))
    if ends_on < starts_on or (repeat == StopRepeat.ONCE and ends_on != starts_on):
        raise ValidationFailed(
            "network.bad_dates", _("结束日期不能早于开始日期；仅一次的停靠只有一天。"), field="ends_on"
        )
    _check_spans([(arrives_minute, leaves_minute)], "arrives_minute")
    try:
        mask = routes.weekday_mask(list(weekdays))
    except ValueError:
        raise ValidationFailed(
            "network.bad_weekday", _("星期须为 0（星期一）至 6（星期日）。"), field="weekdays"
        ) from None
    if repeat == StopRepeat.WEEKLY and not mask:
        raise ValidationFailed("network.no_weekdays", _("每周停靠须至少选择一天。"), field="weekdays")
    stop = MobileStop.objects.create(
        point=point,
        site=site.strip(),
        address=address,
        lng=lng,
        lat=lat,
        repeat=repeat,
        weekdays=mask if repeat == StopRepeat.WEEKLY else 0,
        starts_on=starts_on,
        ends_on=ends_on,
        arrives_minute=arrives_minute,
        leaves_minute=leaves_minute,
    )
    _bump_version()
    audit_record(
        actor=actor, action="stop.create", obj=stop, org=point.owner, changes={"point": point, "site": stop.site}
    )
    return stop


@transaction.atomic
def mobile_stop_delete(*, actor: Any, stop_id: int) -> None:
    stop = stop_get(actor=actor, stop_id=stop_id, perm=Perm.NETWORK_VIEW)
    scope_for(actor).require(Perm.NETWORK_EDIT, "stop")
    point = stop.point
    audit_record(
        actor=actor, action="stop.delete", obj=stop, org=point.owner, changes={"point": point, "site": stop.site}
    )
    stop.delete()
    _bump_version()


@transaction.atomic
def standard_create(
    *,
    actor: Any,
    owner_id: int,
    name: str,
    applies_to: str,
    items: Sequence[str],
    inspection_interval_days: int = 180,
    code: str = "",
) -> Standard:
    """A federation's own checklist for a kind of point; it applies in its subtree instead of the national one."""
    owner = _owner_in_scope(actor, owner_id, Perm.NETWORK_EDIT)
    if applies_to not in PointKind.values:
        raise ValidationFailed("network.unknown_kind", _("未知的阵地类型。"), field="applies_to")
    labels = [i.strip() for i in items if i.strip()]
    if not name.strip() or not labels:
        raise ValidationFailed("network.empty_standard", _("标准须有名称和至少一个检查项。"), field="items")
    if not 0 < inspection_interval_days <= 3660:
        raise ValidationFailed(
            "network.bad_interval", _("检查周期须在 1 至 3660 天之间。"), field="inspection_interval_days"
        )
    code = code.strip() or f"STD-{secrets.token_hex(4).upper()}"
    if Standard.objects.filter(code=code).exists():
        raise ValidationFailed("network.code_taken", _("编码 %(code)s 已被使用。") % {"code": code}, field="code")
    standard = Standard.objects.create(
        code=code,
        name=name.strip(),
        applies_to=applies_to,
        owner=owner,
        inspection_interval_days=inspection_interval_days,
    )
    StandardItem.objects.bulk_create(
        [
            StandardItem(standard=standard, code=f"i{n + 1}", label=label[:100], position=n)
            for n, label in enumerate(labels)
        ]
    )
    audit_record(
        actor=actor,
        action="standard.create",
        obj=standard,
        org=owner,
        changes={"applies_to": applies_to, "items": labels},
    )
    return standard


def _check_photos(photos: Sequence[UploadedFile]) -> None:
    if len(photos) > MAX_PHOTOS:
        raise ValidationFailed(
            "network.too_many_photos", _("每次检查最多上传 %(n)s 张照片。") % {"n": MAX_PHOTOS}, field="photos"
        )
    for photo in photos:
        if PurePath(photo.name or "").suffix.lower() not in PHOTO_SUFFIXES:
            raise ValidationFailed("network.photo_type", _("照片须为 JPG、PNG 或 WebP 文件。"), field="photos")
        if (photo.size or 0) > PHOTO_MAX_BYTES:
            raise ValidationFailed("network.photo_too_large", _("每张照片不能超过 10 MB。"), field="photos")


@transaction.atomic
def inspection_record(
    *,
    actor: Any,
    point_id: int,
    passed_items: Sequence[str],
    note: str = "",
    inspected_at: dt.datetime | None = None,
    photos: Sequence[UploadedFile] = (),
) -> Inspection:
    """Record a check of a point against its standard. The latest inspection is the point's compliance, and sets
    when the next one is due."""
    point = _point_for(actor, point_id, Perm.NETWORK_INSPECT)
    point = (
        ServicePoint.objects.select_for_update(of=("self",))
        .select_related("owner", "latest_inspection")
        .get(pk=point.pk)
    )
    standard = standard_for(point)
    if standard is None:
        raise ValidationFailed("network.no_standard", _("该类阵地没有适用的建设标准。"), field="point")
    now = timezone.now()
    when = inspected_at or now
    if timezone.is_naive(when):
        raise ValidationFailed("network.naive_time", _("检查时间须带时区。"), field="inspected_at")
    check_years(when, field="inspected_at", label=_("检查时间"))
    if when > now + dt.timedelta(minutes=5):
        raise ValidationFailed("network.future_inspection", _("检查时间不能晚于现在。"), field="inspected_at")
    items = list(standard.items.all())
    codes = {i.code for i in items}
    unknown = [c for c in passed_items if c not in codes]
    if unknown:
        raise ValidationFailed(
            "network.unknown_item", _("标准中没有检查项 %(code)s。") % {"code": unknown[0]}, field="passed_items"
        )
    _check_photos(photos)
    passed = set(passed_items)
    inspection = Inspection.objects.create(
        point=point,
        standard=standard,
        inspector=actor,
        inspected_at=when,
        passed=passed >= codes,
        note=note,
    )
    InspectionResult.objects.bulk_create(
        [InspectionResult(inspection=inspection, item=item, passed=item.code in passed) for item in items]
    )
    for photo in photos:
        InspectionPhoto.objects.create(inspection=inspection, image=photo)
    latest = point.latest_inspection
    if latest is None or (when, inspection.pk) >= (latest.inspected_at, latest.pk):
        point.latest_inspection = inspection
        point.next_inspection_due = timezone.localdate(when) + dt.timedelta(days=standard.inspection_interval_days)
        point.save(update_fields=["latest_inspection", "next_inspection_due", "updated_at"])
    audit_record(
        actor=actor,
        action="inspection.record",
        obj=inspection,
        org=point.owner,
        changes={"point": point, "passed": inspection.passed, "failed": sorted(codes - passed)},
    )
    return inspection


# Bulk loading (the demo city, imports) ------------------------------------------------------------------------------


@dataclass
class PointSeed:
    """One point to load in bulk, with its facilities and weekly hours."""

    point: ServicePoint
    facilities: list[str] = field(default_factory=list)
    weekly: dict[int, list[Span]] = field(default_factory=dict)
    stops: list[MobileStop] = field(default_factory=list)


@transaction.atomic
def points_bulk_create(*, actor: Any, seeds: Sequence[PointSeed], org: Organization) -> int:
    """Load many points at once; codes already present are skipped, so loading twice changes nothing."""
    existing = set(ServicePoint.objects.filter(code__in=[s.point.code for s in seeds]).values_list("code", flat=True))
    new = [s for s in seeds if s.point.code not in existing]
    if not new:
        return 0
    for s in new:
        _check_kind(s.point.kind, s.point.home_subtype)
        _check_facilities(s.facilities)
    ServicePoint.objects.bulk_create([s.point for s in new], batch_size=2000)
    ids = dict(ServicePoint.objects.filter(code__in=[s.point.code for s in new]).values_list("code", "pk"))
    facilities, hours, stops = [], [], []
    for s in new:
        pk = ids[s.point.code]
        facilities += [PointFacility(point_id=pk, facility=c) for c in s.facilities]
        for day, spans in s.weekly.items():
            hours += [WeeklyHours(point_id=pk, day=day, opens_minute=a, closes_minute=b) for a, b in spans]
        for stop in s.stops:
            stop.point_id = pk
            stops.append(stop)
    PointFacility.objects.bulk_create(facilities, batch_size=5000)
    WeeklyHours.objects.bulk_create(hours, batch_size=5000)
    MobileStop.objects.bulk_create(stops, batch_size=2000)
    _bump_version()
    audit_record(actor=actor, action="point.bulk_create", obj=org, org=org, changes={"points_added": len(new)})
    return len(new)


@dataclass(frozen=True)
class InspectionSeed:
    point_id: int
    inspector_id: int
    inspected_at: dt.datetime
    failed_items: frozenset[str] = frozenset()
    note: str = ""


@transaction.atomic
def inspections_bulk_record(*, actor: Any, seeds: Sequence[InspectionSeed], org: Organization) -> int:
    """Load past inspections (the demo city): each point's latest becomes its compliance. Points that already have
    an inspection are skipped, so loading twice changes nothing."""
    points = {
        p.pk: p
        for p in ServicePoint.objects.filter(
            pk__in={s.point_id for s in seeds}, latest_inspection__isnull=True
        ).select_related("owner", "standard")
    }
    seeds = [s for s in seeds if s.point_id in points]
    if not seeds:
        return 0
    standards: dict[int, Standard | None] = {}
    items: dict[int, list[StandardItem]] = {}
    rows: list[Inspection] = []
    active = list(Standard.objects.filter(is_active=True).select_related("owner"))
    for s in seeds:
        point = points[s.point_id]
        standard = standard_for(point, active=active)
        if standard is None:
            continue
        standards[s.point_id] = standard
        if standard.pk not in items:
            items[standard.pk] = list(standard.items.all())
        codes = {i.code for i in items[standard.pk]}
        rows.append(
            Inspection(
                point_id=s.point_id,
                standard=standard,
                inspector_id=s.inspector_id,
                inspected_at=s.inspected_at,
                passed=not (s.failed_items & codes),
                note=s.note,
            )
        )
    Inspection.objects.bulk_create(rows, batch_size=2000)
    saved = list(
        Inspection.objects.filter(point_id__in=[r.point_id for r in rows]).order_by("point_id", "inspected_at", "pk")
    )
    failed = {s.point_id: s.failed_items for s in seeds}
    results: list[InspectionResult] = []
    latest: dict[int, Inspection] = {}
    for inspection in saved:
        latest[inspection.point_id] = inspection
        for item in items[inspection.standard_id]:
            results.append(
                InspectionResult(inspection=inspection, item=item, passed=item.code not in failed[inspection.point_id])
            )
    InspectionResult.objects.bulk_create(results, batch_size=5000)
    # One UPDATE per (latest inspection, next due date) pair would be thousands; group by due date instead and set
    # the latest inspection with one correlated subquery.
    by_due: dict[dt.date, list[int]] = defaultdict(list)
    for pid, inspection in latest.items():
        standard = standards[pid]
        assert standard is not None
        due = timezone.localdate(inspection.inspected_at) + dt.timedelta(days=standard.inspection_interval_days)
        by_due[due].append(pid)
    for due, pids in by_due.items():
        ServicePoint.objects.filter(pk__in=pids).update(next_inspection_due=due)
    newest = Inspection.objects.filter(point=OuterRef("pk")).order_by("-inspected_at", "-pk").values("pk")[:1]
    ServicePoint.objects.filter(pk__in=list(latest)).update(latest_inspection=Subquery(newest))
    audit_record(actor=actor, action="inspection.bulk_record", obj=org, org=org, changes={"inspections": len(rows)})
    return len(rows)
