"""Staff set their unions' joining rules: a union's auto-approval switch and its conditions (ReviewPolicy), and the
routing order a federation applies to applications in its subtree (RoutingRule)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from zhijia.audit.services import audit_record
from zhijia.core.errors import ValidationFailed
from zhijia.core.roles import Perm
from zhijia.core.scope import scope_for
from zhijia.organizations.models import OrgLevel
from zhijia.organizations.selectors import org_get

from ..models import ReviewPolicy, RouteRule, RoutingRule

# Nodes that hold members (and so review applications): grassroots unions, 小二级 federations, street federations.
REVIEW_LEVELS = (OrgLevel.GRASSROOTS, OrgLevel.AREA_FEDERATION, OrgLevel.STREET)


@transaction.atomic
def review_policy_update(
    *,
    actor: Any,
    union_id: int,
    auto_approve: bool,
    require_phone_verified: bool,
    require_employer_on_roster: bool,
) -> ReviewPolicy:
    """Switch a union's auto-approval on or off and choose what it requires. A union outside the actor's subtree is
    missing (404)."""
    union = org_get(actor=actor, org_id=union_id)
    scope_for(actor).require(Perm.MEMBER_MANAGE, "review_policy")
    if union.level not in REVIEW_LEVELS:
        raise ValidationFailed(
            "review_policy.level", _("只有接收会员的工会（基层工会、工会联合会）才有审核规则。"), field="union_id"
        )
    policy, _created = ReviewPolicy.objects.select_for_update().get_or_create(union=union)
    wanted = {
        "auto_approve": bool(auto_approve),
        "require_phone_verified": bool(require_phone_verified),
        "require_employer_on_roster": bool(require_employer_on_roster),
    }
    changes = {f: [getattr(policy, f), v] for f, v in wanted.items() if getattr(policy, f) != v}
    if changes:
        for f, v in wanted.items():
            setattr(policy, f, v)
        policy.save(update_fields=list(wanted))
        audit_record(actor=actor, action="review_policy.update", obj=policy, org=union, changes=changes)
    return policy


@transaction.atomic
def routing_rules_update(*, actor: Any, owner_id: int, rules: list[tuple[str, int, bool]]) -> list[RoutingRule]:
    """Set the routing order of a federation in the actor's subtree: every rule once, with its place (1 first) and
    whether it applies. Applications whose work place lies under this node follow it (the nearest node above the
    work place that has rules wins)."""
    owner = org_get(actor=actor, org_id=owner_id)
    scope_for(actor).require(Perm.MEMBER_MANAGE, "routing_rule")
    names = [r for r, _p, _a in rules]
    if sorted(names) != sorted(RouteRule.values) or len(set(names)) != len(names):
        raise ValidationFailed("routing.rules_incomplete", _("请为每一条分配规则设定顺序。"), field="rules")
    priorities = sorted(p for _r, p, _a in rules)
    if priorities != list(range(1, len(rules) + 1)):
        raise ValidationFailed(
            "routing.priorities", _("分配规则的顺序应为 1 到 %(n)d，且不能重复。") % {"n": len(rules)}, field="rules"
        )
    if not any(active for _r, _p, active in rules):
        raise ValidationFailed("routing.none_active", _("至少要启用一条分配规则。"), field="rules")
    before = {r.rule: [r.priority, r.is_active] for r in RoutingRule.objects.filter(owner=owner)}
    RoutingRule.objects.filter(owner=owner).delete()
    created = RoutingRule.objects.bulk_create(
        [RoutingRule(owner=owner, rule=r, priority=p, is_active=a) for r, p, a in sorted(rules, key=lambda x: x[1])]
    )
    audit_record(
        actor=actor,
        action="routing.rules_update",
        obj=owner,
        org=owner,
        changes={"before": before, "after": {r: [p, a] for r, p, a in rules}},
    )
    return created
