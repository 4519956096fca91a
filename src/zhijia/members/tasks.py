"""Background work on the roster: importing and exporting, run by the task worker with a progress bar."""

from __future__ import annotations

from django_tasks import task

from zhijia.jobs.services import job_run

from .services.roster_export import roster_export_work
from .services.roster_import import roster_import_work


@task()
def import_roster(job_id: str) -> None:
    job_run(job_id, roster_import_work)


@task()
def export_roster(job_id: str) -> None:
    job_run(job_id, roster_export_work)
