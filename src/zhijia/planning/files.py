"""Reading the planners' CSV files: worker-density layers (grid cells or points with a count) and candidate sites.

Every row is checked; a reason names the row number as the planner sees it in a spreadsheet (the header is row 1)
and the column. A file with any bad row is refused whole, with its reasons, so a layer is never half imported.
Files only: no database. Excel in China often saves CSV as GBK; both UTF-8 (with or without BOM) and GB18030 read.
"""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass, field

import numpy as np
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhijia.network.coords import CoordSystem, gcj02_to_wgs84_many, out_of_china

MAX_ROWS = 500_000
MAX_WORKERS_PER_ROW = 1_000_000
MAX_REASONS = 100

# (key, Chinese header, other accepted headers)
LNG = ("lng", gettext_lazy("经度"), ("longitude", "lon", "x"))
LAT = ("lat", gettext_lazy("纬度"), ("latitude", "y"))
WORKERS = ("workers", gettext_lazy("人数"), ("职工人数", "count", "n"))
AREA = ("area_code", gettext_lazy("街道编码"), ("地区编码", "组织编码", "org_code"))
NAME = ("name", gettext_lazy("名称"), ())
CATEGORY = ("category", gettext_lazy("类别"), ())
ADDRESS = ("address", gettext_lazy("地址"), ())
MEMBER_NO = ("member_no", gettext_lazy("会员号"), ("会员编号",))

DENSITY_COLUMNS = (LNG, LAT, WORKERS, AREA)
DENSITY_REQUIRED = ("lng", "lat", "workers")
CANDIDATE_COLUMNS = (NAME, LNG, LAT, CATEGORY, ADDRESS, AREA)
CANDIDATE_REQUIRED = ("name", "lng", "lat")
LOCATION_COLUMNS = (MEMBER_NO, LNG, LAT)
LOCATION_REQUIRED = ("member_no", "lng", "lat")


class PlanningFileError(ValueError):
    """The file as a whole cannot be read. The message is for people."""


@dataclass
class Rows:
    """The accepted rows as parallel lists (WGS-84), or the reasons the file was refused."""

    lng: list[float] = field(default_factory=list)
    lat: list[float] = field(default_factory=list)
    workers: list[int] = field(default_factory=list)
    area_code: list[str] = field(default_factory=list)
    name: list[str] = field(default_factory=list)
    member_no: list[str] = field(default_factory=list)
    category: list[str] = field(default_factory=list)
    address: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    bad_rows: int = 0

    def __len__(self) -> int:
        return len(self.lng)


def decode(raw: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise PlanningFileError(_("无法识别文件编码，请另存为 UTF-8 编码的 CSV。"))


def _positions(header: list[str], columns: tuple, required: tuple[str, ...]) -> dict[str, int]:
    from django.utils import translation

    with translation.override("zh-hans"):
        chinese = {str(label): key for key, label, _alts in columns}
    wanted = {**chinese, **{str(label): key for key, label, _alts in columns}}
    for key, _label, alts in columns:
        wanted[key] = key
        for alt in alts:
            wanted[alt] = key
    found: dict[str, int] = {}
    for i, cell in enumerate(header):
        key = wanted.get(cell.strip().lstrip("*").replace(" ", "").lower()) or wanted.get(cell.strip())
        if key and key not in found:
            found[key] = i
    missing = [str(label) for key, label, _alts in columns if key in required and key not in found]
    if missing:
        raise PlanningFileError(_("文件缺少必填列：%(columns)s。") % {"columns": "、".join(missing)})
    return found


def _number(text: str) -> float | None:
    try:
        value = float(text.strip())
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _read(raw: bytes, columns: tuple, required: tuple[str, ...]) -> tuple[dict[str, int], list[tuple[int, list[str]]]]:
    reader = csv.reader(io.StringIO(decode(raw)))
    try:
        header = next(reader)
    except (StopIteration, csv.Error):
        raise PlanningFileError(_("文件是空的。")) from None
    positions = _positions(header, columns, required)
    rows: list[tuple[int, list[str]]] = []
    try:
        for row_no, row in enumerate(reader, start=2):
            if not any(cell.strip() for cell in row):
                continue
            rows.append((row_no, row))
            if len(rows) > MAX_ROWS:
                raise PlanningFileError(_("文件超过 %(n)s 行，请分批导入。") % {"n": f"{MAX_ROWS:,}"})
    except csv.Error:
        raise PlanningFileError(_("文件不是有效的 CSV。")) from None
    if not rows:
        raise PlanningFileError(_("文件没有数据行。"))
    return positions, rows


def _cell(row: list[str], positions: dict[str, int], key: str) -> str:
    i = positions.get(key)
    return row[i].strip() if i is not None and i < len(row) else ""


def _location(row_no: int, row: list[str], positions: dict[str, int], out: Rows) -> tuple[float, float] | None:
    lng, lat = _number(_cell(row, positions, "lng")), _number(_cell(row, positions, "lat"))
    if lng is None:
        out.errors.append(_("第 %(row)s 行：经度不是数字。") % {"row": row_no})
        return None
    if lat is None:
        out.errors.append(_("第 %(row)s 行：纬度不是数字。") % {"row": row_no})
        return None
    if out_of_china(lng, lat):
        out.errors.append(_("第 %(row)s 行：位置不在中国境内，请检查经纬度是否填反。") % {"row": row_no})
        return None
    return lng, lat


def _finish(out: Rows, system: str) -> Rows:
    if out.errors:
        out.errors = out.errors[:MAX_REASONS]
        return out
    if system == CoordSystem.GCJ02 and out.lng:
        lng, lat = gcj02_to_wgs84_many(np.array(out.lng), np.array(out.lat))
        out.lng, out.lat = lng.tolist(), lat.tolist()
    return out


def read_density(raw: bytes, *, system: str = CoordSystem.WGS84) -> Rows:
    """A density layer: 经度, 纬度, 人数 and optionally 街道编码 (the street's organisation code)."""
    positions, rows = _read(raw, DENSITY_COLUMNS, DENSITY_REQUIRED)
    out = Rows()
    for row_no, row in rows:
        bad = len(out.errors)
        where = _location(row_no, row, positions, out)
        count = _number(_cell(row, positions, "workers"))
        if where is not None:
            if count is None or count != int(count) or count < 0:
                out.errors.append(_("第 %(row)s 行：人数应为不小于 0 的整数。") % {"row": row_no})
            elif count > MAX_WORKERS_PER_ROW:
                out.errors.append(_("第 %(row)s 行：人数超过一百万，请检查。") % {"row": row_no})
        if len(out.errors) > bad:
            out.bad_rows += 1
            continue
        assert where is not None
        assert count is not None
        out.lng.append(where[0])
        out.lat.append(where[1])
        out.workers.append(int(count))
        out.area_code.append(_cell(row, positions, "area_code"))
    return _finish(out, system)


def read_candidates(raw: bytes, *, system: str = CoordSystem.WGS84) -> Rows:
    """Candidate sites: 名称, 经度, 纬度 and optionally 类别, 地址, 街道编码."""
    positions, rows = _read(raw, CANDIDATE_COLUMNS, CANDIDATE_REQUIRED)
    out = Rows()
    for row_no, row in rows:
        bad = len(out.errors)
        name = _cell(row, positions, "name")
        if not name:
            out.errors.append(_("第 %(row)s 行：名称不能为空。") % {"row": row_no})
        elif len(name) > 150:
            out.errors.append(_("第 %(row)s 行：名称超过 150 个字。") % {"row": row_no})
        where = _location(row_no, row, positions, out)
        if len(out.errors) > bad:
            out.bad_rows += 1
            continue
        assert where is not None
        out.name.append(name)
        out.lng.append(where[0])
        out.lat.append(where[1])
        out.category.append(_cell(row, positions, "category")[:60])
        out.address.append(_cell(row, positions, "address")[:200])
        out.area_code.append(_cell(row, positions, "area_code"))
    return _finish(out, system)


def read_locations(raw: bytes, *, system: str = CoordSystem.WGS84) -> Rows:
    """Members' work locations: 会员号, 经度, 纬度 (one row per member; a later row for the same member wins)."""
    positions, rows = _read(raw, LOCATION_COLUMNS, LOCATION_REQUIRED)
    out = Rows()
    for row_no, row in rows:
        bad = len(out.errors)
        number = _cell(row, positions, "member_no")
        if not number:
            out.errors.append(_("第 %(row)s 行：会员号不能为空。") % {"row": row_no})
        where = _location(row_no, row, positions, out)
        if len(out.errors) > bad:
            out.bad_rows += 1
            continue
        assert where is not None
        out.member_no.append(number)
        out.lng.append(where[0])
        out.lat.append(where[1])
    return _finish(out, system)


def density_template() -> str:
    return "经度,纬度,人数,街道编码\n116.4551,39.9219,120,\n116.4602,39.9175,85,\n"


def candidates_template() -> str:
    return "名称,经度,纬度,类别,地址,街道编码\n朝外邮政支局,116.4412,39.9230,邮政网点,朝外大街 1 号,\n"
