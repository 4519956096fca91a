"""HTTP for the audit log of the actor's subtree."""

from datetime import UTC, datetime
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from pydantic import field_validator

from zhijia.core.api import Pagination, with_errors

from .selectors import audit_event_list

router = Router(tags=["audit"])


class AuditEventOut(Schema):
    id: int
    at: datetime
    actor_label: str
    action: str
    object_type: str
    object_id: str
    object_repr: str
    org_id: int | None
    ip: str | None
    changes: dict[str, Any]


class AuditFilters(Schema):
    action: str | None = Field(None, max_length=80)
    object_type: str | None = Field(None, max_length=80)
    object_id: str | None = Field(None, max_length=64)
    since: datetime | None = None
    until: datetime | None = None

    @field_validator("since", "until")
    @classmethod
    def _in_utc(cls, value: datetime | None) -> datetime | None:
        # PostgreSQL refuses offsets beyond ±15:59; any offset Python accepts becomes the same instant in UTC.
        if value is None:
            return None
        try:
            if value.tzinfo is None:
                return timezone.make_aware(value).astimezone(UTC)
            return value.astimezone(UTC)
        except OverflowError:
            # 0001-01-01T00:00+05:00 lies before year 1 in UTC (9999-12-31T23:59-10:00 after 9999): a 422, not a 500.
            raise ValueError("datetime out of range") from None


@router.get("", response=with_errors({200: list[AuditEventOut]}), summary="审计日志（本级及下级）")
@paginate(Pagination, page_size=50)
def audit_list(request: HttpRequest, filters: Query[AuditFilters]) -> Any:
    return audit_event_list(actor=request.user, **filters.dict())
