"""Fixtures for the cross-cutting checks under tests/ (authorization matrix, fuzzing, browser journeys, races)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection

from tests.support.concurrency import Outcome, run_together


@pytest.fixture
def together(transactional_db: None) -> Callable[..., list[Outcome[Any]]]:
    """`together(n, work)` runs work(0..n-1) in n real threads released at once, each on its own connection.

    Needs PostgreSQL: SQLite serialises every writer, so a race there can neither happen nor be ruled out. Data the
    threads should see must be committed, which the transactional database this fixture asks for does.
    """
    if connection.vendor != "postgresql":
        pytest.skip("concurrency tests need PostgreSQL (set DATABASE_URL); SQLite serialises every writer")
    return run_together
