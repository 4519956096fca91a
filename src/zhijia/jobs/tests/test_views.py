from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks import task

from zhijia.audit.models import AuditEvent
from zhijia.jobs.models import Job
from zhijia.jobs.services import job_attach_file, job_run, job_start


@task()
def quiet_job(job_id: str) -> None:
    job_run(job_id, lambda job, progress: {"ok": True})


@pytest.fixture
def job(world):
    return job_start(
        owner=world.actor("district_x_staff"), kind="test.quiet", title="整理数据", task=quiet_job, params={}
    )


def test_the_owner_watches_the_progress_until_the_job_is_done(world, client_as, job):
    client = client_as(world.actor("district_x_staff"))

    page = client.get(f"/console/jobs/{job.pk}/")
    waiting = client.get(f"/console/jobs/{job.pk}/progress/")
    job_run(str(job.pk), lambda job, progress: {"ok": True})
    finished = client.get(f"/console/jobs/{job.pk}/progress/")

    assert page.status_code == 200
    assert "整理数据" in page.content.decode()
    assert waiting.status_code == 200  # htmx keeps polling
    assert finished.status_code == 286  # htmx stops polling
    assert "已完成" in finished.content.decode()


@pytest.mark.parametrize("name", ["district_y_staff", "city_staff", "worker"])
def test_someone_elses_job_page_answers_404(world, client_as, job, name):
    client = client_as(world.actor(name))

    for path in (f"/console/jobs/{job.pk}/", f"/console/jobs/{job.pk}/progress/"):
        response = client.get(path)
        assert response.status_code == 404, path
        assert "整理数据" not in response.content.decode()


def test_an_anonymous_visitor_is_sent_to_sign_in(world, client_as, job):
    response = client_as(None).get(f"/console/jobs/{job.pk}/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_a_job_without_a_file_has_nothing_to_download(world, client_as, job):
    job_run(str(job.pk), lambda job, progress: {"ok": True})

    response = client_as(world.actor("district_x_staff")).get(f"/console/jobs/{job.pk}/download/")

    assert response.status_code == 404


# ----------------------------------------------------------------------------------------------------------------
# A result file that holds personal data in full: every download audited, refused once it has expired

FULL_ROWS = "姓名,身份证号码,手机号\n王一,11010519491231002X,13912345678\n".encode()


@pytest.fixture
def personal_job(world, media_root):
    staff = world.actor("district_x_staff")
    job = job_start(owner=staff, kind="test.full", title="完整名册", task=quiet_job, params={}, org=world.district_x)

    def work(job, progress):
        job_attach_file(job=job, name="full.csv", content=FULL_ROWS, personal=True)
        return {}

    job_run(str(job.pk), work)
    job.refresh_from_db()
    return job


def _downloads(job) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action="pii.download", object_id=str(job.pk)).order_by("id"))


def test_every_download_of_a_file_with_personal_data_is_audited(world, client_as, personal_job):
    client = client_as(world.actor("district_x_staff"))

    first = client.get(f"/console/jobs/{personal_job.pk}/download/")
    again = client.get(f"/console/jobs/{personal_job.pk}/download/")

    assert (first.status_code, again.status_code) == (200, 200)
    assert b"".join(again.streaming_content) == FULL_ROWS
    events = _downloads(personal_job)
    assert len(events) == 2
    for event in events:
        assert (event.actor, event.object_type, event.org) == (
            world.actor("district_x_staff"),
            "jobs.job",
            world.district_x,
        )
        assert event.changes == {"file": personal_job.result_file.name}


def test_the_job_page_says_the_download_is_audited_and_when_the_file_goes(world, client_as, personal_job):
    page = client_as(world.actor("district_x_staff")).get(f"/console/jobs/{personal_job.pk}/").content.decode()

    assert 'id="job-download"' in page
    assert "每次下载都会记入审计日志" in page
    assert timezone.localtime(personal_job.result_expires_at).strftime("%Y-%m-%d %H:%M") in page


def test_a_file_without_personal_data_is_downloaded_without_an_audit_row(world, client_as, job, media_root):
    job_run(str(job.pk), lambda job, progress: job_attach_file(job=job, name="tree.csv", content=b"code\nT-X\n"))

    response = client_as(world.actor("district_x_staff")).get(f"/console/jobs/{job.pk}/download/")

    assert response.status_code == 200
    assert not AuditEvent.objects.filter(action="pii.download").exists()


@pytest.mark.parametrize("name", ["district_y_staff", "city_staff", "district_x_readonly", "worker"])
def test_only_the_owner_downloads_the_file_and_a_refusal_is_not_audited(world, client_as, personal_job, name):
    response = client_as(world.actor(name)).get(f"/console/jobs/{personal_job.pk}/download/")

    assert response.status_code == 404
    assert b"13912345678" not in response.content
    assert _downloads(personal_job) == []


def test_an_expired_file_is_refused_and_the_page_says_it_can_be_made_again(world, client_as, personal_job):
    Job.objects.filter(pk=personal_job.pk).update(result_expires_at=timezone.now() - timedelta(seconds=1))
    client = client_as(world.actor("district_x_staff"))

    download = client.get(f"/console/jobs/{personal_job.pk}/download/")
    page = client.get(f"/console/jobs/{personal_job.pk}/").content.decode()

    assert download.status_code == 410
    assert "已过期删除" in download.content.decode()
    assert "请重新生成" in download.content.decode()
    assert b"13912345678" not in download.content
    assert 'id="job-download"' not in page
    assert "已过期删除。如仍需要，请重新生成。" in page
    assert _downloads(personal_job) == []
