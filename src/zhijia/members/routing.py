"""Where an application goes (domain.md, "The organisation tree"): the employer's union; for a small employer with no
union, the joint or grid union of the street where the person works; for someone in flexible employment, the
industry federation of their job group covering that area; otherwise the community or street federation.

The order is data (RoutingRule rows of the nearest federation above the work place that has any), so a city can
change it. The chosen route and the reason, in words, are kept on the application and shown to both sides.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext as _

from zhijia.organizations.models import Employer, Organization, OrgKind

from .models import IndustryRoute, RouteRule, RoutingRule

DEFAULT_ORDER = [
    RouteRule.EMPLOYER_UNION,
    RouteRule.STREET_JOINT_OR_GRID,
    RouteRule.INDUSTRY_FEDERATION,
    RouteRule.COMMUNITY_OR_STREET,
]


@dataclass(frozen=True)
class Route:
    union: Organization
    rule: str
    reason: str


def rule_order(work_street: Organization) -> list[str]:
    """The active rules of the nearest federation above (or at) the work street that defines any."""
    ancestor_paths = [work_street.path[: i * Organization.steplen] for i in range(1, work_street.depth + 1)]
    rows = list(
        RoutingRule.objects.filter(owner__path__in=ancestor_paths)
        .select_related("owner")
        .order_by("-owner__depth", "priority")
    )
    if not rows:
        return list(DEFAULT_ORDER)
    nearest = rows[0].owner_id
    return [r.rule for r in rows if r.owner_id == nearest and r.is_active]


def _street_joint_union(work_street: Organization, work_community: Organization | None) -> Organization | None:
    kinds = [OrgKind.JOINT_UNION, OrgKind.GRID]
    if work_community is not None:
        found = (
            Organization.objects.filter(path__startswith=work_community.path, kind__in=kinds, is_active=True)
            .order_by("depth", "path")
            .first()
        )
        if found is not None:
            return found
    return (
        Organization.objects.filter(path__startswith=work_street.path, kind__in=kinds, is_active=True)
        .order_by("depth", "path")
        .first()
    )


def _industry_federation(work_street: Organization, job_group: str) -> Organization | None:
    """The industry federation for this job group whose parent is the nearest ancestor of the work street."""
    covering = Q(pk__in=[])
    for depth in range(1, work_street.depth + 1):
        covering |= Q(path__startswith=work_street.path[: depth * Organization.steplen], depth=depth + 1)
    federations = IndustryRoute.objects.filter(job_group=job_group).values("federation_id")
    return (
        Organization.objects.filter(covering, pk__in=federations, kind=OrgKind.INDUSTRY, is_active=True)
        .order_by("-depth", "path")
        .first()
    )


def route_application(
    *,
    employer: Employer | None,
    no_employer: bool,
    job_group: str,
    work_street: Organization,
    work_community: Organization | None,
) -> Route:
    for rule in rule_order(work_street):
        if rule == RouteRule.EMPLOYER_UNION and employer is not None and employer.union_id is not None:
            union = employer.union
            assert union is not None
            return Route(
                union,
                rule,
                _("您的用人单位“%(employer)s”已建立工会，申请由“%(union)s”受理。")
                % {"employer": employer.name, "union": union.name},
            )
        if rule == RouteRule.STREET_JOINT_OR_GRID and not no_employer:
            union = _street_joint_union(work_street, work_community)
            if union is not None:
                return Route(
                    union,
                    rule,
                    _("您的用人单位尚未单独建立工会，申请由工作地的“%(union)s”受理。") % {"union": union.name},
                )
        if rule == RouteRule.INDUSTRY_FEDERATION and no_employer:
            union = _industry_federation(work_street, job_group)
            if union is not None:
                return Route(union, rule, _("您从事的职业有行业工会，申请由“%(union)s”受理。") % {"union": union.name})
        if rule == RouteRule.COMMUNITY_OR_STREET:
            union = work_community or work_street
            return Route(union, rule, _("申请由您工作所在地的“%(union)s”受理。") % {"union": union.name})
    # A city that switched every rule off still has its workers placed: the street is always there.
    return Route(
        work_street,
        RouteRule.COMMUNITY_OR_STREET,
        _("申请由您工作所在地的“%(union)s”受理。") % {"union": work_street.name},
    )
