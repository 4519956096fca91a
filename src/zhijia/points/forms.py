"""Forms of the points pages. They parse input; the rules live in the services."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import EarnEvent, ItemKind, MerchantKind

TEXTAREA = forms.Textarea(attrs={"rows": 3})


class OrgChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class RuleForm(forms.Form):
    org = OrgChoice(label=_("制定单位"), queryset=None, empty_label=None)
    event = forms.ChoiceField(label=_("积分事项"), choices=EarnEvent.choices)
    points = forms.IntegerField(label=_("积分"), min_value=1, max_value=100_000, help_text=_("志愿服务为每小时积分"))
    daily_cap = forms.IntegerField(label=_("每人每日上限"), min_value=1, max_value=1_000_000, required=False)

    def __init__(self, *args: Any, orgs: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = orgs  # type: ignore[attr-defined]


class MerchantForm(forms.Form):
    owner = OrgChoice(label=_("签约工会"), queryset=None, empty_label=None)
    name = forms.CharField(label=_("商户名称"), max_length=100)
    kind = forms.ChoiceField(label=_("类型"), choices=MerchantKind.choices)
    address = forms.CharField(label=_("地址"), max_length=200, required=False)
    contact = forms.CharField(label=_("联系方式"), max_length=60, required=False)

    def __init__(self, *args: Any, orgs: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = orgs  # type: ignore[attr-defined]


class ItemForm(forms.Form):
    owner = OrgChoice(label=_("提供单位"), queryset=None, empty_label=None)
    name = forms.CharField(label=_("名称"), max_length=100)
    kind = forms.ChoiceField(label=_("类型"), choices=ItemKind.choices)
    merchant: forms.ModelChoiceField[Any] = forms.ModelChoiceField(label=_("合作商户"), queryset=None, required=False)
    cost = forms.IntegerField(label=_("所需积分"), min_value=1, max_value=100_000)
    stock = forms.IntegerField(
        label=_("库存"), min_value=0, max_value=1_000_000, required=False, help_text=_("留空为不限")
    )
    per_member_limit = forms.IntegerField(label=_("每人限兑"), min_value=1, max_value=1000, required=False)
    description = forms.CharField(
        label=_("说明"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, orgs: Any, merchants: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = orgs  # type: ignore[attr-defined]
        self.fields["merchant"].queryset = merchants  # type: ignore[attr-defined]


class ItemEditForm(forms.Form):
    name = forms.CharField(label=_("名称"), max_length=100)
    cost = forms.IntegerField(label=_("所需积分"), min_value=1, max_value=100_000)
    per_member_limit = forms.IntegerField(label=_("每人限兑"), min_value=1, max_value=1000, required=False)
    is_active = forms.BooleanField(label=_("上架"), required=False)
    stock_add = forms.IntegerField(
        label=_("库存增减"),
        min_value=-1_000_000,
        max_value=1_000_000,
        required=False,
        help_text=_("补货填正数，盘亏填负数"),
    )
    description = forms.CharField(
        label=_("说明"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class VolunteerForm(forms.Form):
    member_no = forms.CharField(label=_("会员号"), max_length=20)
    hours = forms.DecimalField(
        label=_("时长（小时）"), min_value=Decimal("0.1"), max_value=Decimal(24), decimal_places=1
    )
    served_on = forms.DateField(label=_("服务日期"), widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label=_("服务内容"), max_length=200)
