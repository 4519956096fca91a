"""Building roster files for tests: valid ID numbers, and CSV or XLSX files with the template's header."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from datetime import date, timedelta
from pathlib import Path

from openpyxl import Workbook

from zhijia.members.idnumber import check_character
from zhijia.members.roster_files import header_labels


def make_id(seq: int, *, area: str = "110105", born: date | None = None) -> str:
    born = born or date(1970, 1, 1) + timedelta(days=seq // 1000)
    first17 = f"{area}{born:%Y%m%d}{seq % 1000:03d}"
    return first17 + check_character(first17)


def row(
    seq: int,
    *,
    name: str = "",
    id_number: str | None = None,
    phone: str | None = None,
    union: str = "",
    employer: str = "",
    job_group: str = "快递员",
    needy: str = "否",
    model_worker: str = "否",
    joined: str = "",
) -> list[str]:
    return [
        name or f"测试{chr(0x4E00 + seq % 500)}",
        id_number if id_number is not None else make_id(seq),
        phone if phone is not None else f"139{seq:08d}",
        union,
        employer,
        job_group,
        needy,
        model_worker,
        joined,
    ]


def write_csv(path: Path, rows: list[list[str]], *, encoding: str = "utf-8-sig") -> Path:
    with path.open("w", encoding=encoding, newline="") as f:
        writer = csv.writer(f)
        writer.writerow(header_labels())
        writer.writerows(rows)
    return path


def write_xlsx(path: Path, rows: Sequence[Sequence[object]]) -> Path:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(header_labels())
    for values in rows:
        sheet.append(values)
    book.save(path)
    return path
