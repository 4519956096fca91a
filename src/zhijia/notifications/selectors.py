"""Reading the inbox. Everyone reads only their own messages; anyone else's is a 404."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from zhijia.core.errors import NotFound

from .models import Notification


def notification_list(*, actor: Any, unread_only: bool = False) -> QuerySet[Notification]:
    if actor is None or not actor.is_authenticated:
        return Notification.objects.none()
    qs = Notification.objects.filter(user_id=actor.pk)
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    return qs.order_by("-created_at", "-id")


def notification_get(*, actor: Any, notification_id: int) -> Notification:
    try:
        return notification_list(actor=actor).get(pk=notification_id)
    except (Notification.DoesNotExist, ValueError, TypeError):
        raise NotFound("notification") from None


def unread_count(*, actor: Any) -> int:
    """One count over the partial unread index; no query at all for an anonymous visitor."""
    if actor is None or not actor.is_authenticated:
        return 0
    return Notification.objects.filter(user_id=actor.pk, read_at__isnull=True).count()
