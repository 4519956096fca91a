"""Did a worker really visit a home? Each app where a visit happens answers for itself through its
`checkins_at(point_id, user_id, since)` selector: a checked-in venue booking, a checked-in activity registration,
a completed service order."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.utils.translation import gettext_lazy as _

from zhijia.activities.selectors import checkins_at as activity_checkins_at
from zhijia.bookings.selectors import checkins_at as booking_checkins_at
from zhijia.servicemenu.selectors import checkins_at as order_checkins_at

# (code stored on the rating, label, the app's selector), in the order they are asked.
SOURCES: tuple[tuple[str, object, Callable[[int, int, dt.datetime], bool]], ...] = (
    ("booking", _("场地预约签到"), booking_checkins_at),
    ("activity", _("活动签到"), activity_checkins_at),
    ("order", _("服务订单完成"), order_checkins_at),
)


def visit_evidence(*, point_id: int, user_id: int, since: dt.datetime) -> str | None:
    """The first kind of visit found at the point since `since`, or None when there was none."""
    for code, _label, asks in SOURCES:
        if asks(point_id, user_id, since):
            return code
    return None


def visit_label(code: str) -> str:
    return next((str(label) for c, label, _f in SOURCES if c == code), code)
