"""Roster rows with digits of other scripts: the one row is refused with a reason naming the column, the others are
imported."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from zhijia.members import roster_files
from zhijia.members.models import Membership
from zhijia.members.services.roster_import import roster_import_run

from .roster_support import make_id, row, write_csv


def _reasons(result):
    sheet = load_workbook(filename=io.BytesIO(roster_files.rejects_xlsx(result.rejects))).worksheets[0]
    _header, *rows = list(sheet.iter_rows(values_only=True))
    return {r[0]: r[1] for r in rows}


def test_an_id_number_or_phone_with_a_superscript_digit_rejects_only_its_row(world, tmp_path):
    # given a roster whose second row has "²" and "¹" in the ID number and whose third has "²" in the phone
    rows = [
        row(1, union="T-UA"),
        row(2, union="T-UA", id_number="11²¹0119900101123X"),
        row(3, union="T-UA", phone="1380000²009"),
        row(4, union="T-UA"),
    ]
    path = write_csv(tmp_path / "roster.csv", rows)

    # when district X's staff imports it
    result = roster_import_run(actor=world.user("district_x_staff"), path=path, union_code="T-UA")

    # then the two good rows are members and each bad row says which value is wrong
    assert (result.total, result.accepted, result.rejected, result.written) == (4, 2, 2, 2)
    assert sorted(m.id_number for m in Membership.objects.all()) == sorted([make_id(1), make_id(4)])
    reasons = _reasons(result)
    assert set(reasons) == {3, 4}  # spreadsheet rows: the header is row 1
    assert "身份证号码前 17 位应为数字" in reasons[3]
    assert "手机号" in reasons[4]
