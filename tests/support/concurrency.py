"""Real threads against the real database, released at the same instant, to catch races that a single thread and
SQLite (which serialises every writer) never show."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.db import connections

T = TypeVar("T")

# Long enough for a slow CI machine, short enough that a deadlocked test fails instead of hanging the run.
TIMEOUT_SECONDS = 60


@dataclass
class Outcome(Generic[T]):
    index: int
    value: T | None = None
    error: BaseException | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


def run_together(n: int, work: Callable[[int], T], *, timeout: float = TIMEOUT_SECONDS) -> list[Outcome[T]]:
    """Run `work(0)`, ..., `work(n - 1)` in n threads that all start at once (a barrier releases them together).

    Each thread gets its own database connection and closes it when done. Returns every thread's outcome in
    index order; an exception in a thread is returned, not raised, so a test can assert how many were refused.
    """
    barrier = threading.Barrier(n, timeout=timeout)
    outcomes = [Outcome[T](index=i) for i in range(n)]

    def run(i: int) -> None:
        try:
            barrier.wait()
            outcomes[i].value = work(i)
        except BaseException as exc:  # noqa: BLE001 - handed back to the test, which decides
            outcomes[i].error = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,), name=f"together-{i}", daemon=True) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
    stuck = [t.name for t in threads if t.is_alive()]
    if stuck:
        raise TimeoutError(f"threads still running after {timeout}s (deadlock?): {', '.join(stuck)}")
    return outcomes


def raise_first_error(outcomes: list[Outcome[Any]]) -> None:
    for outcome in outcomes:
        if outcome.error is not None:
            raise AssertionError(f"thread {outcome.index} failed: {outcome.error!r}") from outcome.error
