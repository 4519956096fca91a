"""Writing to the audit log. Called inside the service that makes the change, in the same transaction."""

from typing import Any

from django.db import models
from django.utils.translation import gettext_noop

from zhijia.core import context

from .models import AuditEvent

# Stored as data in Chinese; the log page translates it when it shows it.
SYSTEM_LABEL = gettext_noop("系统")


def audit_record(
    *,
    actor: Any,
    action: str,
    obj: models.Model,
    org: Any = None,
    changes: dict[str, Any] | None = None,
) -> AuditEvent:
    meta = context.current()
    is_person = actor is not None and getattr(actor, "is_authenticated", False)
    return AuditEvent.objects.create(
        actor=actor if is_person else None,
        actor_label=str(actor)[:150] if is_person else SYSTEM_LABEL,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        org=org,
        ip=meta.ip,
        request_id=meta.request_id,
        changes=_jsonable(changes or {}),
    )


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_jsonable(v) for v in value]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if isinstance(value, models.Model):
        return {"id": value.pk, "repr": str(value)}
    return str(value)
