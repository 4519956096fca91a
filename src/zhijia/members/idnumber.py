"""Mainland resident ID numbers (GB 11643-1999): 6-digit area code, 8-digit birth date, 3-digit sequence and a
check character computed with ISO 7064 MOD 11-2. Pure functions, no database."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

from zhijia.organizations import divisions

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"
# The 31 mainland provinces come from the shipped divisions; 71/81/82/83 are Taiwan, Hong Kong, Macao and the
# residence permits of their residents, which use the same format.
EXTRA_PROVINCES = {"71", "81", "82", "83"}


def _known_provinces() -> frozenset[str]:
    return frozenset({p.code for p in divisions.provinces()} | EXTRA_PROVINCES)


KNOWN_PROVINCES = _known_provinces()


class IdNumberError(ValueError):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class IdNumber:
    value: str  # normalised: 18 characters, upper-case X

    @property
    def birth_date(self) -> date:
        return date(int(self.value[6:10]), int(self.value[10:12]), int(self.value[12:14]))

    @property
    def province_code(self) -> str:
        return self.value[:2]

    @property
    def is_male(self) -> bool:
        return int(self.value[16]) % 2 == 1


def check_character(first17: str) -> str:
    total = sum(int(d) * w for d, w in zip(first17, WEIGHTS, strict=True))
    return CHECK_CHARS[total % 11]


def parse_id_number(raw: str, *, today: date | None = None) -> IdNumber:
    """Validate and normalise an ID number, or raise IdNumberError with a stable code and a Chinese reason."""
    value = (raw or "").strip().replace(" ", "")
    if not value:
        raise IdNumberError("id_number.required", _("请填写身份证号码。"))
    if len(value) == 15 and value.isascii() and value.isdigit():
        raise IdNumberError(
            "id_number.first_generation",
            _("不支持 15 位第一代身份证号码，请使用 18 位第二代身份证号码。"),
        )
    if len(value) != 18:
        raise IdNumberError("id_number.length", _("身份证号码应为 18 位，当前为 %(n)d 位。") % {"n": len(value)})
    value = value[:17] + value[17].upper()
    # ASCII digits only: str.isdigit also takes "²", "٣" or "３", which int() refuses or reads as another digit.
    if not (value.isascii() and value[:17].isdigit() and (value[17].isdigit() or value[17] == "X")):
        raise IdNumberError("id_number.characters", _("身份证号码前 17 位应为数字，最后一位为数字或 X。"))
    if value[:2] not in KNOWN_PROVINCES:
        raise IdNumberError("id_number.province", _("身份证号码的省份代码 %(code)s 不存在。") % {"code": value[:2]})
    try:
        born = date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        raise IdNumberError("id_number.birth_date", _("身份证号码中的出生日期无效。")) from None
    if born > (today or date.today()) or born.year < 1900:
        raise IdNumberError("id_number.birth_date", _("身份证号码中的出生日期无效。"))
    if check_character(value[:17]) != value[17]:
        raise IdNumberError("id_number.checksum", _("身份证号码校验位不正确，请核对后重新输入。"))
    return IdNumber(value)
