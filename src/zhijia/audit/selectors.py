"""Reading the audit log, always within the actor's subtree."""

from datetime import datetime
from typing import Any

from django.db.models import QuerySet

from zhijia.core.roles import Perm
from zhijia.core.scope import scope_for

from .models import AuditEvent


def audit_event_list(
    *,
    actor: Any,
    action: str | None = None,
    object_type: str | None = None,
    object_id: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> QuerySet[AuditEvent]:
    scope = scope_for(actor)
    qs = AuditEvent.objects.filter(scope.subtree_q(Perm.AUDIT_VIEW, "org"))
    if scope.is_superuser:
        qs = AuditEvent.objects.all()
    if action:
        qs = qs.filter(action__startswith=action)
    if object_type:
        qs = qs.filter(object_type=object_type)
    if object_id:
        qs = qs.filter(object_id=object_id)
    if since:
        qs = qs.filter(at__gte=since)
    if until:
        qs = qs.filter(at__lt=until)
    return qs.select_related("org").order_by("-at", "-id")
