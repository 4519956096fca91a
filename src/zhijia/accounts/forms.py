"""Forms for the account pages. They only parse input; the rules live in the services."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zhijia.core.roles import HandlerKind, Role


class LoginForm(AuthenticationForm):
    username = forms.CharField(label=_("手机号或用户名"), max_length=64)
    password = forms.CharField(label=_("密码"), strip=False, widget=forms.PasswordInput)

    error_messages = {
        "invalid_login": _("账号或密码不正确。"),
        "inactive": _("该账户已停用。"),
    }


class RegisterForm(forms.Form):
    phone = forms.CharField(label=_("手机号"), max_length=20)
    code = forms.CharField(label=_("短信验证码"), max_length=10)
    display_name = forms.CharField(label=_("姓名"), max_length=60)
    password = forms.CharField(label=_("密码"), widget=forms.PasswordInput, max_length=128)


class StaffCreateForm(forms.Form):
    org_id = forms.IntegerField(label=_("所属组织"), widget=forms.HiddenInput)
    username = forms.CharField(label=_("用户名"), max_length=64)
    display_name = forms.CharField(label=_("姓名"), max_length=60)
    password = forms.CharField(label=_("初始密码"), widget=forms.PasswordInput, max_length=128)
    roles = forms.MultipleChoiceField(
        label=pgettext_lazy("plural", "角色"), choices=Role.choices, widget=forms.CheckboxSelectMultiple
    )
    handler_kind = forms.ChoiceField(label=_("承办人类别"), choices=[("", "—"), *HandlerKind.choices], required=False)
    phone = forms.CharField(label=_("手机号"), max_length=20, required=False)
    title = forms.CharField(label=_("职务"), max_length=60, required=False)


class StaffUpdateForm(forms.Form):
    roles = forms.MultipleChoiceField(
        label=pgettext_lazy("plural", "角色"), choices=Role.choices, widget=forms.CheckboxSelectMultiple
    )
    is_active = forms.BooleanField(label=_("有效"), required=False)
