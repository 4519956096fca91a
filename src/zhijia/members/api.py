"""HTTP for membership: applying and the form's choices (/applications), review, the roster and its history
(/members), and checking a presented card (/cards). ID numbers and phones always leave masked; the reveal operation
gives one full value and is logged."""

from datetime import datetime, timedelta
from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from zhijia.core.api import PageMapped, Pagination, plain_json, with_errors
from zhijia.core.errors import NotFound, ValidationFailed
from zhijia.core.pii import mask_id_number, mask_phone

from . import selectors, services
from .card import card_qr_text
from .models import Application, JobGroup, Membership, ModelWorkerLevel, NeedyLevel, RejectReason

applications_router = Router(tags=["applications"])
members_router = Router(tags=["members"])
cards_router = Router(tags=["cards"])


class OrgRef(Schema):
    id: int
    code: str
    name: str


class PlaceRef(Schema):
    id: int
    name: str


class EmployerRef(Schema):
    id: int
    name: str


def _org(org: Any) -> dict[str, Any] | None:
    return {"id": org.pk, "code": org.code, "name": org.name} if org is not None else None


def _place(org: Any) -> dict[str, Any] | None:
    return {"id": org.pk, "name": org.name} if org is not None else None


# ---- applying ----------------------------------------------------------------------------------------------------


class ApplicationIn(Schema):
    name: str = Field(..., max_length=60, description="与身份证一致的姓名")
    id_number: str = Field(..., max_length=30, description="18 位居民身份证号码")
    phone: str = Field(..., max_length=20, description="手机号；与账户手机号不同时需填短信验证码")
    job_group: JobGroup
    work_street_id: int = Field(..., description="工作地街道（乡镇），取自 GET /applications/places")
    consent: bool = Field(..., description="同意《个人信息处理规则》（单独同意）")
    sms_code: str = Field("", max_length=10, description="发送到该手机的验证码（用途 verify_phone）")
    employer_id: int | None = Field(None, description="用人单位，取自 GET /applications/employers")
    employer_name: str = Field("", max_length=150, description="名单中找不到单位时填写单位名称")
    no_employer: bool = Field(False, description="无固定单位（灵活就业）")
    work_community_id: int | None = None
    live_street_id: int | None = None
    live_community_id: int | None = None


class ApplicationOut(Schema):
    id: int
    status: str
    status_label: str
    name: str
    id_number: str = Field(description="masked, e.g. 110105********1234")
    phone: str = Field(description="masked, e.g. 138****5678")
    phone_verified: bool
    job_group: str
    job_group_label: str
    employer: EmployerRef | None
    employer_name: str
    no_employer: bool
    work_street: PlaceRef
    work_community: PlaceRef | None
    live_street: PlaceRef | None
    live_community: PlaceRef | None
    union: OrgRef
    route_rule: str
    route_rule_label: str
    route_reason: str
    submitted_at: datetime
    decided_at: datetime | None
    waiting_seconds: int = Field(description="申请至今（已处理的：申请至处理）的秒数")
    auto_approved: bool
    reject_reason: str
    reject_reason_label: str
    reject_note: str
    member_no: str | None

    @staticmethod
    def resolve_status_label(obj: Application) -> str:
        return str(obj.get_status_display())

    @staticmethod
    def resolve_id_number(obj: Application) -> str:
        return mask_id_number(obj.id_number)

    @staticmethod
    def resolve_phone(obj: Application) -> str:
        return mask_phone(obj.phone)

    @staticmethod
    def resolve_job_group_label(obj: Application) -> str:
        return str(obj.get_job_group_display())

    @staticmethod
    def resolve_employer(obj: Application) -> dict[str, Any] | None:
        return _place(obj.employer)

    @staticmethod
    def resolve_work_street(obj: Application) -> dict[str, Any] | None:
        return _place(obj.work_street)

    @staticmethod
    def resolve_work_community(obj: Application) -> dict[str, Any] | None:
        return _place(obj.work_community)

    @staticmethod
    def resolve_live_street(obj: Application) -> dict[str, Any] | None:
        return _place(obj.live_street)

    @staticmethod
    def resolve_live_community(obj: Application) -> dict[str, Any] | None:
        return _place(obj.live_community)

    @staticmethod
    def resolve_union(obj: Application) -> dict[str, Any] | None:
        return _org(obj.union)

    @staticmethod
    def resolve_route_rule_label(obj: Application) -> str:
        return str(obj.get_route_rule_display())

    @staticmethod
    def resolve_waiting_seconds(obj: Application) -> int:
        return int(((obj.decided_at or timezone.now()) - obj.submitted_at).total_seconds())

    @staticmethod
    def resolve_reject_reason_label(obj: Application) -> str:
        return str(obj.get_reject_reason_display()) if obj.reject_reason else ""

    @staticmethod
    def resolve_member_no(obj: Application) -> str | None:
        return obj.membership.member_no if obj.membership_id and obj.membership else None


class QueueFilters(Schema):
    status: Application.Status = Field(Application.Status.SUBMITTED, description="默认只列待审核的申请")
    under_id: int | None = Field(None, description="只列该组织之下的工会受理的申请")
    search: str | None = Field(None, max_length=60, description="姓名开头")


class RejectIn(Schema):
    reason: RejectReason
    note: str = Field("", max_length=300, description="说明；原因为“其他”时必填")


class PlaceOut(Schema):
    id: int
    code: str
    name: str
    kind: str
    kind_label: str

    @staticmethod
    def resolve_kind_label(obj: Any) -> str:
        return str(obj.get_kind_display())


class PlaceFilters(Schema):
    parent_id: int | None = Field(None, description="不填：城市；填城市、区县、街道：其直接下级")


class EmployerFilters(Schema):
    search: str = Field(..., min_length=1, max_length=60, description="单位名称包含")
    street_id: int | None = Field(None, description="只列该街道（区县）内的单位")


class TimingOut(Schema):
    union: OrgRef | None
    count: int
    median_seconds: float
    under_target: int
    share_under_target: float


class TimeToCardOut(Schema):
    target_seconds: int
    since: datetime
    overall: TimingOut
    unions: list[TimingOut]


class TimeToCardFilters(Schema):
    days: int = Field(30, ge=1, le=3660, description="统计最近多少天内通过的申请")


def _timing(t: selectors.CardTiming) -> TimingOut:
    return TimingOut(
        union=OrgRef(id=t.union.pk, code=t.union.code, name=t.union.name) if t.union else None,
        count=t.count,
        median_seconds=t.median_seconds,
        under_target=t.under_target,
        share_under_target=t.share_under_target,
    )


# Routes with a fixed path come before /{application_id}, which would otherwise take them.


@applications_router.post("", response=with_errors({201: ApplicationOut}), summary="提交入会申请")
def application_submit(request: HttpRequest, payload: ApplicationIn) -> Status[Application]:
    application = services.application_submit(actor=request.user, **payload.dict())
    return Status(201, selectors.application_get(actor=request.user, application_id=application.pk))


@applications_router.get("/mine", response=with_errors({200: list[ApplicationOut]}), summary="我的入会申请")
def application_mine(request: HttpRequest) -> Any:
    return selectors.my_applications(actor=request.user).select_related(
        "employer", "work_street", "work_community", "live_street", "live_community", "membership"
    )


@applications_router.get(
    "/places",
    auth=None,
    response=with_errors({200: list[PlaceOut]}),
    summary="可选的工作地、居住地（城市、区县、街道、社区）",
)
@paginate(Pagination, page_size=500)
def place_list(request: HttpRequest, filters: Query[PlaceFilters]) -> Any:
    return selectors.place_list(parent_id=filters.parent_id)


@applications_router.get(
    "/employers", auth=None, response=with_errors({200: list[EmployerRef]}), summary="按名称查找用人单位"
)
@paginate(Pagination, page_size=20)
def employer_search(request: HttpRequest, filters: Query[EmployerFilters]) -> Any:
    return selectors.employer_search(search=filters.search, street_id=filters.street_id).only("id", "name")


@applications_router.get(
    "/time-to-card",
    response=with_errors({200: TimeToCardOut}),
    summary="申请到领卡用时（各受理工会的中位数、8 分钟内占比）",
)
def time_to_card(request: HttpRequest, filters: Query[TimeToCardFilters]) -> TimeToCardOut:
    since = timezone.now() - timedelta(days=filters.days)
    overall, unions = selectors.time_to_card(actor=request.user, since=since)
    return TimeToCardOut(
        target_seconds=selectors.TIME_TO_CARD_TARGET_SECONDS,
        since=since,
        overall=_timing(overall),
        unions=[_timing(u) for u in unions],
    )


@applications_router.get("", response=with_errors({200: list[ApplicationOut]}), summary="入会审核队列（先到先审）")
@paginate(Pagination, page_size=50)
def application_queue(request: HttpRequest, filters: Query[QueueFilters]) -> Any:
    return selectors.application_queue(actor=request.user, **filters.dict())


@applications_router.get("/{application_id}", response=with_errors({200: ApplicationOut}), summary="入会申请详情")
def application_detail(request: HttpRequest, application_id: int) -> Application:
    return selectors.application_get(actor=request.user, application_id=application_id)


@applications_router.post(
    "/{application_id}/approve",
    response=with_errors({200: ApplicationOut}),
    summary="审核通过（即时发放会员号和会员卡）",
)
def application_approve(request: HttpRequest, application_id: int) -> Application:
    services.application_approve(actor=request.user, application_id=application_id)
    return selectors.application_get(actor=request.user, application_id=application_id)


@applications_router.post("/{application_id}/reject", response=with_errors({200: ApplicationOut}), summary="审核不通过")
def application_reject(request: HttpRequest, application_id: int, payload: RejectIn) -> Application:
    services.application_reject(
        actor=request.user, application_id=application_id, reason=str(payload.reason), note=payload.note
    )
    return selectors.application_get(actor=request.user, application_id=application_id)


@applications_router.post(
    "/{application_id}/withdraw", response=with_errors({200: ApplicationOut}), summary="撤回自己的入会申请"
)
def application_withdraw(request: HttpRequest, application_id: int) -> Application:
    services.application_withdraw(actor=request.user, application_id=application_id)
    return selectors.application_get(actor=request.user, application_id=application_id)


# ---- the member's own card ---------------------------------------------------------------------------------------


class MyCardOut(Schema):
    member_no: str
    name: str
    union: OrgRef
    joined_at: datetime
    status: str
    card_token: str = Field(description="签名的会员卡令牌，有效期见 card_token_expires_at；不含身份证号和手机号")
    card_token_expires_at: datetime
    card_qr_text: str = Field(description="会员卡二维码的内容：验证页面地址，带令牌")


# ---- the roster ----------------------------------------------------------------------------------------------------


class MemberOut(Schema):
    id: int
    member_no: str
    name: str
    id_number: str = Field(description="masked, e.g. 110105********1234")
    phone: str = Field(description="masked, e.g. 138****5678")
    union: OrgRef
    status: str
    status_label: str
    source: str
    job_group: str
    job_group_label: str
    employer_name: str
    joined_at: datetime
    ended_at: datetime | None
    needy_level: str
    model_worker_level: str


def _member(m: Membership) -> dict[str, Any]:
    return {
        "id": m.pk,
        "member_no": m.member_no,
        "name": m.name,
        "id_number": mask_id_number(m.id_number),
        "phone": mask_phone(m.phone) if m.phone else "",
        "union": _org(m.union),
        "status": m.status,
        "status_label": str(m.get_status_display()),
        "source": m.source,
        "job_group": m.job_group,
        "job_group_label": str(m.get_job_group_display()),
        "employer_name": m.employer_name,
        "joined_at": m.joined_at,
        "ended_at": m.ended_at,
        "needy_level": m.needy_level,
        "model_worker_level": m.model_worker_level,
    }


class EventOut(Schema):
    kind: str
    kind_label: str
    at: datetime
    actor: str
    detail: dict[str, Any]


class TransferOut(Schema):
    id: int
    membership_id: int
    member_no: str
    name: str
    from_union: OrgRef
    to_union: OrgRef
    at: datetime
    actor: str


class MemberDetailOut(MemberOut):
    events: list[EventOut]
    transfers: list[TransferOut]


class RosterFilters(Schema):
    search: str | None = Field(None, max_length=60, description="姓名开头，或完整的身份证号码、手机号")
    under_id: int | None = Field(None, description="只列该组织之下的会员")
    job_group: JobGroup | None = None
    status: Membership.Status | None = None
    needy: bool | None = Field(None, description="是否困难职工")
    model_worker: bool | None = Field(None, description="是否劳模")


class TransferIn(Schema):
    new_union_id: int | None = Field(None, description="转入工会；或用 new_union_code")
    new_union_code: str | None = Field(None, max_length=40, description="转入工会的组织编码")
    employer_id: int | None = Field(None, description="新的用人单位")


class EndIn(Schema):
    status: Literal["lapsed", "withdrawn"] = Field(..., description="lapsed 会籍失效；withdrawn 退会")
    reason: str = Field("", max_length=300)


class FlagsIn(Schema):
    needy_level: NeedyLevel | None = None
    model_worker_level: ModelWorkerLevel | None = None
    job_group: JobGroup | None = None


class RevealIn(Schema):
    field: Literal["id_number", "phone"]


class RevealOut(Schema):
    field: str
    value: str


def _transfer(t: Any) -> dict[str, Any]:
    return {
        "id": t.pk,
        "membership_id": t.membership_id,
        "member_no": t.membership.member_no,
        "name": t.membership.name,
        "from_union": _org(t.from_union),
        "to_union": _org(t.to_union),
        "at": t.at,
        "actor": str(t.actor) if t.actor else "",
    }


def _member_detail(membership: Membership) -> MemberDetailOut:
    history = selectors.member_history(membership)
    events = [
        EventOut(kind=e.kind, kind_label=str(e.get_kind_display()), at=e.at, actor=e.actor_label, detail=e.detail or {})
        for e in history["events"]
    ]
    transfers = [TransferOut(**_transfer(t)) for t in history["transfers"]]
    return MemberDetailOut(**_member(membership), events=events, transfers=transfers)


@members_router.get("/me", response=with_errors({200: MyCardOut}), summary="我的会籍和电子会员卡令牌")
def my_card(request: HttpRequest) -> HttpResponse:
    # One of the member site's busiest reads: one query, nothing decrypted, answered as plain JSON in MyCardOut's
    # shape (tests/test_api_my_card.py holds it to the schema).
    card = selectors.my_card(actor=request.user)
    if card is None:
        raise NotFound("membership", _("您还不是工会会员。"))
    token = services.card_token_issue(membership=card)
    return plain_json(
        {
            "member_no": card.member_no,
            "name": card.name,
            "union": {"id": card.union_id, "code": card.union_code, "name": card.union_name},
            "joined_at": card.joined_at,
            "status": card.status,
            "card_token": token,
            "card_token_expires_at": timezone.now() + timedelta(seconds=services.CARD_TOKEN_MAX_AGE),
            "card_qr_text": card_qr_text(request, token),
        }
    )


@members_router.get(
    "/transfers-out", response=with_errors({200: list[TransferOut]}), summary="转出的会员（转出工会可见）"
)
@paginate(Pagination, page_size=50)
def transfers_out(request: HttpRequest) -> Any:
    transfers = selectors.transfers_out(actor=request.user).select_related("actor")
    return PageMapped(transfers, lambda page: [_transfer(t) for t in page])


@members_router.get("", response=with_errors({200: list[MemberOut]}), summary="会员名册（证件号、手机号脱敏）")
@paginate(Pagination, page_size=50)
def member_list(request: HttpRequest, filters: Query[RosterFilters]) -> Any:
    members = selectors.member_list(actor=request.user, **filters.dict())
    return PageMapped(members, lambda page: [_member(m) for m in page])


@members_router.get("/{membership_id}", response=with_errors({200: MemberDetailOut}), summary="会员详情及会籍历史")
def member_detail(request: HttpRequest, membership_id: int) -> MemberDetailOut:
    return _member_detail(selectors.member_get(actor=request.user, membership_id=membership_id))


@members_router.post("/{membership_id}/transfer", response=with_errors({200: MemberDetailOut}), summary="转会")
def member_transfer(request: HttpRequest, membership_id: int, payload: TransferIn) -> MemberDetailOut:
    if payload.new_union_id is not None:
        new_union_id = payload.new_union_id
    elif payload.new_union_code:
        new_union_id = selectors.transfer_target_by_code(code=payload.new_union_code).pk
    else:
        raise ValidationFailed(
            "membership.transfer_target", _("请选择接收会员的基层工会或工会联合会。"), field="new_union_id"
        )
    # The reply is the member as moved, even when the new union lies outside the actor's own subtree.
    membership = services.membership_transfer(
        actor=request.user, membership_id=membership_id, new_union_id=new_union_id, employer_id=payload.employer_id
    )
    return _member_detail(membership)


@members_router.post("/{membership_id}/end", response=with_errors({200: MemberDetailOut}), summary="会籍失效或退会")
def member_end(request: HttpRequest, membership_id: int, payload: EndIn) -> MemberDetailOut:
    membership = services.membership_end(
        actor=request.user, membership_id=membership_id, status=payload.status, reason=payload.reason
    )
    return _member_detail(membership)


@members_router.patch(
    "/{membership_id}/flags",
    response=with_errors({200: MemberDetailOut}),
    summary="修改标记（困难职工、劳模、职业群体）",
)
def member_flags(request: HttpRequest, membership_id: int, payload: FlagsIn) -> MemberDetailOut:
    data = {k: str(v) for k, v in payload.dict(exclude_none=True).items()}
    membership = services.membership_flags_update(actor=request.user, membership_id=membership_id, **data)
    return _member_detail(membership)


@members_router.post(
    "/{membership_id}/reveal", response=with_errors({200: RevealOut}), summary="查看完整身份证号码或手机号（记入审计）"
)
def member_reveal(request: HttpRequest, membership_id: int, payload: RevealIn) -> RevealOut:
    value = services.member_reveal(actor=request.user, membership_id=membership_id, field=payload.field)
    return RevealOut(field=payload.field, value=value)


# ---- checking a card -----------------------------------------------------------------------------------------------


class CardCheckIn(Schema):
    token: str = Field(..., min_length=1, max_length=2000, description="会员卡二维码的内容（令牌或验证页面地址）")


class CardCheckOut(Schema):
    status: Literal["valid", "expired", "invalid", "inactive"]
    message: str
    member_no: str = Field(description="令牌有效或会籍已结束时给出")
    name: str = Field(description="masked, e.g. 王**")
    union_name: str


@cards_router.get("/verify", response=with_errors({200: CardCheckOut}), summary="验证会员卡（扫码核验）")
def card_verify(request: HttpRequest, filters: Query[CardCheckIn]) -> CardCheckOut:
    check = services.card_check(actor=request.user, token=filters.token)
    return CardCheckOut(
        status=check.status,  # type: ignore[arg-type]
        message=check.message,
        member_no=check.member_no,
        name=check.masked_name,
        union_name=check.union_name,
    )
