"""Importing a roster (CSV or XLSX): every row checked, personal data sealed, and the valid rows written all at once.

How a file goes in:

1. Read in parts; a pool of worker processes checks each part (reading a CSV file's lines itself) and encrypts and
   blind-indexes its personal data (`roster_rows.check_part`), while this process finds duplicates (inside the
   file, and active members already in the database) and writes the accepted rows to a temporary staging table on
   its own connection. Progress is committed as it goes, so the person who started the import watches it move.
2. Then, in one transaction: a block of member numbers, one INSERT ... SELECT from the staging table into the roster,
   one audit event. If the task dies before that, the staging table dies with its connection and the roster never
   saw a row; all-or-nothing imports with any rejected row never reach this step.

A first load on PostgreSQL (a file at least as big as the roster) skips the staging table: `_load_directly` holds
one transaction from the first row to the last, the roster's indexes dropped and its rows going straight in.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import uuid
from collections import deque
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Protocol

from django.conf import settings
from django.db import DatabaseError, IntegrityError, OperationalError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhijia.audit.services import audit_record
from zhijia.core.errors import NotFound, ValidationFailed
from zhijia.core.roles import Perm
from zhijia.core.scope import scope_for
from zhijia.jobs.models import Job
from zhijia.jobs.services import job_attach_file, job_start
from zhijia.organizations.models import Employer, Organization, OrgLevel

from .. import roster_files, roster_rows
from ..models import Membership
from .membership import MEMBER_NO_DIGITS, MEMBER_NO_PREFIX, member_number, member_numbers_reserve

logger = logging.getLogger(__name__)

CHUNK_ROWS = 5_000
# Below this many rows starting worker processes costs more than it saves.
POOL_MIN_ROWS = 100_000
# One worker per core this process may use (the importing process and the database share them), two to eight.
_CORES = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 2)
POOL_WORKERS = max(2, min(8, _CORES))
DB_LOOKUP_BATCH = 2_000
SQLITE_CACHE_KIB = 512 * 1024
POSTGRES_TEMP_BUFFERS = "512MB"
# Publishing at least this many rows into a roster holding fewer rebuilds its indexes rather than growing them.
BULK_INDEX_MIN_ROWS = 50_000
POSTGRES_INDEX_MEMORY = "256MB"
POSTGRES_LOCK_WAIT = "5s"
MEMBER_LEVELS = (OrgLevel.GRASSROOTS, OrgLevel.AREA_FEDERATION, OrgLevel.STREET)
JOB_KIND = "member.import"
UPLOAD_DIR = "roster-imports"


class ProgressLike(Protocol):
    def set(self, done: int, total: int | None = None, message: str = "") -> None: ...


@dataclass
class ImportResult:
    total: int = 0
    accepted: int = 0
    rejected: int = 0
    written: int = 0
    all_or_nothing: bool = False
    # (row number, the row as uploaded, reason); capped at what one XLSX sheet holds, the counts are exact.
    rejects: list[tuple[int, tuple[str, ...], str]] = field(default_factory=list)
    message: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "total": self.total,
            "accepted": self.accepted,
            "rejected": self.rejected,
            "written": self.written,
            "all_or_nothing": self.all_or_nothing,
        }


@dataclass(frozen=True)
class ImportScope:
    """Where an import may put members: the subtree under `path`, and the union for rows that name none."""

    path: str
    org: Organization | None
    default_union: Organization | None


# ----------------------------------------------------------------------------------------------------------------
# Starting an import from a page or the API, and the task's work


def roster_import_start(
    *, actor: Any, upload: IO[bytes] | None, filename: str, all_or_nothing: bool, union_code: str = ""
) -> Job:
    """Save the uploaded file and start the import in the background; the job shows its progress."""
    scope = import_scope(actor=actor, union_code=union_code)
    if upload is None or not filename:
        raise ValidationFailed("roster.file_required", _("请选择要导入的名册文件（CSV 或 XLSX）。"), field="file")
    suffix = Path(filename).suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise ValidationFailed("roster.file_type", _("只支持 CSV 或 XLSX 格式的名册。"), field="file")
    stored = f"{UPLOAD_DIR}/{uuid.uuid4().hex}{suffix}"
    roster_files.save_upload(upload, Path(settings.MEDIA_ROOT) / stored)
    from ..tasks import import_roster  # the task runs this module's work: see tasks.py

    return job_start(
        owner=actor,
        kind=JOB_KIND,
        title=_("名册导入：%(name)s") % {"name": Path(filename).name[:120]},
        task=import_roster,
        params={
            "file": stored,
            "filename": Path(filename).name[:200],
            "all_or_nothing": all_or_nothing,
            "default_union_id": scope.default_union.pk if scope.default_union else None,
        },
        org=scope.org,
    )


def roster_import_work(job: Job, progress: ProgressLike) -> dict[str, Any]:
    """The background half of `roster_import_start`: import the saved file, attach the rejected rows."""
    path = Path(settings.MEDIA_ROOT) / job.params["file"]
    try:
        union = Organization.objects.filter(pk=job.params.get("default_union_id")).first()
        result = roster_import_run(
            actor=job.owner,
            path=path,
            filename=job.params.get("filename", ""),
            union_code=union.code if union else "",
            all_or_nothing=bool(job.params.get("all_or_nothing")),
            progress=progress,
            job=job,
        )
    except roster_files.RosterFileError as exc:
        # The file as a whole is unreadable (not a roster, a required column missing): say so on the job page.
        progress.set(0, 0, message=str(exc))
        return {"error": str(exc)}
    finally:
        # The upload holds personal data in the clear: it is gone as soon as the import is over, whatever happened.
        path.unlink(missing_ok=True)
    if result.rejects:
        content = roster_files.rejects_xlsx(result.rejects)
        # The rejected rows are as uploaded, ID numbers and phones in the clear: downloads audited, the file expires.
        job_attach_file(job=job, name=f"rejected-{job.pk.hex[:8]}.xlsx", content=content, personal=True)
    progress.set(job.done, job.total or None, message=result.message)
    return result.as_dict()


# ----------------------------------------------------------------------------------------------------------------
# The import itself (also run by `zhijia import_members`)


def import_scope(*, actor: Any, union_code: str = "") -> ImportScope:
    """The part of the tree an actor may import into. The system (no actor, the command line) imports into the
    subtree of `union_code`, which is required then."""
    code = union_code.strip()
    if actor is None:
        root = Organization.objects.filter(code=code).first() if code else None
        if root is None:
            raise NotFound("org")
        return ImportScope(root.path, root, root if root.level in MEMBER_LEVELS else None)
    scope = scope_for(actor)
    scope.require(Perm.MEMBER_MANAGE, "member")
    assert scope.path is not None or scope.is_superuser
    path = scope.path or ""
    org = Organization.objects.filter(pk=scope.org_id).first() if scope.org_id else None
    default = None
    if code:
        default = Organization.objects.filter(code=code, path__startswith=path).first()
        if default is None:
            raise NotFound("org")
        if default.level not in MEMBER_LEVELS:
            raise ValidationFailed(
                "roster.union_level",
                _("请选择基层工会或工会联合会作为默认工会。"),
                field="union_code",
            )
    return ImportScope(path, org or default, default)


def _context(scope: ImportScope, now_value: str) -> roster_rows.RowContext:
    unions: dict[str, int] = {}
    above: set[str] = set()
    for code, pk, level in Organization.objects.filter(path__startswith=scope.path, is_active=True).values_list(
        "code", "pk", "level"
    ):
        if level in MEMBER_LEVELS:
            unions[code] = pk
        else:
            above.add(code)
    employers = {
        (union_id, name): pk
        for pk, union_id, name in Employer.objects.filter(union__path__startswith=scope.path).values_list(
            "pk", "union_id", "name"
        )
    }
    return roster_rows.RowContext(
        unions=unions,
        above_unions=above,
        employers=employers,
        default_union_id=scope.default_union.pk if scope.default_union else None,
        today=timezone.localdate(),
        vendor=connection.vendor,
        now_value=now_value,
    )


def roster_import_run(
    *,
    actor: Any,
    path: Path,
    union_code: str = "",
    all_or_nothing: bool = False,
    filename: str = "",
    progress: ProgressLike | None = None,
    job: Job | None = None,
    workers: int | None = None,
) -> ImportResult:
    """Import a roster file as `actor` (None: the system, inside `union_code`'s subtree)."""
    scope = import_scope(actor=actor, union_code=union_code)
    result = ImportResult(all_or_nothing=all_or_nothing)
    try:
        total = roster_files.count_rows(path)
    except OSError:
        total = 0
    run = _Run(actor, scope, path, filename or path.name, total, workers, result, progress, job)
    if progress:
        progress.set(0, total, message=_("正在校验名册…"))
    try:
        if not (_first_load(total) and _load_directly(run)):
            _load_through_staging(run)
    except IntegrityError as exc:
        logger.warning("roster import of %s refused by the database: %s", run.filename, exc)
        # Someone in the file joined online while the file was being checked: nothing was written.
        result.written = 0
        result.message = _("导入期间名册发生了变化（有人刚刚入会），本次没有导入任何数据，请重新导入。")
    if not result.written:
        _audit(actor, scope, result, filename, job)
    result.message = result.message or _summary(result)
    return result


def _summary(result: ImportResult) -> str:
    if result.all_or_nothing and result.rejected:
        return _("有 %(n)d 行未通过校验，按“全部成功才导入”的选择，本次没有导入任何数据。") % {"n": result.rejected}
    if not result.written:
        return _("没有可以导入的行。")
    return _("已导入 %(accepted)d 行，未通过 %(rejected)d 行。") % {
        "accepted": result.written,
        "rejected": result.rejected,
    }


@dataclass
class _Run:
    """One import under way: what it was asked to do, and how far it has got."""

    actor: Any
    scope: ImportScope
    path: Path
    filename: str
    total: int
    workers: int | None
    result: ImportResult
    progress: ProgressLike | None
    job: Job | None

    def check(self, sink: _Staging | _RosterLoad) -> None:
        """Check the whole file, handing the accepted rows of each part to `sink`."""
        context = _context(self.scope, sink.now_value)
        total = self.total
        for part, checked in _checked_chunks(self.path, context, total, self.workers):
            _take(part, checked, self.result, sink)
            if self.progress:
                self.progress.set(min(self.result.total, total) if total else 0, total or None)

    def publishing(self) -> None:
        if self.progress:
            done = min(self.result.total, self.total) if self.total else 0
            self.progress.set(done, self.total or None, message=_("正在写入名册…"))

    def published(self, first_number: int) -> None:
        """The accepted rows are in the roster, numbered from `first_number`: say so, and audit it."""
        result = self.result
        result.written = result.accepted
        first, last = member_number(first_number), member_number(first_number + result.accepted - 1)
        _audit(self.actor, self.scope, result, self.filename, self.job, first=first, last=last)

    @property
    def keeps_nothing(self) -> bool:
        return not self.result.accepted or (self.result.all_or_nothing and bool(self.result.rejected))


def _load_through_staging(run: _Run) -> None:
    """Check into the staging table, then publish from it in one short transaction."""
    with _Staging() as staging:
        run.check(staging)
        if run.keeps_nothing:
            return
        run.publishing()
        with transaction.atomic():
            start = member_numbers_reserve(run.result.accepted)
            staging.publish(prefix=MEMBER_NO_PREFIX, start=start, width=MEMBER_NO_DIGITS)
            run.published(start)


def _first_load(total: int) -> bool:
    """A file that at least doubles the roster, on PostgreSQL: `_load_directly` is worth its locks."""
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        return _worth_rebuilding(cursor, total)


def _load_directly(run: _Run) -> bool:
    """A first load on PostgreSQL: one transaction from the first row to the last, in which the roster's secondary
    indexes and keys are dropped, the accepted rows go straight into the roster as each part is checked (numbered
    as they come: the member-number counter stays locked to the end), and the indexes and keys are built again.
    Against staging the rows first, this saves copying them all again at the end (11 s of 2.65 million rows' 60),
    and the question "already a member?" is answered from one read of the roster rather than a query per part.
    The roster is locked against readers for the whole import (about a minute for 2.65 million rows) instead of
    its publishing half; progress is written through a connection of its own, so it is seen all along.

    False, having done nothing, when the roster or the tables its keys point at could not be locked within
    POSTGRES_LOCK_WAIT: the import then goes through the staging table."""
    table = Membership._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor:
        dropped = _postgres_drop(cursor, table)
        if dropped is None:
            return False
        load = _RosterLoad(_active_id_indexes())
        with _progress_aside(run.progress):
            run.check(load)
            if run.keeps_nothing:
                transaction.set_rollback(True)
                return True
            run.publishing()
            _rebuild(cursor, table, *dropped)
            run.published(load.first)
    return True


def _progress_aside(progress: ProgressLike | None) -> AbstractContextManager[Any]:
    aside = getattr(progress, "aside", None)
    return aside() if aside is not None else nullcontext()


def _active_id_indexes() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id_index FROM {Membership._meta.db_table} WHERE status = %s",  # noqa: S608
            [Membership.Status.ACTIVE],
        )
        return {r[0] for r in cursor.fetchall()}


def _checked_chunks(
    path: Path, context: roster_rows.RowContext, total: int, workers: int | None
) -> Iterator[tuple[roster_files.RosterPart, roster_rows.CheckedChunk]]:
    """Parts of the file with their checked rows, in file order: in a process pool for big files, which read the
    lines of a CSV file themselves."""
    workers = POOL_WORKERS if workers is None and total >= POOL_MIN_ROWS else (workers or 0)
    if workers <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        roster_rows.use_context(context)
        for chunk in roster_files.chunked(roster_files.read_rows(path), CHUNK_ROWS):
            yield chunk, roster_rows.check_chunk(chunk)
        return
    # Forked workers inherit the settings (keys) and loaded code; they never touch the database.
    pending: deque[roster_files.RosterPart] = deque()

    def feed() -> Iterator[roster_files.RosterPart]:
        for part in roster_files.read_parts(path, CHUNK_ROWS):
            pending.append(part)
            yield part

    pool = multiprocessing.get_context("fork").Pool(workers, initializer=roster_rows.use_context, initargs=(context,))
    try:
        for checked in pool.imap(roster_rows.check_part, feed()):
            yield pending.popleft(), checked
        pool.close()
    finally:
        pool.terminate()
        pool.join()


def _take(
    part: roster_files.RosterPart,
    checked: roster_rows.CheckedChunk,
    result: ImportResult,
    staging: _Staging | _RosterLoad,
) -> None:
    """Stage a checked part's accepted rows but those already seen in the file or already members."""
    result.total += checked.total
    reasons = {row_no: reason for row_no, _values, reason in checked.rejected}
    values = {row_no: row_values for row_no, row_values, _reason in checked.rejected}
    keys, row_nos = checked.keys, checked.row_nos
    seen = staging.seen
    dropped: set[int] = set()  # places in the accepted lists
    if len(set(keys)) == len(keys) and seen.keys().isdisjoint(keys):
        seen.update(zip(keys, row_nos, strict=True))  # the common case, without a loop in Python
    else:
        for place, (key, row_no) in enumerate(zip(keys, row_nos, strict=True)):
            first = seen.setdefault(key, row_no)
            if first != row_no:
                dropped.add(place)
                reasons[row_no] = _("身份证号码与文件中第 %(row)d 行重复。") % {"row": first}
    indexes = checked.indexes
    fresh = [index for place, index in enumerate(indexes) if place not in dropped] if dropped else indexes
    members = staging.active_members(fresh)
    if members:
        for place, index in enumerate(indexes):
            if index in members and place not in dropped:
                dropped.add(place)
                reasons[row_nos[place]] = _("该身份证号码已是在会会员；如需转入本工会，请办理转会。")
    rows = [row for place, row in enumerate(checked.rows) if place not in dropped] if dropped else checked.rows
    staging.add(rows)
    result.accepted += len(rows)
    result.rejected += len(reasons)
    if dropped:
        # Rejected here, not by the worker: their values as uploaded, read again (rare).
        values.update((row_no, row_values) for row_no, row_values in roster_files.part_rows(part) if row_no in reasons)
    for row_no in sorted(reasons):
        if len(result.rejects) < roster_files.XLSX_MAX_ROWS:
            result.rejects.append((row_no, values[row_no], reasons[row_no]))


def _active_members(batch: list[str]) -> set[str]:
    """Which of these blind indexes belong to an active member already: one query per chunk of the file. Plain
    SQL: building an ORM filter with thousands of values costs more than running it. PostgreSQL takes them as one
    parameter (a query with thousands of placeholders costs psycopg more to prepare than the database to run);
    SQLite as a list of placeholders, two thousand at a time."""
    found: set[str] = set()
    if not batch:
        return found
    table = Membership._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # One text parameter split by the server: blind indexes are hex, never a comma (adapting a list of
            # thousands of strings as an array costs psycopg more than the query).
            cursor.execute(
                f"SELECT id_index FROM {table} WHERE status = %s"  # noqa: S608
                " AND id_index = ANY(string_to_array(%s, ','))",
                [Membership.Status.ACTIVE, ",".join(batch)],
            )
            return {r[0] for r in cursor.fetchall()}
        for start in range(0, len(batch), DB_LOOKUP_BATCH):
            part = batch[start : start + DB_LOOKUP_BATCH]
            cursor.execute(
                f"SELECT id_index FROM {table} WHERE status = %s AND id_index IN ({', '.join(['%s'] * len(part))})",  # noqa: S608
                [Membership.Status.ACTIVE, *part],
            )
            found.update(r[0] for r in cursor.fetchall())
    return found


def _audit(
    actor: Any, scope: ImportScope, result: ImportResult, filename: str, job: Job | None, **numbers: str
) -> None:
    obj = job if job is not None else scope.org
    if obj is None:
        return
    audit_record(
        actor=actor,
        action="member.import",
        obj=obj,
        org=scope.org,
        changes={"file": filename, **result.as_dict(), **({"member_no": numbers} if numbers else {})},
    )


# ----------------------------------------------------------------------------------------------------------------
# The staging table: a temporary table of this connection, so it vanishes with it


# The staging table's columns after `seq`, in the order the workers write them.
STAGING_COLUMNS = (
    "name",
    "id_number",
    "id_index",
    "phone",
    "phone_index",
    "job_group",
    "employer_id",
    "employer_name",
    "union_id",
    "joined_at",
    "needy_level",
    "model_worker_level",
)


class _Staging:
    def __init__(self) -> None:
        self.table = f"roster_import_{uuid.uuid4().hex[:12]}"
        self.seen: dict[int, int] = {}  # duplicate key -> row number where it first appeared
        self.count = 0
        self.postgres = connection.vendor == "postgresql"
        now = timezone.now()
        # The join time of rows without a date, as the database takes it (the workers write it into each row).
        self.now_value: str = now.isoformat() if self.postgres else str(connection.ops.adapt_datetimefield_value(now))
        self._cache_size = -2000

    def __enter__(self) -> _Staging:
        if self.postgres:
            try:
                with transaction.atomic(), connection.cursor() as cursor:
                    # Room for the staged rows in this session's memory; refused (and then left as it is) once the
                    # session has used a temporary table.
                    cursor.execute(f"SET temp_buffers = '{POSTGRES_TEMP_BUFFERS}'")
            except DatabaseError:
                pass
        with connection.cursor() as cursor:
            if self.postgres:
                # `seq` numbers the rows in the order COPY receives them, which is the order of the file.
                seq, when_type = "seq bigint GENERATED ALWAYS AS IDENTITY", "timestamp with time zone"
            else:
                # Publishing inserts into every index of the roster at once: a page cache that holds them saves
                # re-reading index pages for each row (SQLite's default is 2 MB). Restored on the way out.
                cursor.execute("PRAGMA cache_size")
                self._cache_size = cursor.fetchone()[0]
                cursor.execute(f"PRAGMA cache_size = -{SQLITE_CACHE_KIB}")
                # SQLite numbers rows 1, 2, 3... in the order they are inserted.
                seq, when_type = "seq INTEGER PRIMARY KEY", "text"
            cursor.execute(
                f"CREATE TEMPORARY TABLE {self.table} ({seq}, name varchar(60) NOT NULL,"
                " id_number text NOT NULL, id_index varchar(64) NOT NULL, phone text NOT NULL,"
                " phone_index varchar(64) NOT NULL, job_group varchar(20) NOT NULL, employer_id bigint NULL,"
                " employer_name varchar(150) NOT NULL, union_id bigint NOT NULL,"
                f" joined_at {when_type} NOT NULL, needy_level varchar(10) NOT NULL,"
                " model_worker_level varchar(12) NOT NULL)"
            )
        return self

    def __exit__(self, *exc: Any) -> None:
        try:
            with connection.cursor() as cursor:
                cursor.execute(f"DROP TABLE IF EXISTS {self.table}")
                if not self.postgres:
                    cursor.execute(f"PRAGMA cache_size = {int(self._cache_size)}")
        except Exception:  # noqa: BLE001 - the connection may be gone; its temporary table went with it
            logger.warning("could not drop the staging table of a roster import", exc_info=False)

    def active_members(self, batch: list[str]) -> set[str]:
        return _active_members(batch)

    def add(self, rows: list[Any]) -> None:
        """Stage checked rows, as the workers prepared them: lines of COPY text on PostgreSQL, tuples elsewhere."""
        if not rows:
            return
        self.count += len(rows)
        columns = ", ".join(STAGING_COLUMNS)
        with transaction.atomic(), connection.cursor() as cursor:
            if self.postgres:
                with cursor.cursor.copy(f"COPY {self.table} ({columns}) FROM STDIN") as copy:
                    copy.write("".join(rows))
            else:
                marks = ", ".join(["%s"] * len(STAGING_COLUMNS))
                cursor.executemany(f"INSERT INTO {self.table} ({columns}) VALUES ({marks})", rows)  # noqa: S608

    def publish(self, *, prefix: str, start: int, width: int) -> None:
        """Copy every staged row into the roster, numbering them from `start` in file order (the number comes from
        the row's place in the file, so the rows need no sorting on the way: sorting millions of staged rows spilled
        to disk and doubled the time on PostgreSQL). Runs inside the caller's transaction."""
        table = Membership._meta.db_table
        if self.postgres:
            number = f"%s || lpad((%s + seq)::text, {width}, '0')"
        else:
            number = f"%s || substr('{'0' * width}' || (%s + seq), -{width}, {width})"
        columns = ", ".join(STAGING_COLUMNS)
        with _indexes_rebuilt_if_worth_it(self.count), connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} ({columns}, member_no, status, source, ended_at, user_id)"  # noqa: S608
                f" SELECT {columns}, {number}, %s, %s, NULL, NULL FROM {self.table}",
                [prefix, start - 1, Membership.Status.ACTIVE, Membership.Source.IMPORT],
            )


class _RosterLoad:
    """Where `_load_directly` puts checked rows: straight into the roster, as lines of COPY text with their member
    numbers, status and source in front."""

    def __init__(self, active: set[str]) -> None:
        self.seen: dict[int, int] = {}
        self.active = active  # blind indexes of the roster's active members when the load began
        self.now_value = timezone.now().isoformat()
        self.first = 0  # the first member number handed out

    def active_members(self, batch: list[str]) -> set[str]:
        return self.active.intersection(batch)

    def add(self, rows: list[str]) -> None:
        if not rows:
            return
        start = member_numbers_reserve(len(rows))
        self.first = self.first or start
        head = f"\t{Membership.Status.ACTIVE.value}\t{Membership.Source.IMPORT.value}\t"
        text = "".join(
            [
                f"{MEMBER_NO_PREFIX}{n:0{MEMBER_NO_DIGITS}d}{head}{line}"
                for n, line in zip(range(start, start + len(rows)), rows, strict=True)
            ]
        )
        columns = ", ".join(("member_no", "status", "source", *STAGING_COLUMNS))
        with (
            connection.cursor() as cursor,
            cursor.cursor.copy(f"COPY {Membership._meta.db_table} ({columns}) FROM STDIN") as copy,
        ):
            copy.write(text)


# ----------------------------------------------------------------------------------------------------------------
# A large publish into a small roster: its secondary indexes (and on PostgreSQL its foreign keys) dropped and made
# again in the same transaction


@contextmanager
def _indexes_rebuilt_if_worth_it(rows: int) -> Iterator[None]:
    """Inserting millions of rows into a roster that holds fewer costs far more through its indexes (each row goes
    into every one of them; the blind indexes are random keys, so each insert lands on another page) than building
    those indexes again from the finished table, which sorts each once. So when an import at least doubles the
    roster, its secondary indexes are dropped and rebuilt from their own definitions, inside the publishing
    transaction: if anything fails, the rollback brings them back as they were, and the unique ones (one active
    membership per ID number) are checked over every row when they are built again.

    On PostgreSQL the roster's union and employer keys and its unique member numbers go the same way: kept, each
    inserted row queues a check that probes the union and employer tables one row at a time at the commit (13 s of
    the 2.65 million rows' 94) and goes into the member-number index (5 s); added again after the insert, each key
    is checked over the whole table by one join and the numbers' index is built by one sort. Dropping locks the
    roster table against readers, and the union and employer tables against writes, until the commit (about half
    a minute for 2.65 million rows), so this waits at most a few seconds for the lock and otherwise publishes
    through the indexes as usual; the primary key stays. On SQLite, readers keep reading the last
    committed roster; its foreign-key checks cost little, and its table-level unique constraints stay."""
    table = Membership._meta.db_table
    postgres = connection.vendor == "postgresql"
    constraints: list[tuple[str, str]] = []
    with connection.cursor() as cursor:
        if not _worth_rebuilding(cursor, rows):
            yield
            return
        if postgres:
            dropped = _postgres_drop(cursor, table)
            if dropped is None:
                yield
                return
            indexes, constraints = dropped
        else:
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s AND sql IS NOT NULL",
                [table],
            )
            indexes = cursor.fetchall()
            for name, _sql in indexes:
                cursor.execute(f'DROP INDEX "{name}"')
    yield
    with connection.cursor() as cursor:
        _rebuild(cursor, table, indexes, constraints)


def _rebuild(cursor: Any, table: str, indexes: list[tuple[str, str]], constraints: list[tuple[str, str]]) -> None:
    """Make again what `_postgres_drop` (or, on SQLite, its caller) dropped, from their definitions."""
    postgres = connection.vendor == "postgresql"
    if postgres:
        # PostgreSQL builds no index on a table with checks pending: run those of the account key, which stays
        # (imported rows leave it empty: 1.8 s for 2.65 million rows).
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(f"SET LOCAL maintenance_work_mem = '{POSTGRES_INDEX_MEMORY}'")
    for _name, definition in indexes:
        cursor.execute(definition)
    for name, definition in constraints:
        cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
    if postgres:
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def _worth_rebuilding(cursor: Any, rows: int) -> bool:
    """Whether writing `rows` rows at least doubles the roster, and they are many: then its indexes are better
    dropped and built again than grown row by row."""
    return rows >= BULK_INDEX_MIN_ROWS and rows >= _roster_rows(cursor, Membership._meta.db_table)


def _roster_rows(cursor: Any, table: str) -> int:
    if connection.vendor == "postgresql":
        cursor.execute("SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass", [table])
        estimate = int(cursor.fetchone()[0])
        if estimate >= 0:
            return estimate
    cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608
    return int(cursor.fetchone()[0])


def _postgres_drop(cursor: Any, table: str) -> tuple[list[tuple[str, str]], list[tuple[str, str]]] | None:
    """Drop the roster's secondary indexes, its unique constraints (member numbers) and the foreign keys of the
    columns the import fills, and give their definitions in the order to make them again; None when a table could
    not be locked within a few seconds (nothing was dropped then). The primary key stays: other tables' keys point
    at it."""
    try:
        with transaction.atomic():
            cursor.execute(f"SET LOCAL lock_timeout = '{POSTGRES_LOCK_WAIT}'")
            cursor.execute(f"LOCK TABLE {table} IN ACCESS EXCLUSIVE MODE")
            # A table with checks pending (rows this transaction wrote before) can have no key dropped: run them.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            cursor.execute(
                "SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid"
                " WHERE x.indrelid = %s::regclass AND NOT x.indisprimary"
                " AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)",
                [table],
            )
            indexes = cursor.fetchall()
            # Unique constraints first (no key of another table may depend on one), then the foreign keys of the
            # columns the import fills (union, employer): added again in this order. The account key stays:
            # imported rows leave it empty, which makes its checks cheap, and dropping it would stop sign-ins (they
            # write to the account table, which dropping and adding a key locks against writes) until the commit.
            cursor.execute(
                "SELECT c.conname, pg_get_constraintdef(c.oid), c.contype, a.attname FROM pg_constraint c"
                " JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]"
                " WHERE c.conrelid = %s::regclass AND (c.contype = 'f' OR c.contype = 'u' AND NOT EXISTS ("
                "  SELECT 1 FROM pg_constraint k WHERE k.contype = 'f' AND k.conindid = c.conindid AND k.oid <> c.oid))"
                " ORDER BY c.contype DESC, c.conname",
                [table],
            )
            constraints = [
                (name, sql) for name, sql, kind, column in cursor.fetchall() if kind == "u" or column in STAGING_COLUMNS
            ]
            for name, _definition in constraints:
                cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
            for name, _definition in indexes:
                cursor.execute(f'DROP INDEX "{name}"')
    except OperationalError:
        return None
    cursor.execute("SET LOCAL lock_timeout = 0")
    return indexes, constraints
