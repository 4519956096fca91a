"""`zhijia import_members FILE --union CODE [--all-or-nothing]`: imports as the system into the union's subtree,
prints the counts, writes the rejected rows next to the file, and fails when nothing was imported."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from zhijia.audit.models import AuditEvent
from zhijia.members.models import Membership

from .roster_support import row, write_csv


def _run(*args: str) -> str:
    out = StringIO()
    call_command("import_members", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_the_command_imports_the_valid_rows_and_writes_the_rejected_ones_beside_the_file(world, tmp_path):
    path = write_csv(tmp_path / "roster.csv", [row(1), row(2, union="T-XJ"), row(3, phone="1"), row(4, union="T-UB")])

    out = _run(str(path), "--union", "T-XS")

    assert "accepted: 2" in out
    assert "rejected: 2" in out
    assert set(Membership.objects.values_list("union__code", flat=True)) == {"T-XS", "T-XJ"}
    rejected = tmp_path / "roster.rejected.xlsx"
    rows = list(load_workbook(rejected).worksheets[0].iter_rows(values_only=True))[1:]
    assert [(r[0], r[1]) for r in rows] == [
        (4, "手机号格式不正确，应为 11 位大陆手机号。"),
        (5, "工会编码不存在，或不在您的管辖范围内。"),  # union B lies outside street X
    ]
    event = AuditEvent.objects.get(action="member.import")
    assert event.actor is None
    assert event.org == world.street_x


def test_all_or_nothing_on_the_command_line_imports_nothing_and_fails(world, tmp_path):
    path = write_csv(tmp_path / "roster.csv", [row(1), row(2, id_number="110105")])

    with pytest.raises(CommandError, match="nothing was imported"):
        _run(str(path), "--union", "T-UA", "--all-or-nothing")

    assert not Membership.objects.exists()
    assert (tmp_path / "roster.rejected.xlsx").exists()


def test_an_unknown_union_or_file_is_an_error(world, tmp_path):
    path = write_csv(tmp_path / "roster.csv", [row(1)])

    with pytest.raises(CommandError):
        _run(str(path), "--union", "T-NOPE")
    with pytest.raises(CommandError, match="no such file"):
        _run(str(tmp_path / "missing.csv"), "--union", "T-UA")
    assert not Membership.objects.exists()
