"""HTTP for activities and interest groups. Members browse what is open to them, register (with an idempotency key:
the `Idempotency-Key` header or `idempotency_key` in the body), cancel, take up a waitlist offer and give feedback;
staff organise activities in their subtree, see registrations and the waitlist, check people in by their member
card, read the feedback and a report by month and kind."""

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate
from ninja.security import SessionAuth

from zhijia.accounts.api_auth import TokenAuth
from zhijia.core.api import IDEMPOTENCY_HEADER, Instant, PageMapped, Pagination, idempotency_key, with_errors
from zhijia.core.pii import mask_name

from . import selectors, services
from .models import Activity, ActivityKind, Audience, InterestGroup, Registration, RegistrationStatus

router = Router(tags=["activities"])


def _anyone(request: HttpRequest) -> bool:
    return True


PUBLIC = [TokenAuth(), SessionAuth(), _anyone]
ID = Field(..., ge=1, le=2**31 - 1)


class Ref(Schema):
    id: int
    name: str


class MyRegistrationOut(Schema):
    id: int
    activity_id: int
    status: RegistrationStatus
    status_label: str
    waitlist_position: int | None = Field(description="候补第几位（候补中时）")
    offer_expires_at: dt.datetime | None = Field(description="递补名额保留至（待确认时）")
    checked_in_at: dt.datetime | None
    is_member: bool
    price_fen: int | None
    feedback_given: bool
    created_at: dt.datetime


class ActivityOut(Schema):
    id: int
    title: str
    kind: ActivityKind
    kind_label: str
    description: str
    organiser: Ref
    audience: Audience
    group: Ref | None
    point: Ref | None
    address: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    capacity: int
    taken: int = Field(description="已占名额（含待确认的递补）")
    waiting: int = Field(description="候补人数")
    waitlist_size: int
    registration_opens_at: dt.datetime
    registration_closes_at: dt.datetime
    member_price_fen: int | None
    price_fen: int | None
    status: str
    url: str


class ActivityDetailOut(ActivityOut):
    my_registration: MyRegistrationOut | None


def _ref(obj: Any) -> dict[str, Any] | None:
    return {"id": obj.pk, "name": obj.name} if obj is not None else None


def _activity(a: Activity) -> dict[str, Any]:
    return {
        "id": a.pk,
        "title": a.title,
        "kind": a.kind,
        "kind_label": str(a.get_kind_display()),
        "description": a.description,
        "organiser": _ref(a.organiser),
        "audience": a.audience,
        "group": _ref(a.group) if a.group_id else None,
        "point": _ref(a.point) if a.point_id else None,
        "address": a.address,
        "starts_at": a.starts_at,
        "ends_at": a.ends_at,
        "capacity": a.capacity,
        "taken": getattr(a, "taken", 0),
        "waiting": getattr(a, "waiting", 0),
        "waitlist_size": a.waitlist_size,
        "registration_opens_at": a.registration_opens_at,
        "registration_closes_at": a.registration_closes_at,
        "member_price_fen": a.member_price_fen,
        "price_fen": a.price_fen,
        "status": a.status,
        "url": reverse("activities:detail", args=[a.pk]),
    }


def _mine(r: Registration) -> dict[str, Any]:
    return {
        "id": r.pk,
        "activity_id": r.activity_id,
        "status": r.status,
        "status_label": str(r.get_status_display()),
        "waitlist_position": selectors.waitlist_position(r),
        "offer_expires_at": r.offer_expires_at if r.status == RegistrationStatus.OFFERED else None,
        "checked_in_at": r.checked_in_at,
        "is_member": r.is_member,
        "price_fen": r.price_fen,
        "feedback_given": bool(r.has_feedback) if hasattr(r, "has_feedback") else _has_feedback(r),
        "created_at": r.created_at,
    }


def _has_feedback(r: Registration) -> bool:
    try:
        return r.feedback is not None
    except Registration.feedback.RelatedObjectDoesNotExist:
        return False


def _detail(request: HttpRequest, activity_id: int) -> dict[str, Any]:
    a = selectors.activity_get_public(actor=request.user, activity_id=activity_id)
    mine = selectors.my_registration(actor=request.user, activity=a)
    return {**_activity(a), "my_registration": _mine(mine) if mine else None}


# ---- the member side -------------------------------------------------------------------------------------------


class BrowseQuery(Schema):
    kind: ActivityKind | None = None
    date_from: dt.date | None = Field(None, description="开始日期不早于")
    date_to: dt.date | None = Field(None, description="开始日期不晚于")
    search: str | None = Field(None, max_length=50)
    group_id: int | None = Field(None, ge=1, le=2**31 - 1)
    lng: float | None = Field(None, ge=-180, le=180, allow_inf_nan=False, description="附近：经度（WGS-84）")
    lat: float | None = Field(None, ge=-90, le=90, allow_inf_nan=False, description="附近：纬度（WGS-84）")
    km: float = Field(5.0, gt=0, le=100, allow_inf_nan=False, description="附近：范围（公里）")


def _filters(q: BrowseQuery) -> selectors.ActivityFilters:
    near = (q.lng, q.lat, q.km) if q.lng is not None and q.lat is not None else None
    return selectors.ActivityFilters(
        kind=str(q.kind) if q.kind else None,
        on_or_after=q.date_from,
        on_or_before=q.date_to,
        search=(q.search or "").strip() or None,
        group_id=q.group_id,
        near=near,
    )


@router.get(
    "", auth=PUBLIC, response=with_errors({200: list[ActivityOut]}), summary="可报名的活动（面向我的、未结束的）"
)
@paginate(Pagination, page_size=50)
def activity_browse(request: HttpRequest, query: Query[BrowseQuery]) -> Any:
    qs = selectors.activity_open_list(actor=request.user, filters=_filters(query))
    return PageMapped(qs, lambda rows: [_activity(a) for a in rows])


class MineOut(MyRegistrationOut):
    activity: ActivityOut


@router.get("/mine", response=with_errors({200: list[MineOut]}), summary="我的活动（报名、候补、签到）")
@paginate(Pagination, page_size=50)
def my_activities(request: HttpRequest) -> Any:
    return PageMapped(
        selectors.my_registrations(actor=request.user),
        lambda rows: [{**_mine(r), "activity": _activity(r.activity)} for r in rows],
    )


class KeyIn(Schema):
    idempotency_key: str = Field("", max_length=services.KEY_MAX, description=f"也可用 {IDEMPOTENCY_HEADER} 请求头")


def _key(request: HttpRequest, payload: KeyIn | None) -> str:
    return idempotency_key(request, payload.idempotency_key if payload else "", max_length=services.KEY_MAX)


@router.post(
    "/{activity_id}/register",
    response=with_errors({201: MyRegistrationOut}),
    summary="报名（名额满时进入候补）；相同幂等键只报名一次",
)
def register(request: HttpRequest, activity_id: int, payload: KeyIn | None = None) -> Status[Any]:
    reg = services.registration_create(
        actor=request.user, activity_id=activity_id, idempotency_key=_key(request, payload)
    )
    return Status(201, _mine(selectors.registration_get_own(actor=request.user, registration_id=reg.pk)))


@router.post(
    "/registrations/{registration_id}/cancel",
    response=with_errors({200: MyRegistrationOut}),
    summary="取消报名（空出的名额递补给候补第一位）",
)
def cancel(request: HttpRequest, registration_id: int, payload: KeyIn | None = None) -> dict[str, Any]:
    reg = services.registration_cancel(
        actor=request.user, registration_id=registration_id, idempotency_key=_key(request, payload)
    )
    return _mine(selectors.registration_get_own(actor=request.user, registration_id=reg.pk))


@router.post(
    "/registrations/{registration_id}/accept",
    response=with_errors({200: MyRegistrationOut}),
    summary="确认候补递补的名额",
)
def accept(request: HttpRequest, registration_id: int) -> dict[str, Any]:
    reg = services.offer_accept(actor=request.user, registration_id=registration_id)
    return _mine(selectors.registration_get_own(actor=request.user, registration_id=reg.pk))


class FeedbackIn(Schema):
    stars: int = Field(..., ge=1, le=5)
    comment: str = Field("", max_length=500)


class FeedbackOut(Schema):
    id: int
    stars: int
    comment: str
    created_at: dt.datetime


@router.post(
    "/registrations/{registration_id}/feedback",
    response=with_errors({201: FeedbackOut}),
    summary="活动评价（签到参加后，每人一次）",
)
def feedback(request: HttpRequest, registration_id: int, payload: FeedbackIn) -> Status[Any]:
    f = services.feedback_submit(
        actor=request.user, registration_id=registration_id, stars=payload.stars, comment=payload.comment
    )
    return Status(201, {"id": f.pk, "stars": f.stars, "comment": f.comment, "created_at": f.created_at})


# ---- the staff side ----------------------------------------------------------------------------------------------


class ManageQuery(BrowseQuery):
    status: str | None = Field(None, pattern="^(published|cancelled)$")


@router.get("/manage", response=with_errors({200: list[ActivityOut]}), summary="本级及下级工会组织的活动")
@paginate(Pagination, page_size=100)
def activity_manage_list(request: HttpRequest, query: Query[ManageQuery]) -> Any:
    qs = selectors.activity_list(actor=request.user, filters=_filters(query), status=query.status)
    return PageMapped(qs, lambda rows: [_activity(a) for a in rows])


class ActivityIn(Schema):
    organiser_id: int = ID
    title: str = Field(..., min_length=1, max_length=150)
    kind: ActivityKind
    description: str = Field("", max_length=5000)
    audience: Audience = Audience.MEMBERS
    point_id: int | None = Field(None, ge=1, le=2**31 - 1, description="服务阵地；在别处举行时为空并填写地址")
    address: str = Field("", max_length=200)
    starts_at: Instant
    ends_at: Instant
    capacity: int = Field(..., ge=1, le=100_000)
    waitlist_size: int = Field(20, ge=0, le=100_000)
    registration_opens_at: Instant | None = Field(None, description="默认为现在")
    registration_closes_at: Instant | None = Field(None, description="默认为开始时间")
    member_price_fen: int | None = Field(None, ge=0, le=100_000_000, description="会员价（分）")
    price_fen: int | None = Field(None, ge=0, le=100_000_000, description="非会员价（分）")
    group_id: int | None = Field(None, ge=1, le=2**31 - 1)


def _fields(data: dict[str, Any]) -> services.ActivityFields:
    data = {k: (str(v) if k in ("kind", "audience") else v) for k, v in data.items()}
    return services.ActivityFields(**data)


@router.post("", response=with_errors({201: ActivityDetailOut}), summary="发布活动")
def activity_create(request: HttpRequest, payload: ActivityIn) -> Status[Any]:
    data = payload.dict()
    organiser_id = data.pop("organiser_id")
    activity = services.activity_create(actor=request.user, organiser_id=organiser_id, fields=_fields(data))
    return Status(201, _detail(request, activity.pk))


class ActivityPatch(Schema):
    title: str | None = Field(None, min_length=1, max_length=150)
    kind: ActivityKind | None = None
    description: str | None = Field(None, max_length=5000)
    audience: Audience | None = None
    point_id: int | None = Field(None, ge=1, le=2**31 - 1)
    address: str | None = Field(None, max_length=200)
    starts_at: Instant | None = None
    ends_at: Instant | None = None
    capacity: int | None = Field(None, ge=1, le=100_000)
    waitlist_size: int | None = Field(None, ge=0, le=100_000)
    registration_opens_at: Instant | None = None
    registration_closes_at: Instant | None = None
    member_price_fen: int | None = Field(None, ge=0, le=100_000_000)
    price_fen: int | None = Field(None, ge=0, le=100_000_000)
    group_id: int | None = Field(None, ge=1, le=2**31 - 1)


def current_fields(a: Activity) -> dict[str, Any]:
    return {
        "title": a.title,
        "kind": a.kind,
        "description": a.description,
        "audience": a.audience,
        "point_id": a.point_id,
        "address": a.address,
        "starts_at": a.starts_at,
        "ends_at": a.ends_at,
        "capacity": a.capacity,
        "waitlist_size": a.waitlist_size,
        "registration_opens_at": a.registration_opens_at,
        "registration_closes_at": a.registration_closes_at,
        "member_price_fen": a.member_price_fen,
        "price_fen": a.price_fen,
        "group_id": a.group_id,
    }


class CancelIn(Schema):
    reason: str = Field("", max_length=200)


@router.post(
    "/{activity_id}/cancel", response=with_errors({200: ActivityDetailOut}), summary="取消活动（通知已报名者）"
)
def activity_cancel(request: HttpRequest, activity_id: int, payload: CancelIn) -> dict[str, Any]:
    services.activity_cancel(actor=request.user, activity_id=activity_id, reason=payload.reason)
    return _detail(request, activity_id)


class RegistrationOut(Schema):
    id: int
    name: str = Field(description="报名人（脱敏）")
    status: RegistrationStatus
    status_label: str
    is_member: bool
    created_at: dt.datetime
    waitlisted_at: dt.datetime | None
    offer_expires_at: dt.datetime | None
    checked_in_at: dt.datetime | None
    stars: int | None


def _registration(r: Registration) -> dict[str, Any]:
    return {
        "id": r.pk,
        "name": mask_name(r.user.display_name or r.user.username),
        "status": r.status,
        "status_label": str(r.get_status_display()),
        "is_member": r.is_member,
        "created_at": r.created_at,
        "waitlisted_at": r.waitlisted_at,
        "offer_expires_at": r.offer_expires_at,
        "checked_in_at": r.checked_in_at,
        "stars": r.feedback.stars if _has_feedback(r) else None,
    }


class RegistrationQuery(Schema):
    status: RegistrationStatus | None = None


@router.get(
    "/{activity_id}/registrations",
    response=with_errors({200: list[RegistrationOut]}),
    summary="报名名单与候补队列",
)
@paginate(Pagination, page_size=200)
def registrations(request: HttpRequest, activity_id: int, query: Query[RegistrationQuery]) -> Any:
    activity = selectors.activity_get(actor=request.user, activity_id=activity_id)
    qs = selectors.registration_list(activity=activity, status=str(query.status) if query.status else None)
    return PageMapped(qs, lambda rows: [_registration(r) for r in rows])


class CheckInIn(Schema):
    token: str = Field(..., min_length=1, max_length=2000, description="会员卡二维码内容（或其中的 token）")


class CheckInOut(Schema):
    registration: RegistrationOut
    already: bool = Field(description="此前已签到")


@router.post("/{activity_id}/checkin", response=with_errors({200: CheckInOut}), summary="扫会员卡二维码签到")
def check_in(request: HttpRequest, activity_id: int, payload: CheckInIn) -> dict[str, Any]:
    done = services.registration_check_in(actor=request.user, activity_id=activity_id, token=payload.token)
    return {"registration": _registration(done.registration), "already": not done.newly}


@router.post(
    "/registrations/{registration_id}/checkin",
    response=with_errors({200: CheckInOut}),
    summary="按名单签到（无会员卡的职工）",
)
def check_in_by_hand(request: HttpRequest, registration_id: int) -> dict[str, Any]:
    done = services.registration_check_in_by_hand(actor=request.user, registration_id=registration_id)
    return {"registration": _registration(done.registration), "already": not done.newly}


class FeedbackSummaryOut(Schema):
    count: int
    average: float | None
    by_stars: dict[str, int]
    attended: int
    comments: list[FeedbackOut]


@router.get("/{activity_id}/feedback", response=with_errors({200: FeedbackSummaryOut}), summary="活动评价汇总")
def feedback_summary(request: HttpRequest, activity_id: int) -> dict[str, Any]:
    activity = selectors.activity_get(actor=request.user, activity_id=activity_id)
    s = selectors.feedback_summary(activity=activity)
    return {
        "count": s.count,
        "average": s.average,
        "by_stars": {str(k): v for k, v in s.by_stars.items()},
        "attended": s.attended,
        "comments": [
            {"id": f.pk, "stars": f.stars, "comment": f.comment, "created_at": f.created_at} for f in s.comments
        ],
    }


class ReportQuery(Schema):
    since: dt.date | None = None
    until: dt.date | None = None
    under_id: int | None = Field(None, ge=1, le=2**31 - 1, description="只看此组织及其下级")


class ReportRowOut(Schema):
    month: dt.date
    kind: ActivityKind
    kind_label: str
    activities: int
    registered: int
    attended: int
    attendance_rate: float | None


@router.get("/report", response=with_errors({200: list[ReportRowOut]}), summary="活动统计（按月份和类型）")
def report(request: HttpRequest, query: Query[ReportQuery]) -> list[dict[str, Any]]:
    labels = dict(ActivityKind.choices)
    rows = selectors.activity_report(actor=request.user, since=query.since, until=query.until, under_id=query.under_id)
    return [
        {
            "month": r.month,
            "kind": r.kind,
            "kind_label": str(labels[r.kind]),
            "activities": r.activities,
            "registered": r.registered,
            "attended": r.attended,
            "attendance_rate": round(r.rate, 4) if r.rate is not None else None,
        }
        for r in rows
    ]


# ---- interest groups -----------------------------------------------------------------------------------------------


class GroupOut(Schema):
    id: int
    name: str
    description: str
    owner: Ref
    audience: Audience
    point: Ref | None
    is_active: bool
    member_count: int


class GroupDetailOut(GroupOut):
    is_member: bool
    meetings: list[ActivityOut]


def _group(g: InterestGroup) -> dict[str, Any]:
    return {
        "id": g.pk,
        "name": g.name,
        "description": g.description,
        "owner": _ref(g.owner),
        "audience": g.audience,
        "point": _ref(g.point) if g.point_id else None,
        "is_active": g.is_active,
        "member_count": getattr(g, "member_count", 0),
    }


def _group_detail(request: HttpRequest, group_id: int) -> dict[str, Any]:
    g = selectors.group_get_public(actor=request.user, group_id=group_id)
    meetings = selectors.group_meetings(group=g).select_related("organiser", "point", "group")[:20]
    return {
        **_group(g),
        "is_member": selectors.is_group_member(actor=request.user, group=g),
        "meetings": [_activity(a) for a in meetings],
    }


@router.get("/groups", auth=PUBLIC, response=with_errors({200: list[GroupOut]}), summary="可加入的兴趣小组")
@paginate(Pagination, page_size=100)
def group_browse(request: HttpRequest) -> Any:
    return PageMapped(selectors.group_open_list(actor=request.user), lambda rows: [_group(g) for g in rows])


@router.get("/groups/{group_id}", auth=PUBLIC, response=with_errors({200: GroupDetailOut}), summary="兴趣小组详情")
def group_detail(request: HttpRequest, group_id: int) -> dict[str, Any]:
    return _group_detail(request, group_id)


class GroupIn(Schema):
    owner_id: int = ID
    name: str = Field(..., min_length=1, max_length=100)
    description: str = Field("", max_length=5000)
    audience: Audience = Audience.MEMBERS
    point_id: int | None = Field(None, ge=1, le=2**31 - 1)


@router.post("/groups", response=with_errors({201: GroupDetailOut}), summary="成立兴趣小组")
def group_create(request: HttpRequest, payload: GroupIn) -> Status[Any]:
    data = payload.dict()
    data["audience"] = str(data["audience"])
    g = services.group_create(actor=request.user, **data)
    return Status(201, _group_detail(request, g.pk))


@router.post("/groups/{group_id}/join", response=with_errors({200: GroupDetailOut}), summary="加入兴趣小组")
def group_join(request: HttpRequest, group_id: int) -> dict[str, Any]:
    services.group_join(actor=request.user, group_id=group_id)
    return _group_detail(request, group_id)


@router.post("/groups/{group_id}/leave", response=with_errors({200: GroupDetailOut}), summary="退出兴趣小组")
def group_leave(request: HttpRequest, group_id: int) -> dict[str, Any]:
    services.group_leave(actor=request.user, group_id=group_id)
    return _group_detail(request, group_id)


# ---- one activity (after the fixed paths above, which the bare id would otherwise swallow) ----------------------


@router.get(
    "/{activity_id}", auth=PUBLIC, response=with_errors({200: ActivityDetailOut}), summary="活动详情（含我的报名）"
)
def activity_detail(request: HttpRequest, activity_id: int) -> dict[str, Any]:
    return _detail(request, activity_id)


@router.patch("/{activity_id}", response=with_errors({200: ActivityDetailOut}), summary="修改活动")
def activity_update(request: HttpRequest, activity_id: int, payload: ActivityPatch) -> dict[str, Any]:
    activity = selectors.activity_get(actor=request.user, activity_id=activity_id)
    data = {**current_fields(activity), **payload.dict(exclude_unset=True)}
    services.activity_update(actor=request.user, activity_id=activity.pk, fields=_fields(data))
    return _detail(request, activity.pk)
