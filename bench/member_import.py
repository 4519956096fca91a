"""Roster benchmarks: importing Chongqing's 2.65 million member records from CSV, and searching a street's roster.

Import, with every row checked, encrypted and blind-indexed, timed end to end (`roster_import_run`, as
`zhijia import_members` runs it) against two baselines measured in the same run on the same file:

- the floor: the same rows bulk-inserted with no checks and no encryption (executemany on SQLite, COPY on
  PostgreSQL, one transaction);
- django-import-export importing the first 50,000 rows with a plain ModelResource, the tool a Django developer
  would reach for.

Search, on the roster page of a street federation with 50,000 members: name prefix, a full ID number and a phone
(both through their blind indexes), each as the selector alone and as the page through the test client, against
a primary-key lookup.

    python -m bench --only member_import --import-rows 200000   # inside the runner (builds the demo city first)
    python -m bench.member_import --rows 200000                  # on its own, appending to bench/RESULTS.md
    python -m bench.member_import --import-only --skip-import-export   # the import against its floor only
    python -m bench.member_import --search-only                  # the search only

On its own it builds the demo city in a database of its own (`zhijia_bench_roster*` on PostgreSQL), so it can run
beside `python -m bench`; the generated CSV is kept in the temporary directory for the next run.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .results import Check, Figure

CHONGQING_ROWS = 2_650_000
IMPORT_EXPORT_SAMPLE = 50_000
STREET_MEMBERS = 50_000
TARGET_ROWS_PER_SECOND = 50_000
SEARCH_P95_MS = 100.0
GROUP_IMPORT = "Roster import (CSV, every row checked, encrypted and blind-indexed)"
GROUP_SEARCH = "Roster search (street federation with 50,000 members)"

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国玉兰红梅文斌宇浩凯鹏辉宁欣悦晨阳晓东雪"
JOB_GROUPS = [
    ("快递员", 8),
    ("网约送餐员", 8),
    ("货车司机", 6),
    ("家政服务员", 4),
    ("护工护理员", 3),
    ("保安员", 5),
    ("房产中介员", 3),
    ("商场信息员", 3),
    ("企业职工", 45),
    ("农民工", 10),
    ("其他", 5),
]
# Chongqing's districts (5001xx): the file is Chongqing's size, and its people were born there.
AREAS = [f"5001{n:02d}" for n in (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20)]
BIRTH_DAYS = (dt.date(2004, 12, 31) - dt.date(1960, 1, 1)).days


def id_number_for(i: int, *, areas: list[str] = AREAS) -> str:
    """The i-th of a sequence of distinct, valid ID numbers (distinct for the first 325 million)."""
    from zhijia.members.idnumber import check_character

    area = areas[i % len(areas)]
    rest = i // len(areas)
    born = dt.date(1960, 1, 1) + dt.timedelta(days=rest % BIRTH_DAYS)
    first17 = f"{area}{born:%Y%m%d}{(rest // BIRTH_DAYS) % 1000:03d}"
    return first17 + check_character(first17)


def _joined(i: int) -> str:
    """A join date after the person turned 18 and before 2026."""
    born = int(id_number_for(i)[6:10])
    return f"{max(born + 18, 2010 + i % 15)}-{1 + i % 12:02d}-{1 + i % 28:02d}"


def phone_for(i: int) -> str:
    return f"1{'35789'[i % 5]}{i:09d}"


def generate_csv(path: Path, rows: int, union_codes: list[str], *, seed: int = 2026, offset: int = 0) -> Path:
    """A valid roster of `rows` people spread over `union_codes`, written once and reused."""
    if path.exists():
        return path
    from zhijia.members.roster_files import header_labels

    rng = random.Random(seed)
    groups = [g for g, _ in JOB_GROUPS]
    weights = [w for _, w in JOB_GROUPS]
    partial = path.with_suffix(f".{os.getpid()}.partial")  # two runs at once each write their own, then one wins
    with partial.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(header_labels())
        for start in range(0, rows, 50_000):
            n = min(50_000, rows - start)
            picked = rng.choices(groups, weights, k=n)
            unions = rng.choices(union_codes, k=n)
            batch = []
            for k in range(n):
                i = offset + start + k
                roll = rng.random()
                batch.append(
                    (
                        SURNAMES[i % len(SURNAMES)] + GIVEN[(i // 7) % len(GIVEN)] + GIVEN[(i // 11) % len(GIVEN)],
                        id_number_for(i),
                        phone_for(i),
                        unions[k],
                        "",
                        picked[k],
                        "相对困难" if roll < 0.02 else "否",
                        "市级劳模" if roll > 0.997 else "否",
                        _joined(i) if i % 2 else "",
                    )
                )
            writer.writerows(batch)
    partial.replace(path)
    return path


# ----------------------------------------------------------------------------------------------------------------
# The three ways in


def _wipe() -> None:
    from django.db import connection

    from zhijia.members.models import Membership

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"TRUNCATE {Membership._meta.db_table} RESTART IDENTITY CASCADE")
            cursor.execute(f"VACUUM ANALYZE {Membership._meta.db_table}")
        else:
            # SQLite enforces the foreign keys row by row: first what points at the imported members (the demo's own
            # members, imported the same way, may have work places in planning).
            table = Membership._meta.db_table
            imported = f"SELECT id FROM {table} WHERE source = 'import'"
            for relation in Membership._meta.related_objects:
                related = relation.related_model._meta.db_table
                column = relation.field.column
                cursor.execute(f"DELETE FROM {related} WHERE {column} IN ({imported})")
            cursor.execute(f"DELETE FROM {table} WHERE source = 'import'")


def bare_insert(path: Path) -> tuple[int, float]:
    """The floor: the file's rows straight into the roster table, no checks, nothing encrypted."""
    from django.db import connection, transaction
    from django.utils import timezone

    from zhijia.members.models import JobGroup, Membership
    from zhijia.organizations.models import Organization

    unions = dict(Organization.objects.values_list("code", "pk"))
    groups = {str(label): value for value, label in JobGroup.choices}
    now = timezone.now()
    when = now.isoformat() if connection.vendor == "postgresql" else connection.ops.adapt_datetimefield_value(now)
    columns = (
        "name, id_number, id_index, phone, phone_index, job_group, employer_name, member_no, status, source,"
        " joined_at, needy_level, model_worker_level, union_id"
    )
    table = Membership._meta.db_table
    started = time.perf_counter()
    count = 0
    with path.open(encoding="utf-8", newline="") as f, transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            # The same page cache the import gives itself, so the floor is the best this database does.
            from zhijia.members.services.roster_import import SQLITE_CACHE_KIB

            cursor.execute(f"PRAGMA cache_size = -{SQLITE_CACHE_KIB}")
        reader = csv.reader(f)
        next(reader)
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for name, id_number, phone, union, employer, group, _n, _m, _j in reader:
                    count += 1
                    copy.write_row(
                        (name, id_number, id_number, phone, phone, groups.get(group, "other"), employer,
                         f"B{count:010d}", "active", "import", when, "none", "none", unions[union])
                    )  # fmt: skip
        else:
            sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * 14)})"
            while True:
                batch = []
                for name, id_number, phone, union, employer, group, _n, _m, _j in reader:
                    count += 1
                    batch.append(
                        (name, id_number, id_number, phone, phone, groups.get(group, "other"), employer,
                         f"B{count:010d}", "active", "import", when, "none", "none", unions[union])
                    )  # fmt: skip
                    if len(batch) == 20_000:
                        break
                if not batch:
                    break
                cursor.executemany(sql, batch)
    return count, time.perf_counter() - started


def _cpu() -> float:
    """CPU seconds of this process and of its finished children (the import's worker processes)."""
    import resource

    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def full_import(path: Path, scope_code: str) -> tuple[Any, float, float]:
    from zhijia.members.services.roster_import import roster_import_run

    started, cpu = time.perf_counter(), _cpu()
    result = roster_import_run(actor=None, path=path, union_code=scope_code, filename=path.name)
    return result, time.perf_counter() - started, _cpu() - cpu


def import_export_sample(path: Path, rows: int) -> tuple[int, float]:
    """django-import-export with a plain ModelResource: the same columns, the same encryption (through the model
    field), member numbers and blind indexes filled in before each save."""
    import tablib
    from django.utils import timezone
    from import_export import fields, resources, widgets

    from zhijia.core.pii import phone_index
    from zhijia.members.models import JobGroup, Membership
    from zhijia.members.selectors import id_index
    from zhijia.organizations.models import Organization

    groups = {str(label): value for value, label in JobGroup.choices}
    counter = iter(range(1, rows + 1))
    now = timezone.now()

    class MembershipResource(resources.ModelResource):
        name = fields.Field(attribute="name", column_name="姓名")
        id_number = fields.Field(attribute="id_number", column_name="身份证号码")
        phone = fields.Field(attribute="phone", column_name="手机号")
        union = fields.Field(
            attribute="union", column_name="工会编码", widget=widgets.ForeignKeyWidget(Organization, "code")
        )
        employer_name = fields.Field(attribute="employer_name", column_name="用人单位")
        job_group = fields.Field(attribute="job_group", column_name="职业群体")

        class Meta:
            model = Membership
            fields = ("name", "id_number", "phone", "union", "employer_name", "job_group")
            import_id_fields: tuple[str, ...] = ()
            force_init_instance = True

        def before_save_instance(self, instance: Membership, row: Any, **kwargs: Any) -> None:
            instance.job_group = groups.get(instance.job_group, "other")
            instance.id_index = id_index(instance.id_number)
            instance.phone_index = phone_index(instance.phone)
            instance.member_no = f"E{next(counter):010d}"
            instance.source = Membership.Source.IMPORT
            instance.joined_at = now

    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.reader(f)
        header = next(reader)
        data = tablib.Dataset(headers=header)
        for values in reader:
            data.append(values)
            if len(data) == rows:
                break
    started = time.perf_counter()
    result = MembershipResource().import_data(data, dry_run=False, raise_errors=True)
    seconds = time.perf_counter() - started
    assert not result.has_errors()
    return len(data), seconds


# ----------------------------------------------------------------------------------------------------------------
# Search


def _p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20)[18] if len(samples) >= 20 else max(samples)


def search(scratch: Path, *, rounds: int, progress: Callable[[str], None]) -> list[Figure | Check]:
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from zhijia.accounts.models import User
    from zhijia.members.models import Membership
    from zhijia.members.selectors import member_list
    from zhijia.members.services.roster_import import roster_import_run
    from zhijia.organizations.models import Organization, OrgLevel

    # The page is rendered with the production settings: their static files must be collected (once).
    call_command("collectstatic", interactive=False, verbosity=0)
    staff = User.objects.get(username="bj-chaowai")
    street = Organization.objects.get(pk=staff.scope.org_id)
    codes = list(
        Organization.objects.filter(path__startswith=street.path, level=OrgLevel.GRASSROOTS).values_list(
            "code", flat=True
        )
    )
    already = Membership.objects.filter(union__path__startswith=street.path).count()
    need = max(0, STREET_MEMBERS - already)
    if need:
        path = generate_csv(scratch / f"street-{street.code}-{need}.csv", need, codes, seed=7, offset=400_000_000)
        progress(f"  search: importing {need:,} members into {street.name}")
        roster_import_run(actor=None, path=path, union_code=street.code)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    members = Membership.objects.filter(union__path__startswith=street.path)
    size = members.count()
    sample = members.order_by("pk")[size // 2]
    surname = sample.name[0]
    terms = {"name prefix": surname, "full ID number": sample.id_number, "phone": sample.phone}
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(staff)
    roster = reverse("members:roster")

    def page(term: str) -> Callable[[], Any]:
        def run() -> Any:
            response = client.get(roster, {"q": term})
            assert response.status_code == 200, response.status_code
            return response

        return run

    def selector(term: str) -> Callable[[], Any]:
        def run() -> Any:
            qs = member_list(actor=staff, search=term)
            return qs.count(), list(qs[:50])

        return run

    def baseline() -> Any:
        return Membership.objects.get(pk=sample.pk)

    cases: dict[str, Callable[[], Any]] = {"baseline": baseline}
    for label, term in terms.items():
        cases[f"selector: {label}"] = selector(term)
        cases[f"page: {label}"] = page(term)
    progress(f"  search: {rounds} rounds of {len(cases)} cases over {size:,} members ({connection.vendor})")
    samples: dict[str, list[float]] = {k: [] for k in cases}
    names = list(cases)
    rng = random.Random(5)
    for i in range(rounds + 10):
        rng.shuffle(names)
        for name in names:
            started = time.perf_counter()
            cases[name]()
            if i >= 10:
                samples[name].append((time.perf_counter() - started) * 1000)
    base = _p95(samples["baseline"])
    group = f"{GROUP_SEARCH}, {connection.vendor}"
    figures: list[Figure | Check] = []
    worst = 0.0
    for name in cases:
        if name == "baseline":
            continue
        p95 = _p95(samples[name])
        if name.startswith("page"):
            worst = max(worst, p95)
        figures.append(Figure(group, f"p95 of {name} ({street.name})", p95, "p95 of a primary-key lookup", base, "ms"))
    figures.append(
        Check(
            group,
            f"slowest page p95 under {SEARCH_P95_MS:.0f} ms ({size:,} members in the street)",
            f"{worst:.1f} ms",
            passed=worst < SEARCH_P95_MS,
        )
    )
    return figures


# ----------------------------------------------------------------------------------------------------------------


def run(
    *,
    rows: int = CHONGQING_ROWS,
    scratch: Path,
    rounds: int = 200,
    search_only: bool = False,
    import_only: bool = False,
    skip_import_export: bool = False,
    progress: Callable[[str], None] = print,
) -> list[Figure | Check]:
    from django.db import connection

    from zhijia.members.models import Membership
    from zhijia.organizations.models import Organization, OrgLevel

    cache = Path(tempfile.gettempdir()) / "zhijia-bench"
    cache.mkdir(exist_ok=True)
    if search_only:
        return search(cache, rounds=rounds, progress=progress)
    city = Organization.objects.get(code="FED-11")
    codes = sorted(
        Organization.objects.filter(path__startswith=city.path, level=OrgLevel.GRASSROOTS).values_list(
            "code", flat=True
        )
    )
    path = cache / f"roster-{rows}-{len(codes)}.csv"
    started = time.perf_counter()
    generate_csv(path, rows, codes)
    progress(
        f"  member_import: {rows:,}-row CSV ready in {time.perf_counter() - started:.0f}s"
        f" ({path.stat().st_size >> 20} MiB)"
    )

    _wipe()
    die_rows, die_seconds = 0, 0.0
    if not skip_import_export:
        sample_rows = min(IMPORT_EXPORT_SAMPLE, rows)
        progress(f"  member_import: django-import-export, {sample_rows:,} rows")
        die_rows, die_seconds = import_export_sample(path, sample_rows)
        _wipe()
    progress("  member_import: bare bulk insert (the floor)")
    floor_rows, floor_seconds = bare_insert(path)
    _wipe()
    progress(f"  member_import: full import of {rows:,} rows")
    result, seconds, cpu = full_import(path, city.code)
    assert result.written == rows == floor_rows, (result.as_dict(), floor_rows)
    assert Membership.objects.filter(source=Membership.Source.IMPORT).count() == rows
    rate, floor_rate = rows / seconds, floor_rows / floor_seconds
    die_rate = die_rows / die_seconds if die_seconds else 0.0
    progress(
        f"  member_import: {rate:,.0f} rows/s ({seconds:.1f}s, {cpu:.1f} CPU-s in this process and its workers);"
        f" floor {floor_rate:,.0f} rows/s ({floor_seconds:.1f}s);"
        + (f" django-import-export {die_rate:,.0f} rows/s ({die_seconds:.1f}s)" if die_rows else "")
    )
    where = f"{rows:,} rows, {connection.vendor}"
    group = f"{GROUP_IMPORT}, {connection.vendor}"
    figures: list[Figure | Check] = [
        Figure(
            group,
            f"zhijia import, end to end ({where}, {seconds:.1f} s; {cpu:.1f} CPU-s in the importing processes)",
            rate,
            f"bare bulk insert of the same rows, no checks ({floor_seconds:.1f} s)",
            floor_rate,
            "rows/s",
            better="higher",
        ),
        Figure(
            group,
            f"zhijia import vs django-import-export ({where})",
            rate,
            f"django-import-export ModelResource, first {die_rows:,} rows ({die_seconds:.1f} s)",
            die_rate,
            "rows/s",
            better="higher",
        ),
        Check(
            group,
            f"at least {TARGET_ROWS_PER_SECOND:,} rows/s end to end",
            f"{rate:,.0f} rows/s ({rows:,} rows in {seconds:.1f} s)",
            passed=rate >= TARGET_ROWS_PER_SECOND,
        ),
    ]
    if not die_rows:
        figures = [f for f in figures if not (isinstance(f, Figure) and "django-import-export" in f.name)]
    if not import_only:
        figures += search(cache, rounds=rounds, progress=progress)
    return figures


def main(argv: list[str] | None = None) -> int:
    """Run on its own: a fresh bench database with the demo city, then this benchmark; a section is appended to
    bench/RESULTS.md."""
    import shutil

    from . import environment, report

    parser = argparse.ArgumentParser(prog="python -m bench.member_import")
    parser.add_argument("--rows", type=int, default=CHONGQING_ROWS, help="rows in the import (default 2,650,000)")
    parser.add_argument("--rounds", type=int, default=200, help="timed rounds of each search")
    parser.add_argument("--results", type=Path, default=Path(__file__).with_name("RESULTS.md"))
    parser.add_argument("--search-only", action="store_true", help="only the roster search (no import runs)")
    parser.add_argument("--import-only", action="store_true", help="only the import runs (no search)")
    parser.add_argument("--skip-import-export", action="store_true", help="leave out django-import-export")
    args = parser.parse_args(argv)
    # A database of its own, so that this can run beside `python -m bench`.
    environment.BENCH_DB_NAME = "zhijia_bench_roster_search" if args.search_only else "zhijia_bench_roster"
    if args.import_only:
        environment.BENCH_DB_NAME = "zhijia_bench_roster_import"
    bench = environment.prepare()
    try:
        environment.recreate_database(bench)
        import django

        django.setup()
        print(f"bench: {bench.vendor}; building the demo city")
        environment.build_data()
        figures = run(
            rows=args.rows,
            scratch=bench.scratch,
            rounds=args.rounds,
            search_only=args.search_only,
            import_only=args.import_only,
            skip_import_export=args.skip_import_export,
        )
        text = report.console(figures)
        print(text)
        stamp = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
        section = [
            "",
            f"## Roster {'search' if args.search_only else 'import and search'} ({bench.vendor}, {args.rows:,} rows,"
            f" `python -m bench.member_import`, {stamp})",
            "",
            "```",
            text,
            "```",
            "",
        ]
        with args.results.open("a", encoding="utf-8") as f:
            f.write("\n".join(section))
        return 0
    finally:
        from django.db import connections

        connections.close_all()
        environment.drop_database(bench)
        shutil.rmtree(bench.scratch, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
