"""`zhijia backup <file>`: every table of the database, streamed into one gzip-compressed JSON-lines file.

The file is database-agnostic (a PostgreSQL backup restores into SQLite and back, see `zhijia restore`): one
header line, then per table a line naming its columns, its rows as JSON arrays in primary-key order, and a line
with the row count and a SHA-256 of those row lines; a last line marks the end. Rows are read with plain SQL,
not through the models, so values are dumped exactly as stored: encrypted personal data stays encrypted, and
the file is useless without the installation's keys (back those up separately, never next to the dump).
Tables come in dependency order, the whole dump is read in one snapshot.
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import gzip
import hashlib
import json
import os
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS, connections, router, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.migrations.recorder import MigrationRecorder
from django.db.models import Field, Model
from django.utils import timezone

FORMAT = "zhijia-backup"
VERSION = 1
CHUNK = 2000
# Filled by post_migrate handlers after every `migrate` and every `flush`, so present in any database a restore may
# go into: a restore replaces their rows with the backup's (foreign keys are checked at commit, so order is free).
# Beside contenttypes and permissions, the national lists (the network's standards, the service menu's catalogue,
# the rating criteria); rows of a union's own in these tables would need organisations, which are checked.
AUTO_FILLED = (
    "auth.permission",
    "contenttypes.contenttype",
    "network.standard",
    "network.standarditem",
    "servicemenu.servicetype",
    "ratings.ratingcriterion",
)


@dataclass(frozen=True)
class Column:
    name: str  # the database column
    stored: Field[Any, Any]  # the field whose type is stored there: a foreign key's target, else the field itself

    @property
    def kind(self) -> str:
        # The internal type, not the class: a field that transforms values (EncryptedTextField is a TextField)
        # is dumped and restored as what it stores.
        return str(self.stored.get_internal_type())


def _stored_field(field: Field[Any, Any]) -> Field[Any, Any]:
    while field.is_relation and getattr(field, "target_field", None) is not None:
        field = field.target_field  # type: ignore[attr-defined]
    return field


def table_columns(model: type[Model]) -> list[Column]:
    return [Column(str(f.column), _stored_field(f)) for f in model._meta.local_concrete_fields]


def label(model: type[Model]) -> str:
    return model._meta.label_lower


def models_in_order(using: str) -> list[type[Model]]:
    """Every table Django manages in this database, each after the tables it points to (ties by name)."""
    connection = connections[using]
    existing = set(connection.introspection.table_names())
    candidates = [
        m
        for m in apps.get_models(include_auto_created=True)
        if m._meta.managed
        and not m._meta.proxy
        and not m._meta.swapped
        and router.allow_migrate_model(using, m)
        and m._meta.db_table in existing
    ]
    by_label = {label(m): m for m in candidates}
    needs: dict[str, set[str]] = {}
    for model in candidates:
        targets = set()
        for field in model._meta.local_concrete_fields:
            if field.is_relation and field.remote_field is not None:
                target = label(field.remote_field.model)
                if target != label(model) and target in by_label:
                    targets.add(target)
        needs[label(model)] = targets
    ordered: list[str] = []
    done: set[str] = set()
    while len(ordered) < len(by_label):
        ready = sorted(name for name in by_label if name not in done and needs[name] <= done)
        if not ready:  # a cycle: constraints are deferred to commit, so any order of the rest works
            ready = sorted(name for name in by_label if name not in done)
        for name in ready:
            ordered.append(name)
            done.add(name)
    return [by_label[name] for name in ordered]


def schema_apps() -> set[str]:
    """The apps whose migrations shape tables (an app with only unmanaged models, like django_rq, has none)."""
    return {
        m._meta.app_label
        for m in apps.get_models(include_auto_created=True)
        if m._meta.managed and not m._meta.proxy and not m._meta.swapped
    }


def applied_migrations(using: str) -> list[list[str]]:
    recorder = MigrationRecorder(connections[using])
    if not recorder.has_table():
        return []
    return sorted([app, name] for app, name in recorder.applied_migrations())


def to_json(value: Any, kind: str, connection: BaseDatabaseWrapper, column: Column) -> Any:
    """A value as the database driver returned it, in a form every database reads back alike."""
    if value is None:
        return None
    if kind in ("DateTimeField", "DateField", "TimeField", "UUIDField", "BooleanField", "DecimalField"):
        # The backend's own converters (SQLite keeps dates as text, booleans as 0/1, UUIDs as hex).
        expression: Any = _Typed(column.stored)
        for converter in connection.ops.get_db_converters(expression):
            value = converter(value, expression, connection)
    if isinstance(value, dt.datetime):
        if timezone.is_naive(value):
            value = timezone.make_aware(value, dt.UTC)
        return value.isoformat()
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return (value.days * 86400 + value.seconds) * 1_000_000 + value.microseconds
    if isinstance(value, (Decimal, uuid.UUID)):
        return str(value)
    if isinstance(value, (bytes, bytearray, memoryview)):
        return base64.b64encode(bytes(value)).decode()
    if kind == "JSONField" and not isinstance(value, str):
        return json.dumps(value)
    return value


class _Typed:
    """Just enough of an expression for the backend's converters: its output field."""

    def __init__(self, field: Field[Any, Any]):
        self.output_field = field


@contextlib.contextmanager
def snapshot(using: str) -> Iterator[None]:
    """One consistent view of the whole database while the platform keeps running."""
    connection = connections[using]
    connection.ensure_connection()
    if connection.in_atomic_block:  # called inside a transaction: that one is the snapshot
        yield
        return
    if connection.vendor == "sqlite":
        # A deferred read transaction: a WAL snapshot that never blocks the writers (atomic() would take
        # the write lock, as the settings ask for BEGIN IMMEDIATE).
        with connection.cursor() as cursor:
            cursor.execute("BEGIN DEFERRED")
            try:
                yield
            finally:
                cursor.execute("COMMIT")
        return
    with transaction.atomic(using=using):
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        yield


def _rows(model: type[Model], columns: list[Column], using: str) -> Iterator[tuple[Any, ...]]:
    """The table's rows in primary-key order, a chunk at a time (keyset pagination: no big result sets)."""
    connection = connections[using]
    qn = connection.ops.quote_name
    pk = model._meta.pk
    assert pk is not None
    pk_column = str(pk.column)
    pk_index = [c.name for c in columns].index(pk_column)
    select = f"SELECT {', '.join(qn(c.name) for c in columns)} FROM {qn(model._meta.db_table)}"  # noqa: S608 (quoted names)
    order = f" ORDER BY {qn(pk_column)} LIMIT {CHUNK}"
    last: Any = None
    with connection.cursor() as cursor:
        while True:
            if last is None:
                cursor.execute(select + order)
            else:
                cursor.execute(f"{select} WHERE {qn(pk_column)} > %s{order}", [last])
            chunk = cursor.fetchall()
            yield from chunk
            if len(chunk) < CHUNK:
                return
            last = chunk[-1][pk_index]


def write_backup(out: IO[str], *, using: str = DEFAULT_DB_ALIAS, progress: Any = None) -> dict[str, int]:
    connection = connections[using]
    counts: dict[str, int] = {}
    with snapshot(using):
        models = models_in_order(using)
        header = {
            "format": FORMAT,
            "version": VERSION,
            "created_at": timezone.now().isoformat(),
            "vendor": connection.vendor,
            "migrations": applied_migrations(using),
            "tables": [label(m) for m in models],
        }
        out.write(json.dumps(header, ensure_ascii=False) + "\n")
        for model in models:
            columns = table_columns(model)
            out.write(
                json.dumps(
                    {
                        "table": label(model),
                        "db_table": model._meta.db_table,
                        "columns": [c.name for c in columns],
                        "kinds": [c.kind for c in columns],
                    }
                )
                + "\n"
            )
            digest = hashlib.sha256()
            n = 0
            for row in _rows(model, columns, using):
                line = json.dumps(
                    [to_json(v, c.kind, connection, c) for v, c in zip(row, columns, strict=True)],
                    ensure_ascii=False,
                )
                digest.update(line.encode())
                out.write(line + "\n")
                n += 1
            out.write(json.dumps({"end": label(model), "rows": n, "sha256": digest.hexdigest()}) + "\n")
            counts[label(model)] = n
            if progress:
                progress(f"{label(model)}: {n}")
        out.write(json.dumps({"end_of_backup": True, "tables": len(models), "rows": sum(counts.values())}) + "\n")
    return counts


class Command(BaseCommand):
    help = "Back up the whole database into one compressed file (restore it with `zhijia restore`)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="where to write the backup (.jsonl.gz); - for standard output")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="database alias (default: default)")

    def handle(self, *args: Any, **options: Any) -> None:
        target = options["file"]
        using = options["database"]
        say = self.stderr.write if target == "-" else self.stdout.write
        if target == "-":
            with gzip.open(sys.stdout.buffer, "wt", encoding="utf-8") as out:
                counts = write_backup(out, using=using)
        else:
            path = Path(target)
            if path.exists():
                raise CommandError(f"{path} already exists; choose a new file name.")
            partial = path.with_name(path.name + ".partial")
            # The dump holds password hashes, blind indexes and sessions: readable by the owner only.
            fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            try:
                with os.fdopen(fd, "wb") as raw, gzip.open(raw, "wt", encoding="utf-8") as out:
                    counts = write_backup(out, using=using, progress=lambda m: say(f"  {m}"))
                partial.rename(path)  # a file with the final name is always complete
            except BaseException:
                partial.unlink(missing_ok=True)
                raise
        say(self.style.SUCCESS(f"Backed up {len(counts)} tables, {sum(counts.values())} rows to {target}."))
