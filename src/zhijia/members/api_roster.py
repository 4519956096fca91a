"""HTTP for the roster files: the import template, starting an import (multipart upload) or an export."""

from __future__ import annotations

from typing import Literal

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from zhijia.core.api import with_errors
from zhijia.core.errors import ValidationFailed
from zhijia.jobs.models import Job

from . import roster_files
from .services.roster_export import roster_export_start
from .services.roster_import import import_scope, roster_import_start

router = Router(tags=["roster"])
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class RosterJobOut(Schema):
    id: str
    status: str
    url: str


class ExportIn(Schema):
    under_id: int | None = None
    format: Literal["xlsx", "csv"] = "xlsx"
    full: bool = False


def _job_out(job: Job) -> RosterJobOut:
    # The job's page shows the progress bar and, when done, the file (GET /jobs/{id} has the same as JSON).
    return RosterJobOut(id=str(job.pk), status=job.status, url=reverse("jobs:detail", args=[job.pk]))


@router.get("/template", response=with_errors({200: None}), summary="名册导入模板（XLSX）")
def roster_template(request: HttpRequest) -> HttpResponse:
    import_scope(actor=request.user)
    response = HttpResponse(roster_files.template_xlsx(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="roster-template.xlsx"'
    return response


@router.post("/import", response=with_errors({202: RosterJobOut}), summary="后台导入会员名册（CSV 或 XLSX）")
def roster_import(
    request: HttpRequest,
    file: UploadedFile | None = File(None),  # noqa: B008 - django-ninja's way of declaring an optional upload
    all_or_nothing: bool = Form(False),
    union_code: str = Form(""),
) -> Status:
    # The scope is checked before the file: someone who may not import learns nothing from a missing file.
    import_scope(actor=request.user, union_code=union_code)
    if file is None:
        raise ValidationFailed("roster.file_required", _("请选择要导入的名册文件（CSV 或 XLSX）。"), field="file")
    job = roster_import_start(
        actor=request.user,
        upload=file,
        filename=file.name or "",
        all_or_nothing=all_or_nothing,
        union_code=union_code,
    )
    return Status(202, _job_out(job))


@router.post("/export", response=with_errors({202: RosterJobOut}), summary="后台导出会员名册（默认打码）")
def roster_export(request: HttpRequest, payload: ExportIn) -> Status:
    job = roster_export_start(actor=request.user, under_id=payload.under_id, fmt=payload.format, full=payload.full)
    return Status(202, _job_out(job))
