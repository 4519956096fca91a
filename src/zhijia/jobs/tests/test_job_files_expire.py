"""Result files that hold personal data in full are deleted JOBS_PERSONAL_FILE_HOURS after they were made, by the
hourly `zhijia jobs_expire`; the job stays, and says its file has expired."""

from datetime import timedelta
from io import StringIO
from pathlib import Path

from django.core.management import call_command
from django.utils import timezone
from django_tasks import task

from zhijia.audit.models import AuditEvent
from zhijia.audit.services import SYSTEM_LABEL
from zhijia.jobs.models import Job
from zhijia.jobs.services import job_attach_file, job_files_expire, job_run, job_start


@task()
def quiet_job(job_id: str) -> None:
    job_run(job_id, lambda job, progress: {})


def _job_with_file(world, *, personal: bool, name: str = "result.csv") -> Job:
    job = job_start(
        owner=world.actor("district_x_staff"),
        kind="test.file",
        title="导出",
        task=quiet_job,
        params={},
        org=world.district_x,
    )
    job_run(str(job.pk), lambda job, progress: job_attach_file(job=job, name=name, content=b"x", personal=personal))
    job.refresh_from_db()
    return job


def _path(job: Job) -> Path:
    return Path(job.result_file.path)


def test_a_personal_file_expires_after_the_configured_hours(world, media_root, settings):
    settings.JOBS_PERSONAL_FILE_HOURS = 6
    before = timezone.now()

    job = _job_with_file(world, personal=True)

    assert job.result_personal
    assert job.result_expires_at is not None
    assert before + timedelta(hours=6) <= job.result_expires_at <= timezone.now() + timedelta(hours=6)
    assert not job.result_expired


def test_the_sweep_deletes_expired_personal_files_only_and_audits_each(world, media_root, settings):
    # given a personal file, a younger one and a file without personal data, all made now
    settings.JOBS_PERSONAL_FILE_HOURS = 24
    old = _job_with_file(world, personal=True, name="old.csv")
    Job.objects.filter(pk=old.pk).update(result_expires_at=timezone.now() - timedelta(minutes=1))
    young = _job_with_file(world, personal=True, name="young.csv")
    plain = _job_with_file(world, personal=False, name="plain.csv")
    old_path, young_path, plain_path = _path(old), _path(young), _path(plain)

    # when the sweep runs
    expired = job_files_expire()

    # then only the expired personal file is gone, from disk and from its job, which says it expired
    assert expired == 1
    assert not old_path.exists()
    assert young_path.exists()
    assert plain_path.exists()
    old.refresh_from_db()
    assert (old.result_file.name, old.result_expired) == ("", True)
    (event,) = AuditEvent.objects.filter(action="job.file_expire")
    assert (event.actor, event.actor_label, event.object_id, event.org) == (
        None,
        SYSTEM_LABEL,
        str(old.pk),
        world.district_x,
    )
    # and a repeated run deletes nothing twice
    assert job_files_expire() == 0
    # a day later the younger one goes too, never the one without personal data
    assert job_files_expire(now=timezone.now() + timedelta(hours=25)) == 1
    assert not young_path.exists()
    assert plain_path.exists()


def test_a_file_already_gone_from_disk_still_expires(world, media_root):
    job = _job_with_file(world, personal=True)
    _path(job).unlink()

    assert job_files_expire(now=timezone.now() + timedelta(days=2)) == 1
    job.refresh_from_db()
    assert job.result_file.name == ""


def test_the_api_stops_offering_an_expired_file(world, api_as, media_root):
    job = _job_with_file(world, personal=True)
    api = api_as(world.actor("district_x_staff"))
    fresh = api.get(f"/jobs/{job.pk}").json()

    job_files_expire(now=timezone.now() + timedelta(days=2))
    gone = api.get(f"/jobs/{job.pk}").json()

    assert fresh["download_url"] == f"/console/jobs/{job.pk}/download/"
    assert fresh["file_expires_at"] is not None
    assert gone["download_url"] is None
    assert gone["file_expires_at"] == fresh["file_expires_at"]


def test_the_command_runs_the_sweep(world, media_root):
    job = _job_with_file(world, personal=True)
    Job.objects.filter(pk=job.pk).update(result_expires_at=timezone.now() - timedelta(seconds=1))
    out = StringIO()

    call_command("jobs_expire", stdout=out)

    assert "job result files expired: 1" in out.getvalue()
    assert not _path(job).exists()
