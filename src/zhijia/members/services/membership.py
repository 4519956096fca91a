"""Every write to membership: applying, reviewing, transfers, the lifecycle, flags, and revealing personal data."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from zhijia.accounts.services import phone_code_verify
from zhijia.audit.services import audit_record
from zhijia.core.errors import Conflict, NotFound, ValidationFailed
from zhijia.core.pii import is_mainland_mobile, normalize_phone, phone_index
from zhijia.core.roles import Perm
from zhijia.core.scope import scope_for
from zhijia.organizations.models import Employer, Organization, OrgKind, OrgLevel

from ..idnumber import IdNumberError, parse_id_number
from ..models import (
    Application,
    JobGroup,
    MemberNumberCounter,
    Membership,
    MembershipEvent,
    MembershipTransfer,
    ModelWorkerLevel,
    NeedyLevel,
    RejectReason,
    ReviewPolicy,
)
from ..routing import route_application
from ..selectors import MyCard, application_get, id_index, member_get
from ..signals import membership_started

CONSENT_VERSION = "2026-11"
MEMBER_NO_PREFIX = "ZJ"
CARD_SALT = "zhijia.member-card"
CARD_TOKEN_MAX_AGE = 10 * 60  # a QR code on a phone screen is good for ten minutes
CARD_PRINTED_SALT = "zhijia.member-card.printed"
# A printed card's token: "P~<member number>~<card version>:<signature>" (the e-card's never starts with "P~").
CARD_PRINTED_TAG = "P~"
CARD_PRINTED_SEP = "~"
STREET_KINDS: set[str] = {OrgKind.STREET_FEDERATION}
COMMUNITY_KINDS: set[str] = {OrgKind.COMMUNITY, OrgKind.VILLAGE}


def _actor_label(actor: Any) -> str:
    return str(actor)[:150] if getattr(actor, "is_authenticated", False) else "系统"


def _event(membership: Membership, kind: str, actor: Any, **detail: Any) -> None:
    MembershipEvent.objects.create(
        membership=membership,
        kind=kind,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        actor_label=_actor_label(actor),
        detail=detail,
    )


MEMBER_NO_DIGITS = 10


def member_number(n: int) -> str:
    return f"{MEMBER_NO_PREFIX}{n:0{MEMBER_NO_DIGITS}d}"


def member_numbers_reserve(count: int) -> int:
    """Reserve `count` consecutive member numbers and give the first (`member_number` writes each). One locked
    counter row per block, so imports do not contend per member."""
    with transaction.atomic():
        counter, _created = MemberNumberCounter.objects.select_for_update().get_or_create(prefix=MEMBER_NO_PREFIX)
        start = counter.next_value
        MemberNumberCounter.objects.filter(pk=counter.pk).update(next_value=F("next_value") + count)
    return int(start)


def member_numbers_allocate(count: int) -> list[str]:
    """`count` fresh member numbers."""
    start = member_numbers_reserve(count)
    return [member_number(n) for n in range(start, start + count)]


def _place(org_id: int | None, kinds: set[str], field: str, label: str) -> Organization | None:
    if org_id is None:
        return None
    org = Organization.objects.filter(pk=org_id, kind__in=kinds, is_active=True).first()
    if org is None:
        raise ValidationFailed(
            "application.unknown_place", _("请从列表中选择%(label)s。") % {"label": label}, field=field
        )
    return org


def _check_name(name: str) -> str:
    name = name.strip()
    if not name or len(name) > 60:
        raise ValidationFailed("application.name_required", _("请填写与身份证一致的姓名。"), field="name")
    return name


def _check_id(id_number: str) -> str:
    try:
        return parse_id_number(id_number).value
    except IdNumberError as exc:
        raise ValidationFailed(exc.code, exc.message, field="id_number") from None


def _check_phone(phone: str) -> str:
    phone = normalize_phone(phone)
    if not is_mainland_mobile(phone):
        raise ValidationFailed("phone.invalid", _("手机号格式不正确，应为 11 位大陆手机号。"), field="phone")
    return phone


def _holding_union_refusal(existing: Membership) -> ValidationFailed:
    return ValidationFailed(
        "membership.already_member",
        _("您已是“%(union)s”的会员（会员号 %(no)s），无需重复申请；如更换了工作单位，请联系工会办理转会。")
        % {"union": existing.union.name, "no": existing.member_no},
        field="id_number",
        detail={"union": existing.union.name},
    )


def application_submit(
    *,
    actor: Any,
    name: str,
    id_number: str,
    phone: str,
    job_group: str,
    work_street_id: int,
    consent: bool,
    sms_code: str = "",
    employer_id: int | None = None,
    employer_name: str = "",
    no_employer: bool = False,
    work_community_id: int | None = None,
    live_street_id: int | None = None,
    live_community_id: int | None = None,
) -> Application:
    """A worker applies to join. Every refusal names its field and says why, in Chinese."""
    if not getattr(actor, "is_authenticated", False):
        raise NotFound("application")
    name = _check_name(name)
    id_value = _check_id(id_number)
    phone = _check_phone(phone)
    if job_group not in JobGroup.values:
        raise ValidationFailed("application.job_group", _("请选择职业群体。"), field="job_group")
    if not consent:
        raise ValidationFailed(
            "application.consent_required", _("请阅读并同意《个人信息处理规则》后再提交。"), field="consent"
        )
    employer = None
    if no_employer:
        employer_name = ""
    elif employer_id is not None:
        employer = Employer.objects.filter(pk=employer_id).select_related("union").first()
        if employer is None:
            raise ValidationFailed("application.unknown_employer", _("找不到所选的用人单位。"), field="employer_id")
    elif not employer_name.strip():
        raise ValidationFailed(
            "application.employer_required",
            _("请选择用人单位，或勾选“无固定单位（灵活就业）”。"),
            field="employer_id",
        )
    work_street = _place(work_street_id, STREET_KINDS, "work_street_id", _("工作地街道（乡镇）"))
    assert work_street is not None
    work_community = _place(work_community_id, COMMUNITY_KINDS, "work_community_id", _("工作地社区"))
    if work_community is not None and not work_community.path.startswith(work_street.path):
        raise ValidationFailed(
            "application.community_not_in_street", _("所选社区不属于所选街道。"), field="work_community_id"
        )
    live_street = _place(live_street_id, STREET_KINDS, "live_street_id", _("居住地街道（乡镇）"))
    live_community = _place(live_community_id, COMMUNITY_KINDS, "live_community_id", _("居住地社区"))

    index = id_index(id_value)
    existing = (
        Membership.objects.filter(id_index=index, status=Membership.Status.ACTIVE).select_related("union").first()
    )
    if existing is not None:
        raise _holding_union_refusal(existing)
    # The account's own phone was verified at registration; another phone needs a code sent to it.
    phone_verified = bool(getattr(actor, "phone_index", None)) and actor.phone_index == phone_index(phone)
    if not phone_verified:
        if not sms_code:
            raise ValidationFailed("sms.code_required", _("请填写发送到该手机的验证码。"), field="sms_code")
        phone_code_verify(phone=phone, purpose="verify_phone", code=sms_code)
        phone_verified = True

    route = route_application(
        employer=employer,
        no_employer=no_employer,
        job_group=job_group,
        work_street=work_street,
        work_community=work_community,
    )
    try:
        with transaction.atomic():
            application = Application.objects.create(
                applicant=actor,
                name=name,
                id_number=id_value,
                id_index=index,
                phone=phone,
                phone_index=phone_index(phone),
                phone_verified=phone_verified,
                job_group=job_group,
                employer=employer,
                employer_name=employer.name if employer else employer_name.strip(),
                no_employer=no_employer,
                work_street=work_street,
                work_community=work_community,
                live_street=live_street,
                live_community=live_community,
                consent_at=timezone.now(),
                consent_version=CONSENT_VERSION,
                union=route.union,
                route_rule=route.rule,
                route_reason=route.reason,
            )
            audit_record(
                actor=actor,
                action="application.submit",
                obj=application,
                org=route.union,
                changes={"route": route.rule, "union": route.union},
            )
    except IntegrityError:
        raise Conflict(
            "application.already_open",
            _("您已有一份正在审核的入会申请，请耐心等待审核结果。"),
            detail={"field": "id_number"},
        ) from None
    if _auto_approvable(application):
        application_approve(actor=None, application_id=application.pk, auto=True)
        application.refresh_from_db()
    return application


def _auto_approvable(application: Application) -> bool:
    policy = ReviewPolicy.objects.filter(union_id=application.union_id, auto_approve=True).first()
    if policy is None:
        return False
    if policy.require_phone_verified and not application.phone_verified:
        return False
    if policy.require_employer_on_roster:
        return application.employer is not None and application.employer.union_id == application.union_id
    return True


def application_approve(*, actor: Any, application_id: int, auto: bool = False) -> Membership:
    """Approve: the member number is issued and the card is ready at once."""
    with transaction.atomic():
        if auto:
            application = Application.objects.select_for_update().get(pk=application_id)
        else:
            application = application_get(actor=actor, application_id=application_id)
            scope_for(actor).require(Perm.MEMBER_REVIEW, "application")
            application = Application.objects.select_for_update().get(pk=application.pk)
        if application.status != Application.Status.SUBMITTED:
            raise Conflict(
                "application.already_decided",
                _("该申请已处理（%(status)s）。") % {"status": application.get_status_display()},
            )
        (member_no,) = member_numbers_allocate(1)
        now = timezone.now()
        try:
            with transaction.atomic():
                membership = Membership.objects.create(
                    member_no=member_no,
                    user=application.applicant,
                    union=application.union,
                    name=application.name,
                    id_number=application.id_number,
                    id_index=application.id_index,
                    phone=application.phone,
                    phone_index=application.phone_index,
                    job_group=application.job_group,
                    employer=application.employer,
                    employer_name=application.employer_name,
                    source=Membership.Source.ONLINE,
                    joined_at=now,
                )
        except IntegrityError:
            existing = Membership.objects.select_related("union").get(
                id_index=application.id_index, status=Membership.Status.ACTIVE
            )
            raise _holding_union_refusal(existing) from None
        application.status = Application.Status.APPROVED
        application.decided_at = now
        application.decided_by = actor if not auto else None
        application.auto_approved = auto
        application.membership = membership
        application.save(update_fields=["status", "decided_at", "decided_by", "auto_approved", "membership"])
        seconds = int((now - application.submitted_at).total_seconds())
        _event(membership, MembershipEvent.Kind.JOINED, actor, application=application.pk, seconds_to_card=seconds)
        membership_started.send(sender=Membership, membership=membership)
        audit_record(
            actor=actor,
            action="application.approve",
            obj=application,
            org=application.union,
            changes={"member_no": member_no, "auto": auto, "seconds_to_card": seconds},
        )
    return membership


@transaction.atomic
def application_reject(*, actor: Any, application_id: int, reason: str, note: str = "") -> Application:
    application = application_get(actor=actor, application_id=application_id)
    scope_for(actor).require(Perm.MEMBER_REVIEW, "application")
    if reason not in RejectReason.values:
        raise ValidationFailed("application.reject_reason", _("请选择不通过原因。"), field="reason")
    if reason == RejectReason.OTHER and not note.strip():
        raise ValidationFailed("application.reject_note", _("选择“其他”时请填写说明。"), field="note")
    application = Application.objects.select_for_update().get(pk=application.pk)
    if application.status != Application.Status.SUBMITTED:
        raise Conflict(
            "application.already_decided",
            _("该申请已处理（%(status)s）。") % {"status": application.get_status_display()},
        )
    application.status = Application.Status.REJECTED
    application.decided_at = timezone.now()
    application.decided_by = actor
    application.reject_reason = reason
    application.reject_note = note.strip()[:300]
    application.save(update_fields=["status", "decided_at", "decided_by", "reject_reason", "reject_note"])
    audit_record(
        actor=actor, action="application.reject", obj=application, org=application.union, changes={"reason": reason}
    )
    return application


@transaction.atomic
def application_withdraw(*, actor: Any, application_id: int) -> Application:
    application = (
        Application.objects.select_for_update()
        .filter(pk=application_id, applicant_id=getattr(actor, "pk", None))
        .first()
    )
    if application is None:
        raise NotFound("application")
    if application.status != Application.Status.SUBMITTED:
        raise Conflict(
            "application.already_decided",
            _("该申请已处理（%(status)s）。") % {"status": application.get_status_display()},
        )
    application.status = Application.Status.WITHDRAWN
    application.decided_at = timezone.now()
    application.save(update_fields=["status", "decided_at"])
    audit_record(actor=actor, action="application.withdraw", obj=application, org=application.union)
    return application


@transaction.atomic
def membership_transfer(
    *, actor: Any, membership_id: int, new_union_id: int, employer_id: int | None = None
) -> Membership:
    """Move a membership to the union of the worker's new job. The member keeps their number and card; the
    transfer row lets the union they left keep seeing where they went."""
    membership = member_get(actor=actor, membership_id=membership_id)
    scope_for(actor).require(Perm.MEMBER_MANAGE, "member")
    membership = Membership.objects.select_for_update().select_related("union").get(pk=membership.pk)
    if membership.status != Membership.Status.ACTIVE:
        raise Conflict("membership.not_active", _("只有在会会员可以转会。"))
    new_union = Organization.objects.filter(pk=new_union_id, is_active=True).first()
    if new_union is None or new_union.level not in (OrgLevel.GRASSROOTS, OrgLevel.AREA_FEDERATION, OrgLevel.STREET):
        raise ValidationFailed(
            "membership.transfer_target", _("请选择接收会员的基层工会或工会联合会。"), field="new_union_id"
        )
    if new_union.pk == membership.union_id:
        raise ValidationFailed("membership.transfer_same_union", _("会员已在该工会。"), field="new_union_id")
    employer = Employer.objects.filter(pk=employer_id).first() if employer_id else None
    old_union = membership.union
    MembershipTransfer.objects.create(
        membership=membership,
        from_union=old_union,
        to_union=new_union,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
    )
    membership.union = new_union
    membership.employer = employer
    membership.employer_name = employer.name if employer else ""
    membership.save(update_fields=["union", "employer", "employer_name"])
    _event(membership, MembershipEvent.Kind.TRANSFERRED, actor, **{"from": old_union.name, "to": new_union.name})
    audit_record(
        actor=actor,
        action="membership.transfer",
        obj=membership,
        org=old_union,
        changes={"from": old_union, "to": new_union},
    )
    return membership


@transaction.atomic
def membership_end(*, actor: Any, membership_id: int, status: str, reason: str = "") -> Membership:
    """End a membership: lapsed (dues or contact lost) or withdrawn (the member left)."""
    membership = member_get(actor=actor, membership_id=membership_id)
    scope_for(actor).require(Perm.MEMBER_MANAGE, "member")
    if status not in (Membership.Status.LAPSED, Membership.Status.WITHDRAWN):
        raise ValidationFailed("membership.end_status", _("请选择会籍失效或退会。"), field="status")
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if membership.status != Membership.Status.ACTIVE:
        raise Conflict("membership.not_active", _("该会籍已结束。"))
    membership.status = status
    membership.ended_at = timezone.now()
    membership.save(update_fields=["status", "ended_at"])
    kind = MembershipEvent.Kind.LAPSED if status == Membership.Status.LAPSED else MembershipEvent.Kind.WITHDRAWN
    _event(membership, kind, actor, reason=reason[:300])
    audit_record(
        actor=actor, action=f"membership.{status}", obj=membership, org=membership.union, changes={"reason": reason}
    )
    return membership


@transaction.atomic
def membership_flags_update(
    *,
    actor: Any,
    membership_id: int,
    needy_level: str | None = None,
    model_worker_level: str | None = None,
    job_group: str | None = None,
) -> Membership:
    membership = member_get(actor=actor, membership_id=membership_id)
    scope_for(actor).require(Perm.MEMBER_MANAGE, "member")
    checks = {
        "needy_level": (needy_level, NeedyLevel.values),
        "model_worker_level": (model_worker_level, ModelWorkerLevel.values),
        "job_group": (job_group, JobGroup.values),
    }
    changes: dict[str, Any] = {}
    for field, (value, allowed) in checks.items():
        if value is None:
            continue
        if value not in allowed:
            raise ValidationFailed("membership.flag_invalid", _("标记取值无效。"), field=field)
        if getattr(membership, field) != value:
            changes[field] = [getattr(membership, field), value]
            setattr(membership, field, value)
    if changes:
        membership.save(update_fields=list(changes))
        _event(membership, MembershipEvent.Kind.FLAGS_CHANGED, actor, **changes)
        audit_record(actor=actor, action="membership.flags", obj=membership, org=membership.union, changes=changes)
    return membership


@transaction.atomic
def member_reveal(*, actor: Any, membership_id: int, field: str) -> str:
    """The full ID number or phone of a member in scope, for a permitted role. Every reveal is logged."""
    membership = member_get(actor=actor, membership_id=membership_id)
    scope_for(actor).require(Perm.PII_REVEAL, "member")
    if field not in ("id_number", "phone"):
        raise ValidationFailed("pii.unknown_field", _("只能查看身份证号码或手机号。"), field="field")
    audit_record(actor=actor, action="pii.reveal", obj=membership, org=membership.union, changes={"field": field})
    return str(getattr(membership, field))


@transaction.atomic
def card_reissue(*, actor: Any, membership_id: int) -> Membership:
    """Reissue a member's printed card (lost, stolen): the printed cards made so far stop checking as valid, and the
    member downloads the new one from their card page. The e-card is not affected."""
    membership = member_get(actor=actor, membership_id=membership_id)
    scope_for(actor).require(Perm.MEMBER_MANAGE, "member")
    if membership.status != Membership.Status.ACTIVE:
        raise Conflict("membership.not_active", _("该会籍已结束。"))
    Membership.objects.filter(pk=membership.pk).update(card_version=F("card_version") + 1)
    membership.refresh_from_db(fields=["card_version"])
    audit_record(
        actor=actor,
        action="membership.card_reissue",
        obj=membership,
        org=membership.union,
        changes={"card_version": membership.card_version},
    )
    return membership


def _card_signer() -> signing.TimestampSigner:
    return signing.TimestampSigner(key=settings.CARD_SIGNING_KEY, salt=CARD_SALT)


def card_token_issue(*, membership: Membership | MyCard) -> str:
    """A signed, expiring token for the card's QR code. It carries the member number only: never the ID number or
    the phone."""
    return _card_signer().sign(membership.member_no)


def _printed_signer() -> signing.Signer:
    return signing.Signer(key=settings.CARD_SIGNING_KEY, salt=CARD_PRINTED_SALT)


def card_printed_token(*, membership: Membership) -> str:
    """The token of a printed card (the PNG and PDF): it does not expire, because a card in a wallet cannot refresh
    its QR code. It carries the member number and the card's version; reissuing the card (`card_reissue`) moves the
    version on, and from then the old card checks as invalid."""
    return _printed_signer().sign(
        f"{CARD_PRINTED_TAG}{membership.member_no}{CARD_PRINTED_SEP}{membership.card_version}"
    )


def card_token_member(token: str) -> tuple[Membership | None, str]:
    """The membership a presented token stands for, and a status code: valid, expired, invalid, inactive. Takes the
    e-card's ten-minute token and the printed card's token alike."""
    token = token.strip()
    version = None
    try:
        if token.startswith(CARD_PRINTED_TAG):
            member_no, _sep, number = (
                _printed_signer().unsign(token)[len(CARD_PRINTED_TAG) :].rpartition(CARD_PRINTED_SEP)
            )
            version = int(number)
        else:
            member_no = _card_signer().unsign(token, max_age=CARD_TOKEN_MAX_AGE)
    except signing.SignatureExpired:
        return None, "expired"
    except (signing.BadSignature, ValueError):
        return None, "invalid"
    membership = Membership.objects.select_related("union").filter(member_no=member_no).first()
    if membership is None or (version is not None and version != membership.card_version):
        return None, "invalid"
    if membership.status != Membership.Status.ACTIVE:
        return membership, "inactive"
    return membership, "valid"
