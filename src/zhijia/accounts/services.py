"""Every write to accounts: SMS codes, worker registration, sign-in tokens, staff accounts, reveals of a phone."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.signals import user_logged_in
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from zhijia.audit.services import audit_record
from zhijia.core.errors import ValidationFailed, ZhijiaError
from zhijia.core.gateways.sms import get_sms_gateway
from zhijia.core.pii import is_mainland_mobile, normalize_phone, phone_index
from zhijia.core.roles import HandlerKind, Perm, Role
from zhijia.core.scope import scope_for
from zhijia.organizations.selectors import org_get

from . import token_cache
from .models import ApiToken, PhoneVerification, StaffAssignment, StaffRole, User
from .selectors import staff_account_get

MAX_CODE_ATTEMPTS = 5


def _code_hash(code: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), code.encode(), hashlib.sha256).hexdigest()


def _clean_phone(phone: str) -> str:
    phone = normalize_phone(phone)
    if not is_mainland_mobile(phone):
        raise ValidationFailed("phone.invalid", _("手机号格式不正确，应为 11 位大陆手机号。"), field="phone")
    return phone


def _check_password(password: str, user: User | None = None) -> None:
    try:
        validate_password(password, user)
    except DjangoValidationError as exc:
        # Translators: the separator between several password problems in one message.
        separator = _("；")
        raise ValidationFailed(
            "password.too_weak", separator.join(str(m) for m in exc.messages), field="password"
        ) from None


@transaction.atomic
def sms_code_send(*, phone: str, purpose: str) -> PhoneVerification:
    phone = _clean_phone(phone)
    if purpose not in PhoneVerification.Purpose.values:
        raise ValidationFailed("sms.unknown_purpose", _("未知的验证码用途。"), field="purpose")
    index = phone_index(phone)
    now = timezone.now()
    recent = PhoneVerification.objects.filter(
        phone_index=index,
        purpose=purpose,
        created_at__gt=now - timedelta(seconds=settings.SMS_CODE_RESEND_SECONDS),
    )
    if recent.exists():
        raise ZhijiaError("sms.too_soon", _("验证码发送过于频繁，请稍后再试。"), detail={"field": "phone"}, status=429)
    code = f"{secrets.randbelow(1_000_000):06d}"
    verification = PhoneVerification.objects.create(
        phone_index=index,
        purpose=purpose,
        code_hash=_code_hash(code),
        expires_at=now + timedelta(seconds=settings.SMS_CODE_TTL_SECONDS),
    )
    gateway = get_sms_gateway()
    transaction.on_commit(lambda: gateway.send(phone=phone, template=f"verify.{purpose}", params={"code": code}))
    audit_record(actor=None, action="sms.code_sent", obj=verification, changes={"purpose": purpose})
    return verification


def _consume_code(*, phone: str, purpose: str, code: str) -> None:
    """Spend a code. A wrong guess is counted (and committed) before the refusal is raised."""
    with transaction.atomic():
        verification = (
            PhoneVerification.objects.select_for_update()
            .filter(
                phone_index=phone_index(phone),
                purpose=purpose,
                used_at__isnull=True,
                expires_at__gt=timezone.now(),
            )
            .order_by("-created_at")
            .first()
        )
        if verification is None or verification.attempts >= MAX_CODE_ATTEMPTS:
            refusal = ValidationFailed("sms.code_expired", _("验证码已失效，请重新获取。"), field="code")
        elif not hmac.compare_digest(verification.code_hash, _code_hash(code.strip())):
            PhoneVerification.objects.filter(pk=verification.pk).update(attempts=verification.attempts + 1)
            refusal = ValidationFailed("sms.code_wrong", _("验证码不正确。"), field="code")
        else:
            verification.used_at = timezone.now()
            verification.save(update_fields=["used_at"])
            return
    raise refusal


def phone_code_verify(*, phone: str, purpose: str, code: str) -> None:
    """Spend an SMS code sent to `phone` for `purpose`, or refuse (field "code")."""
    _consume_code(phone=_clean_phone(phone), purpose=purpose, code=code)


def worker_register(*, phone: str, code: str, password: str, display_name: str) -> User:
    phone = _clean_phone(phone)
    display_name = display_name.strip()
    if not display_name:
        raise ValidationFailed("user.name_required", _("请填写姓名。"), field="display_name")
    _consume_code(phone=phone, purpose=PhoneVerification.Purpose.REGISTER, code=code)
    # The code is spent even if what follows fails: a wrong password must not let a code be tried again forever.
    with transaction.atomic():
        if User.objects.filter(phone_index=phone_index(phone)).exists():
            raise ValidationFailed("user.phone_taken", _("该手机号已注册，请直接登录。"), field="phone")
        user = User(username=f"w{secrets.token_hex(6)}", display_name=display_name, kind=User.Kind.WORKER)
        user.set_phone(phone)
        _check_password(password, user)
        user.set_password(password)
        try:
            with transaction.atomic():
                user.save()
        except IntegrityError:
            raise ValidationFailed("user.phone_taken", _("该手机号已注册，请直接登录。"), field="phone") from None
        audit_record(actor=user, action="user.register", obj=user)
    return user


def _hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def login_check(*, request: HttpRequest, login: str, password: str) -> User:
    """Check a sign-in (counted by django-axes for lockout); raise with a stable code when refused."""
    user = authenticate(request, username=login, password=password)
    if getattr(request, "axes_locked_out", False):
        raise ZhijiaError("auth.locked_out", _("登录失败次数过多，账户已暂时锁定，请 15 分钟后再试。"), status=429)
    if user is None:
        raise ZhijiaError("auth.invalid_credentials", _("账号或密码不正确。"), status=401)
    assert isinstance(user, User)
    # A token sign-in is a sign-in, as django.contrib.auth.login() announces for a session: django-axes clears
    # the failures it counted (AXES_RESET_ON_SUCCESS) and last_login is kept.
    user_logged_in.send(sender=user.__class__, request=request, user=user)
    return user


@transaction.atomic
def api_token_issue(*, user: User) -> tuple[ApiToken, str]:
    raw = f"zj_{secrets.token_urlsafe(32)}"
    token = ApiToken.objects.create(
        user=user,
        key_hash=_hash_token(raw),
        prefix=raw[3:11],
        expires_at=timezone.now() + timedelta(days=settings.API_TOKEN_TTL_DAYS),
    )
    audit_record(actor=user, action="auth.token_issued", obj=token, org=_user_org(user))
    return token, raw


@transaction.atomic
def api_token_revoke(*, user: User, raw: str) -> None:
    token = ApiToken.objects.filter(user=user, key_hash=_hash_token(raw), revoked_at__isnull=True).first()
    if token is None:
        return
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit_record(actor=user, action="auth.token_revoked", obj=token, org=_user_org(user))


def api_token_user(raw: str) -> User | None:
    """The live account behind a bearer token, or None. Remembered for API_TOKEN_CACHE_SECONDS (see token_cache:
    revoking the token or changing its account drops it at once); the database lookup on a miss also stamps when
    the token was last used, so last_used_at is right to within five minutes plus that time."""
    key_hash = _hash_token(raw)
    may_fill = False
    if token_cache.seconds() > 0:
        cached, may_fill = token_cache.lookup(key_hash)
        if cached is not None:
            return cached
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=key_hash, revoked_at__isnull=True, expires_at__gt=timezone.now())
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=5):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    if may_fill:
        token_cache.remember(key_hash, token.user, token.expires_at)
    return token.user


def _user_org(user: User) -> Any:
    assignment = StaffAssignment.objects.filter(user=user).select_related("org").first()
    return assignment.org if assignment else None


def _clean_roles(roles: Iterable[str]) -> list[str]:
    roles = sorted(set(roles))
    unknown = [r for r in roles if r not in Role.values]
    if unknown:
        raise ValidationFailed("account.unknown_role", _("未知的角色：%(role)s") % {"role": unknown[0]}, field="roles")
    if not roles:
        raise ValidationFailed("account.no_role", _("至少选择一个角色。"), field="roles")
    return roles


@transaction.atomic
def staff_account_create(
    *,
    actor: Any,
    org_id: int,
    username: str,
    display_name: str,
    password: str,
    roles: Iterable[str],
    phone: str = "",
    title: str = "",
    handler_kind: str = "",
) -> User:
    scope = scope_for(actor)
    org = org_get(actor=actor, org_id=org_id)
    scope.require(Perm.ACCOUNT_MANAGE, "org")
    role_list = _clean_roles(roles)
    username = username.strip()
    if not username or len(username) > 64:
        raise ValidationFailed("account.username_invalid", _("用户名须为 1 到 64 个字符。"), field="username")
    if User.objects.filter(username=username).exists():
        raise ValidationFailed(
            "account.username_taken", _("用户名 %(name)s 已被使用。") % {"name": username}, field="username"
        )
    if not display_name.strip():
        raise ValidationFailed("user.name_required", _("请填写姓名。"), field="display_name")
    if Role.CASE_HANDLER in role_list and handler_kind not in HandlerKind.values:
        raise ValidationFailed(
            "account.handler_kind_required",
            _("个案承办人须选择类别（律师、调解员、心理咨询师或志愿者）。"),
            field="handler_kind",
        )
    user = User(username=username, display_name=display_name.strip(), kind=User.Kind.STAFF)
    if phone:
        user.set_phone(_clean_phone(phone))
        if User.objects.filter(phone_index=user.phone_index).exists():
            raise ValidationFailed("user.phone_taken", _("该手机号已被其他账户使用。"), field="phone")
    _check_password(password, user)
    user.set_password(password)
    user.save()
    assignment = StaffAssignment.objects.create(user=user, org=org, title=title, handler_kind=handler_kind)
    StaffRole.objects.bulk_create([StaffRole(assignment=assignment, role=r) for r in role_list])
    audit_record(actor=actor, action="account.create", obj=user, org=org, changes={"roles": role_list, "org": org})
    return user


@transaction.atomic
def staff_account_update(
    *,
    actor: Any,
    user_id: int,
    roles: Iterable[str] | None = None,
    is_active: bool | None = None,
    display_name: str | None = None,
    org_id: int | None = None,
) -> User:
    scope = scope_for(actor)
    user = staff_account_get(actor=actor, user_id=user_id)
    scope.require(Perm.ACCOUNT_MANAGE, "account")
    if user.pk == getattr(actor, "pk", None) and (is_active is False or roles is not None or org_id is not None):
        raise ValidationFailed("account.self_change", _("不能修改自己的角色、组织或停用自己。"), field="user")
    assignment = StaffAssignment.objects.select_for_update().get(user=user)
    changes: dict[str, Any] = {}
    if roles is not None:
        new_roles = _clean_roles(roles)
        old_roles = sorted(assignment.roles.values_list("role", flat=True))
        if new_roles != old_roles:
            assignment.roles.all().delete()
            StaffRole.objects.bulk_create([StaffRole(assignment=assignment, role=r) for r in new_roles])
            changes["roles"] = [old_roles, new_roles]
    if org_id is not None and org_id != assignment.org_id:
        new_org = org_get(actor=actor, org_id=org_id)
        changes["org"] = [assignment.org, new_org]
        assignment.org = new_org
        assignment.save(update_fields=["org"])
    if is_active is not None and is_active != user.is_active:
        changes["is_active"] = [user.is_active, is_active]
        user.is_active = is_active
        if not is_active:
            token_cache.forget_tokens_of(user.pk)
            ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())
    if display_name is not None and display_name.strip() and display_name.strip() != user.display_name:
        changes["display_name"] = [user.display_name, display_name.strip()]
        user.display_name = display_name.strip()
    if changes:
        user.save()
        audit_record(actor=actor, action="account.update", obj=user, org=assignment.org, changes=changes)
    return user


@transaction.atomic
def user_phone_reveal(*, actor: Any, user_id: int) -> str:
    """The full phone of a staff account in scope. Every reveal is written to the audit log."""
    scope = scope_for(actor)
    user = staff_account_get(actor=actor, user_id=user_id)
    scope.require(Perm.PII_REVEAL, "account")
    audit_record(actor=actor, action="pii.reveal", obj=user, org=_user_org(user), changes={"field": "phone"})
    return user.phone


@transaction.atomic
def password_change(*, user: User, old_password: str, new_password: str) -> None:
    if not user.check_password(old_password):
        raise ValidationFailed("password.wrong", _("原密码不正确。"), field="old_password")
    _check_password(new_password, user)
    user.set_password(new_password)
    user.save(update_fields=["password"])
    token_cache.forget_tokens_of(user.pk)
    ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())
    audit_record(actor=user, action="auth.password_changed", obj=user, org=_user_org(user))
