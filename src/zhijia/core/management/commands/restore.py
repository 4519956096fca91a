"""`zhijia restore <file>`: load a `zhijia backup` file into an empty database, primary keys and all.

Only into an empty database: a new one (restore runs the migrations first) or one emptied with `zhijia flush`.
Anything else is refused before a row is written. The migrations applied must be the ones the backup was made
at (restore with the release that made it, then upgrade). Everything happens in one transaction: a damaged or
truncated file leaves the database as it was. Sequences are moved past the restored keys afterwards.
"""

from __future__ import annotations

import base64
import datetime as dt
import gzip
import hashlib
import json
import sys
import uuid
from collections.abc import Iterator
from decimal import Decimal
from typing import IO, Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.management.color import no_style
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Model
from django.utils.dateparse import parse_datetime

from .backup import (
    AUTO_FILLED,
    FORMAT,
    VERSION,
    Column,
    applied_migrations,
    label,
    models_in_order,
    schema_apps,
    table_columns,
)

BATCH = 1000


def from_json(value: Any, column: Column, connection: BaseDatabaseWrapper) -> Any:
    """A dumped value as a parameter this database stores exactly as the source database had it."""
    if value is None:
        return None
    kind = column.kind
    ops = connection.ops
    if kind == "DateTimeField":
        parsed = parse_datetime(value)
        if parsed is None:
            raise ValueError(f"not a date and time: {value!r}")
        return ops.adapt_datetimefield_value(parsed)
    if kind == "DateField":
        return ops.adapt_datefield_value(dt.date.fromisoformat(value))
    if kind == "TimeField":
        return ops.adapt_timefield_value(dt.time.fromisoformat(value))
    if kind == "DecimalField":
        field = column.stored
        return ops.adapt_decimalfield_value(
            Decimal(str(value)),
            getattr(field, "max_digits", None),
            getattr(field, "decimal_places", None),
        )
    if kind == "UUIDField":
        parsed_uuid = uuid.UUID(str(value))
        return parsed_uuid if connection.features.has_native_uuid_field else parsed_uuid.hex
    if kind == "DurationField":
        return dt.timedelta(microseconds=value) if connection.features.has_native_duration_field else value
    if kind == "BinaryField":
        return base64.b64decode(value)
    if kind == "BooleanField":
        return bool(value)
    # Text (encrypted or not), JSON as its stored text, numbers, addresses: as they are.
    return value


class BackupFile:
    """Reads a backup line by line and checks its shape as it goes."""

    def __init__(self, stream: IO[str]):
        self.lines = (json.loads(line) for line in stream if line.strip())
        try:
            self.header = next(self.lines)
        except (StopIteration, json.JSONDecodeError, EOFError, OSError) as exc:
            raise CommandError("This is not a Zhijia backup (the file is empty or not gzip JSON lines).") from exc
        if not isinstance(self.header, dict) or self.header.get("format") != FORMAT:
            raise CommandError("This is not a Zhijia backup (no zhijia-backup header).")
        if self.header.get("version") != VERSION:
            raise CommandError(f"Backup format version {self.header.get('version')} is not supported here.")

    def tables(self) -> Iterator[tuple[dict[str, Any], Iterator[list[Any]], dict[str, Any]]]:
        """(table header, its rows, its footer), the footer filled once the rows are consumed."""
        for item in self.lines:
            if isinstance(item, dict) and item.get("end_of_backup"):
                return
            if not isinstance(item, dict) or "table" not in item:
                raise CommandError("The backup is damaged: a table section was expected.")
            footer: dict[str, Any] = {}
            yield item, self._rows(footer), footer
        raise CommandError("The backup is incomplete: it ends before its last line (truncated copy?).")

    def _rows(self, footer: dict[str, Any]) -> Iterator[list[Any]]:
        for item in self.lines:
            if isinstance(item, list):
                yield item
                continue
            if isinstance(item, dict) and "end" in item:
                footer.update(item)
                return
            raise CommandError("The backup is damaged: a row or the end of a table was expected.")
        raise CommandError("The backup is incomplete: it ends inside a table (truncated copy?).")


def check_target(header: dict[str, Any], *, using: str, fresh: bool) -> list[type[Model]]:
    """Refuse unless the database has the backup's migrations and no rows (but what `migrate` put there when
    this restore created the schema itself: `fresh`); return its tables."""
    # Only the apps that have tables here count: one with unmanaged models only (django_rq, installed with the
    # Redis task backend) changes no schema. An app with tables in the backup but missing here fails below.
    relevant = schema_apps()
    have = {(app, name) for app, name in applied_migrations(using) if app in relevant}
    want = {(app, name) for app, name in header.get("migrations", []) if app in relevant}
    if have != want:
        missing = sorted(want - have)[:5]
        extra = sorted(have - want)[:5]
        raise CommandError(
            "This database is not at the migrations the backup was made at; restore with the release that made"
            " the backup, then upgrade.\n"
            f"  in the backup, not applied here: {missing or 'none'}\n"
            f"  applied here, not in the backup: {extra or 'none'}"
        )
    models = models_in_order(using)
    connection = connections[using]
    qn = connection.ops.quote_name
    busy = []
    with connection.cursor() as cursor:
        for model in models:
            if fresh or label(model) in AUTO_FILLED:
                continue
            cursor.execute(f"SELECT COUNT(*) FROM {qn(model._meta.db_table)}")  # noqa: S608 (quoted table name)
            n = cursor.fetchone()[0]
            if n:
                busy.append(f"{label(model)} ({n} rows)")
    if busy:
        shown = ", ".join(busy[:5]) + (f" and {len(busy) - 5} more" if len(busy) > 5 else "")
        raise CommandError(
            f"Refusing to restore: the database is not empty ({shown}). Restore only into a new database,"
            " or empty this one first with `zhijia flush`."
        )
    return models


def restore(stream: IO[str], *, using: str = DEFAULT_DB_ALIAS, progress: Any = None) -> dict[str, int]:
    connection = connections[using]
    backup = BackupFile(stream)
    fresh = not applied_migrations(using)
    if fresh:
        # A brand-new database: give it the schema first (the backup's own migrations are checked next).
        call_command("migrate", database=using, interactive=False, verbosity=0)
    models = check_target(backup.header, using=using, fresh=fresh)
    by_label = {label(m): m for m in models}
    qn = connection.ops.quote_name
    counts: dict[str, int] = {}
    with transaction.atomic(using=using), connection.cursor() as cursor:
        # Rows that `migrate` put in (content types, permissions, any data migration's) give way to the
        # backup's, which carry the same keys every other row refers to. Constraints are checked at commit.
        cleared = models if fresh else [by_label[name] for name in AUTO_FILLED if name in by_label]
        for emptied in reversed(cleared):
            cursor.execute(f"DELETE FROM {qn(emptied._meta.db_table)}")  # noqa: S608 (quoted table name)
        for section, rows, footer in backup.tables():
            name = section["table"]
            model = by_label.get(name)
            if model is None:
                raise CommandError(f"The backup has a table this release does not know: {name}.")
            columns = {c.name: c for c in table_columns(model)}
            try:
                ordered = [columns[c] for c in section["columns"]]
            except KeyError as exc:
                raise CommandError(f"{name}: column {exc} of the backup does not exist here.") from None
            insert = (
                f"INSERT INTO {qn(model._meta.db_table)} ({', '.join(qn(c.name) for c in ordered)})"  # noqa: S608
                f" VALUES ({', '.join(['%s'] * len(ordered))})"
            )
            digest = hashlib.sha256()
            batch: list[list[Any]] = []
            n = 0
            for row in rows:
                digest.update(json.dumps(row, ensure_ascii=False).encode())
                batch.append([from_json(v, c, connection) for v, c in zip(row, ordered, strict=True)])
                n += 1
                if len(batch) >= BATCH:
                    cursor.executemany(insert, batch)
                    batch = []
            if batch:
                cursor.executemany(insert, batch)
            if footer.get("rows") != n or footer.get("sha256") != digest.hexdigest():
                raise CommandError(f"The backup is damaged: {name} does not match its checksum.")
            counts[name] = n
            if progress:
                progress(f"{name}: {n}")
        # Next keys come after the restored ones (PostgreSQL sequences; a no-op on SQLite).
        for sql in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(sql)
    return counts


class Command(BaseCommand):
    help = "Restore a `zhijia backup` file into an empty database."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="the backup to restore (.jsonl.gz); - for standard input")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="database alias (default: default)")

    def handle(self, *args: Any, **options: Any) -> None:
        source = options["file"]
        using = options["database"]
        say = self.stdout.write
        try:
            if source == "-":
                with gzip.open(sys.stdin.buffer, "rt", encoding="utf-8") as stream:
                    counts = restore(stream, using=using, progress=lambda m: say(f"  {m}"))
            else:
                with gzip.open(source, "rt", encoding="utf-8") as stream:
                    counts = restore(stream, using=using, progress=lambda m: say(f"  {m}"))
        except FileNotFoundError:
            raise CommandError(f"No such file: {source}") from None
        except (OSError, EOFError, json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise CommandError(f"The backup could not be read ({type(exc).__name__}); it is damaged.") from None
        say(self.style.SUCCESS(f"Restored {len(counts)} tables, {sum(counts.values())} rows from {source}."))
