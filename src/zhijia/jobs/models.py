"""Long work (imports, exports, analyses) that runs in the background, with its progress for the person who
started it. The task itself runs on Django's tasks API; this row is what people watch."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Job(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("进行中")
        SUCCEEDED = "succeeded", _("已完成")
        FAILED = "failed", _("失败")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("发起人"), on_delete=models.CASCADE, related_name="jobs"
    )
    kind = models.CharField(_("任务类型"), max_length=60)
    title = models.CharField(_("标题"), max_length=200)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    done = models.PositiveIntegerField(_("已完成"), default=0)
    total = models.PositiveIntegerField(_("总量"), default=0)
    message = models.CharField(_("说明"), max_length=300, blank=True)
    params = models.JSONField(_("参数"), default=dict)
    result = models.JSONField(_("结果"), default=dict)
    result_file = models.FileField(_("结果文件"), upload_to="jobs/%Y/%m/", blank=True)
    # A result file that holds personal data in full (a full roster export, an import's rejected rows): every
    # download of it is audited, and it is deleted at `result_expires_at` (`zhijia jobs_expire`).
    result_personal = models.BooleanField(_("结果文件含完整个人信息"), default=False)
    result_expires_at = models.DateTimeField(_("结果文件过期时间"), null=True, blank=True)
    # The node the job was started for: the audit rows of its downloads are filed there, beside its start.
    org = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("所属组织"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("结束时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("后台任务")
        verbose_name_plural = pgettext_lazy("plural", "后台任务")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                name="job_done_within_total",
                condition=models.Q(done__lte=models.F("total")) | models.Q(total=0),
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def percent(self) -> int:
        if self.status == self.Status.SUCCEEDED:
            return 100
        if not self.total:
            return 0
        return min(100, int(self.done * 100 / self.total))

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.SUCCEEDED, self.Status.FAILED)

    @property
    def result_expired(self) -> bool:
        """The result file's time is up (it is refused from then on, and deleted by the next sweep)."""
        return self.result_expires_at is not None and self.result_expires_at <= timezone.now()
