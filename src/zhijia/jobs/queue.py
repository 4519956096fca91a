"""Enqueueing a task that belongs to a write: it must run if, and only if, the write commits.

With the database task backend (the default) the queue lives in the platform's own database, so the task's row is
written inside the write's transaction: the change and its task commit together in one commit, and a rollback
drops both. Other backends (the Redis queue) cannot take part in the transaction; they get the task once it has
committed, as Django's `on_commit` hands it over (a failure to reach them is logged, the write stands)."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.db import DEFAULT_DB_ALIAS, router, transaction
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult

logger = logging.getLogger(__name__)


def enqueue_with_transaction(task: Any, *args: Any, run_after: dt.datetime | None = None) -> None:
    """Enqueue `task(*args)` (at `run_after`, when given) as part of the current transaction."""
    call = task.using(run_after=run_after) if run_after is not None else task
    if _in_this_database(call.get_backend()):
        call.enqueue(*args)
    else:
        transaction.on_commit(lambda: call.enqueue(*args), robust=True)


def _in_this_database(backend: Any) -> bool:
    return isinstance(backend, DatabaseBackend) and router.db_for_write(DBTaskResult) == DEFAULT_DB_ALIAS
