"""Forms of the activity pages. They parse input; the rules live in the services."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ActivityKind, Audience

KIND_ANY = [("", _("全部类型")), *ActivityKind.choices]


class BrowseForm(forms.Form):
    kind = forms.ChoiceField(label=_("类型"), choices=KIND_ANY, required=False)
    date_from = forms.DateField(label=_("日期从"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("日期至"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    q = forms.CharField(label=_("名称"), max_length=50, required=False)
    lng = forms.FloatField(min_value=-180, max_value=180, required=False, widget=forms.HiddenInput)
    lat = forms.FloatField(min_value=-90, max_value=90, required=False, widget=forms.HiddenInput)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: Any):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


def _dt(label: Any, required: bool = True) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label, required=required, widget=DateTimeInput(), input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
    )


class ActivityForm(forms.Form):
    title = forms.CharField(label=_("名称"), max_length=150)
    kind = forms.ChoiceField(label=_("类型"), choices=ActivityKind.choices)
    organiser = forms.TypedChoiceField(label=_("主办工会"), coerce=int)
    audience = forms.ChoiceField(label=_("面向"), choices=Audience.choices, initial=Audience.MEMBERS)
    group = forms.TypedChoiceField(
        label=_("兴趣小组（兴趣小组活动必选）"), coerce=int, required=False, empty_value=None
    )
    point_code = forms.CharField(label=_("服务阵地编码"), max_length=40, required=False)
    address = forms.CharField(label=_("其他地址（不在服务阵地举行时）"), max_length=200, required=False)
    starts_at = _dt(_("开始时间"))
    ends_at = _dt(_("结束时间"))
    capacity = forms.IntegerField(label=_("名额"), min_value=1, max_value=100_000)
    waitlist_size = forms.IntegerField(label=_("候补名额（0 为不设候补）"), min_value=0, max_value=100_000, initial=20)
    registration_opens_at = _dt(_("报名开始（默认现在）"), required=False)
    registration_closes_at = _dt(_("报名截止（默认开始时间）"), required=False)
    member_price = forms.DecimalField(
        label=_("会员价（元）"), min_value=0, max_digits=9, decimal_places=2, required=False
    )
    price = forms.DecimalField(label=_("非会员价（元）"), min_value=0, max_digits=9, decimal_places=2, required=False)
    description = forms.CharField(
        label=_("简介"), max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args: Any, organisers: list[tuple[int, str]], groups: list[tuple[int, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        organiser = self.fields["organiser"]
        assert isinstance(organiser, forms.TypedChoiceField)
        organiser.choices = organisers
        group = self.fields["group"]
        assert isinstance(group, forms.TypedChoiceField)
        group.choices = [("", "—"), *groups]

    def service_fields(self, point_id: int | None) -> dict[str, Any]:
        d = self.cleaned_data

        def fen(value: Any) -> int | None:
            return None if value is None else int(value * 100)

        return {
            "title": d["title"],
            "kind": d["kind"],
            "audience": d["audience"],
            "description": d.get("description") or "",
            "point_id": point_id,
            "address": d.get("address") or "",
            "starts_at": d["starts_at"],
            "ends_at": d["ends_at"],
            "capacity": d["capacity"],
            "waitlist_size": d["waitlist_size"] if d.get("waitlist_size") is not None else 20,
            "registration_opens_at": d.get("registration_opens_at"),
            "registration_closes_at": d.get("registration_closes_at"),
            "member_price_fen": fen(d.get("member_price")),
            "price_fen": fen(d.get("price")),
            "group_id": d.get("group"),
        }


class FeedbackForm(forms.Form):
    stars = forms.TypedChoiceField(
        label=_("评分"),
        coerce=int,
        choices=[(5, "★★★★★"), (4, "★★★★"), (3, "★★★"), (2, "★★"), (1, "★")],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(label=_("评价"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 3}))


class GroupForm(forms.Form):
    name = forms.CharField(label=_("名称"), max_length=100)
    owner = forms.TypedChoiceField(label=_("所属工会"), coerce=int)
    audience = forms.ChoiceField(label=_("面向"), choices=Audience.choices, initial=Audience.MEMBERS)
    point_code = forms.CharField(label=_("活动阵地编码（可选）"), max_length=40, required=False)
    description = forms.CharField(
        label=_("简介"), max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, owners: list[tuple[int, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        owner = self.fields["owner"]
        assert isinstance(owner, forms.TypedChoiceField)
        owner.choices = owners


class ReportForm(forms.Form):
    since = forms.DateField(label=_("开始日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("结束日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        since, until = data.get("since"), data.get("until")
        if isinstance(since, dt.date) and isinstance(until, dt.date) and until < since:
            self.add_error("until", _("结束日期不能早于开始日期。"))
        return data
