"""The roster import's bulk path: the blind-index columns compare bytes with one index each, the quick row check
agrees with the full one, sealing in bulk gives what the one-value functions give, and a large publish rebuilds the
roster's indexes and keys without losing one or the rule of one active membership per person."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import psycopg
import pytest
from django.db import IntegrityError, connection
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from zhijia.core.pii import BulkSealer, decrypt, phone_index
from zhijia.jobs.models import Job
from zhijia.jobs.services import Progress
from zhijia.members import roster_files, roster_rows
from zhijia.members.models import MemberNumberCounter, Membership
from zhijia.members.selectors import id_index
from zhijia.members.services import roster_import
from zhijia.members.services.membership import member_number
from zhijia.members.services.roster_import import roster_import_run
from zhijia.members.views import roster as roster_views
from zhijia.testing.world import build_world

from .roster_support import make_id, row, write_csv


def _indexes_and_keys() -> dict[str, tuple]:
    """The roster's indexes and foreign keys: name -> (columns, unique, the key's target; on PostgreSQL whether the
    key is checked at the commit, as Django declares them)."""
    table = Membership._meta.db_table
    with connection.cursor() as cursor:
        found = {
            name: (tuple(info["columns"]), info["unique"], info["foreign_key"], None)
            for name, info in connection.introspection.get_constraints(cursor, table).items()
            if info["index"] or info["foreign_key"]
        }
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT conname, condeferrable AND condeferred FROM pg_constraint"
                " WHERE conrelid = %s::regclass AND contype = 'f'",
                [table],
            )
            for name, deferred in cursor.fetchall():
                found[name] = (*found[name][:3], deferred)
    return found


def test_blind_index_columns_compare_bytes_and_keep_no_second_index(db):
    # The roster's blind indexes are built and searched millions of times: on PostgreSQL byte by byte (collation
    # "C"), never through the locale; and with one index each (no LIKE index: nobody searches a hash by its start).
    table = Membership._meta.db_table
    with connection.cursor() as cursor:
        indexes = connection.introspection.get_constraints(cursor, table)
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT column_name, collation_name FROM information_schema.columns"
                " WHERE table_name = %s AND column_name IN ('id_index', 'phone_index', 'name')",
                [table],
            )
            collations = dict(cursor.fetchall())
            assert collations["id_index"] == collations["phone_index"] == "C"
            assert collations["name"] != "C"  # names keep the database's own rules
    leading = {
        column: [(name, i["unique"]) for name, i in indexes.items() if i["index"] and i["columns"][0] == column]
        for column in ("id_index", "phone_index")
    }
    # The ID number's one index is also the one-active-membership rule (its second key is an expression).
    assert leading == {
        "id_index": [("one_active_membership_per_person", True)],
        "phone_index": [(leading["phone_index"][0][0], False)],
    }
    assert indexes["one_active_membership_per_person"]["columns"] == ["id_index", None]


def test_bulk_sealing_gives_what_encrypt_and_the_blind_indexes_give():
    sealer = BulkSealer()
    sealed = [sealer.encrypt(make_id(i)) for i in range(5000)]  # more than one block of nonces

    assert [decrypt(v) for v in sealed[:3] + sealed[-3:]] == [make_id(i) for i in (0, 1, 2, 4997, 4998, 4999)]
    assert len({v.split(".")[2][:16] for v in sealed}) == 5000  # a fresh nonce for each value
    assert sealer.id_index(make_id(7)) == id_index(make_id(7))
    assert sealer.phone_index("13900000007") == phone_index("13900000007")


@pytest.mark.parametrize(
    "values",
    [
        row(1, union="T-UA"),
        row(2, union="T-UA", id_number=make_id(2).lower().replace("x", "x")),
        row(3, union="T-UA", id_number=" " + make_id(3) + " "),
        row(4, union="T-UA", id_number=make_id(4)[:6] + " " + make_id(4)[6:]),  # a space inside: the full check
        row(5, union="T-UA", phone="+86 139-0000-0005", joined="2020/5/1"),
        row(6, union="T-UA", id_number="110105198506150010"),
        row(7, union="T-UA", id_number="11010519850615001"),
        row(8, union="T-UA", id_number="990105198506150010"),
        row(9, union="T-UA", name="张三3"),
        row(10, union="T-XX"),
        row(11, union="T-UA", joined="2099-01-01"),
        row(12, union="T-UA", joined="1971-01-01"),  # before the person turned 16
        row(13, union="T-UA", needy="是", model_worker="全国"),
        row(14, union="T-UA", job_group="外卖骑手", employer="X甲公司"),
        row(15, union="T-UA", name="王\t五"),
    ],
)
def test_the_quick_check_accepts_exactly_what_the_full_check_accepts(world, values):
    context = roster_import._context(roster_import.import_scope(actor=None, union_code="T-X"), "now")
    values = tuple(v.strip() for v in values)

    quick = roster_rows._quick_row(context, values)
    reasons, full = roster_rows._check_row(context, values)

    if quick is not None:
        assert not reasons
        assert quick == full
    # a row the quick path leaves alone is the full check's to judge, with its reasons


def test_the_copy_text_of_a_row_escapes_tabs_and_backslashes(world):
    context = roster_import._context(roster_import.import_scope(actor=None, union_code="T-X"), "now")
    context.vendor = "postgresql"
    roster_rows.use_context(context)

    checked = roster_rows.check_chunk([(2, tuple(row(1, name="王\\五", union="T-UA", employer="甲\t乙")))])

    (index,), (line,) = checked.indexes, checked.rows
    fields = line.rstrip("\n").split("\t")
    assert len(fields) == len(roster_import.STAGING_COLUMNS)
    assert fields[0] == "王\\\\五"
    assert fields[7] == "甲\\t乙"
    assert fields[2] == index == id_index(make_id(1))


def test_a_large_import_into_a_small_roster_rebuilds_every_index(world, tmp_path, monkeypatch):
    # given a roster with one member, and a file that more than doubles it
    monkeypatch.setattr(roster_import, "BULK_INDEX_MIN_ROWS", 2)
    roster_import_run(actor=None, path=write_csv(tmp_path / "one.csv", [row(1, union="T-UA")]), union_code="T-X")
    before = _indexes_and_keys()

    # when it is imported
    path = write_csv(tmp_path / "roster.csv", [row(i, union="T-UA") for i in range(2, 40)])
    result = roster_import_run(actor=None, path=path, union_code="T-X")

    # then every row is in, every index and foreign key is back, and one active membership per person still holds
    assert result.written == 38
    assert _indexes_and_keys() == before
    assert {info[2][0] for info in before.values() if info[2]} >= {"organizations_organization", "accounts_user"}
    assert Membership.objects.filter(status=Membership.Status.ACTIVE).count() == 39
    with pytest.raises(IntegrityError):
        Membership.objects.create(
            name="重复",
            id_number=make_id(5),
            id_index=id_index(make_id(5)),
            member_no="DUP-1",
            union=world.union_a,
            source=Membership.Source.ONLINE,
            joined_at=timezone.now(),
        )


def test_a_large_import_that_fails_while_rebuilding_leaves_the_roster_and_its_indexes_as_they_were(
    world, tmp_path, monkeypatch
):
    # given a large import whose people slip past the check and are members already when it publishes
    monkeypatch.setattr(roster_import, "BULK_INDEX_MIN_ROWS", 2)
    path = write_csv(tmp_path / "roster.csv", [row(i, union="T-UA") for i in range(1, 30)])
    roster_import_run(actor=None, path=write_csv(tmp_path / "one.csv", [row(1, union="T-UA")]), union_code="T-X")
    before = _indexes_and_keys()
    monkeypatch.setattr(roster_import, "_active_members", lambda batch: set())
    monkeypatch.setattr(roster_import, "_active_id_indexes", set)
    monkeypatch.setattr(roster_import, "_roster_rows", lambda cursor, table: 0)

    # when it runs
    result = roster_import_run(actor=None, path=path, union_code="T-X")

    # then the unique index, built again, refuses the duplicate: nothing was written, the indexes are all there
    assert result.written == 0
    assert "重新导入" in result.message
    assert Membership.objects.count() == 1
    assert _indexes_and_keys() == before


@pytest.mark.postgres
def test_a_first_load_that_cannot_lock_the_union_table_publishes_through_the_indexes_and_keys(
    world, tmp_path, monkeypatch
):
    if connection.vendor != "postgresql":
        pytest.skip("the keys are dropped around a first load on PostgreSQL only")
    # given a large import, and another session writing to the union table that has not committed yet
    monkeypatch.setattr(roster_import, "BULK_INDEX_MIN_ROWS", 2)
    monkeypatch.setattr(roster_import, "POSTGRES_LOCK_WAIT", "200ms")
    monkeypatch.setattr(roster_import, "_roster_rows", lambda cursor, table: 0)
    dropped: list[Any] = []
    real_drop = roster_import._postgres_drop

    def spy(*args: Any) -> Any:
        dropped.append(real_drop(*args))
        return dropped[-1]

    monkeypatch.setattr(roster_import, "_postgres_drop", spy)
    before = _indexes_and_keys()
    db = connection.settings_dict
    other = psycopg.connect(
        dbname=db["NAME"], user=db["USER"], host=db["HOST"] or None, port=db["PORT"] or None, password=db["PASSWORD"]
    )
    other.execute("LOCK TABLE organizations_organization IN ROW EXCLUSIVE MODE")
    with connection.cursor() as cursor:
        cursor.execute("SET lock_timeout = '5s'")  # a wait that never gives up fails this test instead of hanging it

    # when the import publishes
    try:
        path = write_csv(tmp_path / "roster.csv", [row(i, union="T-UA") for i in range(1, 30)])
        result = roster_import_run(actor=None, path=path, union_code="T-X")
    finally:
        other.rollback()
        other.close()

    # then it gave up dropping anything after a short wait (loading straight into the roster, then publishing from
    # the staging table) and published through the indexes and keys as they were
    assert dropped == [None, None]
    assert result.written == 29
    assert _indexes_and_keys() == before


def test_the_rejected_rows_file_keeps_no_id_number_or_phone_in_the_clear(world, tmp_path):
    # given a file whose rejected rows carry ID numbers and phones, one of them typed into the name column
    rows = [
        row(1, union="T-UA", phone="1234"),
        row(2, union="T-UA", name=make_id(9)),
        row(3, union="T-UA", job_group="宇航员", phone="13912345678"),
    ]
    result = roster_import_run(actor=None, path=write_csv(tmp_path / "roster.csv", rows), union_code="T-X")

    # when the rejected rows are written out
    content = roster_files.rejects_xlsx(result.rejects)

    # then the file names each row and its reason with the numbers masked, and holds none of them in full
    with zipfile.ZipFile(io.BytesIO(content)) as book:
        text = "".join(book.read(n).decode() for n in book.namelist() if n.endswith(".xml"))
    for number in (make_id(1), make_id(2), make_id(3), make_id(9), "13912345678"):
        assert number not in text
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    body = [list(r) for r in sheet.iter_rows(min_row=2, values_only=True)]
    assert [r[0] for r in body] == [2, 3, 4]
    assert body[0][3] == make_id(1)[:6] + "********" + make_id(1)[-4:]
    assert body[1][2] == make_id(9)[:3] + "*" * 11 + make_id(9)[-4:]
    assert body[2][4] == "139****5678"


def test_the_roster_page_counts_up_to_its_cap(world, client_as, tmp_path, monkeypatch):
    roster_import_run(
        actor=None, path=write_csv(tmp_path / "r.csv", [row(i, union="T-UA") for i in range(1, 5)]), union_code="T-X"
    )
    client = client_as(world.user("district_x_staff"))

    exact = client.get(reverse("members:roster")).content.decode()
    monkeypatch.setattr(roster_views, "ROSTER_COUNT_CAP", 3)
    capped = client.get(reverse("members:roster")).content.decode()

    assert "共 4 人" in exact
    assert "共 3+ 人" in capped
    assert capped.count('href="/console/members/') >= 4  # the page itself still lists every row


def _next_member_number() -> int:
    return MemberNumberCounter.objects.get().next_value


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_first_load_goes_straight_into_the_roster_and_its_progress_is_seen_on_the_way(tmp_path, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("a first load goes straight into the roster on PostgreSQL only")
    # given a roster with one member, and a file of 30 people (that member among them) read in parts of 5 rows
    world = build_world()
    monkeypatch.setattr(roster_import, "BULK_INDEX_MIN_ROWS", 2)
    monkeypatch.setattr(roster_import, "CHUNK_ROWS", 5)
    monkeypatch.setattr(roster_import, "_roster_rows", lambda cursor, table: 0)  # not the planner's stale estimate
    roster_import_run(actor=None, path=write_csv(tmp_path / "one.csv", [row(1, union="T-UA")]), union_code="T-X")
    before, first_number = _indexes_and_keys(), _next_member_number()
    staff = world.user("union_a_staff")
    job = Job.objects.create(owner=staff, kind=roster_import.JOB_KIND, title="名册导入", params={})
    db = connection.settings_dict
    watcher = psycopg.connect(
        dbname=db["NAME"], user=db["USER"], host=db["HOST"] or None, port=db["PORT"] or None, password=db["PASSWORD"]
    )
    seen: list[int] = []
    real_add = roster_import._RosterLoad.add

    def add_and_look(self: Any, rows: list[str]) -> None:
        # what someone watching the job's page reads while the load's transaction is open
        ((done,),) = watcher.execute("SELECT done FROM jobs_job WHERE id = %s", [job.pk]).fetchall()
        seen.append(done)
        watcher.rollback()
        real_add(self, rows)

    monkeypatch.setattr(roster_import._RosterLoad, "add", add_and_look)

    # when the job imports the file
    path = write_csv(tmp_path / "roster.csv", [row(i, union="T-UA") for i in range(1, 31)])
    try:
        result = roster_import_run(actor=staff, path=path, progress=Progress(job), job=job)
    finally:
        watcher.close()

    # then the progress moved part by part while the rows went into the roster, the member already in was refused,
    # the others are numbered in file order from the next free number, and every index and key is back
    assert seen == [0, 5, 10, 15, 20, 25]
    assert (result.written, result.rejected) == (29, 1)
    imported = Membership.objects.filter(member_no__gte=member_number(first_number)).order_by("member_no")
    assert list(imported.values_list("id_index", flat=True)) == [id_index(make_id(i)) for i in range(2, 31)]
    assert imported.values_list("member_no", flat=True).last() == member_number(first_number + 28)
    assert _next_member_number() == first_number + 29
    assert _indexes_and_keys() == before
    job.refresh_from_db()
    assert job.done == 30


@pytest.mark.postgres
@pytest.mark.parametrize("ending", ["dies", "all_or_nothing"])
def test_a_first_load_that_ends_without_publishing_leaves_the_roster_as_it_was(world, tmp_path, monkeypatch, ending):
    if connection.vendor != "postgresql":
        pytest.skip("a first load goes straight into the roster on PostgreSQL only")
    # given a roster with one member, and a large import that dies after loading two parts, or that is all or
    # nothing and has a bad row at its end
    monkeypatch.setattr(roster_import, "BULK_INDEX_MIN_ROWS", 2)
    monkeypatch.setattr(roster_import, "CHUNK_ROWS", 5)
    monkeypatch.setattr(roster_import, "_roster_rows", lambda cursor, table: 0)  # not the planner's stale estimate
    roster_import_run(actor=None, path=write_csv(tmp_path / "one.csv", [row(1, union="T-UA")]), union_code="T-X")
    before, first_number = _indexes_and_keys(), _next_member_number()
    loaded: list[int] = []
    real_add = roster_import._RosterLoad.add

    def add(self: Any, rows: list[str]) -> None:
        real_add(self, rows)
        loaded.append(len(rows))
        if ending == "dies" and len(loaded) == 2:
            raise RuntimeError("worker killed")

    monkeypatch.setattr(roster_import._RosterLoad, "add", add)
    rows = [row(i, union="T-UA") for i in range(2, 30)]
    rows[-1][1] = "bad"
    path = write_csv(tmp_path / "roster.csv", rows)

    # when it runs
    if ending == "dies":
        with pytest.raises(RuntimeError):
            roster_import_run(actor=None, path=path, union_code="T-X")
    else:
        result = roster_import_run(actor=None, path=path, union_code="T-X", all_or_nothing=True)
        assert (result.written, result.rejected) == (0, 1)

    # then rows had gone into the roster, but it holds only its one member, with every index and key, and no
    # member number was used up
    assert loaded[:2] == [5, 5]
    assert Membership.objects.count() == 1
    assert _indexes_and_keys() == before
    assert _next_member_number() == first_number
