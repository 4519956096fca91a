"""Reading applications and the roster, always from the actor's scope (a worker sees only their own)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from zhijia.core.errors import NotFound
from zhijia.core.pii import blind_index, is_mainland_mobile, normalize_phone, phone_index
from zhijia.core.roles import Perm
from zhijia.core.scope import scope_for
from zhijia.organizations.selectors import org_get

from .idnumber import IdNumberError, parse_id_number
from .models import Application, Membership, MembershipTransfer


def id_index(value: str) -> str:
    """The blind index of a normalised ID number."""
    return blind_index(value.upper(), purpose="id_number")


def application_queue(*, actor: Any, status: str | None = Application.Status.SUBMITTED) -> QuerySet[Application]:
    scope = scope_for(actor)
    qs = Application.objects.filter(scope.subtree_q(Perm.MEMBER_VIEW, "union"))
    if status:
        qs = qs.filter(status=status)
    return qs.select_related("union", "employer").order_by("submitted_at", "id")


def application_get(*, actor: Any, application_id: int) -> Application:
    """An application as staff (within scope) or as its own applicant."""
    scope = scope_for(actor)
    visible = scope.subtree_q(Perm.MEMBER_VIEW, "union")
    if getattr(actor, "is_authenticated", False):
        visible |= Q(applicant_id=actor.pk)
    try:
        return Application.objects.select_related("union", "employer", "membership").get(visible, pk=application_id)
    except (Application.DoesNotExist, ValueError, TypeError):
        raise NotFound("application") from None


def my_applications(*, actor: Any) -> QuerySet[Application]:
    if not getattr(actor, "is_authenticated", False):
        return Application.objects.none()
    return Application.objects.filter(applicant_id=actor.pk).select_related("union").order_by("-submitted_at")


def my_membership(*, actor: Any) -> Membership | None:
    if not getattr(actor, "is_authenticated", False):
        return None
    return Membership.objects.filter(user_id=actor.pk, status=Membership.Status.ACTIVE).select_related("union").first()


def member_list(
    *,
    actor: Any,
    search: str | None = None,
    under_id: int | None = None,
    job_group: str | None = None,
    status: str | None = None,
    needy: bool | None = None,
    model_worker: bool | None = None,
) -> QuerySet[Membership]:
    """The roster in scope. A full ID number or phone is matched exactly through its blind index; other text
    matches the start of a name."""
    scope = scope_for(actor)
    qs = Membership.objects.filter(scope.subtree_q(Perm.MEMBER_VIEW, "union"))
    if under_id is not None:
        qs = qs.filter(union__path__startswith=org_get(actor=actor, org_id=under_id).path)
    if search:
        term = search.strip()
        try:
            qs = qs.filter(id_index=id_index(parse_id_number(term).value))
        except IdNumberError:
            if is_mainland_mobile(normalize_phone(term)):
                qs = qs.filter(phone_index=phone_index(term))
            else:
                qs = qs.filter(name__startswith=term)
    if job_group:
        qs = qs.filter(job_group=job_group)
    if status:
        qs = qs.filter(status=status)
    if needy is not None:
        qs = qs.exclude(needy_level="none") if needy else qs.filter(needy_level="none")
    if model_worker is not None:
        qs = qs.exclude(model_worker_level="none") if model_worker else qs.filter(model_worker_level="none")
    return qs.select_related("union").order_by("-joined_at", "-id")


def member_get(*, actor: Any, membership_id: int) -> Membership:
    try:
        return member_list(actor=actor).select_related("employer", "user").get(pk=membership_id)
    except (Membership.DoesNotExist, ValueError, TypeError):
        raise NotFound("member") from None


def member_history(membership: Membership) -> dict[str, Any]:
    """A membership's life, oldest first: its events (with who did them) and the unions it moved through."""
    return {
        "events": list(membership.events.select_related("actor").order_by("at", "id")),
        "transfers": list(membership.transfers.select_related("from_union", "to_union").order_by("at", "id")),
    }


def transfers_out(*, actor: Any) -> QuerySet[MembershipTransfer]:
    """Members who left a union in the actor's scope for a union elsewhere: the union they left still sees them."""
    scope = scope_for(actor)
    return (
        MembershipTransfer.objects.filter(scope.subtree_q(Perm.MEMBER_VIEW, "from_union"))
        .select_related("membership", "from_union", "to_union")
        .order_by("-at")
    )
