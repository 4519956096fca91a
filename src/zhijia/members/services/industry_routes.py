"""Routing data: which job groups an industry federation takes in (a couriers' union: couriers)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from zhijia.audit.services import audit_record
from zhijia.core.errors import ValidationFailed
from zhijia.core.roles import Perm
from zhijia.core.scope import scope_for
from zhijia.organizations.models import Organization, OrgKind
from zhijia.organizations.selectors import org_get

from ..models import IndustryRoute, JobGroup


@transaction.atomic
def industry_route_add(*, actor: Any, federation_id: int, job_group: str) -> tuple[IndustryRoute, bool]:
    """Let an industry federation take in a job group (the system, `actor` None, may set any). Idempotent."""
    if actor is None:
        federation = Organization.objects.get(pk=federation_id)
    else:
        federation = org_get(actor=actor, org_id=federation_id)
        scope_for(actor).require(Perm.TREE_EDIT, "org")
    if federation.kind != OrgKind.INDUSTRY:
        raise ValidationFailed(
            "routing.not_industry", _("只有行业工会联合会可以按职业群体接收会员。"), field="federation_id"
        )
    if job_group not in JobGroup.values:
        raise ValidationFailed("routing.job_group", _("请选择职业群体。"), field="job_group")
    route, created = IndustryRoute.objects.get_or_create(federation=federation, job_group=job_group)
    if created:
        audit_record(
            actor=actor, action="routing.industry_add", obj=route, org=federation, changes={"job_group": job_group}
        )
    return route, created
