"""HTTP for the service menu (点单式服务): the catalogue and a point's menu (anyone), ordering and one's own orders
(signed-in workers), the menu editor, the order queue, each step of an order and the report (staff, in their subtree).

Ordering takes an idempotency key (the `Idempotency-Key` header, or `idempotency_key` in the body): the same key from
the same account answers with the first order and creates nothing new.
"""

import datetime as dt
from dataclasses import asdict
from typing import Any, Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate
from ninja.security import SessionAuth

from zhijia.accounts.api_auth import TokenAuth
from zhijia.core.api import IDEMPOTENCY_HEADER, Instant, PageMapped, Pagination, idempotency_key, with_errors
from zhijia.core.errors import ValidationFailed
from zhijia.core.roles import Perm
from zhijia.core.scope import scope_for

from . import selectors, services
from .models import Offering, Order, OrderStatus, ServiceType

# Choices spelled out in the document (several apps have an "Audience" of their own; the names must not collide).
AvailabilityIn = Literal["weekly", "appointment"]
AudienceIn = Literal["members", "all_workers"]
PricingIn = Literal["free", "member_price"]
StatusIn = Literal["requested", "accepted", "scheduled", "completed", "confirmed", "declined", "cancelled"]

router = Router(tags=["servicemenu"])


def _anyone(request: HttpRequest) -> bool:
    return True


PUBLIC = [TokenAuth(), SessionAuth(), _anyone]


# ---- the catalogue -------------------------------------------------------------------------------------------------


class MenuServiceTypeOut(Schema):
    id: int
    code: str
    name: str
    description: str
    owner_id: int | None = Field(description="添加该服务的工会；为空表示全国通用")


def _type(t: ServiceType) -> dict[str, Any]:
    return {"id": t.pk, "code": t.code, "name": t.name, "description": t.description, "owner_id": t.owner_id}


@router.get("/catalogue", auth=PUBLIC, response=with_errors({200: list[MenuServiceTypeOut]}), summary="服务目录")
def catalogue(request: HttpRequest) -> list[dict[str, Any]]:
    return [_type(t) for t in selectors.catalogue_list(actor=request.user)]


class MenuServiceTypeIn(Schema):
    owner_id: int = Field(..., ge=1, le=2**31 - 1)
    name: str = Field(..., min_length=1, max_length=60)
    description: str = Field("", max_length=200)


@router.post("/catalogue", response=with_errors({201: MenuServiceTypeOut}), summary="添加本单位的服务项目")
def catalogue_add(request: HttpRequest, payload: MenuServiceTypeIn) -> Status[Any]:
    t = services.service_type_create(actor=request.user, **payload.dict())
    return Status(201, _type(t))


# ---- menus ---------------------------------------------------------------------------------------------------------


class MenuOfferingOut(Schema):
    id: int
    point_id: int
    point_name: str
    service_type: MenuServiceTypeOut
    availability: str
    weekdays: list[int] = Field(description="0-6 星期一至星期日")
    starts: str = Field(description="HH:MM")
    ends: str = Field(description="HH:MM")
    daily_capacity: int | None
    audience: str
    pricing: str
    member_price_fen: int
    list_price_fen: int
    note: str
    is_active: bool


def _hhmm(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


def _offering(o: Offering) -> dict[str, Any]:
    return {
        "id": o.pk,
        "point_id": o.point_id,
        "point_name": o.point.name,
        "service_type": _type(o.service_type),
        "availability": o.availability,
        "weekdays": [d for d in range(7) if o.weekdays & (1 << d)],
        "starts": _hhmm(o.starts_minute),
        "ends": _hhmm(o.ends_minute),
        "daily_capacity": o.daily_capacity,
        "audience": o.audience,
        "pricing": o.pricing,
        "member_price_fen": o.member_price_fen,
        "list_price_fen": o.list_price_fen,
        "note": o.note,
        "is_active": o.is_active,
    }


@router.get(
    "/points/{point_id}/offerings",
    auth=PUBLIC,
    response=with_errors({200: list[MenuOfferingOut]}),
    summary="服务阵地提供的服务（点单菜单）",
)
def point_offerings(request: HttpRequest, point_id: int) -> list[dict[str, Any]]:
    _, qs = selectors.point_offerings(actor=request.user, point_id=point_id)
    return [_offering(o) for o in qs]


HHMM = r"^([01]\d|2[0-3]):[0-5]\d$|^24:00$"


class MenuOfferingFields(Schema):
    availability: AvailabilityIn = "weekly"
    weekdays: list[int] = Field(default_factory=lambda: [0, 1, 2, 3, 4], max_length=7)
    starts: str = Field("09:00", pattern=HHMM)
    ends: str = Field("17:00", pattern=HHMM)
    daily_capacity: int | None = Field(None, ge=1, le=10_000)
    audience: AudienceIn = "all_workers"
    pricing: PricingIn = "free"
    member_price_fen: int = Field(0, ge=0, le=10_000_000)
    list_price_fen: int = Field(0, ge=0, le=10_000_000)
    note: str = Field("", max_length=200)
    is_active: bool = True


class MenuOfferingIn(MenuOfferingFields):
    service_type_id: int = Field(..., ge=1, le=2**31 - 1)


class MenuOfferingPatch(Schema):
    availability: AvailabilityIn | None = None
    weekdays: list[int] | None = Field(None, max_length=7)
    starts: str | None = Field(None, pattern=HHMM)
    ends: str | None = Field(None, pattern=HHMM)
    daily_capacity: int | None = Field(None, ge=1, le=10_000)
    audience: AudienceIn | None = None
    pricing: PricingIn | None = None
    member_price_fen: int | None = Field(None, ge=0, le=10_000_000)
    list_price_fen: int | None = Field(None, ge=0, le=10_000_000)
    note: str | None = Field(None, max_length=200)
    is_active: bool | None = None


def _minutes(text: str) -> int:
    h, m = text.split(":")
    return int(h) * 60 + int(m)


def _mask(days: list[int]) -> int:
    if any(not 0 <= d <= 6 for d in days):
        raise ValidationFailed("menu.weekdays_invalid", _("服务日期须为 0（星期一）到 6（星期日）。"), field="weekdays")
    return sum(1 << d for d in set(days))


def _service_fields(data: dict[str, Any]) -> dict[str, Any]:
    out = dict(data)
    if "weekdays" in out:
        out["weekdays"] = _mask(out["weekdays"])
    if "starts" in out:
        out["starts_minute"] = _minutes(out.pop("starts"))
    if "ends" in out:
        out["ends_minute"] = _minutes(out.pop("ends"))
    for f in ("availability", "audience", "pricing"):
        if f in out:
            out[f] = str(out[f])
    return out


@router.post(
    "/points/{point_id}/offerings", response=with_errors({201: MenuOfferingOut}), summary="在服务阵地上架一项服务"
)
def offering_create(request: HttpRequest, point_id: int, payload: MenuOfferingIn) -> Status[Any]:
    offering = services.offering_create(actor=request.user, point_id=point_id, **_service_fields(payload.dict()))
    return Status(201, _offering(selectors.offering_get(actor=request.user, offering_id=offering.pk)))


@router.patch("/offerings/{offering_id}", response=with_errors({200: MenuOfferingOut}), summary="修改或下架一项服务")
def offering_update(request: HttpRequest, offering_id: int, payload: MenuOfferingPatch) -> dict[str, Any]:
    # Only the capacity may be cleared (unlimited); any other field sent as null means "unchanged".
    sent = {k: v for k, v in payload.dict(exclude_unset=True).items() if v is not None or k == "daily_capacity"}
    changes = _service_fields(sent)
    offering = services.offering_update(actor=request.user, offering_id=offering_id, **changes)
    return _offering(selectors.offering_get(actor=request.user, offering_id=offering.pk))


# ---- orders --------------------------------------------------------------------------------------------------------


class OrderEventOut(Schema):
    status: str
    status_label: str
    actor: str = Field(description="操作人（职工本人或工作人员的姓名）")
    at: dt.datetime
    note: str


class OrderOut(Schema):
    id: int
    status: str
    status_label: str
    offering_id: int
    service: str
    point_id: int
    point_name: str
    preferred_at: dt.datetime | None
    scheduled_at: dt.datetime | None
    service_date: dt.date
    note: str
    price_fen: int
    is_member: bool
    decline_reason: str
    stars: int | None
    comment: str
    created_at: dt.datetime
    accepted_at: dt.datetime | None
    completed_at: dt.datetime | None
    waited_hours: float = Field(description="已等待（或等待了）多少小时：从下单到完成或结束")
    overdue: bool = Field(description="待处理且超过逾期时限")


class OrderDetailOut(OrderOut):
    events: list[OrderEventOut]


def _order(o: Order) -> dict[str, Any]:
    return {
        "id": o.pk,
        "status": o.status,
        "status_label": str(OrderStatus(o.status).label),
        "offering_id": o.offering_id,
        "service": o.offering.service_type.name,
        "point_id": o.point_id,
        "point_name": o.point.name,
        "preferred_at": o.preferred_at,
        "scheduled_at": o.scheduled_at,
        "service_date": o.service_date,
        "note": o.note,
        "price_fen": o.price_fen,
        "is_member": o.is_member,
        "decline_reason": o.decline_reason,
        "stars": o.stars,
        "comment": o.comment,
        "created_at": o.created_at,
        "accepted_at": o.accepted_at,
        "completed_at": o.completed_at,
        "waited_hours": round(selectors.waited_hours(o), 1),
        "overdue": selectors.is_overdue(o),
    }


def _detail(o: Order) -> dict[str, Any]:
    return {
        **_order(o),
        "events": [
            {
                "status": e.status,
                "status_label": str(OrderStatus(e.status).label),
                "actor": str(e.actor) if e.actor else "",
                "at": e.at,
                "note": e.note,
            }
            for e in selectors.order_events(o)
        ],
    }


class OrderCreateIn(Schema):
    preferred_at: Instant | None = Field(None, description="希望的服务时间（带时区）")
    note: str = Field("", max_length=300)
    idempotency_key: str = Field(
        "", max_length=services.IDEMPOTENCY_KEY_MAX, description=f"也可用 {IDEMPOTENCY_HEADER} 请求头"
    )


@router.post(
    "/offerings/{offering_id}/orders",
    response=with_errors({201: OrderDetailOut}),
    summary="预约一项服务（点单）；相同幂等键只下一次单",
)
def order_create(request: HttpRequest, offering_id: int, payload: OrderCreateIn) -> Status[Any]:
    key = idempotency_key(request, payload.idempotency_key, max_length=services.IDEMPOTENCY_KEY_MAX)
    order = services.order_create(
        actor=request.user,
        offering_id=offering_id,
        preferred_at=payload.preferred_at,
        note=payload.note,
        idempotency_key=key,
    )
    return Status(201, _detail(selectors.order_get(actor=request.user, order_id=order.pk)))


@router.get("/orders/mine", response=with_errors({200: list[OrderOut]}), summary="我的服务订单")
@paginate(Pagination, page_size=50)
def my_orders(request: HttpRequest) -> Any:
    return PageMapped(selectors.my_orders(actor=request.user), lambda rows: [_order(o) for o in rows])


class OrderQueueQuery(Schema):
    status: StatusIn | None = Field(None, description="只看某一状态；默认只看待处理的订单")
    point_id: int | None = Field(None, ge=1, le=2**31 - 1)
    overdue: bool = Field(False, description="只看逾期的")
    all: bool = Field(False, description="包括已结束的订单（最新的在前）")


@router.get("/orders", response=with_errors({200: list[OrderOut]}), summary="订单队列（本级及下级，等待最久的在前）")
@paginate(Pagination, page_size=50)
def order_queue(request: HttpRequest, query: Query[OrderQueueQuery]) -> Any:
    filters = selectors.QueueFilters(
        status=str(query.status) if query.status else None,
        point_id=query.point_id,
        overdue=query.overdue or None,
        include_closed=query.all,
    )
    return PageMapped(
        selectors.order_queue(actor=request.user, filters=filters), lambda rows: [_order(o) for o in rows]
    )


class OrderWaitBucketOut(Schema):
    label: str
    count: int
    overdue: bool


class OrderWeekOut(Schema):
    week: dt.date = Field(description="该周的星期一")
    completed: int


class OrderPointRowOut(Schema):
    point_id: int
    name: str
    owner: str
    open: int
    overdue: int
    oldest_hours: float | None
    completed: int
    avg_stars: float | None


class OrderReportOut(Schema):
    weeks: int
    overdue_hours: int
    open: int
    overdue: int
    completed: int
    avg_stars: float | None
    by_status: dict[str, int]
    wait_buckets: list[OrderWaitBucketOut]
    weekly: list[OrderWeekOut]
    points: list[OrderPointRowOut]


class OrderReportQuery(Schema):
    weeks: int = Field(8, ge=1, le=52)


@router.get(
    "/report", response=with_errors({200: OrderReportOut}), summary="点单服务报表：等待时长、每周完成数、各阵地"
)
def report(request: HttpRequest, query: Query[OrderReportQuery]) -> Any:
    scope_for(request.user).require(Perm.ORDER_VIEW, "report")
    return asdict(selectors.order_report(actor=request.user, weeks=query.weeks))


@router.get("/orders/{order_id}", response=with_errors({200: OrderDetailOut}), summary="订单详情及其处理记录")
def order_detail(request: HttpRequest, order_id: int) -> dict[str, Any]:
    return _detail(selectors.order_get(actor=request.user, order_id=order_id))


class OrderCancelIn(Schema):
    reason: str = Field("", max_length=200)


class OrderDeclineIn(Schema):
    reason: str = Field(..., min_length=1, max_length=200)


class OrderScheduleIn(Schema):
    scheduled_at: Instant


class OrderCompleteIn(Schema):
    note: str = Field("", max_length=300)


class OrderConfirmIn(Schema):
    stars: int = Field(..., ge=1, le=5)
    comment: str = Field("", max_length=300)


def _after(request: HttpRequest, order: Order) -> dict[str, Any]:
    return _detail(selectors.order_get(actor=request.user, order_id=order.pk))


@router.post("/orders/{order_id}/accept", response=with_errors({200: OrderDetailOut}), summary="受理订单")
def order_accept(request: HttpRequest, order_id: int) -> dict[str, Any]:
    return _after(request, services.order_accept(actor=request.user, order_id=order_id))


@router.post(
    "/orders/{order_id}/decline", response=with_errors({200: OrderDetailOut}), summary="婉拒订单（须说明原因）"
)
def order_decline(request: HttpRequest, order_id: int, payload: OrderDeclineIn) -> dict[str, Any]:
    return _after(request, services.order_decline(actor=request.user, order_id=order_id, reason=payload.reason))


@router.post("/orders/{order_id}/schedule", response=with_errors({200: OrderDetailOut}), summary="安排服务时间")
def order_schedule(request: HttpRequest, order_id: int, payload: OrderScheduleIn) -> dict[str, Any]:
    order = services.order_schedule(actor=request.user, order_id=order_id, scheduled_at=payload.scheduled_at)
    return _after(request, order)


@router.post("/orders/{order_id}/complete", response=with_errors({200: OrderDetailOut}), summary="标记服务已完成")
def order_complete(request: HttpRequest, order_id: int, payload: OrderCompleteIn) -> dict[str, Any]:
    return _after(request, services.order_complete(actor=request.user, order_id=order_id, note=payload.note))


@router.post("/orders/{order_id}/cancel", response=with_errors({200: OrderDetailOut}), summary="取消我的订单")
def order_cancel(request: HttpRequest, order_id: int, payload: OrderCancelIn) -> dict[str, Any]:
    return _after(request, services.order_cancel(actor=request.user, order_id=order_id, reason=payload.reason))


@router.post(
    "/orders/{order_id}/confirm", response=with_errors({200: OrderDetailOut}), summary="确认服务完成并评价（仅一次）"
)
def order_confirm(request: HttpRequest, order_id: int, payload: OrderConfirmIn) -> dict[str, Any]:
    order = services.order_confirm(actor=request.user, order_id=order_id, stars=payload.stars, comment=payload.comment)
    return _after(request, order)
