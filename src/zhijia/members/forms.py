"""Forms for the membership pages. They only parse input; every rule (ID number, phone, routing, review) lives in the
services, whose refusals the pages put back on the field they name."""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.utils import flatatt
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from .models import JobGroup, Membership, ModelWorkerLevel, NeedyLevel, RejectReason

BLANK: list[tuple[str, Any]] = [("", "—")]


class ApplyForm(forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=60, required=False)
    id_number = forms.CharField(label=_("身份证号码"), max_length=30, required=False)
    phone = forms.CharField(label=_("手机号"), max_length=20, required=False)
    sms_code = forms.CharField(label=_("短信验证码"), max_length=10, required=False)
    job_group = forms.ChoiceField(label=_("职业群体"), choices=BLANK + list(JobGroup.choices), required=False)
    no_employer = forms.BooleanField(label=_("无固定单位（灵活就业）"), required=False)
    employer_id = forms.IntegerField(required=False, min_value=1)
    employer_name = forms.CharField(label=_("单位名称（名单中找不到时填写）"), max_length=150, required=False)
    work_district = forms.IntegerField(required=False, min_value=1)
    work_street_id = forms.IntegerField(
        min_value=1,
        error_messages={
            "required": _("请选择工作地街道（乡镇）。"),
            "invalid": _("请选择工作地街道（乡镇）。"),
            "min_value": _("请选择工作地街道（乡镇）。"),
        },
    )
    work_community_id = forms.IntegerField(required=False, min_value=1)
    live_district = forms.IntegerField(required=False, min_value=1)
    live_street_id = forms.IntegerField(required=False, min_value=1)
    live_community_id = forms.IntegerField(required=False, min_value=1)
    consent = forms.BooleanField(label=_("我已阅读并同意《个人信息处理规则》"), required=False)

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["name"].widget.attrs.update({"autocomplete": "name"})
        self.fields["id_number"].widget.attrs.update({"autocomplete": "off", "spellcheck": "false"})
        self.fields["phone"].widget.attrs.update({"autocomplete": "tel", "inputmode": "tel"})
        self.fields["sms_code"].widget.attrs.update({"autocomplete": "one-time-code", "inputmode": "numeric"})

    def service_data(self) -> dict[str, Any]:
        """The cleaned fields as `application_submit` takes them."""
        data = self.cleaned_data
        return {
            "name": data["name"],
            "id_number": data["id_number"],
            "phone": data["phone"],
            "sms_code": data["sms_code"],
            "job_group": data["job_group"],
            "consent": data["consent"],
            "no_employer": data["no_employer"],
            "employer_id": None if data["no_employer"] else data["employer_id"],
            "employer_name": data["employer_name"],
            "work_street_id": data["work_street_id"],
            "work_community_id": data["work_community_id"],
            "live_street_id": data["live_street_id"],
            "live_community_id": data["live_community_id"] if data["live_street_id"] else None,
        }


class RejectForm(forms.Form):
    reason = forms.ChoiceField(label=_("不通过原因"), choices=RejectReason.choices)
    note = forms.CharField(label=_("说明"), max_length=300, required=False, widget=forms.Textarea(attrs={"rows": 2}))


class TransferForm(forms.Form):
    new_union_code = forms.CharField(label=_("转入工会的组织编码"), max_length=40)


class FlagsForm(forms.Form):
    needy_level = forms.ChoiceField(label=_("困难职工"), choices=NeedyLevel.choices)
    model_worker_level = forms.ChoiceField(label=_("劳模"), choices=ModelWorkerLevel.choices)
    job_group = forms.ChoiceField(label=_("职业群体"), choices=JobGroup.choices)


class EndForm(forms.Form):
    status = forms.ChoiceField(
        label=_("结束方式"),
        choices=[(Membership.Status.LAPSED, _("会籍失效")), (Membership.Status.WITHDRAWN, _("退会"))],
    )
    reason = forms.CharField(label=_("原因"), max_length=300, required=False, widget=forms.Textarea(attrs={"rows": 2}))


YES_NO = [("", _("不限")), ("yes", _("是")), ("no", _("否"))]


class QuickSelect(forms.Select):
    """A select written out in Python, one string per option. Django renders each option through a template of its
    own, which for the roster's list of a street's few hundred organisations cost more than the roster query."""

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None) -> SafeString:
        final = self.build_attrs(self.attrs, attrs)
        final["name"] = name
        chosen = set(self.format_value(value))
        options = "".join(
            f'<option value="{escape(v)}"{" selected" if str(v) in chosen else ""}>{escape(label)}</option>'
            for v, label in self.choices
        )
        return mark_safe(f"<select{flatatt(final)}>{options}</select>")  # noqa: S308 - every value escaped above


class RosterFilterForm(forms.Form):
    q = forms.CharField(label=_("姓名、身份证号码或手机号"), max_length=60, required=False)
    under = forms.TypedChoiceField(label=_("组织"), coerce=int, required=False, empty_value=None, widget=QuickSelect)
    job_group = forms.ChoiceField(
        label=_("职业群体"), choices=[("", _("不限")), *JobGroup.choices], required=False, widget=QuickSelect
    )
    status = forms.ChoiceField(
        label=_("状态"), choices=[("", _("不限")), *Membership.Status.choices], required=False, widget=QuickSelect
    )
    needy = forms.ChoiceField(label=_("困难职工"), choices=YES_NO, required=False, widget=QuickSelect)
    model_worker = forms.ChoiceField(label=_("劳模"), choices=YES_NO, required=False, widget=QuickSelect)

    def __init__(self, *args: Any, orgs: list[tuple[int, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        under = self.fields["under"]
        assert isinstance(under, forms.TypedChoiceField)
        under.choices = [("", _("全部")), *orgs]

    def filters(self) -> dict[str, Any]:
        """The valid filters as `member_list` takes them (an invalid one is left out, not an error)."""
        data = self.cleaned_data if self.is_valid() else {}
        flag = {"yes": True, "no": False}
        return {
            "search": data.get("q") or None,
            "under_id": data.get("under"),
            "job_group": data.get("job_group") or None,
            "status": data.get("status") or None,
            "needy": flag.get(data.get("needy") or ""),
            "model_worker": flag.get(data.get("model_worker") or ""),
        }


class ReviewPolicyForm(forms.Form):
    auto_approve = forms.BooleanField(label=_("自动审核通过"), required=False)
    require_phone_verified = forms.BooleanField(label=_("要求手机已验证"), required=False)
    require_employer_on_roster = forms.BooleanField(label=_("要求单位在本工会名录中"), required=False)


class RoutingRulesForm(forms.Form):
    """One place (1 first) and one switch per routing rule."""

    def __init__(self, *args: Any, rules: list[Any], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.rule_names = [r.rule for r in rules]
        for r in rules:
            label = r.get_rule_display()
            self.fields[f"{r.rule}__priority"] = forms.IntegerField(
                label=label, min_value=1, max_value=len(rules), initial=r.priority
            )
            self.fields[f"{r.rule}__active"] = forms.BooleanField(label=_("启用"), required=False, initial=r.is_active)

    def rules(self) -> list[tuple[str, int, bool]]:
        data = self.cleaned_data
        return [(n, int(data[f"{n}__priority"]), bool(data.get(f"{n}__active"))) for n in self.rule_names]
