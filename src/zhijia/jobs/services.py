"""Starting background jobs and reporting their progress. Progress writes are plain UPDATEs outside the task's
own transaction, so the person watching sees them while the work goes on."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.core.files.base import ContentFile
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from zhijia.audit.services import audit_record

from .models import Job

logger = logging.getLogger(__name__)
# How long a progress write through a second connection waits for the job's row.
ASIDE_LOCK_WAIT = "2s"


@transaction.atomic
def job_start(*, owner: Any, kind: str, title: str, task: Any, params: dict[str, Any], org: Any = None) -> Job:
    """Record a job and enqueue its task once the row is committed. The task receives the job id."""
    job = Job.objects.create(owner=owner, kind=kind, title=title, params=params)
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


def job_attach_file(*, job: Job, name: str, content: bytes) -> None:
    job.result_file.save(name, ContentFile(content), save=False)
    Job.objects.filter(pk=job.pk).update(result_file=job.result_file.name)
