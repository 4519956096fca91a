"""A fingerprint of everything the platform stores (every table of every zhijia app, and the task queue), to prove
that a refused request changed nothing and that an allowed write did change something."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator

from django.apps import apps
from django.db import connection
from django.db.models import Model

# Besides the platform's own apps: the queue background work goes through.
EXTRA_APPS = ("django_tasks_database",)

# Columns that a request may touch without changing anything anyone owns: when a token or a session was last used.
VOLATILE = {
    "accounts_user": {"last_login"},
    "accounts_apitoken": {"last_used_at"},
}


def watched_models() -> Iterator[type[Model]]:
    """Every model (many-to-many tables included) of the zhijia apps and of EXTRA_APPS."""
    for config in apps.get_app_configs():
        if config.name.startswith("zhijia.") or config.label in EXTRA_APPS:
            yield from config.get_models(include_auto_created=True)


def db_fingerprint() -> dict[str, tuple[int, str]]:
    """For each watched table: (row count, hash of every row's stored values in primary-key order).

    Plain SQL over the stored values (encrypted ones as stored): a fingerprint is taken after every request of the
    authorization matrix, and the ORM's per-row work would cost more than the requests themselves.
    """
    quote = connection.ops.quote_name
    prints: dict[str, tuple[int, str]] = {}
    with connection.cursor() as cursor:
        for model in watched_models():
            table = model._meta.db_table
            skip = VOLATILE.get(table, set())
            columns = ", ".join(quote(f.column) for f in model._meta.concrete_fields if f.column not in skip)
            # Identifiers come from the models' own metadata, quoted by the database backend.
            cursor.execute(f"SELECT {columns} FROM {quote(table)} ORDER BY {quote(model._meta.pk.column)}")  # noqa: S608
            rows = [tuple(bytes(v) if isinstance(v, memoryview) else v for v in row) for row in cursor.fetchall()]
            prints[table] = (len(rows), hashlib.sha256(repr(rows).encode()).hexdigest())
    return prints


def changed_tables(before: dict[str, tuple[int, str]], after: dict[str, tuple[int, str]]) -> list[str]:
    return sorted(t for t in before.keys() | after.keys() if before.get(t) != after.get(t))
