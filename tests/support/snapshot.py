"""A fingerprint of everything the platform stores about the tree, accounts, jobs and the audit log, to prove that a
refused request changed nothing (and that an allowed write did change something)."""

from __future__ import annotations

import hashlib

from django.apps import apps

# Apps whose every table (many-to-many tables included) goes into the fingerprint.
WATCHED_APPS = ("organizations", "accounts", "audit", "jobs", "network", "django_tasks_database")

# Columns that a request may touch without changing anything anyone owns: when a token or a session was last used.
VOLATILE = {
    "accounts_user": {"last_login"},
    "accounts_apitoken": {"last_used_at"},
}


def db_fingerprint() -> dict[str, tuple[int, str]]:
    """For each watched table: (row count, hash of every row's values in primary-key order)."""
    prints: dict[str, tuple[int, str]] = {}
    for label in WATCHED_APPS:
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            table = model._meta.db_table
            skip = VOLATILE.get(table, set())
            columns = [f.attname for f in model._meta.concrete_fields if f.column not in skip]
            digest = hashlib.sha256()
            count = 0
            for row in model._base_manager.order_by("pk").values_list(*columns):
                digest.update(repr(row).encode())
                count += 1
            prints[table] = (count, digest.hexdigest())
    return prints


def changed_tables(before: dict[str, tuple[int, str]], after: dict[str, tuple[int, str]]) -> list[str]:
    return sorted(t for t in before.keys() | after.keys() if before.get(t) != after.get(t))
