"""HTTP for the progress of one's own background jobs."""

from datetime import datetime
from typing import Any
from uuid import UUID

from django.http import HttpRequest
from ninja import Router, Schema

from zhijia.core.api import with_errors

from .models import Job
from .selectors import job_get

router = Router(tags=["jobs"])


class JobOut(Schema):
    id: UUID
    kind: str
    title: str
    status: str
    done: int
    total: int
    percent: int
    message: str
    result: dict[str, Any]
    download_url: str | None
    # A result file holding personal data in full is deleted at this time (download_url is then null).
    file_expires_at: datetime | None
    created_at: datetime
    finished_at: datetime | None


def job_out(job: Job) -> JobOut:
    from django.urls import reverse

    return JobOut(
        id=job.pk,
        kind=job.kind,
        title=job.title,
        status=job.status,
        done=job.done,
        total=job.total,
        percent=job.percent,
        message=job.message,
        result=job.result,
        download_url=reverse("jobs:download", args=[job.pk]) if job.result_file and not job.result_expired else None,
        file_expires_at=job.result_expires_at,
        created_at=job.created_at,
        finished_at=job.finished_at,
    )


@router.get("/{job_id}", response=with_errors({200: JobOut}), summary="后台任务进度")
def job_detail(request: HttpRequest, job_id: UUID) -> JobOut:
    return job_out(job_get(actor=request.user, job_id=job_id))
