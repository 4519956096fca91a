"""Roster files: the columns of an import, reading CSV and XLSX rows, and writing XLSX and CSV sheets (the template,
the rejected rows, the export). Files only: no database, no validation."""

from __future__ import annotations

import csv
import io
import itertools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook

from zhijia.core.pii import mask_id_number, mask_phone

# An XLSX sheet holds 1,048,576 rows; one is the header.
XLSX_MAX_ROWS = 1_048_575


@dataclass(frozen=True)
class Column:
    key: str
    label: Any  # the Chinese header (a lazy translation: the file's header stays Chinese, the docs show English)
    required: bool
    example: str
    help: Any


COLUMNS: tuple[Column, ...] = (
    Column("name", gettext_lazy("姓名"), True, "张伟", gettext_lazy("与身份证一致")),
    Column(
        "id_number",
        gettext_lazy("身份证号码"),
        True,
        "11010519491231002X",
        gettext_lazy("18 位第二代身份证号码，末位 X 大小写均可；单元格请设为文本"),
    ),
    Column("phone", gettext_lazy("手机号"), False, "13800138000", gettext_lazy("11 位大陆手机号，可不填")),
    Column(
        "union_code",
        gettext_lazy("工会编码"),
        False,
        "U-110105001-E01",
        gettext_lazy("会员所属工会的组织编码；不填则归入导入时选择的工会"),
    ),
    Column("employer", gettext_lazy("用人单位"), False, "北京华信科技有限公司", gettext_lazy("单位全称，可不填")),
    Column(
        "job_group",
        gettext_lazy("职业群体"),
        False,
        "快递员",
        gettext_lazy("职业群体名称或代码，如 快递员 / courier；不填为“其他”"),
    ),
    Column("needy", gettext_lazy("困难职工"), False, "否", gettext_lazy("否 / 相对困难 / 深度困难 / 意外致困")),
    Column("model_worker", gettext_lazy("劳模"), False, "否", gettext_lazy("否 / 市级劳模 / 省部级劳模 / 全国劳模")),
    Column(
        "joined_on",
        gettext_lazy("入会日期"),
        False,
        "2024-03-01",
        gettext_lazy("如 2024-03-01；不填为导入当天"),
    ),
)
COLUMN_KEYS = tuple(c.key for c in COLUMNS)
# The rejected-rows file: the row number in the uploaded file and the reason, then the row as it was uploaded.
REJECT_ROW_LABEL = gettext_lazy("原行号")
REJECT_REASON_LABEL = gettext_lazy("未通过原因")


class RosterFileError(ValueError):
    """The file as a whole cannot be read (not a roster, a missing column). The message is for people."""


def header_labels() -> list[str]:
    return [str(c.label) for c in COLUMNS]


def _chinese_labels() -> dict[str, str]:
    from django.utils import translation

    with translation.override("zh-hans"):
        return {str(c.label): c.key for c in COLUMNS}


def column_positions(header: list[Any]) -> list[int | None]:
    """Where each column of COLUMNS sits in a file's header row (None: absent). Headers are matched by their
    Chinese label or their key, so a file from an export or an English-language template reads the same."""
    wanted = {**_chinese_labels(), **{str(c.label): c.key for c in COLUMNS}, **{c.key: c.key for c in COLUMNS}}
    found: dict[str, int] = {}
    for i, cell in enumerate(header):
        key = wanted.get(_text(cell).replace(" ", "").lstrip("*"))
        if key and key not in found:
            found[key] = i
    missing = [str(c.label) for c in COLUMNS if c.required and c.key not in found]
    if missing:
        raise RosterFileError(_("文件缺少必填列：%(columns)s。请使用名册导入模板。") % {"columns": "、".join(missing)})
    return [found.get(key) for key in COLUMN_KEYS]


def _text(cell: Any) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        # A number typed into a spreadsheet cell: 13800138000.0 is the phone 13800138000.
        return str(int(cell))
    if isinstance(cell, datetime):
        return cell.date().isoformat()
    if isinstance(cell, date):
        return cell.isoformat()
    return str(cell).strip()


def _pick(rows: Iterable[list[Any]], positions: list[int | None], first_row_no: int) -> Iterator[tuple[int, tuple]]:
    width = len(positions)
    in_order = positions == list(range(width))
    for row_no, row in enumerate(rows, start=first_row_no):
        if in_order and len(row) == width and all(type(cell) is str for cell in row):
            # The template's own layout, read from CSV: every cell is text already (the common case, made cheap).
            values = tuple(cell.strip() for cell in row)
        else:
            values = tuple(_text(row[p]) if p is not None and p < len(row) else "" for p in positions)
        if any(values):
            yield row_no, values


def _sniff_encoding(path: Path) -> str:
    """UTF-8 (with or without a BOM) or, as Excel in China saves CSV, GB18030."""
    with path.open("rb") as f:
        head = f.read(1 << 16)
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 4:  # not merely a character cut at the end of the sample
            return "gb18030"
    return "utf-8-sig"


def is_xlsx(path: Path) -> bool:
    with path.open("rb") as f:
        return f.read(4) == b"PK\x03\x04"


def count_rows(path: Path) -> int:
    """Data rows in a file, fast (for the progress bar): lines for CSV, the sheet's height for XLSX."""
    if is_xlsx(path):
        from python_calamine import CalamineWorkbook

        book = CalamineWorkbook.from_path(str(path))
        return max(0, book.get_sheet_by_index(0).height - 1)
    with path.open("rb") as f:
        lines = sum(chunk.count(b"\n") for chunk in iter(lambda: f.read(1 << 20), b""))
        f.seek(-1, 2)
        if f.tell() >= 0 and f.read(1) != b"\n":
            lines += 1
    return max(0, lines - 1)


def _unreadable() -> RosterFileError:
    return RosterFileError(_("无法读取该文件，请上传 CSV 或 XLSX 格式的名册。"))


def _csv_rows(
    reader: Iterator[list[str]], positions: list[int | None], first_row_no: int
) -> Iterator[tuple[int, tuple]]:
    try:
        yield from _pick(reader, positions, first_row_no)
    except (csv.Error, UnicodeDecodeError):
        raise _unreadable() from None


def _csv_header(reader: Iterator[list[str]]) -> list[int | None]:
    try:
        header = next(reader)
    except StopIteration:
        raise RosterFileError(_("文件是空的。")) from None
    except (csv.Error, UnicodeDecodeError):
        raise _unreadable() from None
    return column_positions(header)


def read_rows(path: Path) -> Iterator[tuple[int, tuple[str, ...]]]:
    """(row number as a spreadsheet shows it, the values of COLUMNS as text) for every non-empty row."""
    if is_xlsx(path):
        yield from _read_xlsx(path)
        return
    with path.open(encoding=_sniff_encoding(path), newline="") as f:
        reader = csv.reader(f)
        positions = _csv_header(reader)
        yield from _csv_rows(reader, positions, 2)


@dataclass(frozen=True)
class CsvLines:
    """Rows of a CSV file as the file holds them, one row to a line: a worker process reads them itself (handing it
    these bytes costs a fraction of handing it the rows read)."""

    data: bytes
    encoding: str
    positions: tuple[int | None, ...]
    first_row_no: int

    def rows(self) -> list[tuple[int, tuple[str, ...]]]:
        try:
            text = self.data.decode(self.encoding)
        except UnicodeDecodeError:
            raise _unreadable() from None
        return list(_csv_rows(csv.reader(io.StringIO(text, newline="")), list(self.positions), self.first_row_no))


RosterPart = list[tuple[int, tuple[str, ...]]] | CsvLines


def part_rows(part: RosterPart) -> list[tuple[int, tuple[str, ...]]]:
    """The rows of a part as `read_rows` gives them."""
    return part if isinstance(part, list) else part.rows()


def _one_row_a_line(data: bytes) -> bool:
    """No quote (a quoted value may hold a line break) and no line break but LF or CRLF."""
    return b'"' not in data and data.count(b"\r") == data.count(b"\r\n")


def read_parts(path: Path, size: int) -> Iterator[RosterPart]:
    """The file's rows in parts of `size`, for worker processes: the lines of a CSV file as they are (`CsvLines`)
    while every line is one row; from the first part where that may not hold (a quote), and for XLSX, the rows as
    `read_rows` gives them."""
    if is_xlsx(path):
        yield from chunked(read_rows(path), size)
        return
    encoding = _sniff_encoding(path)
    with path.open("rb") as f:
        head = f.readline()
        if not head.strip() or not _one_row_a_line(head):
            yield from chunked(read_rows(path), size)
            return
        try:
            positions = _csv_header(csv.reader([head.decode(encoding)]))
        except UnicodeDecodeError:
            raise _unreadable() from None
        row_no = 2
        while lines := list(itertools.islice(f, size)):
            data = b"".join(lines)
            if not _one_row_a_line(data):
                f.seek(f.tell() - len(data))
                text = io.TextIOWrapper(f, encoding=encoding, newline="")
                yield from chunked(_csv_rows(csv.reader(text), positions, row_no), size)
                return
            yield CsvLines(data, encoding, tuple(positions), row_no)
            row_no += len(lines)


def _read_xlsx(path: Path) -> Iterator[tuple[int, tuple[str, ...]]]:
    from python_calamine import CalamineError, CalamineWorkbook

    try:
        sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0)
        rows = sheet.iter_rows()
        header = next(rows, None)
    except (CalamineError, ValueError, OSError):
        raise _unreadable() from None
    if header is None:
        raise RosterFileError(_("文件是空的。"))
    yield from _pick(rows, column_positions(list(header)), 2)


def chunked(rows: Iterable[Any], size: int) -> Iterator[list[Any]]:
    it = iter(rows)
    while chunk := list(itertools.islice(it, size)):
        yield chunk


def xlsx_bytes(sheets: Iterable[tuple[str, list[str], Iterable[Iterable[Any]]]], *, widths: int = 18) -> bytes:
    """An XLSX file written row by row (openpyxl's write-only mode keeps memory flat). A sheet longer than XLSX
    allows continues on a second sheet with the same header."""
    book = Workbook(write_only=True)
    for title, header, rows in sheets:
        part = 0
        it = iter(rows)
        while True:
            first = next(it, None)
            if first is None and part:
                break
            part += 1
            ws = book.create_sheet(title if part == 1 else f"{title} ({part})")
            for letter in _letters(len(header)):
                ws.column_dimensions[letter].width = widths
            ws.append(header)
            if first is None:
                break
            ws.append(list(first))
            for row in itertools.islice(it, XLSX_MAX_ROWS - 1):
                ws.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _letters(n: int) -> list[str]:
    from openpyxl.utils import get_column_letter

    return [get_column_letter(i + 1) for i in range(n)]


def csv_bytes(header: list[str], rows: Iterable[Iterable[Any]]) -> bytes:
    # A BOM so that Excel opens the Chinese text correctly.
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def template_xlsx() -> bytes:
    """The import template: the header, one example row, and a second sheet explaining each column."""
    header = header_labels()
    notes = [[str(c.label), _("必填") if c.required else _("选填"), str(c.help), c.example] for c in COLUMNS]
    return xlsx_bytes(
        [
            (_("会员名册"), header, [[c.example for c in COLUMNS]]),
            (_("填写说明"), [_("列"), _("是否必填"), _("说明"), _("示例")], notes),
        ],
        widths=22,
    )


_LONG_DIGITS = re.compile(r"\d{7,}")
_ID_COLUMN = COLUMN_KEYS.index("id_number")
_PHONE_COLUMN = COLUMN_KEYS.index("phone")


def _masked_digits(match: re.Match[str]) -> str:
    run = match.group(0)
    return run[:3] + "*" * (len(run) - 7) + run[-4:]


def masked_row(values: tuple[str, ...]) -> list[str]:
    """A row as the rejected-rows file keeps it: the ID number and phone masked as the pages show them, and any
    other run of seven or more digits masked the same way (an ID number typed into the wrong column)."""
    out = [_LONG_DIGITS.sub(_masked_digits, v) for v in values]
    out[_ID_COLUMN] = mask_id_number(values[_ID_COLUMN])
    out[_PHONE_COLUMN] = mask_phone(values[_PHONE_COLUMN]) if values[_PHONE_COLUMN] else ""
    return out


def rejects_xlsx(rejects: Iterable[tuple[int, tuple[str, ...], str]]) -> bytes:
    """The rejected rows: the row number in the uploaded file, the reason, then the row as uploaded with its ID
    number and phone masked (the file stays on the server as the job's result, so it holds no personal numbers in
    the clear): the row number and the masked values say which rows of the original file to correct."""
    header = [str(REJECT_ROW_LABEL), str(REJECT_REASON_LABEL), *header_labels()]
    return xlsx_bytes(
        [(_("未通过的行"), header, ([row_no, reason, *masked_row(values)] for row_no, values, reason in rejects))]
    )


def save_upload(upload: IO[bytes], target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("wb") as out:
        for block in iter(lambda: upload.read(1 << 20), b""):
            out.write(block)
