"""HTTP for member points. The member: the balance and what will lapse, every entry and why, the items offered, redeem
(with an idempotency key: the `Idempotency-Key` header or `idempotency_key` in the body), the codes, cancel. Staff,
within their subtree: earning rules, merchants, items and stock, volunteering credit, handing out by code, a report."""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Field, Path, Query, Router, Schema, Status
from ninja.pagination import paginate

from zhijia.core.api import IDEMPOTENCY_HEADER, PageMapped, Pagination, idempotency_key, with_errors

from . import selectors, services
from .models import EarnEvent, Entry, EntryKind, ItemKind, Merchant, MerchantKind, Redemption, RewardItem

router = Router(tags=["points"])

MAX_ID = 2**31 - 1


def _id(description: str = "") -> Any:
    return Path(..., ge=1, le=MAX_ID, description=description)


# ---- shapes ---------------------------------------------------------------------------------------------------------


class PointsExpiringOut(Schema):
    on: dt.date = Field(description="有效期截止日（含）")
    amount: int


class PointsBalanceOut(Schema):
    balance: int
    expiring: PointsExpiringOut | None = Field(description="下一个截止日将过期的积分（未在此前用掉的部分）")


class PointsEntryOut(Schema):
    id: int
    kind: EntryKind
    event: str
    amount: int
    balance_after: int
    reason: str
    created_at: dt.datetime
    expires_on: dt.date | None


class PointsMerchantBrief(Schema):
    id: int
    name: str
    kind: MerchantKind
    address: str


class PointsItemOut(Schema):
    id: int
    name: str
    kind: ItemKind
    description: str
    cost: int
    stock: int | None = Field(description="剩余库存；为空表示不限")
    per_member_limit: int | None
    owner: str
    merchant: PointsMerchantBrief | None


class PointsRedemptionOut(Schema):
    id: int
    item_id: int
    item_name: str
    cost: int
    code: str
    status: Redemption.Status
    created_at: dt.datetime
    used_at: dt.datetime | None


class PointsStaffItemOut(PointsItemOut):
    owner_id: int
    is_active: bool
    redeemed: int


class PointsRuleOut(Schema):
    id: int
    org_id: int
    org_name: str
    event: EarnEvent
    points: int
    daily_cap: int | None
    is_active: bool


class PointsMerchantOut(PointsMerchantBrief):
    owner_id: int
    owner: str
    contact: str
    is_active: bool


class PointsStaffRedemptionOut(PointsRedemptionOut):
    member: str = Field(description="兑换人（姓名已遮盖）")
    owner: str
    merchant: str | None


def _merchant(m: Merchant | None) -> dict[str, Any] | None:
    if m is None:
        return None
    return {"id": m.pk, "name": m.name, "kind": m.kind, "address": m.address}


def _item(i: RewardItem) -> dict[str, Any]:
    return {
        "id": i.pk,
        "name": i.name,
        "kind": i.kind,
        "description": i.description,
        "cost": i.cost,
        "stock": i.stock,
        "per_member_limit": i.per_member_limit,
        "owner": i.owner.name,
        "merchant": _merchant(i.merchant),
    }


def _staff_item(i: RewardItem) -> dict[str, Any]:
    return {**_item(i), "owner_id": i.owner_id, "is_active": i.is_active, "redeemed": getattr(i, "redeemed", 0)}


def _entry(e: Entry) -> dict[str, Any]:
    return {
        "id": e.pk,
        "kind": e.kind,
        "event": e.event,
        "amount": e.amount,
        "balance_after": e.balance_after,
        "reason": e.reason,
        "created_at": e.created_at,
        "expires_on": e.expires_on,
    }


def _redemption(r: Redemption) -> dict[str, Any]:
    return {
        "id": r.pk,
        "item_id": r.item_id,
        "item_name": r.item.name,
        "cost": r.cost,
        "code": r.code,
        "status": r.status,
        "created_at": r.created_at,
        "used_at": r.used_at,
    }


def _masked_name(name: str) -> str:
    return name[:1] + "*" * max(1, len(name) - 1) if name else ""


def _staff_redemption(r: Redemption) -> dict[str, Any]:
    return {
        **_redemption(r),
        "member": _masked_name(r.user.display_name),
        "owner": r.item.owner.name,
        "merchant": r.item.merchant.name if r.item.merchant else None,
    }


def _rule(r: Any) -> dict[str, Any]:
    return {
        "id": r.pk,
        "org_id": r.org_id,
        "org_name": r.org.name,
        "event": r.event,
        "points": r.points,
        "daily_cap": r.daily_cap,
        "is_active": r.is_active,
    }


def _merchant_full(m: Merchant) -> dict[str, Any]:
    return {
        **(_merchant(m) or {}),
        "owner_id": m.owner_id,
        "owner": m.owner.name,
        "contact": m.contact,
        "is_active": m.is_active,
    }


# ---- the member -----------------------------------------------------------------------------------------------------


@router.get("/me", response=with_errors({200: PointsBalanceOut}), summary="我的积分余额")
def my_balance(request: HttpRequest) -> dict[str, Any]:
    expiring = selectors.my_expiring(actor=request.user)
    return {
        "balance": selectors.my_balance(actor=request.user),
        "expiring": {"on": expiring.on, "amount": expiring.amount} if expiring else None,
    }


@router.get("/me/entries", response=with_errors({200: list[PointsEntryOut]}), summary="我的积分明细（最新在前）")
@paginate(Pagination, page_size=50)
def my_entries(request: HttpRequest) -> list[PointsEntryOut]:
    return PageMapped(selectors.my_entries(actor=request.user), lambda page: [_entry(e) for e in page])  # type: ignore[return-value]


@router.get("/items", response=with_errors({200: list[PointsItemOut]}), summary="可兑换的物品和优惠")
@paginate(Pagination, page_size=50)
def items(request: HttpRequest) -> list[PointsItemOut]:
    return PageMapped(selectors.items_for_member(actor=request.user), lambda page: [_item(i) for i in page])  # type: ignore[return-value]


class PointsRedeemIn(Schema):
    idempotency_key: str = Field("", max_length=services.KEY_MAX, description=f"也可用 {IDEMPOTENCY_HEADER} 请求头")


@router.post("/items/{item_id}/redeem", response=with_errors({201: PointsRedemptionOut}), summary="兑换")
def redeem(request: HttpRequest, payload: PointsRedeemIn, item_id: int = _id()) -> Status[Any]:
    key = idempotency_key(request, payload.idempotency_key, max_length=services.KEY_MAX)
    redemption = services.points_redeem(actor=request.user, item_id=item_id, idempotency_key=key)
    return Status(201, _redemption(selectors.my_redemption(actor=request.user, redemption_id=redemption.pk)))


@router.get("/me/redemptions", response=with_errors({200: list[PointsRedemptionOut]}), summary="我的兑换码")
@paginate(Pagination, page_size=50)
def my_redemptions(request: HttpRequest) -> list[PointsRedemptionOut]:
    qs = selectors.my_redemptions(actor=request.user)
    return PageMapped(qs, lambda page: [_redemption(r) for r in page])  # type: ignore[return-value]


@router.post(
    "/me/redemptions/{redemption_id}/cancel",
    response=with_errors({200: PointsRedemptionOut}),
    summary="取消兑换（退回积分）",
)
def redemption_cancel(request: HttpRequest, redemption_id: int = _id()) -> dict[str, Any]:
    return _redemption(services.redemption_cancel(actor=request.user, redemption_id=redemption_id))


# ---- staff: rules ---------------------------------------------------------------------------------------------------


@router.get("/rules", response=with_errors({200: list[PointsRuleOut]}), summary="本级及下级的积分规则")
@paginate(Pagination, page_size=100)
def rule_list(request: HttpRequest) -> list[PointsRuleOut]:
    return PageMapped(selectors.rule_list(actor=request.user), lambda page: [_rule(r) for r in page])  # type: ignore[return-value]


class PointsRuleIn(Schema):
    org_id: int = Field(..., ge=1, le=MAX_ID, description="制定规则的工会（规则适用于其下级）")
    event: EarnEvent
    points: int = Field(..., ge=1, le=100_000, description="积分；志愿服务为每小时积分")
    daily_cap: int | None = Field(None, ge=1, le=1_000_000, description="每人每日上限")
    is_active: bool = True


@router.post("/rules", response=with_errors({200: PointsRuleOut}), summary="设置积分规则（同一工会同一事项一条）")
def rule_set(request: HttpRequest, payload: PointsRuleIn) -> dict[str, Any]:
    rule = services.rule_set(actor=request.user, **payload.dict())
    return _rule(selectors.rule_get(actor=request.user, rule_id=rule.pk))


@router.post("/rules/{rule_id}/disable", response=with_errors({200: PointsRuleOut}), summary="停用积分规则")
def rule_disable(request: HttpRequest, rule_id: int = _id()) -> dict[str, Any]:
    rule = services.rule_disable(actor=request.user, rule_id=rule_id)
    return _rule(rule)


# ---- staff: merchants and items ---------------------------------------------------------------------------------


@router.get("/merchants", response=with_errors({200: list[PointsMerchantOut]}), summary="本级及下级的合作商户")
@paginate(Pagination, page_size=100)
def merchant_list(request: HttpRequest) -> list[PointsMerchantOut]:
    qs = selectors.merchant_list(actor=request.user)
    return PageMapped(qs, lambda page: [_merchant_full(m) for m in page])  # type: ignore[return-value]


class PointsMerchantIn(Schema):
    owner_id: int = Field(..., ge=1, le=MAX_ID)
    name: str = Field(..., min_length=1, max_length=100)
    kind: MerchantKind = MerchantKind.CARING
    address: str = Field("", max_length=200)
    contact: str = Field("", max_length=60)


class PointsMerchantPatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=100)
    kind: MerchantKind | None = None
    address: str | None = Field(None, max_length=200)
    contact: str | None = Field(None, max_length=60)
    is_active: bool | None = None


@router.post("/merchants", response=with_errors({201: PointsMerchantOut}), summary="新增合作商户")
def merchant_create(request: HttpRequest, payload: PointsMerchantIn) -> Status[Any]:
    merchant = services.merchant_create(actor=request.user, **payload.dict())
    return Status(201, _merchant_full(selectors.merchant_get(actor=request.user, merchant_id=merchant.pk)))


@router.patch("/merchants/{merchant_id}", response=with_errors({200: PointsMerchantOut}), summary="修改合作商户")
def merchant_update(request: HttpRequest, payload: PointsMerchantPatch, merchant_id: int = _id()) -> dict[str, Any]:
    services.merchant_update(actor=request.user, merchant_id=merchant_id, **payload.dict())
    return _merchant_full(selectors.merchant_get(actor=request.user, merchant_id=merchant_id))


@router.get("/catalog", response=with_errors({200: list[PointsStaffItemOut]}), summary="本级及下级提供的兑换物品")
@paginate(Pagination, page_size=100)
def catalog(request: HttpRequest) -> list[PointsStaffItemOut]:
    return PageMapped(selectors.item_list(actor=request.user), lambda page: [_staff_item(i) for i in page])  # type: ignore[return-value]


class PointsItemIn(Schema):
    owner_id: int = Field(..., ge=1, le=MAX_ID, description="提供单位（面向其下级会员）")
    name: str = Field(..., min_length=1, max_length=100)
    kind: ItemKind = ItemKind.GOODS
    description: str = Field("", max_length=2000)
    cost: int = Field(..., ge=1, le=100_000)
    stock: int | None = Field(None, ge=0, le=1_000_000, description="为空表示不限库存")
    per_member_limit: int | None = Field(None, ge=1, le=1000)
    merchant_id: int | None = Field(None, ge=1, le=MAX_ID)


class PointsItemPatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=100)
    description: str | None = Field(None, max_length=2000)
    cost: int | None = Field(None, ge=1, le=100_000)
    per_member_limit: int | None = Field(None, ge=1, le=1000)
    is_active: bool | None = None
    stock_add: int | None = Field(None, ge=-1_000_000, le=1_000_000, description="库存增减（补货为正）")
    unlimited: bool | None = Field(None, description="true：不限库存；false：开始计库存（从 0 起）")


@router.post("/catalog", response=with_errors({201: PointsStaffItemOut}), summary="新增兑换物品")
def item_create(request: HttpRequest, payload: PointsItemIn) -> Status[Any]:
    item = services.item_create(actor=request.user, **payload.dict())
    return Status(201, _staff_item(selectors.item_get(actor=request.user, item_id=item.pk)))


@router.patch(
    "/catalog/{item_id}", response=with_errors({200: PointsStaffItemOut}), summary="修改兑换物品、补货、上下架"
)
def item_update(request: HttpRequest, payload: PointsItemPatch, item_id: int = _id()) -> dict[str, Any]:
    services.item_update(actor=request.user, item_id=item_id, **payload.dict())
    return _staff_item(selectors.item_get(actor=request.user, item_id=item_id))


# ---- staff: volunteering, handing out, report -------------------------------------------------------------------


class PointsVolunteerIn(Schema):
    membership_id: int = Field(..., ge=1, le=MAX_ID)
    hours: Decimal = Field(..., gt=0, le=24, max_digits=3, decimal_places=1, description="时长（小时，一位小数）")
    served_on: dt.date
    note: str = Field(..., min_length=1, max_length=200)


class PointsVolunteerOut(Schema):
    record_id: int
    hours: Decimal
    points: int = Field(description="本次记入的积分；无志愿服务规则时为 0")


@router.post("/volunteer", response=with_errors({201: PointsVolunteerOut}), summary="登记志愿服务时长（按规则记积分）")
def volunteer_credit(request: HttpRequest, payload: PointsVolunteerIn) -> Status[Any]:
    record, entry = services.volunteer_credit(actor=request.user, **payload.dict())
    return Status(201, {"record_id": record.pk, "hours": record.hours, "points": entry.amount if entry else 0})


class PointsCodeQuery(Schema):
    code: str = Field(..., min_length=1, max_length=20, description="会员出示的兑换码")


@router.get("/redemptions", response=with_errors({200: PointsStaffRedemptionOut}), summary="按兑换码查找（核销前）")
def redemption_lookup(request: HttpRequest, query: Query[PointsCodeQuery]) -> dict[str, Any]:
    return _staff_redemption(selectors.redemption_by_code(actor=request.user, code=query.code))


@router.post(
    "/redemptions/{redemption_id}/use", response=with_errors({200: PointsStaffRedemptionOut}), summary="核销兑换码"
)
def redemption_use(request: HttpRequest, redemption_id: int = _id()) -> dict[str, Any]:
    services.redemption_use(actor=request.user, redemption_id=redemption_id)
    return _staff_redemption(selectors.redemption_for_staff(actor=request.user, redemption_id=redemption_id))


class PointsMonthOut(Schema):
    month: dt.date
    earned: int
    redeemed: int
    expired: int


class PointsTopItemOut(Schema):
    item_id: int
    name: str
    count: int
    points: int


class PointsReportOut(Schema):
    months: list[PointsMonthOut]
    top_items: list[PointsTopItemOut]
    by_event: dict[str, int]


class PointsReportQuery(Schema):
    months: int = Field(12, ge=1, le=36)


@router.get("/report", response=with_errors({200: PointsReportOut}), summary="本级及下级的积分报表（按月）")
def report(request: HttpRequest, query: Query[PointsReportQuery]) -> dict[str, Any]:
    r = selectors.report(actor=request.user, months=query.months)
    return {
        "months": [vars(m) for m in r.months],
        "top_items": [vars(t) for t in r.top_items],
        "by_event": r.by_event,
    }
