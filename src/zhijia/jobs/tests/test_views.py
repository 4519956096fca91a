import pytest
from django_tasks import task

from zhijia.jobs.services import job_run, job_start


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
