"""The audit log: an append-only record of every write the services make, and every reveal of personal data."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class AuditEvent(models.Model):
    at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Kept even when the account is later removed: the log must still say who it was.
    actor_label = models.CharField(_("操作人名称"), max_length=150)
    action = models.CharField(_("动作"), max_length=80, db_index=True)
    object_type = models.CharField(_("对象类型"), max_length=80)
    object_id = models.CharField(_("对象编号"), max_length=64)
    object_repr = models.CharField(_("对象"), max_length=200)
    # The node the event belongs to; staff browse the log of their own subtree through it.
    org = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("所属组织"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    ip = models.GenericIPAddressField(_("来源地址"), null=True)
    request_id = models.CharField(_("请求编号"), max_length=32, blank=True)
    changes = models.JSONField(_("变更内容"), default=dict)

    class Meta:
        verbose_name = _("审计事件")
        verbose_name_plural = pgettext_lazy("plural", "审计事件")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"]), models.Index(fields=["org", "-at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_repr}"
