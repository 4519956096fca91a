"""Background work on the tree: exporting a subtree as CSV (run by the task worker, with progress)."""

from __future__ import annotations

import csv
import io
from typing import Any

from django_tasks import task

from zhijia.jobs.models import Job
from zhijia.jobs.services import Progress, job_attach_file, job_run

from .models import Organization
from .selectors import subtree

EXPORT_COLUMNS = [
    "code",
    "name",
    "level",
    "kind",
    "division_code",
    "parent_code",
    "depth",
    "contact_name",
    "address",
]


def _export(job: Job, progress: Progress) -> dict[str, Any]:
    root = Organization.objects.get(pk=job.params["org_id"])
    nodes = subtree(root).order_by("path")
    total = nodes.count()
    progress.set(0, total)
    code_by_path: dict[str, str] = {}
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(EXPORT_COLUMNS)
    for node in nodes.iterator(chunk_size=2000):
        code_by_path[node.path] = node.code
        parent_code = code_by_path.get(node.path[: -Organization.steplen], "")
        writer.writerow(
            [
                node.code,
                node.name,
                node.level,
                node.kind,
                node.division_code,
                parent_code,
                node.depth - root.depth,
                node.contact_name,
                node.address,
            ]
        )
        progress.advance()
    # A BOM so that Excel opens the Chinese names correctly.
    job_attach_file(job=job, name=f"org-{root.code}.csv", content=("\ufeff" + buffer.getvalue()).encode("utf-8"))
    return {"rows": total}


@task()
def export_subtree(job_id: str) -> None:
    job_run(job_id, _export)
