"""A task that belongs to a write commits with it, and goes with it when the write is rolled back."""

import datetime as dt
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from zhijia.jobs.queue import enqueue_with_transaction
from zhijia.organizations.tasks import export_subtree

pytestmark = pytest.mark.django_db


def _queued() -> list[tuple[str, list[object]]]:
    return [(r.task_path, r.args_kwargs["args"]) for r in DBTaskResult.objects.order_by("enqueued_at")]


def test_the_task_is_queued_inside_the_transaction_that_asked_for_it() -> None:
    when = timezone.now() + dt.timedelta(hours=1)
    with transaction.atomic():
        enqueue_with_transaction(export_subtree, "job-1", run_after=when)
        # Already there before the commit: written by the same transaction, not by a commit hook.
        assert _queued() == [("zhijia.organizations.tasks.export_subtree", ["job-1"])]
    assert DBTaskResult.objects.get().run_after == when


def test_a_rolled_back_write_leaves_no_task_behind() -> None:
    with transaction.atomic():
        enqueue_with_transaction(export_subtree, "job-2")
        transaction.set_rollback(True)
    assert _queued() == []


class _Elsewhere:
    """A task whose backend is not the database (a Redis queue, say): it records what reached it."""

    def __init__(self) -> None:
        self.received: list[tuple[object, ...]] = []

    def get_backend(self) -> object:
        return object()

    def enqueue(self, *args: object) -> None:
        self.received.append(args)


def test_a_queue_outside_the_database_gets_the_task_once_the_write_commits(
    django_capture_on_commit_callbacks: Any,
) -> None:
    task = _Elsewhere()
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            enqueue_with_transaction(task, "kept")
            assert task.received == []  # not before the commit
        with transaction.atomic():
            enqueue_with_transaction(task, "dropped")
            transaction.set_rollback(True)
    assert task.received == [("kept",)]
    assert _queued() == []
