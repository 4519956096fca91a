"""HTTP for sign-in, registration and staff account management."""

from datetime import datetime

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from zhijia.core.api import PageMapped, Pagination, with_errors
from zhijia.core.roles import HandlerKind, Role

from . import selectors, services
from .models import PhoneVerification, User

auth_router = Router(tags=["auth"])
router = Router(tags=["accounts"])


class LoginIn(Schema):
    # No NUL characters: PostgreSQL text cannot hold them, and the lockout records every login name it is sent.
    login: str = Field(..., min_length=1, max_length=64, pattern=r"^[^\x00]+$", description="手机号或用户名")
    password: str = Field(..., min_length=1, max_length=128)


class TokenOut(Schema):
    token: str
    expires_at: datetime


class SmsCodeIn(Schema):
    phone: str = Field(..., min_length=1, max_length=20)
    purpose: PhoneVerification.Purpose = PhoneVerification.Purpose.REGISTER


class SentOut(Schema):
    sent: bool
    expires_at: datetime


class RegisterIn(Schema):
    phone: str = Field(..., min_length=1, max_length=20)
    code: str = Field(..., min_length=1, max_length=10)
    password: str = Field(..., min_length=1, max_length=128)
    display_name: str = Field(..., min_length=1, max_length=60)


class OrgRef(Schema):
    id: int
    code: str
    name: str


class MeOut(Schema):
    id: int
    username: str
    display_name: str
    kind: str
    phone: str = Field(description="masked")
    org: OrgRef | None
    roles: list[str]


class OkOut(Schema):
    ok: bool


def _me(user: User) -> MeOut:
    scope = user.scope
    assignment = getattr(user, "staff_assignment", None) if user.kind == User.Kind.STAFF else None
    return MeOut(
        id=user.pk,
        username=user.username,
        display_name=user.display_name,
        kind=user.kind,
        phone=user.masked_phone,
        org=OrgRef(id=assignment.org.pk, code=assignment.org.code, name=assignment.org.name) if assignment else None,
        roles=sorted(scope.roles),
    )


@auth_router.post("/login", auth=None, response=with_errors({200: TokenOut}), summary="登录，获取接口令牌")
def login(request: HttpRequest, payload: LoginIn) -> TokenOut:
    user = services.login_check(request=request, login=payload.login, password=payload.password)
    token, raw = services.api_token_issue(user=user)
    return TokenOut(token=raw, expires_at=token.expires_at)


@auth_router.post("/sms-code", auth=None, response=with_errors({200: SentOut}), summary="发送短信验证码")
def sms_code(request: HttpRequest, payload: SmsCodeIn) -> SentOut:
    verification = services.sms_code_send(phone=payload.phone, purpose=payload.purpose)
    return SentOut(sent=True, expires_at=verification.expires_at)


@auth_router.post("/register", auth=None, response=with_errors({201: MeOut}), summary="职工注册")
def register(request: HttpRequest, payload: RegisterIn) -> tuple[int, MeOut]:
    user = services.worker_register(
        phone=payload.phone, code=payload.code, password=payload.password, display_name=payload.display_name
    )
    return 201, _me(user)


@auth_router.get("/me", response=with_errors({200: MeOut}), summary="当前账户")
def me(request: HttpRequest) -> MeOut:
    assert isinstance(request.user, User)
    return _me(request.user)


@auth_router.post("/logout", response=with_errors({200: OkOut}), summary="注销当前令牌")
def logout(request: HttpRequest) -> OkOut:
    assert isinstance(request.user, User)
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        services.api_token_revoke(user=request.user, raw=header[7:].strip())
    return OkOut(ok=True)


class AccountOut(Schema):
    id: int
    username: str
    display_name: str
    phone: str = Field(description="masked, e.g. 138****5678")
    is_active: bool
    org: OrgRef
    roles: list[str]
    title: str
    handler_kind: str


def _account(user: User) -> AccountOut:
    a = user.staff_assignment
    return AccountOut(
        id=user.pk,
        username=user.username,
        display_name=user.display_name,
        phone=user.masked_phone,
        is_active=user.is_active,
        org=OrgRef(id=a.org.pk, code=a.org.code, name=a.org.name),
        roles=sorted(r.role for r in a.roles.all()),
        title=a.title,
        handler_kind=a.handler_kind,
    )


class AccountFilters(Schema):
    org_id: int | None = None
    role: Role | None = None
    search: str | None = Field(None, max_length=64)


class AccountCreateIn(Schema):
    org_id: int
    username: str = Field(..., min_length=1, max_length=64)
    display_name: str = Field(..., min_length=1, max_length=60)
    password: str = Field(..., min_length=1, max_length=128)
    roles: list[Role] = Field(..., min_length=1)
    phone: str = Field("", max_length=20)
    title: str = Field("", max_length=60)
    handler_kind: HandlerKind | None = None


class AccountUpdateIn(Schema):
    roles: list[Role] | None = None
    is_active: bool | None = None
    display_name: str | None = Field(None, max_length=60)
    org_id: int | None = None


class RevealOut(Schema):
    phone: str


@router.get("", response=with_errors({200: list[AccountOut]}), summary="本级及下级的工作人员账户")
@paginate(Pagination, page_size=50)
def account_list(request: HttpRequest, filters: Query[AccountFilters]) -> list[AccountOut]:
    users = selectors.staff_account_list(actor=request.user, **filters.dict())
    return PageMapped(users, lambda page: [_account(u) for u in page])  # type: ignore[return-value]


@router.post("", response=with_errors({201: AccountOut}), summary="新建工作人员账户")
def account_create(request: HttpRequest, payload: AccountCreateIn) -> tuple[int, AccountOut]:
    user = services.staff_account_create(
        actor=request.user,
        org_id=payload.org_id,
        username=payload.username,
        display_name=payload.display_name,
        password=payload.password,
        roles=[str(r) for r in payload.roles],
        phone=payload.phone,
        title=payload.title,
        handler_kind=str(payload.handler_kind or ""),
    )
    return 201, _account(selectors.staff_account_get(actor=request.user, user_id=user.pk))


@router.get("/{user_id}", response=with_errors({200: AccountOut}), summary="工作人员账户详情")
def account_detail(request: HttpRequest, user_id: int) -> AccountOut:
    return _account(selectors.staff_account_get(actor=request.user, user_id=user_id))


@router.patch("/{user_id}", response=with_errors({200: AccountOut}), summary="修改工作人员账户")
def account_update(request: HttpRequest, user_id: int, payload: AccountUpdateIn) -> AccountOut:
    data = payload.dict(exclude_unset=True)
    if "roles" in data and data["roles"] is not None:
        data["roles"] = [str(r) for r in data["roles"]]
    services.staff_account_update(actor=request.user, user_id=user_id, **data)
    return _account(selectors.staff_account_get(actor=request.user, user_id=user_id))


@router.post("/{user_id}/reveal-phone", response=with_errors({200: RevealOut}), summary="查看完整手机号（记入审计）")
def account_reveal_phone(request: HttpRequest, user_id: int) -> RevealOut:
    return RevealOut(phone=services.user_phone_reveal(actor=request.user, user_id=user_id))
