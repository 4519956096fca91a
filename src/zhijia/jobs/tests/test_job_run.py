import csv
import io

import pytest
from django_tasks import task

from zhijia.jobs.models import Job
from zhijia.jobs.services import job_run, job_start
from zhijia.testing.worker import run_task_worker

pytestmark = pytest.mark.django_db(transaction=True)  # the worker runs what committed transactions enqueued

DISTRICT_X = {"T-X": "", "T-XS": "T-X", "T-XC": "T-XS", "T-XJ": "T-XC", "T-UA": "T-XS"}


def _csv(response) -> list[dict[str, str]]:
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")  # so that Excel reads the Chinese names
    return list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))


def test_a_subtree_export_runs_on_the_worker_and_its_csv_has_one_row_per_node(world, api_as, media_root):
    api = api_as(world.actor("district_x_staff"))

    # when district X staff start an export of their subtree
    started = api.post(f"/orgs/{world.district_x.pk}/export")
    job_id = started.json()["id"]
    queued = api.get(f"/jobs/{job_id}").json()

    # then it waits for the worker
    assert started.status_code == 202
    assert started.json()["status"] == "queued"
    assert (queued["status"], queued["percent"], queued["download_url"]) == ("queued", 0, None)
    assert queued["title"] == "导出组织架构：X区总工会"

    # when the background worker runs
    run_task_worker()

    # then the job is done and its file lists every node of the subtree, each with its parent
    done = api.get(f"/jobs/{job_id}").json()
    assert (done["status"], done["percent"]) == ("succeeded", 100)
    assert (done["done"], done["total"]) == (5, 5)
    assert done["result"] == {"rows": 5}
    assert done["finished_at"] is not None
    assert done["download_url"] == f"/console/jobs/{job_id}/download/"
    download = api.client.get(done["download_url"])
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith('attachment; filename="org-T-X')
    rows = _csv(download)
    assert {r["code"]: r["parent_code"] for r in rows} == DISTRICT_X
    assert {r["code"]: r["depth"] for r in rows}["T-XJ"] == "3"
    assert "Y乙公司工会" not in {r["name"] for r in rows}


def test_another_user_gets_404_for_someone_elses_job(world, api_as, client_as, media_root):
    job_id = api_as(world.actor("district_x_staff")).post(f"/orgs/{world.district_x.pk}/export").json()["id"]
    run_task_worker()

    for name in ("district_y_staff", "city_staff", "worker"):
        response = api_as(world.actor(name)).get(f"/jobs/{job_id}")
        assert response.status_code == 404, name
        assert response.json()["code"] == "job.not_found"
        download = client_as(world.actor(name)).get(f"/console/jobs/{job_id}/download/")
        assert download.status_code == 404, name
        assert b"T-XS" not in download.content


def test_an_export_of_another_districts_node_is_refused_and_no_job_is_made(world, api_as):
    response = api_as(world.actor("district_x_staff")).post(f"/orgs/{world.district_y.pk}/export")

    assert response.status_code == 404
    assert not Job.objects.exists()


def _explode(job: Job, progress: object) -> dict:
    raise RuntimeError("secret connection string postgres://u:p@db")


@task()
def failing_job(job_id: str) -> None:
    job_run(job_id, _explode)


def test_a_failed_job_says_so_plainly_without_the_error_text(world, api_as):
    staff = world.actor("district_x_staff")
    job = job_start(owner=staff, kind="test.fail", title="注定失败", task=failing_job, params={})

    run_task_worker()

    body = api_as(staff).get(f"/jobs/{job.pk}").json()
    assert body["status"] == "failed"
    assert body["percent"] == 0
    assert body["download_url"] is None
    assert body["message"] == "任务执行失败，请联系管理员。"
    assert "postgres" not in str(body)
