"""The years a date or time typed by a person may fall in. Every plan and record of the platform lies between 2000
and 2100; outside them, arithmetic on a value (a time zone's offset, the UTC that SQLite stores, a day added) can leave
the years Python holds (1-9999) and fail as OverflowError instead of telling the person what is wrong."""

from __future__ import annotations

import datetime as dt
from typing import TypeVar

from django.utils.translation import gettext as _

from .errors import ValidationFailed

FIRST_YEAR = 2000
LAST_YEAR = 2100

D = TypeVar("D", dt.date, dt.datetime)


def in_years(value: dt.date) -> bool:
    """Whether a date, or a time's date as written (whatever its offset), lies within FIRST_YEAR..LAST_YEAR."""
    return FIRST_YEAR <= value.year <= LAST_YEAR


def check_years(value: D, *, field: str, label: str) -> D:
    """`value` itself, or a refusal that names the field: `label` as people read it, `field` as the form or the API
    names it."""
    if not in_years(value):
        raise ValidationFailed(
            "date.out_of_range",
            _("%(label)s须在 %(first)d 年至 %(last)d 年之间。")
            % {"label": label, "first": FIRST_YEAR, "last": LAST_YEAR},
            field=field,
            detail={"first_year": FIRST_YEAR, "last_year": LAST_YEAR},
        )
    return value
