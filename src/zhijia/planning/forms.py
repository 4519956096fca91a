"""Forms for the planning pages. They only parse input; the rules live in the services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from zhijia.network.coords import CoordSystem

from .algorithms.hexgrid import MAX_RESOLUTION, MIN_RESOLUTION, HexGrid
from .models import GridKind, TravelMode

H3_CHOICES = [
    (r, _("%(res)s（六边形边长约 %(edge)s 米）") % {"res": r, "edge": round(HexGrid(r).edge_m)})
    for r in range(MIN_RESOLUTION, MAX_RESOLUTION + 1)
]
SYSTEMS = [
    (CoordSystem.WGS84.value, _("WGS-84（GPS）")),
    (CoordSystem.GCJ02.value, _("GCJ-02（国内地图、手机定位）")),
]


class RunForm(forms.Form):
    area = forms.TypedChoiceField(label=_("分析范围"), coerce=int)
    mode = forms.ChoiceField(label=_("出行方式"), choices=TravelMode.choices, initial=TravelMode.WALK)
    grid_kind = forms.ChoiceField(
        label=_("网格类型"), choices=GridKind.choices, initial=GridKind.SQUARE, required=False
    )
    cell_m = forms.IntegerField(
        label=_("方格边长（米）"),
        min_value=50,
        max_value=5000,
        initial=250,
        required=False,
        help_text=_("方格网格使用。"),
    )
    h3_resolution = forms.TypedChoiceField(
        label=_("H3 分辨率"),
        coerce=int,
        choices=H3_CHOICES,
        initial=9,
        required=False,
        empty_value=None,
        help_text=_("H3 六边形网格使用：分辨率越高，六边形越小。"),
    )
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


class WorkLocationForm(forms.Form):
    """A member's own work place: picked on the map, taken from the browser, or typed in either datum."""

    lng = forms.FloatField(label=_("经度"), min_value=-180, max_value=180)
    lat = forms.FloatField(label=_("纬度"), min_value=-90, max_value=90)
    coord = forms.ChoiceField(label=_("坐标系"), choices=SYSTEMS, initial=CoordSystem.WGS84.value)
    consent = forms.BooleanField(
        label=_(
            "我同意工会加密保存我的工作地点，仅用于规划十分钟服务圈；工作人员只能看到按网格、街道和区县汇总的人数，"
            "看不到我个人的位置。我可以随时修改或删除。"
        ),
        required=True,
        error_messages={"required": _("请先阅读并同意工作地点的使用说明。")},
    )
