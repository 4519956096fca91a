"""Every write to the inbox: sending a message (any app calls `notify`), and the member marking messages read.

`notify` is safe inside the caller's transaction: the row commits with the caller's work, and the SMS leaves only
after that commit (a rolled-back booking sends nothing). With a `dedupe_key` the same message is written once per
account however many times, or from however many threads, it is sent.
"""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhijia.audit.services import audit_record
from zhijia.core.errors import ValidationFailed
from zhijia.core.gateways.sms import get_sms_gateway

from .models import Notification
from .selectors import notification_get, notification_list

TITLE_MAX = Notification._meta.get_field("title").max_length or 200
KIND_MAX = Notification._meta.get_field("kind").max_length or 40
LINK_MAX = Notification._meta.get_field("link").max_length or 500
DEDUPE_MAX = Notification._meta.get_field("dedupe_key").max_length or 120
# What an SMS carries of the title: a short line, the rest is in the inbox.
SMS_TITLE_MAX = 60


def _check(*, kind: str, title: str, link: str, dedupe_key: str) -> None:
    if not kind or len(kind) > KIND_MAX:
        raise ValidationFailed("notification.kind_invalid", _("消息类别不能为空，且不超过 40 个字符。"), field="kind")
    if not title.strip():
        raise ValidationFailed("notification.title_required", _("消息标题不能为空。"), field="title")
    # Only a path on this site: a message must never send a member to another site.
    if link and (not link.startswith("/") or link.startswith("//") or "\\" in link or len(link) > LINK_MAX):
        raise ValidationFailed("notification.link_invalid", _("消息链接必须是本站的路径。"), field="link")
    if len(dedupe_key) > DEDUPE_MAX:
        raise ValidationFailed("notification.dedupe_key_too_long", _("去重键不超过 120 个字符。"), field="dedupe_key")


def notify(
    user: Any,
    *,
    kind: str,
    title: str,
    body: str = "",
    link: str = "",
    sms: bool = False,
    dedupe_key: str = "",
) -> Notification:
    """One inbox message for `user` (an accounts.User); with `sms` also a text message when the account has a phone.

    Given a `dedupe_key`, a second call for the same account returns the first message and sends nothing."""
    _check(kind=kind, title=title, link=link, dedupe_key=dedupe_key)
    phone = user.phone if sms else ""
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                user_id=user.pk,
                kind=kind,
                title=title.strip()[:TITLE_MAX],
                body=body,
                link=link,
                dedupe_key=dedupe_key,
                sms=bool(phone),
            )
            audit_record(
                actor=None,
                action="notification.send",
                obj=notification,
                changes={"user": user.pk, "kind": kind, "sms": bool(phone)},
            )
    except IntegrityError:
        # The keyed message was sent before (a unique constraint decides, so two requests at once cannot both send
        # it): the first one is the answer. Trying the insert first spares the usual case a lookup.
        if not dedupe_key:
            raise
        return Notification.objects.get(user_id=user.pk, dedupe_key=dedupe_key)
    if phone:
        params = {"title": notification.title[:SMS_TITLE_MAX]}
        transaction.on_commit(lambda: get_sms_gateway().send(phone=phone, template=f"notify.{kind}", params=params))
    return notification


@transaction.atomic
def notification_mark_read(*, actor: Any, notification_id: int) -> Notification:
    """The member has read one of their messages (someone else's is a 404). Reading it twice changes nothing."""
    notification = notification_get(actor=actor, notification_id=notification_id)
    if notification.read_at is None:
        now = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=now)
        notification.read_at = now
        audit_record(actor=actor, action="notification.read", obj=notification)
    return notification


@transaction.atomic
def notification_mark_all_read(*, actor: Any) -> int:
    """Every unread message of the member is read now; returns how many were unread."""
    count = notification_list(actor=actor, unread_only=True).update(read_at=timezone.now())
    if count:
        audit_record(actor=actor, action="notification.read_all", obj=actor, changes={"count": count})
    return count
