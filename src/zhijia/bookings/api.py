"""HTTP for venue booking. Anyone reads the venues of an open point and their slots; a signed-in person books,
cancels, queues and accepts offers; staff set venues up, see a day's bookings, check members in by card, see no-shows,
suspensions and the report, within their subtree.

Booking and cancelling take an idempotency key (the `Idempotency-Key` header, or `idempotency_key` in the body): the
same key from the same person answers with the first booking and writes nothing new.
"""

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate
from ninja.security import SessionAuth

from zhijia.accounts.api_auth import TokenAuth
from zhijia.core.api import IDEMPOTENCY_HEADER, Instant, PageMapped, Pagination, idempotency_key, with_errors
from zhijia.core.pii import mask_name

from . import selectors, services
from .models import Audience, Booking, Suspension, Venue, VenueKind, WaitlistEntry

router = Router(tags=["bookings"])


def _anyone(request: HttpRequest) -> bool:
    return True


PUBLIC = [TokenAuth(), SessionAuth(), _anyone]
MAX_REPORT_DAYS = 92


def _key(request: HttpRequest, body_key: str) -> str:
    return idempotency_key(request, body_key, max_length=services.KEY_MAX)


# ---- shapes ---------------------------------------------------------------------------------------------------------


class PointRef(Schema):
    id: int
    name: str


class VenueOut(Schema):
    id: int
    point: PointRef
    name: str
    kind: str
    kind_label: str
    capacity: int
    slot_minutes: int
    book_ahead_days: int
    cancel_cutoff_minutes: int
    audience: str
    per_day_limit: int
    per_week_limit: int
    description: str
    is_active: bool


class VenueDetailOut(VenueOut):
    release_after_minutes: int | None
    no_show_limit: int | None
    no_show_window_days: int | None
    suspension_days: int | None
    offer_minutes: int | None
    closed_dates: list[dt.date]


def _venue(v: Venue) -> dict[str, Any]:
    return {
        "id": v.pk,
        "point": {"id": v.point.pk, "name": v.point.name},
        "name": v.name,
        "kind": v.kind,
        "kind_label": str(v.get_kind_display()),
        "capacity": v.capacity,
        "slot_minutes": v.slot_minutes,
        "book_ahead_days": v.book_ahead_days,
        "cancel_cutoff_minutes": v.cancel_cutoff_minutes,
        "audience": v.audience,
        "per_day_limit": v.per_day_limit,
        "per_week_limit": v.per_week_limit,
        "description": v.description,
        "is_active": v.is_active,
    }


def _venue_detail(v: Venue) -> dict[str, Any]:
    return {
        **_venue(v),
        **{name: getattr(v, name) for name in selectors.POLICY_FIELDS},
        "closed_dates": list(v.closures.values_list("date", flat=True)),
    }


class BookingOut(Schema):
    id: int
    venue: VenueOut
    starts_at: dt.datetime
    ends_at: dt.datetime
    status: str
    status_label: str
    offer_expires_at: dt.datetime | None
    checked_in_at: dt.datetime | None
    no_show: bool


def _booking(b: Booking) -> dict[str, Any]:
    return {
        "id": b.pk,
        "venue": _venue(b.venue),
        "starts_at": b.starts_at,
        "ends_at": b.ends_at,
        "status": b.status,
        "status_label": str(b.get_status_display()),
        "offer_expires_at": b.offer_expires_at,
        "checked_in_at": b.checked_in_at,
        "no_show": b.no_show,
    }


class WaitOut(Schema):
    id: int
    venue_id: int
    starts_at: dt.datetime
    status: str
    ahead: int = Field(description="排在前面的人数")


def _wait(e: WaitlistEntry) -> dict[str, Any]:
    ahead = WaitlistEntry.objects.filter(slot_id=e.slot_id, status="waiting", created_at__lt=e.created_at).count()
    return {"id": e.pk, "venue_id": e.slot.venue_id, "starts_at": e.slot.starts_at, "status": e.status, "ahead": ahead}


# ---- public ---------------------------------------------------------------------------------------------------------


@router.get(
    "/points/{point_id}/venues",
    auth=PUBLIC,
    response=with_errors({200: list[VenueOut]}),
    summary="服务阵地可预约的场地",
)
def point_venues(request: HttpRequest, point_id: int) -> list[dict[str, Any]]:
    selectors.point_public(point_id=point_id)
    return [_venue(v) for v in selectors.venue_public(point_id=point_id).order_by("name", "pk")]


class SlotOut(Schema):
    starts_at: dt.datetime
    ends_at: dt.datetime
    capacity: int
    taken: int
    free: int
    waiting: int
    state: str = Field(description="open 可预约，full 已约满（可候补），past 已开始，mine 我已预约")
    my_booking_id: int | None


class SlotsOut(Schema):
    venue: VenueOut
    date: dt.date
    bookable_days: list[dt.date]
    slots: list[SlotOut]


class SlotsQuery(Schema):
    date: dt.date | None = Field(None, description="日期（北京时间），默认今天")


@router.get(
    "/venues/{venue_id}/slots",
    auth=PUBLIC,
    response=with_errors({200: SlotsOut}),
    summary="场地某一天的时段与余位",
)
def venue_slots(request: HttpRequest, venue_id: int, query: Query[SlotsQuery]) -> dict[str, Any]:
    venue = selectors.venue_get_public(venue_id=venue_id)
    days = selectors.bookable_days(venue)
    day = query.date or days[0]
    views = selectors.slot_views(venue, day, user=request.user) if days[0] <= day <= days[-1] else []
    return {
        "venue": _venue(venue),
        "date": day,
        "bookable_days": days,
        "slots": [
            {
                "starts_at": s.starts_at,
                "ends_at": s.ends_at,
                "capacity": s.capacity,
                "taken": s.taken,
                "free": s.free,
                "waiting": s.waiting,
                "state": s.state,
                "my_booking_id": s.my_booking_id,
            }
            for s in views
        ],
    }


# ---- the member's own -----------------------------------------------------------------------------------------------


class BookIn(Schema):
    venue_id: int
    starts_at: Instant = Field(description="时段开始时间（带时区）")
    idempotency_key: str = Field("", max_length=services.KEY_MAX, description=f"也可用 {IDEMPOTENCY_HEADER} 请求头")


@router.post("", response=with_errors({201: BookingOut}), summary="预约一个时段")
def book(request: HttpRequest, payload: BookIn) -> Status[Any]:
    booking = services.booking_create(
        actor=request.user,
        venue_id=payload.venue_id,
        starts_at=payload.starts_at,
        idempotency_key=_key(request, payload.idempotency_key),
    )
    return Status(201, _booking(booking))


class MineQuery(Schema):
    upcoming: bool = Field(False, description="只列出未结束的有效预约")


@router.get("/mine", response=with_errors({200: list[BookingOut]}), summary="我的预约")
@paginate(Pagination, page_size=50)
def mine(request: HttpRequest, query: Query[MineQuery]) -> Any:
    qs = selectors.my_bookings(actor=request.user, upcoming_only=query.upcoming)
    return PageMapped(qs, lambda page: [_booking(b) for b in page])


class CancelIn(Schema):
    idempotency_key: str = Field("", max_length=services.KEY_MAX, description=f"也可用 {IDEMPOTENCY_HEADER} 请求头")


@router.post("/{booking_id}/cancel", response=with_errors({200: BookingOut}), summary="取消预约（截止时间前）")
def cancel(request: HttpRequest, booking_id: int, payload: CancelIn) -> dict[str, Any]:
    booking = services.booking_cancel(
        actor=request.user, booking_id=booking_id, idempotency_key=_key(request, payload.idempotency_key)
    )
    return _booking(booking)


@router.post("/{booking_id}/accept", response=with_errors({200: BookingOut}), summary="确认候补名额")
def accept(request: HttpRequest, booking_id: int) -> dict[str, Any]:
    return _booking(services.offer_accept(actor=request.user, booking_id=booking_id))


class WaitIn(Schema):
    venue_id: int
    starts_at: Instant


@router.post("/waitlist", response=with_errors({201: WaitOut}), summary="加入已约满时段的候补")
def waitlist_join(request: HttpRequest, payload: WaitIn) -> Status[Any]:
    entry = services.waitlist_join(actor=request.user, venue_id=payload.venue_id, starts_at=payload.starts_at)
    return Status(201, _wait(entry))


@router.post("/waitlist/{entry_id}/leave", response=with_errors({200: WaitOut}), summary="退出候补")
def waitlist_leave(request: HttpRequest, entry_id: int) -> dict[str, Any]:
    return _wait(services.waitlist_leave(actor=request.user, entry_id=entry_id))


# ---- staff ----------------------------------------------------------------------------------------------------------


class VenueQuery(Schema):
    point_id: int | None = None
    search: str | None = Field(None, max_length=60)


@router.get("/manage/venues", response=with_errors({200: list[VenueOut]}), summary="本级及下级的场地")
@paginate(Pagination, page_size=100)
def manage_venues(request: HttpRequest, query: Query[VenueQuery]) -> Any:
    qs = selectors.venue_list(actor=request.user, point_id=query.point_id, search=query.search or "")
    return PageMapped(qs, lambda page: [_venue(v) for v in page])


class Rules(Schema):
    capacity: int = Field(1, ge=1, le=1000)
    slot_minutes: int = Field(60, ge=10, le=720)
    book_ahead_days: int = Field(7, ge=0, le=90)
    cancel_cutoff_minutes: int = Field(120, ge=0, le=10080)
    audience: Audience = Audience.WORKERS
    per_day_limit: int = Field(2, ge=1, le=100)
    per_week_limit: int = Field(5, ge=1, le=700)
    release_after_minutes: int | None = Field(None, ge=0, le=720)
    no_show_limit: int | None = Field(None, ge=1, le=100)
    no_show_window_days: int | None = Field(None, ge=1, le=366)
    suspension_days: int | None = Field(None, ge=0, le=366)
    offer_minutes: int | None = Field(None, ge=1, le=1440)
    description: str = Field("", max_length=300)
    is_active: bool = True


class VenueIn(Rules):
    point_id: int
    name: str = Field(..., min_length=1, max_length=100)
    kind: VenueKind
    closed_dates: list[dt.date] = Field(default_factory=list, max_length=366)


class VenuePatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=100)
    kind: VenueKind | None = None
    capacity: int | None = Field(None, ge=1, le=1000)
    slot_minutes: int | None = Field(None, ge=10, le=720)
    book_ahead_days: int | None = Field(None, ge=0, le=90)
    cancel_cutoff_minutes: int | None = Field(None, ge=0, le=10080)
    audience: Audience | None = None
    per_day_limit: int | None = Field(None, ge=1, le=100)
    per_week_limit: int | None = Field(None, ge=1, le=700)
    release_after_minutes: int | None = Field(None, ge=0, le=720)
    no_show_limit: int | None = Field(None, ge=1, le=100)
    no_show_window_days: int | None = Field(None, ge=1, le=366)
    suspension_days: int | None = Field(None, ge=0, le=366)
    offer_minutes: int | None = Field(None, ge=1, le=1440)
    description: str | None = Field(None, max_length=300)
    is_active: bool | None = None
    closed_dates: list[dt.date] | None = Field(None, max_length=366)


@router.post("/manage/venues", response=with_errors({201: VenueDetailOut}), summary="新建场地")
def venue_create(request: HttpRequest, payload: VenueIn) -> Status[Any]:
    data = payload.dict()
    data["kind"], data["audience"] = str(data["kind"]), str(data["audience"])
    venue = services.venue_create(actor=request.user, **data)
    return Status(201, _venue_detail(venue))


@router.get("/manage/venues/{venue_id}", response=with_errors({200: VenueDetailOut}), summary="场地详情与规则")
def venue_detail(request: HttpRequest, venue_id: int) -> dict[str, Any]:
    return _venue_detail(selectors.venue_get(actor=request.user, venue_id=venue_id))


@router.patch("/manage/venues/{venue_id}", response=with_errors({200: VenueDetailOut}), summary="修改场地")
def venue_update(request: HttpRequest, venue_id: int, payload: VenuePatch) -> dict[str, Any]:
    data = payload.dict(exclude_unset=True)
    for name in ("name", "kind", "capacity", "slot_minutes", "book_ahead_days", "cancel_cutoff_minutes", "audience"):
        if data.get(name, 0) is None:
            data.pop(name)
    for name in ("per_day_limit", "per_week_limit", "description", "is_active"):
        if data.get(name, 0) is None:
            data.pop(name)
    for name in ("kind", "audience"):
        if name in data:
            data[name] = str(data[name])
    venue = services.venue_update(actor=request.user, venue_id=venue_id, **data)
    return _venue_detail(venue)


class StaffBookingOut(Schema):
    id: int
    starts_at: dt.datetime
    ends_at: dt.datetime
    status: str
    status_label: str
    person: str = Field(description="预约人（姓名已遮蔽）")
    checked_in_at: dt.datetime | None
    no_show: bool


def _staff_booking(b: Booking) -> dict[str, Any]:
    return {
        "id": b.pk,
        "starts_at": b.starts_at,
        "ends_at": b.ends_at,
        "status": b.status,
        "status_label": str(b.get_status_display()),
        "person": mask_name(b.user.display_name or b.user.username),
        "checked_in_at": b.checked_in_at,
        "no_show": b.no_show,
    }


@router.get(
    "/manage/venues/{venue_id}/bookings",
    response=with_errors({200: list[StaffBookingOut]}),
    summary="场地某一天的预约",
)
def venue_day(request: HttpRequest, venue_id: int, query: Query[SlotsQuery]) -> list[dict[str, Any]]:
    _venue_obj, qs = selectors.day_bookings(
        actor=request.user, venue_id=venue_id, day=query.date or timezone.localdate()
    )
    return [_staff_booking(b) for b in qs[:2000]]


class CheckinIn(Schema):
    point_id: int
    token: str = Field(..., min_length=1, max_length=1000, description="会员卡二维码内容")


class CheckinOut(Schema):
    booking: StaffBookingOut
    venue: str
    already: bool = Field(description="此前已签到（重复扫码）")
    member: str
    member_no: str
    points: int | None = Field(description="本次签到获得的积分（无积分规则时为空）")


@router.post("/manage/checkin", response=with_errors({200: CheckinOut}), summary="扫会员卡签到")
def checkin(request: HttpRequest, payload: CheckinIn) -> dict[str, Any]:
    done = services.booking_checkin(actor=request.user, point_id=payload.point_id, token=payload.token)
    return {
        "booking": _staff_booking(done.booking),
        "venue": done.booking.venue.name,
        "already": done.already,
        "member": done.masked_name,
        "member_no": done.member_no,
        "points": done.points,
    }


@router.get("/manage/no-shows", response=with_errors({200: list[StaffBookingOut]}), summary="爽约记录")
@paginate(Pagination, page_size=100)
def no_shows(request: HttpRequest) -> Any:
    return PageMapped(selectors.no_show_list(actor=request.user), lambda page: [_staff_booking(b) for b in page])


class SuspensionOut(Schema):
    id: int
    person: str
    org: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    no_shows: int
    lifted_at: dt.datetime | None


def _suspension(s: Suspension) -> dict[str, Any]:
    return {
        "id": s.pk,
        "person": mask_name(s.user.display_name or s.user.username),
        "org": s.org.name,
        "starts_at": s.starts_at,
        "ends_at": s.ends_at,
        "no_shows": s.no_shows,
        "lifted_at": s.lifted_at,
    }


@router.get("/manage/suspensions", response=with_errors({200: list[SuspensionOut]}), summary="暂停预约中的人员")
@paginate(Pagination, page_size=100)
def suspensions(request: HttpRequest) -> Any:
    return PageMapped(selectors.suspension_list(actor=request.user), lambda page: [_suspension(s) for s in page])


@router.post(
    "/manage/suspensions/{suspension_id}/lift", response=with_errors({200: SuspensionOut}), summary="提前解除暂停"
)
def suspension_lift(request: HttpRequest, suspension_id: int) -> dict[str, Any]:
    return _suspension(services.suspension_lift(actor=request.user, suspension_id=suspension_id))


class ReportQuery(Schema):
    days: int = Field(14, ge=1, le=MAX_REPORT_DAYS, description="最近多少天（含今天）")


class ReportDayOut(Schema):
    date: dt.date
    bookings: int
    checked_in: int
    no_shows: int
    checkin_rate: float | None


@router.get("/manage/report", response=with_errors({200: list[ReportDayOut]}), summary="每日预约与签到率")
def report(request: HttpRequest, query: Query[ReportQuery]) -> list[dict[str, Any]]:
    until = timezone.localdate()
    rows = selectors.report(actor=request.user, since=until - dt.timedelta(days=query.days - 1), until=until)
    return [
        {
            "date": r.day,
            "bookings": r.bookings,
            "checked_in": r.checked_in,
            "no_shows": r.no_shows,
            "checkin_rate": r.checkin_rate,
        }
        for r in rows
    ]


class PolicyIn(Schema):
    release_after_minutes: int = Field(..., ge=0, le=720)
    no_show_limit: int = Field(..., ge=1, le=100)
    no_show_window_days: int = Field(..., ge=1, le=366)
    suspension_days: int = Field(..., ge=0, le=366)
    offer_minutes: int = Field(..., ge=1, le=1440)


class PolicyOut(PolicyIn):
    org_id: int


@router.put("/manage/policies/{org_id}", response=with_errors({200: PolicyOut}), summary="设置工会的预约规则")
def policy_set(request: HttpRequest, org_id: int, payload: PolicyIn) -> dict[str, Any]:
    policy = services.policy_set(actor=request.user, org_id=org_id, **payload.dict())
    return {"org_id": policy.owner_id, **{k: getattr(policy, k) for k in selectors.POLICY_FIELDS}}
