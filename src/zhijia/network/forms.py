"""Forms for the network pages. They parse input (hours as "09:00-18:00", coordinates in either datum); the rules
live in the services."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .coords import CoordSystem, to_wgs84
from .hours import HOLIDAY, BadSpans, Span, fmt_spans, parse_spans
from .models import DAY_CHOICES, Facility, HomeSubtype, PointKind, PointStatus, StandardItem, StopRepeat

COORD_CHOICES = [(CoordSystem.WGS84, _("WGS-84（GPS）")), (CoordSystem.GCJ02, _("GCJ-02（国内地图）"))]
KIND_ANY = [("", _("全部类型")), *PointKind.choices]
STATUS_ANY = [("", _("全部状态")), *PointStatus.choices]
FACILITY_ANY = [("", _("全部设施")), *Facility.choices]


class RegistryFilterForm(forms.Form):
    q = forms.CharField(label=_("名称、地址或编码"), max_length=60, required=False)
    kind = forms.ChoiceField(label=_("类型"), choices=KIND_ANY, required=False)
    status = forms.ChoiceField(label=_("状态"), choices=STATUS_ANY, required=False)
    facility = forms.ChoiceField(label=_("设施"), choices=FACILITY_ANY, required=False)
    overdue = forms.BooleanField(label=_("只看逾期未检查的"), required=False)


class FinderForm(forms.Form):
    kind = forms.ChoiceField(label=_("类型"), choices=KIND_ANY, required=False)
    facility = forms.ChoiceField(label=_("需要的设施"), choices=FACILITY_ANY, required=False)
    mode = forms.ChoiceField(label=_("出行方式"), choices=[("walk", _("步行")), ("ride", _("骑行"))], required=False)
    open_now = forms.BooleanField(label=_("只看现在开放的"), required=False)
    lng = forms.FloatField(min_value=-180, max_value=180, required=False, widget=forms.HiddenInput)
    lat = forms.FloatField(min_value=-90, max_value=90, required=False, widget=forms.HiddenInput)
    coord = forms.ChoiceField(choices=COORD_CHOICES, required=False, widget=forms.HiddenInput)


class PointForm(forms.Form):
    name = forms.CharField(label=_("名称"), max_length=150)
    kind = forms.ChoiceField(label=_("类型"), choices=PointKind.choices)
    home_subtype = forms.ChoiceField(label=_("共享职工之家类型"), choices=HomeSubtype.choices, required=False)
    owner = forms.TypedChoiceField(label=_("所属工会"), coerce=int)
    address = forms.CharField(label=_("地址"), max_length=200, required=False)
    lng = forms.FloatField(label=_("经度"), min_value=-180, max_value=180)
    lat = forms.FloatField(label=_("纬度"), min_value=-90, max_value=90)
    coord = forms.ChoiceField(label=_("坐标系"), choices=COORD_CHOICES, initial=CoordSystem.WGS84)
    status = forms.ChoiceField(label=_("状态"), choices=PointStatus.choices, initial=PointStatus.OPEN)
    area_m2 = forms.IntegerField(label=_("面积（平方米）"), min_value=0, max_value=1_000_000, required=False)
    contact_name = forms.CharField(label=_("联系人"), max_length=60, required=False)
    contact_phone = forms.CharField(label=_("联系电话"), max_length=30, required=False)
    vehicle_plate = forms.CharField(label=_("车牌号（流动型）"), max_length=20, required=False)
    facilities = forms.MultipleChoiceField(
        label=_("设施"), choices=Facility.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    description = forms.CharField(
        label=_("简介"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, owners: list[tuple[int, str]], creating: bool = True, **kwargs: Any):
        super().__init__(*args, **kwargs)
        owner = self.fields["owner"]
        assert isinstance(owner, forms.TypedChoiceField)
        owner.choices = owners
        if creating:
            status = self.fields["status"]
            assert isinstance(status, forms.ChoiceField)
            status.choices = [
                (s, label) for s, label in PointStatus.choices if s in (PointStatus.PLANNED, PointStatus.OPEN)
            ]

    def service_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        lng, lat = to_wgs84(data.pop("lng"), data.pop("lat"), data.pop("coord") or CoordSystem.WGS84)
        data.update(lng=lng, lat=lat, owner_id=data.pop("owner"), home_subtype=data.get("home_subtype") or "")
        return data


def _day_field(label: Any) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=80,
        widget=forms.TextInput(attrs={"placeholder": "09:00-12:00, 13:00-18:00"}),
    )


class HoursForm(forms.Form):
    """Weekly hours as text per day ("09:00-18:00", several spans separated by commas, empty for closed), the
    holiday rule, and dated exceptions one per line: "2026-10-01 关闭" or "2026-10-02 10:00-16:00 国庆开放"."""

    follows_holidays = forms.BooleanField(
        label=_("按法定节假日调整（节假日用“法定节假日”时段，调休上班日按星期一）"), required=False
    )
    exceptions = forms.CharField(
        label=_("特殊日期（每行一个：日期 关闭 或 日期 时段 备注）"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "placeholder": "2026-10-01 关闭\n2026-10-02 10:00-16:00 国庆开放"}),
    )

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        for day, label in DAY_CHOICES:
            self.fields[f"day{day}"] = _day_field(label)
        self.order_fields([f"day{d}" for d in range(HOLIDAY + 1)] + ["follows_holidays", "exceptions"])

    @staticmethod
    def initial_for(weekly: dict[int, tuple[Span, ...]], exceptions: list[Any], follows: bool) -> dict[str, Any]:
        initial: dict[str, Any] = {f"day{d}": fmt_spans(tuple(weekly.get(d, ()))) for d in range(HOLIDAY + 1)}
        lines: dict[dt.date, list[str]] = {}
        notes: dict[dt.date, str] = {}
        for e in exceptions:
            if e.closed:
                lines.setdefault(e.date, []).append("关闭")
            else:
                lines.setdefault(e.date, []).append(fmt_spans(((e.opens_minute, e.closes_minute),)))
            notes[e.date] = e.note
        initial["exceptions"] = "\n".join(f"{d:%Y-%m-%d} {', '.join(v)} {notes[d]}".strip() for d, v in lines.items())
        initial["follows_holidays"] = follows
        return initial

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        weekly: dict[int, tuple[Span, ...]] = {}
        for day in range(HOLIDAY + 1):
            try:
                weekly[day] = parse_spans(data.get(f"day{day}", ""))
            except BadSpans:
                self.add_error(f"day{day}", _("格式应为 09:00-12:00, 13:00-18:00，时段不能重叠。"))
        data["weekly"] = weekly
        data["dated"] = self._dated(data.get("exceptions", ""))
        return data

    def _dated(self, text: str) -> list[tuple[dt.date, tuple[Span, ...], str]]:
        rows = []
        for n, line in enumerate(text.splitlines(), start=1):
            line = line.strip()
            if not line:
                continue
            head, _sep, rest = line.partition(" ")
            try:
                day = dt.date.fromisoformat(head)
                rest = rest.strip()
                if rest.startswith(("关闭", "closed")):
                    spans: tuple[Span, ...] = ()
                    note = rest.removeprefix("关闭").removeprefix("closed").strip()
                else:
                    hours, _sep2, note = rest.partition(" ")
                    spans = parse_spans(hours)
                    if not spans:
                        raise BadSpans(line)
            except (ValueError, BadSpans):
                raise ValidationError(_("第 %(n)s 行格式有误：%(line)s") % {"n": n, "line": line}) from None
            rows.append((day, spans, note.strip()))
        return rows


class StopForm(forms.Form):
    site = forms.CharField(label=_("停靠点"), max_length=150)
    address = forms.CharField(label=_("地址"), max_length=200, required=False)
    lng = forms.FloatField(label=_("经度"), min_value=-180, max_value=180)
    lat = forms.FloatField(label=_("纬度"), min_value=-90, max_value=90)
    coord = forms.ChoiceField(label=_("坐标系"), choices=COORD_CHOICES, initial=CoordSystem.WGS84)
    repeat = forms.ChoiceField(label=_("重复"), choices=StopRepeat.choices, initial=StopRepeat.WEEKLY)
    weekdays = forms.TypedMultipleChoiceField(
        label=_("每周的哪几天"),
        choices=DAY_CHOICES[:7],
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    starts_on = forms.DateField(label=_("开始日期"), widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(label=_("结束日期"), widget=forms.DateInput(attrs={"type": "date"}))
    arrives = forms.TimeField(label=_("到达时间"), widget=forms.TimeInput(attrs={"type": "time"}))
    leaves = forms.TimeField(label=_("离开时间"), widget=forms.TimeInput(attrs={"type": "time"}))

    def service_fields(self) -> dict[str, Any]:
        d = self.cleaned_data
        lng, lat = to_wgs84(d["lng"], d["lat"], d["coord"] or CoordSystem.WGS84)
        return {
            "site": d["site"],
            "address": d["address"],
            "lng": lng,
            "lat": lat,
            "repeat": d["repeat"],
            "weekdays": d["weekdays"],
            "starts_on": d["starts_on"],
            "ends_on": d["ends_on"],
            "arrives_minute": d["arrives"].hour * 60 + d["arrives"].minute,
            "leaves_minute": d["leaves"].hour * 60 + d["leaves"].minute,
        }


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        return [super(MultipleFileField, self).clean(f, initial) for f in files]


class InspectionForm(forms.Form):
    note = forms.CharField(label=_("备注"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3}))
    photos = MultipleFileField(label=_("照片（可多选，JPG/PNG/WebP，每张不超过 10 MB）"), required=False)

    def __init__(self, *args: Any, items: list[StandardItem], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.items = items
        for item in items:
            self.fields[f"item_{item.code}"] = forms.BooleanField(label=item.label, required=False, initial=True)
        self.order_fields([f"item_{i.code}" for i in items] + ["note", "photos"])

    def passed_items(self) -> list[str]:
        return [i.code for i in self.items if self.cleaned_data.get(f"item_{i.code}")]
