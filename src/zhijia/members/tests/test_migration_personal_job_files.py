"""Migration 0006: roster job files made before expiry existed (full exports, rejected rows) are marked as holding
personal data and expire a day after they were made; masked exports and other jobs' files are left alone."""

from datetime import timedelta
from importlib import import_module

from django.apps import apps
from django.utils import timezone

from zhijia.jobs.models import Job

migration = import_module("zhijia.members.migrations.0006_personal_job_files_expire")


def _job(world, kind: str, params: dict, result_file: str = "jobs/2026/11/f.csv") -> Job:
    return Job.objects.create(
        owner=world.user("district_x_staff"), kind=kind, title="旧任务", params=params, result_file=result_file
    )


def test_old_full_exports_and_rejected_rows_expire_a_day_after_they_were_made(world, settings):
    settings.JOBS_PERSONAL_FILE_HOURS = 24
    full = _job(world, "member.export", {"org_id": 1, "format": "csv", "full": True})
    rejects = _job(world, "member.import", {"file": "uploads/x.csv"}, "jobs/2026/11/rejected.xlsx")
    masked = _job(world, "member.export", {"org_id": 1, "format": "csv", "full": False})
    tree = _job(world, "org.export", {"org_id": 1})
    clean_import = _job(world, "member.import", {"file": "uploads/y.csv"}, "")
    Job.objects.filter(pk=full.pk).update(created_at=timezone.now() - timedelta(days=30))

    migration.mark_personal_files(apps, None)

    for job in (full, rejects, masked, tree, clean_import):
        job.refresh_from_db()
    assert full.result_personal
    assert full.result_expired
    assert full.result_expires_at == full.created_at + timedelta(hours=24)
    assert rejects.result_personal
    assert not rejects.result_expired
    assert not any(j.result_personal or j.result_expires_at for j in (masked, tree, clean_import))
