"""A service's refusal on the form that asked for the write: on the field it names, else above the form; a missing
or forbidden object is not the form's business."""

import pytest
from django import forms

from zhijia.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from zhijia.core.pages import show_on_form


class _Form(forms.Form):
    name = forms.CharField()
    code = forms.CharField()


def _bound() -> _Form:
    form = _Form({"name": "工会", "code": "X1"})
    assert form.is_valid()
    return form


def test_a_refusal_naming_a_field_of_the_form_shows_on_that_field() -> None:
    form = _bound()
    show_on_form(form, ValidationFailed("org.bad_name", "名称不合规。", field="name"))
    assert form.errors == {"name": ["名称不合规。"]}


def test_a_refusal_naming_no_field_of_the_form_shows_above_it_or_on_the_fallback() -> None:
    form = _bound()
    show_on_form(form, ValidationFailed("org.bad_parent", "上级不存在。", field="parent"))
    assert form.non_field_errors() == ["上级不存在。"]
    form = _bound()
    show_on_form(form, Conflict("org.taken", "代码已被占用。"), fallback="code")
    assert form.errors == {"code": ["代码已被占用。"]}


def test_on_field_false_keeps_every_refusal_above_the_form() -> None:
    form = _bound()
    show_on_form(form, ValidationFailed("org.bad_name", "名称不合规。", field="name"), on_field=False)
    assert form.non_field_errors() == ["名称不合规。"]
    assert "name" not in form.errors


def test_missing_or_forbidden_goes_on_to_the_error_page_unless_the_page_handles_it() -> None:
    with pytest.raises(NotFound):
        show_on_form(_bound(), NotFound("org"))
    with pytest.raises(PermissionDenied):
        show_on_form(_bound(), PermissionDenied("org.forbidden", "无权操作。"))
    form = _bound()
    show_on_form(form, PermissionDenied("booking.members_only", "仅限会员。"), raise_for=())
    assert form.non_field_errors() == ["仅限会员。"]
    with pytest.raises(Conflict):
        show_on_form(_bound(), Conflict("x.state", "状态不对。"), raise_for=(409,))
