"""Starting background jobs and reporting their progress, and handing out and expiring their result files. Progress
writes are plain UPDATEs outside the task's own transaction, so the person watching sees them while the work goes on."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.files import File
from django.core.files.base import ContentFile
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from zhijia.audit.services import audit_record
from zhijia.core.errors import NotFound, ZhijiaError

from .models import Job
from .selectors import job_get

logger = logging.getLogger(__name__)
# How long a progress write through a second connection waits for the job's row.
ASIDE_LOCK_WAIT = "2s"


@transaction.atomic
def job_start(*, owner: Any, kind: str, title: str, task: Any, params: dict[str, Any], org: Any = None) -> Job:
    """Record a job and enqueue its task once the row is committed. The task receives the job id."""
    job = Job.objects.create(owner=owner, kind=kind, title=title, params=params, org=org)
    audit_record(actor=owner, action="job.start", obj=job, org=org, changes={"kind": kind, "params": params})
    job_id = str(job.pk)
    transaction.on_commit(lambda: task.enqueue(job_id))
    return job


class Progress:
    """Handed to the work function: `progress.advance(n)` or `progress.set(done, total)`."""

    def __init__(self, job: Job, every: int = 1):
        self.job = job
        self.every = max(1, every)
        self._since = 0
        self._aside: Any = None

    def set(self, done: int, total: int | None = None, message: str = "") -> None:
        self.job.done = done
        fields: dict[str, Any] = {"done": done}
        if total is not None:
            self.job.total = total
            fields["total"] = total
        if message:
            fields["message"] = message[:300]
        self._write(fields)

    def advance(self, n: int = 1) -> None:
        self.job.done += n
        self._since += n
        if self._since >= self.every or self.job.done >= self.job.total:
            self._since = 0
            self._write({"done": min(self.job.done, self.job.total or self.job.done)})

    @contextmanager
    def aside(self) -> Iterator[None]:
        """While the work holds one long transaction open (a roster's first load on PostgreSQL), write progress
        through a connection of its own, so that it is seen before that transaction ends. Not for SQLite, where
        the second connection would wait for the first one's write lock."""
        default = connections[DEFAULT_DB_ALIAS]
        side = type(default)(dict(default.settings_dict), DEFAULT_DB_ALIAS)
        self._aside = side
        try:
            yield
        finally:
            self._aside = None
            side.close()

    def _write(self, fields: dict[str, Any]) -> None:
        side = self._aside
        if side is None:
            Job.objects.filter(pk=self.job.pk).update(**fields)
            return
        meta = Job._meta
        concrete = {f.name: f.column for f in meta.concrete_fields}
        columns = ", ".join(f"{side.ops.quote_name(concrete[name])} = %s" for name in fields)
        try:
            with side.cursor() as cursor:
                # Never wait long for the job's row: if the work's own transaction holds it (a caller that wrote
                # progress inside one), waiting would be waiting for ourselves. Progress is then left as it was.
                cursor.execute(f"SET lock_timeout = '{ASIDE_LOCK_WAIT}'")
                cursor.execute(
                    f"UPDATE {side.ops.quote_name(meta.db_table)} SET {columns} WHERE {meta.pk.column} = %s",  # noqa: S608
                    [*fields.values(), meta.pk.get_db_prep_value(self.job.pk, side)],
                )
        except DatabaseError:
            logger.warning("progress of job %s could not be written aside", self.job.pk)


def job_run(job_id: str, work: Callable[[Job, Progress], dict[str, Any] | None]) -> None:
    """Run `work` for a job inside a task: mark it running, then succeeded with its result, or failed."""
    job = Job.objects.get(pk=job_id)
    Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING, started_at=timezone.now())
    job.status = Job.Status.RUNNING
    try:
        result = work(job, Progress(job, every=max(1, job.total // 100) if job.total else 50)) or {}
    except Exception:
        # The failure is logged in full for operators; the person who started the job gets a plain message.
        logger.exception("job %s (%s) failed", job.pk, job.kind)
        Job.objects.filter(pk=job.pk).update(
            status=Job.Status.FAILED, finished_at=timezone.now(), message=gettext_noop("任务执行失败，请联系管理员。")
        )
        raise
    Job.objects.filter(pk=job.pk).update(
        status=Job.Status.SUCCEEDED, finished_at=timezone.now(), result=result, done=job.total or job.done
    )


def job_attach_file(*, job: Job, name: str, content: bytes, personal: bool = False) -> None:
    """Attach the job's result file. `personal`: it holds personal data in full (ID numbers, phones as uploaded or
    revealed), so every download is audited and the file is deleted after JOBS_PERSONAL_FILE_HOURS."""
    job.result_file.save(name, ContentFile(content), save=False)
    fields: dict[str, Any] = {"result_file": job.result_file.name}
    if personal:
        job.result_personal = True
        job.result_expires_at = timezone.now() + timedelta(hours=settings.JOBS_PERSONAL_FILE_HOURS)
        fields.update(result_personal=True, result_expires_at=job.result_expires_at)
    Job.objects.filter(pk=job.pk).update(**fields)


@transaction.atomic
def job_file_download(*, actor: Any, job_id: Any) -> tuple[Job, File]:
    """Open the result file of one of the actor's own jobs. A file that holds personal data in full is refused once
    it has expired, and each download of it is written to the audit log (`pii.download`): who, which job, when."""
    job = job_get(actor=actor, job_id=job_id)
    if job.result_expired:
        raise ZhijiaError(
            "job.file_expired",
            _("结果文件含个人信息，已过期删除（只保留 %(hours)s 小时）。如仍需要，请重新生成。")
            % {"hours": settings.JOBS_PERSONAL_FILE_HOURS},
            status=410,
        )
    if not job.result_file:
        raise NotFound("job")
    try:
        content = job.result_file.open("rb")
    except FileNotFoundError:
        raise NotFound("job") from None
    if job.result_personal:
        audit_record(actor=actor, action="pii.download", obj=job, org=job.org, changes={"file": job.result_file.name})
    return job, content


def job_files_expire(*, now: datetime | None = None) -> int:
    """Delete the result files holding personal data whose time is up (`zhijia jobs_expire`, hourly); the job stays,
    its page saying the file has expired. Each deletion is audited. Safe to run again: a file is deleted once."""
    now = now or timezone.now()
    count = 0
    due = Job.objects.filter(result_expires_at__lte=now).exclude(result_file="").select_related("org")
    for job in list(due):  # a few an hour; no cursor held open across the deletions
        name = str(job.result_file.name)
        # The file first: a run that stops halfway leaves the row pointing at nothing, and the next run finishes.
        job.result_file.storage.delete(name)
        with transaction.atomic():
            if Job.objects.filter(pk=job.pk, result_file=name).update(result_file=""):
                audit_record(actor=None, action="job.file_expire", obj=job, org=job.org, changes={"file": name})
                count += 1
    return count
