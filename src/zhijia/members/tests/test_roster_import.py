"""Roster import: every row checked, the valid ones written at once (or none at all), the rejected ones returned
with their reasons, and no personal data in the clear anywhere in the database."""

from __future__ import annotations

import sqlite3

import pytest
from django.db import connection
from django.test import TestCase
from django.utils import timezone
from openpyxl import load_workbook

from zhijia.audit.models import AuditEvent
from zhijia.core.errors import NotFound
from zhijia.jobs.models import Job
from zhijia.jobs.services import job_run
from zhijia.members import roster_files
from zhijia.members.models import Membership
from zhijia.members.selectors import id_index
from zhijia.members.services import roster_import
from zhijia.members.services.roster_import import roster_import_run, roster_import_start
from zhijia.members.tasks import import_roster

from .roster_support import make_id, row, write_csv, write_xlsx


def _rejects(result):
    workbook = load_workbook(filename=__import__("io").BytesIO(roster_files.rejects_xlsx(result.rejects)))
    sheet = workbook.worksheets[0]
    header, *rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert header[:2] == ["原行号", "未通过原因"]
    return {r[0]: r[1] for r in rows}


def test_accept_valid_imports_only_the_valid_rows_and_names_each_rejected_rows_reason(world, tmp_path):
    # given a file of three good rows and three bad ones
    rows = [
        row(1, union="T-UA"),
        row(2, id_number="110105198506150010"),  # wrong check character
        row(3, union="T-UA", phone="1234"),
        row(4, union="T-XJ", job_group="网约送餐员", needy="深度困难", model_worker="市级劳模", joined="2020-05-01"),
        row(5, union="T-UA", job_group="宇航员"),
        row(6, union="T-UA", employer="X甲公司"),
    ]
    path = write_csv(tmp_path / "roster.csv", rows)

    # when district X's staff imports it, accepting the valid rows
    result = roster_import_run(actor=world.user("district_x_staff"), path=path, union_code="T-UA")

    # then the three valid rows are members, numbered in one block, and each bad row says why
    assert (result.total, result.accepted, result.rejected, result.written) == (6, 3, 3, 3)
    members = list(Membership.objects.order_by("member_no"))
    assert [m.id_number for m in members] == [make_id(1), make_id(4), make_id(6)]
    assert all(m.source == Membership.Source.IMPORT and m.status == Membership.Status.ACTIVE for m in members)
    first = int(members[0].member_no[2:])
    assert [int(m.member_no[2:]) for m in members] == [first, first + 1, first + 2]
    rider = members[1]
    assert (rider.union, rider.job_group, rider.needy_level, rider.model_worker_level) == (
        world.joint_x,
        "delivery_rider",
        "deep",
        "city",
    )
    assert str(timezone.localdate(rider.joined_at)) == "2020-05-01"
    assert members[2].employer == world.employer_a
    assert members[0].union == world.union_a  # no union code: the default union
    reasons = _rejects(result)
    assert set(reasons) == {3, 4, 6}  # spreadsheet rows: the header is row 1
    assert "校验位" in reasons[3]
    assert "手机号" in reasons[4]
    assert "职业群体" in reasons[6]


def test_all_or_nothing_writes_nothing_when_one_row_is_bad(world, tmp_path):
    path = write_csv(tmp_path / "roster.csv", [row(1, union="T-UA"), row(2, union="T-UA", phone="12")])

    result = roster_import_run(actor=world.user("district_x_staff"), path=path, union_code="T-UA", all_or_nothing=True)

    assert (result.accepted, result.rejected, result.written) == (1, 1, 0)
    assert not Membership.objects.exists()
    assert "没有导入任何数据" in result.message
    event = AuditEvent.objects.get(action="member.import")
    assert event.changes["written"] == 0
    assert event.changes["rejected"] == 1


def test_all_or_nothing_writes_everything_when_every_row_is_good(world, tmp_path):
    path = write_csv(tmp_path / "roster.csv", [row(i, union="T-UA") for i in range(1, 6)])

    result = roster_import_run(actor=world.user("district_x_staff"), path=path, union_code="T-UA", all_or_nothing=True)

    assert result.written == 5
    assert Membership.objects.count() == 5
    event = AuditEvent.objects.get(action="member.import")
    assert (event.changes["total"], event.changes["accepted"], event.changes["written"]) == (5, 5, 5)


def test_the_same_person_twice_in_a_file_is_rejected_the_second_time(world, tmp_path):
    path = write_csv(tmp_path / "roster.csv", [row(1), row(2), row(1, name="重复人")])

    result = roster_import_run(actor=world.user("district_x_staff"), path=path, union_code="T-UA")

    assert result.written == 2
    assert _rejects(result) == {4: "身份证号码与文件中第 2 行重复。"}


def test_a_person_who_is_already_a_member_is_rejected(world, tmp_path):
    roster_import_run(
        actor=world.user("district_x_staff"), path=write_csv(tmp_path / "a.csv", [row(1)]), union_code="T-UA"
    )

    result = roster_import_run(
        actor=world.user("district_x_staff"), path=write_csv(tmp_path / "b.csv", [row(1), row(2)]), union_code="T-XJ"
    )

    assert result.written == 1
    assert "已是在会会员" in _rejects(result)[2]
    assert Membership.objects.filter(id_index=id_index(make_id(1))).count() == 1


def test_unknown_and_out_of_scope_union_codes_are_rejected_alike(world, tmp_path):
    path = write_csv(
        tmp_path / "roster.csv",
        [row(1, union="T-NOPE"), row(2, union="T-UB"), row(3, union="T-X"), row(4, union="T-XS")],
    )

    result = roster_import_run(actor=world.user("district_x_staff"), path=path)

    reasons = _rejects(result)
    assert reasons[2] == reasons[3] == "工会编码不存在，或不在您的管辖范围内。"
    assert "不能直接接收会员" in reasons[4]  # the district itself
    assert result.written == 1  # a street federation may hold members
    assert Membership.objects.get().union == world.street_x


def test_rows_without_a_union_code_need_a_default_union(world, tmp_path):
    result = roster_import_run(actor=world.user("district_x_staff"), path=write_csv(tmp_path / "r.csv", [row(1)]))

    assert _rejects(result) == {2: "请填写工会编码。"}


def test_a_district_cannot_import_into_another_district(world, tmp_path):
    path = write_csv(tmp_path / "roster.csv", [row(1)])

    with pytest.raises(NotFound):
        roster_import_run(actor=world.user("district_y_staff"), path=path, union_code="T-UA")

    assert not Membership.objects.exists()


def test_an_xlsx_roster_with_numbers_and_dates_in_cells_imports(world, tmp_path):
    import datetime as dt

    values: list[object] = list(row(1, union="T-UA"))
    values[2] = 13900000001  # a phone typed as a number
    values[8] = dt.datetime(2021, 3, 4)
    path = write_xlsx(tmp_path / "roster.xlsx", [values, row(2, id_number="123")])

    result = roster_import_run(actor=world.user("union_a_staff"), path=path)

    assert (result.written, result.rejected) == (1, 1)
    member = Membership.objects.get()
    assert member.phone == "13900000001"
    assert str(timezone.localdate(member.joined_at)) == "2021-03-04"
    assert "18 位" in _rejects(result)[3]


def test_a_gbk_csv_from_excel_reads(world, tmp_path):
    path = write_csv(tmp_path / "roster.csv", [row(1, name="张三", union="T-UA")], encoding="gb18030")

    assert roster_import_run(actor=world.user("union_a_staff"), path=path).written == 1
    assert Membership.objects.get().name == "张三"


def test_a_file_without_the_id_column_is_refused_as_a_whole(world, tmp_path):
    path = tmp_path / "roster.csv"
    path.write_text("姓名,手机号\n张三,13900000001\n", encoding="utf-8")

    with pytest.raises(roster_files.RosterFileError, match="身份证号码"):
        roster_import_run(actor=world.user("union_a_staff"), path=path)


def test_the_worker_pool_checks_big_files_in_file_order(world, tmp_path, monkeypatch):
    monkeypatch.setattr(roster_import, "CHUNK_ROWS", 7)
    rows = [row(i, union="T-UA") for i in range(1, 61)]
    rows[30][1] = "bad"
    path = write_csv(tmp_path / "roster.csv", rows)

    result = roster_import_run(actor=world.user("union_a_staff"), path=path, workers=2)

    assert (result.written, result.rejected) == (59, 1)
    assert list(_rejects(result)) == [32]
    numbers = list(Membership.objects.order_by("member_no").values_list("id_index", flat=True))
    assert numbers == [id_index(make_id(i)) for i in range(1, 61) if i != 31]


def test_the_worker_pool_reports_each_rejected_row_with_its_number_and_values(world, tmp_path, monkeypatch):
    # given a big file read by the workers in parts of 7 lines: a bad row, a person twice (found by this process,
    # not a worker), and after them an employer written over two lines (rows read here from then on)
    monkeypatch.setattr(roster_import, "CHUNK_ROWS", 7)
    rows = [row(i, union="T-UA") for i in range(1, 41)]
    rows[3][2] = "12345"
    rows[20] = row(2, union="T-UA", name="又一次")
    rows[30][4] = "重庆\n某公司"
    rows[35][1] = "bad"
    path = write_csv(tmp_path / "roster.csv", rows)

    result = roster_import_run(actor=world.user("union_a_staff"), path=path, workers=2)

    assert (result.total, result.written, result.rejected) == (40, 37, 3)
    by_row = {row_no: (values, reason) for row_no, values, reason in result.rejects}
    assert sorted(by_row) == [5, 22, 37]
    assert "手机号" in by_row[5][1]
    assert by_row[5][0][2] == "12345"
    assert by_row[22] == (tuple(rows[20]), "身份证号码与文件中第 3 行重复。")
    assert by_row[37][0][1] == "bad"
    assert Membership.objects.get(id_index=id_index(make_id(31))).employer_name == "重庆\n某公司"


def _staging_tables() -> list[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT tablename FROM pg_tables WHERE tablename LIKE 'roster_import_%%'")
        else:
            cursor.execute("SELECT name FROM sqlite_temp_master WHERE name LIKE 'roster_import_%'")
        return [r[0] for r in cursor.fetchall()]


def test_an_import_task_that_dies_midway_leaves_nothing_behind(world, tmp_path, media_root, monkeypatch):
    # given an import started from the console, whose task dies after staging its first chunk
    monkeypatch.setattr(roster_import, "CHUNK_ROWS", 3)
    path = write_csv(tmp_path / "roster.csv", [row(i, union="T-UA") for i in range(1, 11)])
    with path.open("rb") as upload, TestCase.captureOnCommitCallbacks(execute=False):
        job = roster_import_start(
            actor=world.user("union_a_staff"), upload=upload, filename="roster.csv", all_or_nothing=False
        )
    staged = []
    real_add = roster_import._Staging.add

    def add_then_die(self, rows):
        real_add(self, rows)
        staged.append(len(rows))
        if len(staged) == 2:
            raise RuntimeError("worker killed")

    monkeypatch.setattr(roster_import._Staging, "add", add_then_die)

    # when the task runs
    with pytest.raises(RuntimeError):
        import_roster.call(str(job.pk))

    # then rows had been staged, but the roster has none, the staging table is gone, and so is the upload
    assert staged == [3, 3]
    assert not Membership.objects.exists()
    assert _staging_tables() == []
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert not (media_root / job.params["file"]).exists()


def test_an_import_task_reports_progress_counts_and_the_rejected_rows(world, tmp_path, media_root):
    path = write_csv(tmp_path / "roster.csv", [row(1, union="T-UA"), row(2, union="T-UA", id_number="x")])
    with path.open("rb") as upload, TestCase.captureOnCommitCallbacks(execute=False):
        job = roster_import_start(
            actor=world.user("union_a_staff"), upload=upload, filename="roster.csv", all_or_nothing=False
        )

    job_run(str(job.pk), roster_import.roster_import_work)

    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED
    assert (job.done, job.total) == (2, 2)
    assert job.result == {"total": 2, "accepted": 1, "rejected": 1, "written": 1, "all_or_nothing": False}
    assert "已导入 1 行" in job.message
    sheet = load_workbook(job.result_file.path).worksheets[0]
    assert [c.value for c in sheet[2]][:2] == [3, "身份证号码应为 18 位，当前为 1 位。"]
    # the rejected rows are as uploaded: the file counts as personal data (downloads audited, it expires)
    assert job.result_personal
    assert job.result_expires_at is not None
    event = AuditEvent.objects.get(action="member.import")
    assert (event.actor, event.org, event.changes["written"]) == (world.user("union_a_staff"), world.union_a, 1)


def _assert_no_plaintext(blob: str, people: list[tuple[str, str]]) -> None:
    for id_number, phone in people:
        assert id_number not in blob
        assert id_number[6:14] + id_number[14:17] not in blob  # not even the birth date and sequence
        assert phone not in blob


def test_no_id_number_or_phone_is_stored_in_the_clear(world, tmp_path):
    people = [(make_id(i), f"139{i:08d}") for i in range(1, 21)]
    path = write_csv(tmp_path / "roster.csv", [row(i, union="T-UA") for i in range(1, 21)])

    roster_import_run(actor=world.user("union_a_staff"), path=path)

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {Membership._meta.db_table}")  # noqa: S608
        raw = repr(cursor.fetchall())
    assert Membership.objects.count() == 20
    _assert_no_plaintext(raw, people)
    assert Membership.objects.get(id_index=id_index(people[0][0])).id_number == people[0][0]


@pytest.mark.django_db(transaction=True)
def test_the_sqlite_database_file_holds_no_id_number_or_phone(tmp_path):
    if connection.vendor != "sqlite":
        pytest.skip("reads an SQLite database file")
    from zhijia.testing.world import build_world

    world = build_world()
    people = [(make_id(i), f"139{i:08d}") for i in range(1, 21)]
    roster_import_run(
        actor=world.user("union_a_staff"),
        path=write_csv(tmp_path / "roster.csv", [row(i, union="T-UA") for i in range(1, 21)]),
    )
    # The test database lives in memory: copy it, pages and all, into a real database file and read its bytes.
    target = tmp_path / "copy.sqlite3"
    with sqlite3.connect(target) as copy:
        connection.connection.backup(copy)
    data = target.read_bytes()
    assert Membership.objects.count() == 20
    for id_number, phone in people:
        assert id_number.encode() not in data
        assert phone.encode() not in data


def test_reasons_and_logs_never_repeat_an_id_number_or_phone(world, tmp_path, media_root, caplog, monkeypatch):
    # given rows with personal data in the wrong places, and a task that dies after checking them
    caplog.set_level("DEBUG")
    stray_id, stray_phone = make_id(7), "13912345678"
    rows = [
        row(1, union="T-UA", phone=stray_id),  # the ID number typed into the phone column
        row(2, union="T-UA", name=stray_phone),  # a phone in the name column
        row(3, union="T-UA", id_number=stray_id[:-1] + ("0" if stray_id[-1] != "0" else "1")),  # a wrong checksum
        row(4, union="T-UA", job_group=stray_phone),
        row(5, union="T-UA"),
    ]
    path = write_csv(tmp_path / "roster.csv", rows)
    result = roster_import_run(actor=world.user("union_a_staff"), path=path)
    again = write_csv(tmp_path / "again.csv", [*rows[:4], row(6, union="T-UA")])
    with again.open("rb") as upload, TestCase.captureOnCommitCallbacks(execute=False):
        job = roster_import_start(
            actor=world.user("union_a_staff"), upload=upload, filename="again.csv", all_or_nothing=False
        )
    monkeypatch.setattr(roster_import, "member_numbers_reserve", lambda n: (_ for _ in ()).throw(RuntimeError("boom")))
    with pytest.raises(RuntimeError):
        import_roster.call(str(job.pk))

    # then no reason, job message or log line carries the values
    assert result.rejected == 4
    job.refresh_from_db()
    said = " ".join(reason for _row, _values, reason in result.rejects) + job.message + caplog.text
    assert stray_id not in said
    assert stray_id[:17] not in said
    assert stray_phone not in said
