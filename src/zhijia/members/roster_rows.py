"""Checking roster rows and sealing their personal data, one chunk at a time, with no database: this is the work a
roster import hands to its pool of worker processes.

A reason names the field and what is wrong with it, never the value (an ID number typed into the phone column must
not come back in a message).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from django.utils import translation
from django.utils.translation import gettext as _

from zhijia.core.pii import encrypt, is_mainland_mobile, normalize_phone, phone_index

from .idnumber import IdNumberError, parse_id_number
from .models import JobGroup, ModelWorkerLevel, NeedyLevel
from .selectors import id_index

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
_DIGITS = re.compile(r"\d")


def _choice_map(choices: type, extra: dict[str, str]) -> dict[str, str]:
    with translation.override("zh-hans"):
        mapped = {str(label): value for value, label in choices.choices}  # type: ignore[attr-defined]
    mapped.update({value: value for value in choices.values})  # type: ignore[attr-defined]
    mapped.update(extra)
    return mapped


@dataclass
class RowContext:
    """What a worker needs to check rows: the unions and employers the importer may use, and the default union."""

    unions: dict[str, int]  # code -> id, for nodes in scope that hold members
    above_unions: set[str]  # codes in scope that cannot hold members (a district, a city)
    employers: dict[tuple[int, str], int]  # (union id, employer name) -> employer id
    default_union_id: int | None
    today: date
    job_groups: dict[str, str] = field(default_factory=dict)
    needy: dict[str, str] = field(default_factory=dict)
    model_workers: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.job_groups = _choice_map(JobGroup, JOB_GROUP_WORDS)
        self.needy = _choice_map(NeedyLevel, NEEDY_WORDS)
        self.model_workers = _choice_map(ModelWorkerLevel, MODEL_WORKER_WORDS)


@dataclass
class CheckedChunk:
    # (index in the chunk, duplicate key, values for the staging table); the key is the first 17 digits of the ID
    # number as an integer (the 18th is their checksum), so finding duplicates in a file of millions stays small.
    accepted: list[tuple[int, int, tuple]]
    rejected: list[tuple[int, str]]  # (index in the chunk, reason)


_context: RowContext | None = None


def use_context(context: RowContext) -> None:
    """Set the context of this process (a pool worker's initializer, or the importing process itself)."""
    global _context
    _context = context


def check_chunk(rows: list[tuple[int, tuple[str, ...]]]) -> CheckedChunk:
    assert _context is not None, "use_context() first"
    ctx = _context
    accepted: list[tuple[int, int, tuple]] = []
    rejected: list[tuple[int, str]] = []
    for i, (_row_no, values) in enumerate(rows):
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
        group = ctx.job_groups.get(job_group.replace(" ", "")) if job_group else JobGroup.OTHER
        if group is None:
            reasons.append(_("职业群体无法识别，请填写模板说明中的名称或代码。"))
        needy_level = NeedyLevel.NONE if needy.lower() in NO_WORDS else ctx.needy.get(needy.replace(" ", ""))
        if needy_level is None:
            reasons.append(_("困难职工一列无法识别，请填写 否、相对困难、深度困难 或 意外致困。"))
        model_level = (
            ModelWorkerLevel.NONE if model_worker.lower() in NO_WORDS else ctx.model_workers.get(model_worker.strip())
        )
        if model_level is None:
            reasons.append(_("劳模一列无法识别，请填写 否、市级劳模、省部级劳模 或 全国劳模。"))
        joined = _joined_on(joined_on.strip(), id_value, ctx.today, reasons)
        if reasons:
            rejected.append((i, " ".join(reasons)))
            continue
        assert union_id is not None
        accepted.append(
            (
                i,
                int(id_value[:17]),
                (
                    name,
                    encrypt(id_value),
                    id_index(id_value),
                    encrypt(phone) if phone else "",
                    phone_index(phone) if phone else "",
                    group,
                    ctx.employers.get((union_id, employer)),
                    employer,
                    union_id,
                    joined,
                    needy_level,
                    model_level,
                ),
            )
        )
    return CheckedChunk(accepted, rejected)


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
    match = _DATE.match(text) or (re.match(r"^(\d{4})(\d{2})(\d{2})$", text))
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
