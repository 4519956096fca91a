"""Reading applications and the roster, always from the actor's scope (a worker sees only their own)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from statistics import median
from typing import Any

from django.db import connection
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from zhijia.core.errors import NotFound, ValidationFailed
from zhijia.core.pii import blind_index, is_mainland_mobile, normalize_phone, phone_index
from zhijia.core.roles import Perm
from zhijia.core.scope import scope_for
from zhijia.organizations.models import Employer, Organization, OrgKind
from zhijia.organizations.selectors import org_get

from .idnumber import IdNumberError, parse_id_number
from .models import Application, Membership, MembershipTransfer, ReviewPolicy, RouteRule, RoutingRule


def id_index(value: str) -> str:
    """The blind index of a normalised ID number."""
    return blind_index(value.upper(), purpose="id_number")


def application_queue(
    *,
    actor: Any,
    status: str | None = Application.Status.SUBMITTED,
    under_id: int | None = None,
    search: str | None = None,
) -> QuerySet[Application]:
    """Applications to the unions in scope, oldest first (the one waiting longest is reviewed first)."""
    scope = scope_for(actor)
    qs = Application.objects.filter(scope.subtree_q(Perm.MEMBER_VIEW, "union"))
    if under_id is not None:
        qs = qs.filter(union__path__startswith=org_get(actor=actor, org_id=under_id).path)
    if status:
        qs = qs.filter(status=status)
    if search and search.strip():
        qs = qs.filter(name__startswith=search.strip())
    places = ("work_street", "work_community", "live_street", "live_community")
    return qs.select_related("union", "employer", "membership", *places).order_by("submitted_at", "id")


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


@dataclass(frozen=True)
class MyCard:
    """What the member's own card shows: no ID number, no phone (nothing to decrypt)."""

    member_no: str
    name: str
    joined_at: datetime
    status: str
    union_id: int
    union_code: str
    union_name: str


@cache
def _my_card_sql() -> str:
    m, o = Membership._meta, Organization._meta

    def col(model: Any, field: str) -> str:
        return connection.ops.quote_name(model._meta.get_field(field).column)

    mt, ot = connection.ops.quote_name(m.db_table), connection.ops.quote_name(o.db_table)
    fields = ", ".join(f"{mt}.{col(Membership, f)}" for f in ("member_no", "name", "joined_at", "status"))
    union = ", ".join(f"{ot}.{col(Organization, f)}" for f in ("id", "code", "name"))
    join = f"{ot}.{col(Organization, 'id')} = {mt}.{col(Membership, 'union')}"
    where = f"{mt}.{col(Membership, 'user')} = %s AND {mt}.{col(Membership, 'status')} = %s"
    # Names from the models' metadata, values as parameters.
    return f"SELECT {fields}, {union} FROM {mt} JOIN {ot} ON {join} WHERE {where} ORDER BY {mt}.{col(Membership, 'id')} LIMIT 1"  # noqa: S608,E501


def my_card(*, actor: Any) -> MyCard | None:
    """The member's active membership and its union for the card, in one plain query (the ORM would cost more than
    the rest of the request); the same row `my_membership` finds."""
    if not getattr(actor, "is_authenticated", False):
        return None
    with connection.cursor() as cursor:
        cursor.execute(_my_card_sql(), [actor.pk, Membership.Status.ACTIVE.value])
        row = cursor.fetchone()
    if row is None:
        return None
    member_no, name, joined_at, status, union_id, union_code, union_name = row
    if isinstance(joined_at, str):  # SQLite without its converters
        joined_at = datetime.fromisoformat(joined_at)
    if joined_at.tzinfo is None:  # stored in UTC (USE_TZ); SQLite hands it back naive
        joined_at = joined_at.replace(tzinfo=UTC)
    return MyCard(member_no, name, joined_at, status, union_id, union_code, union_name)


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
                qs = qs.filter(_name_starts(term))
    if job_group:
        qs = qs.filter(job_group=job_group)
    if status:
        qs = qs.filter(status=status)
    if needy is not None:
        qs = qs.exclude(needy_level="none") if needy else qs.filter(needy_level="none")
    if model_worker is not None:
        qs = qs.exclude(model_worker_level="none") if model_worker else qs.filter(model_worker_level="none")
    return qs.select_related("union").order_by("-joined_at", "-id")


def _name_starts(term: str) -> Q:
    """Names that start with `term`, in the form the (union, name) index serves: on SQLite a range, because its
    LIKE ignores ASCII case and so never uses an index (kept for terms with Latin letters); elsewhere LIKE."""
    if connection.vendor == "sqlite" and not any(c.isascii() and c.isalpha() for c in term):
        return Q(name__gte=term, name__lt=term + "\U0010ffff")
    return Q(name__startswith=term)


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


# The seeds' benchmark: from applying on a phone to holding the card "in under 8 minutes" (002).
TIME_TO_CARD_TARGET_SECONDS = 8 * 60


@dataclass(frozen=True)
class CardTiming:
    """How long approved applicants of one union (or of the whole scope, `union` None) waited for their card."""

    union: Organization | None
    count: int
    median_seconds: float
    under_target: int

    @property
    def share_under_target(self) -> float:
        return self.under_target / self.count if self.count else 0.0


def _timing(union: Organization | None, seconds: list[float]) -> CardTiming:
    return CardTiming(
        union=union,
        count=len(seconds),
        median_seconds=float(median(seconds)) if seconds else 0.0,
        under_target=sum(1 for s in seconds if s < TIME_TO_CARD_TARGET_SECONDS),
    )


def time_to_card(*, actor: Any, since: datetime | None = None) -> tuple[CardTiming, list[CardTiming]]:
    """The time from applying to holding the card over the actor's subtree: overall, and per reviewing union (the
    busiest first). Only approved applications count; `since` limits them to those decided since then."""
    scope = scope_for(actor)
    scope.require(Perm.MEMBER_VIEW, "application")
    qs = Application.objects.filter(
        scope.subtree_q(Perm.MEMBER_VIEW, "union"), status=Application.Status.APPROVED, decided_at__isnull=False
    )
    if since is not None:
        qs = qs.filter(decided_at__gte=since)
    per_union: dict[int, list[float]] = defaultdict(list)
    for union_id, submitted_at, decided_at in qs.values_list("union_id", "submitted_at", "decided_at").iterator():
        if decided_at is not None:
            per_union[union_id].append((decided_at - submitted_at).total_seconds())
    unions = Organization.objects.in_bulk(list(per_union))
    rows = [_timing(unions[pk], seconds) for pk, seconds in per_union.items()]
    rows.sort(key=lambda r: (-r.count, r.union.path if r.union else ""))
    overall = _timing(None, [s for seconds in per_union.values() for s in seconds])
    return overall, rows


# The places an applicant chooses where they work and live from: city → district → street → community.
PLACE_KINDS = (
    OrgKind.CITY_FEDERATION,
    OrgKind.DISTRICT_FEDERATION,
    OrgKind.STREET_FEDERATION,
    OrgKind.COMMUNITY,
    OrgKind.VILLAGE,
)


def place_get(*, place_id: int) -> Organization:
    """A place from the public list (any active city, district, street or community federation)."""
    try:
        return Organization.objects.get(pk=place_id, kind__in=PLACE_KINDS, is_active=True)
    except (Organization.DoesNotExist, ValueError, TypeError, OverflowError):
        raise NotFound("place") from None


def place_list(*, parent_id: int | None = None) -> QuerySet[Organization]:
    """Public: the cities, or the places directly below one (a city's districts, a district's streets, a street's
    communities). Names of public bodies only, so anyone filling in the application form may read them."""
    qs = Organization.objects.filter(is_active=True)
    if parent_id is None:
        return qs.filter(kind=OrgKind.CITY_FEDERATION).order_by("path")
    parent = place_get(place_id=parent_id)
    return qs.filter(path__startswith=parent.path, depth=parent.depth + 1, kind__in=PLACE_KINDS).order_by("path")


def employer_search(*, search: str, street_id: int | None = None) -> QuerySet[Employer]:
    """Public: employers whose name contains `search` (optionally located under a street), for the application form.
    Callers show the name and id only."""
    term = search.strip()
    if not term:
        return Employer.objects.none()
    qs = Employer.objects.filter(name__contains=term)
    if street_id is not None:
        qs = qs.filter(located_in__path__startswith=place_get(place_id=street_id).path)
    return qs.order_by("name", "id")


def employer_public_get(*, employer_id: int) -> Employer | None:
    """Public: one employer by id (the one an applicant chose), for showing its name again."""
    return Employer.objects.filter(pk=employer_id).only("id", "name").first()


def transfer_target_by_code(*, code: str) -> Organization:
    """The union a member moves to, by its code. Any active union of the tree: a worker may change job to another
    district, so the target need not lie in the actor's own subtree (the transfer service checks its level)."""
    org = Organization.objects.filter(code=code.strip(), is_active=True).first()
    if org is None:
        raise ValidationFailed(
            "membership.transfer_target_unknown",
            _("找不到组织编码为“%(code)s”的工会。") % {"code": code.strip()},
            field="new_union_code",
        )
    return org


def review_policy_for(*, actor: Any, union_id: int) -> tuple[Organization, ReviewPolicy]:
    """A union's auto-approval rules (the defaults, unsaved, if it never set any), for staff who may change them."""
    union = org_get(actor=actor, org_id=union_id)
    scope_for(actor).require(Perm.MEMBER_MANAGE, "review_policy")
    return union, ReviewPolicy.objects.filter(union=union).first() or ReviewPolicy(union=union)


def routing_rules_for(*, actor: Any, owner_id: int) -> tuple[Organization, list[RoutingRule]]:
    """A node's own routing rules in order, or (unsaved) the order it follows now if it has none of its own."""
    owner = org_get(actor=actor, org_id=owner_id)
    scope_for(actor).require(Perm.MEMBER_MANAGE, "routing_rule")
    own = list(RoutingRule.objects.filter(owner=owner).order_by("priority"))
    if own:
        return owner, own
    from .routing import rule_order

    order = rule_order(owner)
    rest = [r for r in RouteRule.values if r not in order]
    rules = [RoutingRule(owner=owner, rule=r, priority=i, is_active=r in order) for i, r in enumerate(order + rest, 1)]
    return owner, rules
