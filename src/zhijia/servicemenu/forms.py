"""Forms for the service menu's pages. They parse input (times as "09:00", prices in yuan, a local date and time);
the rules live in the services."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Audience, Availability, OrderStatus, Pricing

WEEKDAY_CHOICES = [
    (0, _("星期一")),
    (1, _("星期二")),
    (2, _("星期三")),
    (3, _("星期四")),
    (4, _("星期五")),
    (5, _("星期六")),
    (6, _("星期日")),
]


def _minute(value: dt.time) -> int:
    return value.hour * 60 + value.minute


def _fen(yuan: Decimal | None) -> int:
    return int((yuan or Decimal(0)) * 100)


class OfferingForm(forms.Form):
    service_type = forms.TypedChoiceField(label=_("服务项目"), coerce=int)
    availability = forms.ChoiceField(label=_("提供方式"), choices=Availability.choices, initial=Availability.WEEKLY)
    weekdays = forms.TypedMultipleChoiceField(
        label=_("服务日"),
        choices=WEEKDAY_CHOICES,
        coerce=int,
        required=False,
        initial=[0, 1, 2, 3, 4],
        widget=forms.CheckboxSelectMultiple,
    )
    starts = forms.TimeField(label=_("开始时间"), initial=dt.time(9, 0), widget=forms.TimeInput(attrs={"type": "time"}))
    ends = forms.TimeField(label=_("结束时间"), initial=dt.time(17, 0), widget=forms.TimeInput(attrs={"type": "time"}))
    daily_capacity = forms.IntegerField(label=_("每日名额（留空不限）"), min_value=1, max_value=10_000, required=False)
    audience = forms.ChoiceField(label=_("服务对象"), choices=Audience.choices, initial=Audience.ALL_WORKERS)
    pricing = forms.ChoiceField(label=_("收费"), choices=Pricing.choices, initial=Pricing.FREE)
    member_price = forms.DecimalField(
        label=_("会员价（元）"), min_value=0, max_value=100_000, decimal_places=2, required=False
    )
    list_price = forms.DecimalField(
        label=_("原价（元）"), min_value=0, max_value=100_000, decimal_places=2, required=False
    )
    note = forms.CharField(label=_("说明"), max_length=200, required=False)
    is_active = forms.BooleanField(label=_("上架（职工可预约）"), required=False, initial=True)

    def __init__(self, *args: Any, service_types: list[tuple[int, str]] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        field = self.fields["service_type"]
        assert isinstance(field, forms.TypedChoiceField)
        if service_types is None:
            del self.fields["service_type"]
        else:
            field.choices = service_types

    def service_fields(self) -> dict[str, Any]:
        d = self.cleaned_data
        out = {
            "availability": d["availability"],
            "weekdays": sum(1 << day for day in set(d.get("weekdays") or [])),
            "starts_minute": _minute(d["starts"]),
            # 00:00 as the end of a span means midnight at its end.
            "ends_minute": _minute(d["ends"]) or 1440,
            "daily_capacity": d.get("daily_capacity"),
            "audience": d["audience"],
            "pricing": d["pricing"],
            "member_price_fen": _fen(d.get("member_price")),
            "list_price_fen": _fen(d.get("list_price")),
            "note": d.get("note") or "",
            "is_active": bool(d.get("is_active")),
        }
        if "service_type" in d:
            out["service_type_id"] = d["service_type"]
        return out

    @staticmethod
    def initial_for(offering: Any) -> dict[str, Any]:
        return {
            "availability": offering.availability,
            "weekdays": [d for d in range(7) if offering.weekdays & (1 << d)],
            "starts": dt.time(offering.starts_minute // 60, offering.starts_minute % 60),
            "ends": dt.time((offering.ends_minute // 60) % 24, offering.ends_minute % 60),
            "daily_capacity": offering.daily_capacity,
            "audience": offering.audience,
            "pricing": offering.pricing,
            "member_price": Decimal(offering.member_price_fen) / 100,
            "list_price": Decimal(offering.list_price_fen) / 100,
            "note": offering.note,
            "is_active": offering.is_active,
        }


class ServiceTypeForm(forms.Form):
    owner = forms.TypedChoiceField(label=_("添加单位"), coerce=int)
    name = forms.CharField(label=_("服务名称"), max_length=60)
    description = forms.CharField(label=_("说明"), max_length=200, required=False)

    def __init__(self, *args: Any, owners: list[tuple[int, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        field = self.fields["owner"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = owners


class OrderForm(forms.Form):
    preferred_at = forms.DateTimeField(
        label=_("希望时间"),
        required=False,
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    note = forms.CharField(
        label=_("备注（想咨询的问题、物品情况等）"),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    # One key per rendering of the form: sending it twice (a double click, a reload) orders once.
    idempotency_key = forms.CharField(max_length=64, required=False, widget=forms.HiddenInput)

    def clean_preferred_at(self) -> dt.datetime | None:
        value: dt.datetime | None = self.cleaned_data.get("preferred_at")
        if value is not None and timezone.is_naive(value):
            value = timezone.make_aware(value)
        return value


class ConfirmForm(forms.Form):
    stars = forms.TypedChoiceField(
        label=_("评分"),
        choices=[(5, "★★★★★"), (4, "★★★★"), (3, "★★★"), (2, "★★"), (1, "★")],
        coerce=int,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(label=_("评价"), max_length=300, required=False, widget=forms.Textarea(attrs={"rows": 3}))


class DeclineForm(forms.Form):
    reason = forms.CharField(label=_("婉拒原因"), max_length=200)


class ScheduleForm(forms.Form):
    scheduled_at = forms.DateTimeField(
        label=_("安排时间"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )

    def clean_scheduled_at(self) -> dt.datetime:
        value: dt.datetime = self.cleaned_data["scheduled_at"]
        return timezone.make_aware(value) if timezone.is_naive(value) else value


STATUS_ANY = [("", _("待处理")), *OrderStatus.choices, ("all", _("全部"))]


class QueueFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("状态"), choices=STATUS_ANY, required=False)
    overdue = forms.BooleanField(label=_("只看逾期的"), required=False)
    point = forms.IntegerField(min_value=1, max_value=2**31 - 1, required=False, widget=forms.HiddenInput)
