"""Exporting the roster of a subtree as XLSX or CSV in the background. ID numbers and phones are masked unless the
actor may reveal personal data and asks for them in full; a full export is written to the audit log as `pii.export`.

The columns start with the import template's, so an exported file can be corrected and imported again.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhijia.audit.services import audit_record
from zhijia.core.errors import ValidationFailed
from zhijia.core.pii import mask_id_number, mask_phone
from zhijia.core.roles import Perm
from zhijia.core.scope import scope_for
from zhijia.jobs.models import Job
from zhijia.jobs.services import Progress, job_attach_file, job_start
from zhijia.organizations.models import Organization
from zhijia.organizations.selectors import org_get, org_root_for

from .. import roster_files
from ..models import JobGroup, Membership, ModelWorkerLevel, NeedyLevel
from ..selectors import member_list

JOB_KIND = "member.export"
FORMATS = ("xlsx", "csv")


def export_header() -> list[str]:
    labels = dict(zip(roster_files.COLUMN_KEYS, roster_files.header_labels(), strict=True))
    return [
        labels["name"],
        labels["id_number"],
        labels["phone"],
        labels["union_code"],
        labels["employer"],
        labels["job_group"],
        labels["needy"],
        labels["model_worker"],
        labels["joined_on"],
        _("会员号"),
        _("工会名称"),
        _("状态"),
        _("来源"),
    ]


@transaction.atomic
def roster_export_start(*, actor: Any, under_id: int | None = None, fmt: str = "xlsx", full: bool = False) -> Job:
    """Start exporting the members of the actor's scope (or of one node in it)."""
    scope = scope_for(actor)
    scope.require(Perm.MEMBER_EXPORT, "member")
    org = org_get(actor=actor, org_id=under_id) if under_id is not None else org_root_for(actor=actor)
    if org is None:
        raise ValidationFailed("roster.export_org", _("请选择要导出的组织。"), field="under_id")
    if full:
        scope.require(Perm.PII_REVEAL, "member")
    if fmt not in FORMATS:
        raise ValidationFailed("roster.export_format", _("导出格式只能是 XLSX 或 CSV。"), field="format")
    from ..tasks import export_roster  # the task runs this module's work: see tasks.py

    job = job_start(
        owner=actor,
        kind=JOB_KIND,
        title=(_("导出会员名册（完整信息）：%(org)s") if full else _("导出会员名册：%(org)s")) % {"org": org.name},
        task=export_roster,
        params={"org_id": org.pk, "format": fmt, "full": full},
        org=org,
    )
    if full:
        audit_record(actor=actor, action="pii.export", obj=job, org=org, changes={"org": org, "format": fmt})
    return job


def roster_export_work(job: Job, progress: Progress) -> dict[str, Any]:
    org = Organization.objects.get(pk=job.params["org_id"])
    full = bool(job.params.get("full"))
    # The scope is checked again as the task runs: the owner may have been moved since the job was started.
    scope = scope_for(job.owner)
    scope.require(Perm.MEMBER_EXPORT, "member")
    if full:
        scope.require(Perm.PII_REVEAL, "member")
    members = member_list(actor=job.owner, under_id=org.pk).order_by("union__path", "member_no")
    total = members.count()
    progress.set(0, total)
    progress.every = max(1, total // 100)
    groups = dict(JobGroup.choices)
    needy = dict(NeedyLevel.choices)
    model_workers = dict(ModelWorkerLevel.choices)
    statuses = dict(Membership.Status.choices)
    sources = dict(Membership.Source.choices)
    no = _("否")

    def rows() -> Any:
        for (
            member_no,
            name,
            id_number,
            phone,
            union_code,
            union_name,
            employer,
            group,
            needy_level,
            model_level,
            joined_at,
            status,
            source,
        ) in members.values_list(
            "member_no",
            "name",
            "id_number",
            "phone",
            "union__code",
            "union__name",
            "employer_name",
            "job_group",
            "needy_level",
            "model_worker_level",
            "joined_at",
            "status",
            "source",
        ).iterator(chunk_size=5000):
            progress.advance()
            yield [
                name,
                id_number if full else mask_id_number(id_number),
                phone if full else mask_phone(phone) if phone else "",
                union_code,
                employer,
                str(groups.get(group, group)),
                no if needy_level == NeedyLevel.NONE else str(needy.get(needy_level, needy_level)),
                no if model_level == ModelWorkerLevel.NONE else str(model_workers.get(model_level, model_level)),
                timezone.localtime(joined_at).date().isoformat(),
                member_no,
                union_name,
                str(statuses.get(status, status)),
                str(sources.get(source, source)),
            ]

    fmt = job.params.get("format", "xlsx")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    if fmt == "csv":
        content = roster_files.csv_bytes(export_header(), rows())
    else:
        content = roster_files.xlsx_bytes([(_("会员名册"), export_header(), rows())])
    # A full export holds ID numbers and phones in the clear: its downloads are audited and it expires.
    job_attach_file(job=job, name=f"members-{org.code}-{stamp}.{fmt}", content=content, personal=full)
    return {"rows": total, "full": full}
