"""Reading roster files in parts for the import's worker processes: a CSV file's lines go to the workers as they
are while every line is one row, and the rows come out the same as reading the file in one go."""

from __future__ import annotations

import pytest

from zhijia.members import roster_files

from .roster_support import row, write_csv


def _rows_of(parts):
    return [r for part in parts for r in (part if isinstance(part, list) else part.rows())]


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "gb18030"])
def test_parts_give_the_rows_of_the_file_and_their_row_numbers(tmp_path, encoding):
    rows = [row(i, name=f"张{i}", union="T-UA", employer="重庆公司") for i in range(1, 12)]
    rows[4] = [""] * 9  # an empty row keeps its number and is skipped
    path = write_csv(tmp_path / "roster.csv", rows, encoding=encoding)

    parts = list(roster_files.read_parts(path, 3))

    lines = [part for part in parts if isinstance(part, roster_files.CsvLines)]
    assert lines == parts
    assert [part.first_row_no for part in lines] == [2, 5, 8, 11]
    assert _rows_of(parts) == list(roster_files.read_rows(path))
    assert [n for n, _values in _rows_of(parts)] == [2, 3, 4, 5, 7, 8, 9, 10, 11, 12]


def test_from_a_quoted_value_on_the_rows_are_read_here_with_their_line_breaks(tmp_path):
    # given a file whose seventh row has an employer written over two lines, and rows after it
    rows = [row(i, union="T-UA") for i in range(1, 11)]
    rows[6][4] = "第一行\n第二行"
    path = write_csv(tmp_path / "roster.csv", rows)

    parts = list(roster_files.read_parts(path, 3))

    # then the parts before it are lines for the workers, the rest rows read here, numbered as a spreadsheet shows
    assert [type(part).__name__ for part in parts] == ["CsvLines", "CsvLines", "list", "list"]
    read = _rows_of(parts)
    assert read == list(roster_files.read_rows(path))
    assert read[6] == (8, tuple(rows[6]))
    assert [n for n, _values in read][-1] == 11


def test_a_file_with_old_mac_line_breaks_is_read_here(tmp_path):
    path = tmp_path / "roster.csv"
    text = "\r".join([",".join(roster_files.header_labels()), ",".join(row(1)), ",".join(row(2))])
    path.write_bytes(text.encode("utf-8"))

    parts = list(roster_files.read_parts(path, 10))

    assert parts == [list(roster_files.read_rows(path))]
    assert [n for n, _values in _rows_of(parts)] == [2, 3]


def test_bytes_that_are_no_text_are_refused_when_a_worker_reads_them(tmp_path):
    path = write_csv(tmp_path / "roster.csv", [row(i) for i in range(1, 2000)], encoding="utf-8")
    path.write_bytes(path.read_bytes() + b"\xff\xfe,\x80\n")

    with pytest.raises(roster_files.RosterFileError, match="无法读取"):
        _rows_of(roster_files.read_parts(path, 500))


def test_an_empty_file_is_refused(tmp_path):
    path = tmp_path / "roster.csv"
    path.write_bytes(b"")

    with pytest.raises(roster_files.RosterFileError, match="空"):
        list(roster_files.read_parts(path, 10))
