"""HTTP for the inbox: the signed-in account's own messages, newest first, and marking them read."""

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from zhijia.core.api import PageMapped, Pagination, with_errors

from . import selectors, services
from .models import Notification

router = Router(tags=["notifications"])


class NotificationOut(Schema):
    id: int
    kind: str
    title: str
    body: str
    link: str
    created_at: dt.datetime
    read_at: dt.datetime | None
    is_read: bool


class NotificationFilters(Schema):
    unread: bool = Field(False, description="只看未读")


class UnreadOut(Schema):
    unread: int


class ReadAllOut(Schema):
    marked: int = Field(description="本次标为已读的条数")


def _out(n: Notification) -> dict[str, Any]:
    return {
        "id": n.pk,
        "kind": n.kind,
        "title": n.title,
        "body": n.body,
        "link": n.link,
        "created_at": n.created_at,
        "read_at": n.read_at,
        "is_read": n.is_read,
    }


@router.get("", response=with_errors({200: list[NotificationOut]}), summary="我的消息（最新在前）")
@paginate(Pagination, page_size=20)
def notification_list(request: HttpRequest, filters: Query[NotificationFilters]) -> list[NotificationOut]:
    qs = selectors.notification_list(actor=request.user, unread_only=filters.unread)
    return PageMapped(qs, lambda page: [_out(n) for n in page])  # type: ignore[return-value]


@router.get("/unread-count", response=with_errors({200: UnreadOut}), summary="未读消息数")
def unread_count(request: HttpRequest) -> dict[str, int]:
    return {"unread": selectors.unread_count(actor=request.user)}


@router.post("/read-all", response=with_errors({200: ReadAllOut}), summary="全部标为已读")
def notification_read_all(request: HttpRequest) -> dict[str, int]:
    return {"marked": services.notification_mark_all_read(actor=request.user)}


@router.post("/{notification_id}/read", response=with_errors({200: NotificationOut}), summary="标为已读")
def notification_read(request: HttpRequest, notification_id: int) -> dict[str, Any]:
    return _out(services.notification_mark_read(actor=request.user, notification_id=notification_id))
