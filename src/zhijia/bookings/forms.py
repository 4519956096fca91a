"""Forms of the booking pages. They parse input (closed dates one per line); the rules live in the services."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .models import Audience, VenueKind

POLICY_HELP = _("留空则按所属工会的预约规则（或平台默认）。")


class VenueForm(forms.Form):
    name = forms.CharField(label=_("名称"), max_length=100)
    kind = forms.ChoiceField(label=_("类型"), choices=VenueKind.choices)
    capacity = forms.IntegerField(
        label=_("每个时段可预约人数"),
        min_value=1,
        max_value=1000,
        initial=1,
        help_text=_("球场填 1；健身房、阅览室填可容纳人数。"),
    )
    slot_minutes = forms.IntegerField(label=_("时段长度（分钟）"), min_value=10, max_value=720, initial=60)
    book_ahead_days = forms.IntegerField(label=_("可提前预约天数"), min_value=0, max_value=90, initial=7)
    cancel_cutoff_minutes = forms.IntegerField(
        label=_("开始前多少分钟截止取消"), min_value=0, max_value=10080, initial=120
    )
    audience = forms.ChoiceField(label=_("预约对象"), choices=Audience.choices, initial=Audience.WORKERS)
    per_day_limit = forms.IntegerField(label=_("每人每天最多预约"), min_value=1, max_value=100, initial=2)
    per_week_limit = forms.IntegerField(label=_("每人每周最多预约"), min_value=1, max_value=700, initial=5)
    release_after_minutes = forms.IntegerField(
        label=_("开始后多少分钟未签到即释放"), min_value=0, max_value=720, required=False, help_text=POLICY_HELP
    )
    no_show_limit = forms.IntegerField(
        label=_("爽约几次暂停预约"), min_value=1, max_value=100, required=False, help_text=POLICY_HELP
    )
    no_show_window_days = forms.IntegerField(
        label=_("爽约统计周期（天）"), min_value=1, max_value=366, required=False, help_text=POLICY_HELP
    )
    suspension_days = forms.IntegerField(
        label=_("暂停预约天数"), min_value=0, max_value=366, required=False, help_text=POLICY_HELP
    )
    offer_minutes = forms.IntegerField(
        label=_("候补保留时间（分钟）"), min_value=1, max_value=1440, required=False, help_text=POLICY_HELP
    )
    closed_dates = forms.CharField(
        label=_("停用日期"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("每行一个日期，如 2026-12-01。阵地的开放时间和法定节假日已自动计入。"),
    )
    description = forms.CharField(label=_("说明"), max_length=300, required=False)
    is_active = forms.BooleanField(label=_("开放预约"), required=False, initial=True)

    def clean_closed_dates(self) -> list[dt.date]:
        out = []
        for line in self.cleaned_data.get("closed_dates", "").replace(",", "\n").splitlines():
            line = line.strip()
            if not line:
                continue
            try:
                out.append(dt.date.fromisoformat(line))
            except ValueError:
                raise ValidationError(_("无法识别的日期：%(d)s") % {"d": line}) from None
        return out

    def service_fields(self) -> dict[str, Any]:
        return dict(self.cleaned_data)

    @staticmethod
    def initial_for(venue: Any) -> dict[str, Any]:
        names = [n for n in VenueForm.base_fields if n != "closed_dates"]
        initial = {n: getattr(venue, n) for n in names}
        initial["closed_dates"] = "\n".join(d.isoformat() for d in venue.closures.values_list("date", flat=True))
        return initial


class PolicyForm(forms.Form):
    release_after_minutes = forms.IntegerField(label=_("开始后多少分钟未签到即释放"), min_value=0, max_value=720)
    no_show_limit = forms.IntegerField(label=_("爽约几次暂停预约"), min_value=1, max_value=100)
    no_show_window_days = forms.IntegerField(label=_("爽约统计周期（天）"), min_value=1, max_value=366)
    suspension_days = forms.IntegerField(label=_("暂停预约天数"), min_value=0, max_value=366)
    offer_minutes = forms.IntegerField(label=_("候补保留时间（分钟）"), min_value=1, max_value=1440)


class ScanForm(forms.Form):
    token = forms.CharField(max_length=1000)
