"""Checking roster rows and sealing their personal data, one chunk at a time, with no database: this is the work a
roster import hands to its pool of worker processes.

A reason names the field and what is wrong with it, never the value (an ID number typed into the phone column must
not come back in a message).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from operator import mul
from typing import Any

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from zhijia.core.pii import BulkSealer, is_mainland_mobile, normalize_phone

from . import roster_files
from .idnumber import CHECK_CHARS, KNOWN_PROVINCES, WEIGHTS, IdNumberError, parse_id_number
from .models import JobGroup, ModelWorkerLevel, NeedyLevel

NAME_MAX = 60
EMPLOYER_MAX = 150
WORKING_AGE = 16
# Values people type for "no" in a flag column.
NO_WORDS = {"", "否", "无", "不是", "0", "no", "n", "none", "false"}

# Common names for the job groups, besides their labels and codes.
JOB_GROUP_WORDS: dict[str, str] = {
    "快递小哥": JobGroup.COURIER,
    "快递": JobGroup.COURIER,
    "外卖员": JobGroup.DELIVERY_RIDER,
    "外卖骑手": JobGroup.DELIVERY_RIDER,
    "骑手": JobGroup.DELIVERY_RIDER,
    "网约配送员": JobGroup.DELIVERY_RIDER,
    "送餐员": JobGroup.DELIVERY_RIDER,
    "司机": JobGroup.TRUCK_DRIVER,
    "家政工": JobGroup.DOMESTIC_WORKER,
    "家政": JobGroup.DOMESTIC_WORKER,
    "护工": JobGroup.CARE_WORKER,
    "护理员": JobGroup.CARE_WORKER,
    "保安": JobGroup.SECURITY_GUARD,
    "房产中介": JobGroup.ESTATE_AGENT,
    "房产经纪人": JobGroup.ESTATE_AGENT,
    "职工": JobGroup.FACTORY_WORKER,
}
NEEDY_WORDS: dict[str, str] = {"是": NeedyLevel.RELATIVE, "困难": NeedyLevel.RELATIVE}
MODEL_WORKER_WORDS: dict[str, str] = {
    "市级": ModelWorkerLevel.CITY,
    "省级": ModelWorkerLevel.PROVINCIAL,
    "省部级": ModelWorkerLevel.PROVINCIAL,
    "全国": ModelWorkerLevel.NATIONAL,
    "是": ModelWorkerLevel.CITY,
}
_DATE = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[ T].*)?$")
_OTHER = str(JobGroup.OTHER.value)
_NONE = str(NeedyLevel.NONE.value)  # "none", for the needy and the model-worker columns alike
_COMPACT_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_DIGITS = re.compile(r"\d")


def _choice_map(choices: type, extra: dict[str, str]) -> dict[str, str]:
    with translation.override("zh-hans"):
        mapped = {str(label): value for value, label in choices.choices}  # type: ignore[attr-defined]
    mapped.update({value: value for value in choices.values})  # type: ignore[attr-defined]
    mapped.update(extra)
    # Plain strings, not enum members: they are written into COPY text as they are.
    return {word: str(value.value if hasattr(value, "value") else value) for word, value in mapped.items()}


@dataclass
class RowContext:
    """What a worker needs to check rows: the unions and employers the importer may use, and the default union."""

    unions: dict[str, int]  # code -> id, for nodes in scope that hold members
    above_unions: set[str]  # codes in scope that cannot hold members (a district, a city)
    employers: dict[tuple[int, str], int]  # (union id, employer name) -> employer id
    default_union_id: int | None
    today: date
    # How the staging table takes a row: "postgresql" (a line of COPY text) or anything else (a tuple of values);
    # `now_value` is the join time of rows without a date, as the database takes it.
    vendor: str = ""
    now_value: str = ""
    job_groups: dict[str, str] = field(default_factory=dict)
    needy: dict[str, str] = field(default_factory=dict)
    model_workers: dict[str, str] = field(default_factory=dict)
    # Caches filled as rows are checked (each worker process has its own): birth dates (YYYYMMDD) known valid or
    # not, join dates as typed -> the date, join days -> the value the database takes.
    births: dict[str, bool] = field(default_factory=dict)
    joined_dates: dict[str, date | None] = field(default_factory=dict)
    day_values: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.job_groups = _choice_map(JobGroup, JOB_GROUP_WORDS)
        self.needy = _choice_map(NeedyLevel, NEEDY_WORDS)
        self.model_workers = _choice_map(ModelWorkerLevel, MODEL_WORKER_WORDS)


@dataclass
class CheckedChunk:
    """A chunk's verdicts, as a few flat lists (a worker hands them back far cheaper than a tuple per row)."""

    total: int  # non-empty rows read
    # The accepted rows, in file order: their row numbers, duplicate keys (the first 17 digits of the ID number as
    # an integer: the 18th is their checksum, so finding duplicates in a file of millions stays small), blind indexes
    # of the ID number, and the rows for the staging table (a line of COPY text on PostgreSQL, a tuple elsewhere).
    row_nos: list[int] = field(default_factory=list)
    keys: list[int] = field(default_factory=list)
    indexes: list[str] = field(default_factory=list)
    rows: list[Any] = field(default_factory=list)
    rejected: list[tuple[int, tuple[str, ...], str]] = field(default_factory=list)  # (row number, values, reason)


_context: RowContext | None = None


def use_context(context: RowContext) -> None:
    """Set the context of this process (a pool worker's initializer, or the importing process itself)."""
    global _context
    _context = context


# COPY's text format: a backslash, a tab or a line break inside a value must be escaped.
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
_COPY_SPECIAL = re.compile(r"[\\\t\n\r]")
_COPY_NULL = "\\N"
_ID_CHECK = frozenset("0123456789X")
_ID_WEIGHT_OFFSET = 48 * sum(WEIGHTS)  # the weights times the ASCII code of "0", taken off the byte sum


def check_part(part: roster_files.RosterPart) -> CheckedChunk:
    """Check a part of a file as `roster_files.read_parts` cuts it: lines of CSV are read here first."""
    return check_chunk(roster_files.part_rows(part))


def check_chunk(rows: list[tuple[int, tuple[str, ...]]]) -> CheckedChunk:
    """Check a chunk of rows and seal the personal data of the valid ones.

    Each row goes through a quick path written for the common case (every value valid); a row it does not accept
    is checked again by `_check_row`, the plain version that names every reason, so the quick path never decides
    what is wrong with a row, only that nothing is."""
    assert _context is not None, "use_context() first"
    ctx = _context
    sealer = BulkSealer()  # one per chunk: never a block of nonces shared by two forked workers
    encrypt, seal_id, seal_phone = sealer.encrypt, sealer.id_index, sealer.phone_index
    copy_text = ctx.vendor == "postgresql"
    checked = CheckedChunk(len(rows))
    row_nos, keys, indexes, staged = checked.row_nos, checked.keys, checked.indexes, checked.rows
    for row_no, values in rows:
        fields = _quick_row(ctx, values)
        if fields is None:
            reasons, fields = _check_row(ctx, values)
            if reasons or fields is None:
                checked.rejected.append((row_no, values, " ".join(reasons)))
                continue
        name, id_value, phone, group, employer_id, employer, union_id, joined, needy_level, model_level = fields
        id_idx = seal_id(id_value)
        if copy_text:
            if _COPY_SPECIAL.search(name) or _COPY_SPECIAL.search(employer):
                name, employer = name.translate(_COPY_ESCAPES), employer.translate(_COPY_ESCAPES)
            employer_ref = _COPY_NULL if employer_id is None else employer_id
            row: Any = (
                f"{name}\t{encrypt(id_value)}\t{id_idx}\t{encrypt(phone) if phone else ''}"
                f"\t{seal_phone(phone) if phone else ''}\t{group}\t{employer_ref}"
                f"\t{employer}\t{union_id}\t{joined}\t{needy_level}\t{model_level}\n"
            )
        else:
            row = (
                name,
                encrypt(id_value),
                id_idx,
                encrypt(phone) if phone else "",
                seal_phone(phone) if phone else "",
                group,
                employer_id,
                employer,
                union_id,
                joined,
                needy_level,
                model_level,
            )
        row_nos.append(row_no)
        keys.append(int(id_value[:17]))
        indexes.append(id_idx)
        staged.append(row)
    return checked


def _quick_row(ctx: RowContext, values: tuple[str, ...]) -> tuple | None:
    """The fields of a row whose every value is valid as it stands, or None (then `_check_row` decides)."""
    name, raw_id, raw_phone, union_code, employer, job_group, needy, model_worker, joined_on = values
    name = name.strip()
    if not name or len(name) > NAME_MAX or _DIGITS.search(name):
        return None
    id_value = raw_id.strip()
    if len(id_value) != 18 or not id_value.isascii():
        return None
    check = id_value[17].upper()
    first17 = id_value[:17]
    if check not in _ID_CHECK or not first17.isdigit() or first17[:2] not in KNOWN_PROVINCES:
        return None
    born = first17[6:14]
    ok = ctx.births.get(born)
    if ok is None:
        try:
            day = date(int(born[:4]), int(born[4:6]), int(born[6:]))
            ok = day.year >= 1900 and day <= ctx.today
        except ValueError:
            ok = False
        ctx.births[born] = ok
    if not ok or CHECK_CHARS[(sum(map(mul, first17.encode(), WEIGHTS)) - _ID_WEIGHT_OFFSET) % 11] != check:
        return None
    id_value = first17 + check
    phone = ""
    if raw_phone:
        phone = normalize_phone(raw_phone)
        if not is_mainland_mobile(phone):
            return None
    code = union_code.strip()
    union_id = ctx.unions.get(code) if code else ctx.default_union_id
    if union_id is None:
        return None
    employer = employer.strip()
    if len(employer) > EMPLOYER_MAX:
        return None
    group = ctx.job_groups.get(job_group.replace(" ", "")) if job_group else _OTHER
    needy_level = _NONE if needy.lower() in NO_WORDS else ctx.needy.get(needy.replace(" ", ""))
    model_level = _NONE if model_worker.lower() in NO_WORDS else ctx.model_workers.get(model_worker.strip())
    if group is None or needy_level is None or model_level is None:
        return None
    text = joined_on.strip()
    if text:
        if text in ctx.joined_dates:
            joined = ctx.joined_dates[text]
        else:
            joined = _parse_date(text)
            ctx.joined_dates[text] = joined = joined if joined is not None and joined <= ctx.today else None
        if joined is None:
            return None
        by, bm, bd = int(born[:4]), int(born[4:6]), int(born[6:])
        if (joined.year - by) - ((joined.month, joined.day) < (bm, bd)) < WORKING_AGE:
            return None
        text = joined.isoformat()
    return (
        name,
        id_value,
        phone,
        group,
        ctx.employers.get((union_id, employer)),
        employer,
        union_id,
        _day_value(ctx, text),
        needy_level,
        model_level,
    )


def _day_value(ctx: RowContext, day: str) -> str:
    """A join day (YYYY-MM-DD, "" for today) as the database takes it: midnight in the configured time zone
    (Beijing), written as PostgreSQL reads it, or as Django stores it in SQLite (UTC, no zone)."""
    if not day:
        return ctx.now_value
    value = ctx.day_values.get(day)
    if value is None:
        when = timezone.make_aware(datetime.combine(date.fromisoformat(day), time.min))
        value = when.isoformat() if ctx.vendor == "postgresql" else str(timezone.make_naive(when, UTC))
        ctx.day_values[day] = value
    return value


def _parse_date(text: str) -> date | None:
    match = _DATE.match(text) or _COMPACT_DATE.match(text)
    if match is None:
        return None
    try:
        return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None


def _check_row(ctx: RowContext, values: tuple[str, ...]) -> tuple[list[str], tuple | None]:
    """Every reason a row is refused (none: its fields, as `_quick_row` gives them)."""
    name, raw_id, raw_phone, union_code, employer, job_group, needy, model_worker, joined_on = values
    reasons: list[str] = []
    name = name.strip()
    if not name:
        reasons.append(_("请填写姓名。"))
    elif len(name) > NAME_MAX:
        reasons.append(_("姓名过长（最多 %(n)d 个字）。") % {"n": NAME_MAX})
    elif _DIGITS.search(name):
        reasons.append(_("姓名中不能含有数字，请检查各列是否错位。"))
    id_value = ""
    try:
        id_value = parse_id_number(raw_id, today=ctx.today).value
    except IdNumberError as exc:
        reasons.append(exc.message)
    phone = ""
    if raw_phone:
        phone = normalize_phone(raw_phone)
        if not is_mainland_mobile(phone):
            reasons.append(_("手机号格式不正确，应为 11 位大陆手机号。"))
    union_id = _union(ctx, union_code.strip(), reasons)
    employer = employer.strip()
    if len(employer) > EMPLOYER_MAX:
        reasons.append(_("用人单位名称过长（最多 %(n)d 个字）。") % {"n": EMPLOYER_MAX})
    group = ctx.job_groups.get(job_group.replace(" ", "")) if job_group else _OTHER
    if group is None:
        reasons.append(_("职业群体无法识别，请填写模板说明中的名称或代码。"))
    needy_level = _NONE if needy.lower() in NO_WORDS else ctx.needy.get(needy.replace(" ", ""))
    if needy_level is None:
        reasons.append(_("困难职工一列无法识别，请填写 否、相对困难、深度困难 或 意外致困。"))
    model_level = _NONE if model_worker.lower() in NO_WORDS else ctx.model_workers.get(model_worker.strip())
    if model_level is None:
        reasons.append(_("劳模一列无法识别，请填写 否、市级劳模、省部级劳模 或 全国劳模。"))
    joined = _joined_on(joined_on.strip(), id_value, ctx.today, reasons)
    if reasons:
        return reasons, None
    assert union_id is not None
    return [], (
        name,
        id_value,
        phone,
        group,
        ctx.employers.get((union_id, employer)),
        employer,
        union_id,
        _day_value(ctx, joined),
        needy_level,
        model_level,
    )


def _union(ctx: RowContext, code: str, reasons: list[str]) -> int | None:
    if not code:
        if ctx.default_union_id is None:
            reasons.append(_("请填写工会编码。"))
        return ctx.default_union_id
    union_id = ctx.unions.get(code)
    if union_id is None:
        if code in ctx.above_unions:
            reasons.append(_("工会编码对应的组织不能直接接收会员，请填写基层工会或工会联合会的编码。"))
        else:
            # The same words whether the code does not exist or lies outside the importer's scope.
            reasons.append(_("工会编码不存在，或不在您的管辖范围内。"))
    return union_id


def _joined_on(text: str, id_value: str, today: date, reasons: list[str]) -> str:
    """The join date as YYYY-MM-DD ("" for today)."""
    if not text:
        return ""
    match = _DATE.match(text) or _COMPACT_DATE.match(text)
    try:
        if match is None:
            raise ValueError
        joined = date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        reasons.append(_("入会日期格式不正确，应为 2024-03-01 这样的日期。"))
        return ""
    if joined > today:
        reasons.append(_("入会日期不能晚于今天。"))
    elif id_value:
        born = date(int(id_value[6:10]), int(id_value[10:12]), int(id_value[12:14]))
        if (joined.year - born.year) - ((joined.month, joined.day) < (born.month, born.day)) < WORKING_AGE:
            reasons.append(_("入会日期早于本人年满 %(n)d 周岁。") % {"n": WORKING_AGE})
    return joined.isoformat()
