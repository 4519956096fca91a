"""The member's inbox: one row per message to one account. Other apps write here only through `services.notify`."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Notification(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("收件人"), on_delete=models.CASCADE, related_name="notifications"
    )
    # What it is about, for filters and icons: "booking.confirmed", "waitlist.offer", "activity.reminder" ...
    kind = models.CharField(_("类别"), max_length=40)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    # A path on this site ("/bookings/12/"), never another site.
    link = models.CharField(_("链接"), max_length=500, blank=True)
    # The sender's own key for "this message, once" ("booking:12:confirmed"); empty means no deduplication.
    dedupe_key = models.CharField(_("去重键"), max_length=120, blank=True)
    sms = models.BooleanField(_("已发短信"), default=False)
    created_at = models.DateTimeField(_("发送时间"), default=timezone.now)
    read_at = models.DateTimeField(_("阅读时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("消息")
        verbose_name_plural = pgettext_lazy("plural", "消息")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "dedupe_key"], condition=~Q(dedupe_key=""), name="notification_dedupe_unique"
            ),
        ]
        indexes = [
            models.Index(fields=["user", "-created_at"], name="notification_inbox_idx"),
            # The header's unread count reads only this small partial index.
            models.Index(fields=["user"], condition=Q(read_at__isnull=True), name="notification_unread_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None
