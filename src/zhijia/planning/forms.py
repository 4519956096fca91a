"""Forms for the planning pages. They only parse input; the rules live in the services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from zhijia.network.coords import CoordSystem

from .models import TravelMode

SYSTEMS = [(CoordSystem.WGS84.value, "WGS-84"), (CoordSystem.GCJ02.value, _("GCJ-02（国内地图、手机定位）"))]


class RunForm(forms.Form):
    area = forms.TypedChoiceField(label=_("分析范围"), coerce=int)
    mode = forms.ChoiceField(label=_("出行方式"), choices=TravelMode.choices, initial=TravelMode.WALK)
    cell_m = forms.IntegerField(label=_("网格边长（米）"), min_value=50, max_value=5000, initial=250)
    include_members = forms.BooleanField(label=_("计入会员工作地点"), required=False, initial=True)
    layers = forms.TypedMultipleChoiceField(label=_("职工分布图层"), coerce=int, required=False)
    include_planned = forms.BooleanField(label=_("计入规划中的阵地"), required=False)
    sites_wanted = forms.IntegerField(label=_("建议新建点位数"), min_value=0, max_value=200, initial=10)
    candidates = forms.TypedChoiceField(label=_("备选点位清单"), coerce=int, required=False, empty_value=None)
    use_cells = forms.BooleanField(label=_("网格中心也作为备选点位"), required=False, initial=True)

    def __init__(self, *args: Any, areas: list[tuple[int, str]], layers: Any, candidates: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = areas  # type: ignore[attr-defined]
        self.fields["layers"].choices = [(x.pk, x.name) for x in layers]  # type: ignore[attr-defined]
        self.fields["candidates"].choices = [("", _("不使用"))] + [(c.pk, c.name) for c in candidates]  # type: ignore[attr-defined]


class ImportForm(forms.Form):
    owner = forms.TypedChoiceField(label=_("所属组织"), coerce=int)
    name = forms.CharField(label=_("名称"), max_length=100)
    note = forms.CharField(label=_("备注"), max_length=300, required=False)
    system = forms.ChoiceField(label=_("坐标系"), choices=SYSTEMS, initial=CoordSystem.WGS84.value)
    file = forms.FileField(label=_("CSV 文件"))

    def __init__(self, *args: Any, owners: list[tuple[int, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = owners  # type: ignore[attr-defined]


class LocationImportForm(forms.Form):
    owner = forms.TypedChoiceField(label=_("所属组织"), coerce=int)
    system = forms.ChoiceField(label=_("坐标系"), choices=SYSTEMS, initial=CoordSystem.WGS84.value)
    file = forms.FileField(label=_("CSV 文件"))

    def __init__(self, *args: Any, owners: list[tuple[int, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = owners  # type: ignore[attr-defined]
