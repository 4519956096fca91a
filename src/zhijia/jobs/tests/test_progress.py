"""A job's progress is seen while the work goes on, even when the work holds one long transaction open."""

import psycopg
import pytest
from django.db import connection, transaction

from zhijia.jobs import services
from zhijia.jobs.models import Job
from zhijia.jobs.services import Progress
from zhijia.testing.world import build_world


def _done_as_others_see_it(job: Job) -> int:
    db = connection.settings_dict
    with psycopg.connect(
        dbname=db["NAME"], user=db["USER"], host=db["HOST"] or None, port=db["PORT"] or None, password=db["PASSWORD"]
    ) as other:
        (done,) = other.execute("SELECT done FROM jobs_job WHERE id = %s", [job.pk]).fetchall()
        return int(done[0])


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_progress_written_aside_is_seen_before_the_works_transaction_ends():
    if connection.vendor != "postgresql":
        pytest.skip("a second connection to the same database: PostgreSQL")
    job = Job.objects.create(owner=build_world().user("union_a_staff"), kind="test", title="t", params={})
    progress = Progress(job)

    # the work writes rows in a transaction it has not committed, and its progress aside
    with transaction.atomic():
        Job.objects.create(owner=job.owner, kind="test", title="uncommitted", params={})
        with progress.aside():
            progress.set(7, 10, message="正在写入名册…")
            seen = _done_as_others_see_it(job)
        transaction.set_rollback(True)

    # others saw the progress while the transaction was open, and it stays after the work's rows are rolled back
    assert seen == 7
    assert Job.objects.count() == 1
    job.refresh_from_db()
    assert (job.done, job.total, job.message) == (7, 10, "正在写入名册…")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_progress_aside_gives_up_rather_than_wait_for_the_works_own_transaction(monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("a second connection to the same database: PostgreSQL")
    monkeypatch.setattr(services, "ASIDE_LOCK_WAIT", "100ms")
    job = Job.objects.create(owner=build_world().user("union_a_staff"), kind="test", title="t", params={})
    progress = Progress(job)

    # the work wrote progress inside its own transaction first, so that transaction holds the job's row
    with transaction.atomic():
        progress.set(3, 10)
        with progress.aside():
            progress.set(7, 10)  # would wait for ourselves forever
        progress.set(8, 10)

    # the aside write was given up after its wait, and the work went on
    job.refresh_from_db()
    assert (job.done, job.total) == (8, 10)
