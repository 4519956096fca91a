"""Forms of the rating pages. They parse input; the rules live in the services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import AssessmentSource, AwardLevel, Indicator, Period, RatingCriterion, ResourceKind

STAR_CHOICES = [(str(n), "★" * n) for n in range(5, 0, -1)]


def this_year() -> int:
    return timezone.localdate().year


class RatingForm(forms.Form):
    comment = forms.CharField(
        label=_("评语"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, criteria: list[RatingCriterion], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for c in criteria:
            self.fields[f"star_{c.code}"] = forms.TypedChoiceField(
                label=c.label, choices=STAR_CHOICES, coerce=int, widget=forms.RadioSelect(attrs={"class": "stars"})
            )
        self.order_fields([*[f"star_{c.code}" for c in criteria], "comment"])

    def stars(self) -> dict[str, int]:
        return {c.code: self.cleaned_data[f"star_{c.code}"] for c in self.criteria}


class OpinionForm(forms.Form):
    body = forms.CharField(label=_("意见建议"), max_length=2000, widget=forms.Textarea(attrs={"rows": 5}))


class ReplyForm(forms.Form):
    body = forms.CharField(label=_("回复"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("答复"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4}))


class YearForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100, required=False)


class AssessmentForm(forms.Form):
    source = forms.ChoiceField(label=_("评价方"), choices=AssessmentSource.choices)
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100, initial=this_year)
    note = forms.CharField(label=_("说明"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, criteria: list[RatingCriterion], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for c in criteria:
            self.fields[f"score_{c.code}"] = forms.DecimalField(
                label=c.label, min_value=0, max_value=100, decimal_places=2, max_digits=5
            )

    def scores(self) -> dict[str, Any]:
        return {c.code: self.cleaned_data[f"score_{c.code}"] for c in self.criteria}


class SchemeForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100, initial=this_year)
    member_weight = forms.IntegerField(label=_("会员评家权重（%）"), min_value=0, max_value=100, initial=50)
    unit_weight = forms.IntegerField(label=_("所在单位评家权重（%）"), min_value=0, max_value=100, initial=25)
    higher_weight = forms.IntegerField(label=_("上级工会评家权重（%）"), min_value=0, max_value=100, initial=25)
    star1 = forms.DecimalField(label=_("一星门槛"), min_value=0, max_value=100, initial=60)
    star2 = forms.DecimalField(label=_("二星门槛"), min_value=0, max_value=100, initial=70)
    star3 = forms.DecimalField(label=_("三星门槛"), min_value=0, max_value=100, initial=80)
    star4 = forms.DecimalField(label=_("四星门槛"), min_value=0, max_value=100, initial=88)
    star5 = forms.DecimalField(label=_("五星门槛"), min_value=0, max_value=100, initial=95)


class RulesForm(forms.Form):
    visit_days = forms.IntegerField(label=_("到访有效天数"), min_value=1, max_value=366, initial=90)
    period = forms.ChoiceField(label=_("评价周期"), choices=Period.choices, initial=Period.YEAR)


class EvaluationForm(forms.Form):
    title = forms.CharField(label=_("名称"), max_length=120)
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100, initial=this_year)
    owner = forms.TypedChoiceField(label=_("考评范围（工会）"), coerce=int)
    budget_yuan = forms.DecimalField(label=_("经费总额（元）"), min_value=0, max_digits=13, decimal_places=2)
    cap_yuan = forms.DecimalField(
        label=_("单家上限（元，可空）"), min_value=0, max_digits=13, decimal_places=2, required=False
    )

    def __init__(self, *args: Any, owners: list[tuple[int, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = owners  # type: ignore[attr-defined]
        for code, label in Indicator.choices:
            self.fields[f"w_{code}"] = forms.IntegerField(
                label=_("权重：%(label)s") % {"label": label}, min_value=0, max_value=100, initial=_default(code)
            )

    def weights(self) -> dict[str, int]:
        return {code: self.cleaned_data[f"w_{code}"] for code in Indicator.values}


def _default(code: str) -> int:
    from .models import DEFAULT_WEIGHTS

    return DEFAULT_WEIGHTS[Indicator(code)]


class EvaluationHomeForm(forms.Form):
    area = forms.IntegerField(label=Indicator.AREA.label, min_value=0)
    checkins = forms.IntegerField(label=Indicator.CHECKINS.label, min_value=0)
    activities = forms.IntegerField(label=Indicator.ACTIVITIES.label, min_value=0)
    attendance = forms.IntegerField(label=Indicator.ATTENDANCE.label, min_value=0)
    orders = forms.IntegerField(label=Indicator.ORDERS.label, min_value=0)
    rating = forms.DecimalField(label=Indicator.RATING.label, min_value=0, max_value=5, decimal_places=2)
    satisfaction = forms.DecimalField(label=Indicator.SATISFACTION.label, min_value=0, max_value=100, decimal_places=2)
    cap_yuan = forms.DecimalField(
        label=_("本家上限（元，可空）"), min_value=0, max_digits=13, decimal_places=2, required=False
    )


class AwardListForm(forms.Form):
    title = forms.CharField(label=_("名称"), max_length=120)
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100, initial=this_year)
    owner = forms.TypedChoiceField(label=_("组织单位"), coerce=int)
    benchmark_yuan = forms.DecimalField(label=_("示范单位奖补（元）"), min_value=0, max_digits=13, decimal_places=2)
    candidate_yuan = forms.DecimalField(label=_("候选单位奖补（元）"), min_value=0, max_digits=13, decimal_places=2)

    def __init__(self, *args: Any, owners: list[tuple[int, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = owners  # type: ignore[attr-defined]


class AwardEntryForm(forms.Form):
    union_code = forms.CharField(label=_("企业工会编码"), max_length=40)
    level = forms.ChoiceField(label=_("类别"), choices=AwardLevel.choices)


class NeedForm(forms.Form):
    title = forms.CharField(label=_("需求"), max_length=100)
    body = forms.CharField(label=_("说明"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 3}))
    service_type = forms.TypedChoiceField(label=_("对应服务项目"), coerce=int, required=False, empty_value=None)

    def __init__(self, *args: Any, service_types: list[tuple[int, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["service_type"].choices = [("", _("其他（目录中没有）")), *service_types]  # type: ignore[attr-defined]


class ResourceForm(forms.Form):
    kind = forms.ChoiceField(label=_("类别"), choices=ResourceKind.choices)
    name = forms.CharField(label=_("名称"), max_length=100)
    description = forms.CharField(label=_("说明"), max_length=300, required=False)
    quantity = forms.IntegerField(label=_("数量"), min_value=1, max_value=999_999, required=False)
