"""Console pages for the roster files: import (upload, mode, then the job page), the template, and export."""

from __future__ import annotations

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _

from zhijia.core.errors import NotFound, ZhijiaError
from zhijia.core.ids import int_from_text
from zhijia.core.pages import staff_page
from zhijia.core.roles import Perm
from zhijia.core.scope import scope_for
from zhijia.organizations.selectors import org_get_by_code

from . import roster_files
from .services.roster_export import roster_export_start
from .services.roster_import import import_scope, roster_import_start

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ALL_OR_NOTHING = "all_or_nothing"
ACCEPT_VALID = "accept_valid"


class RosterImportForm(forms.Form):
    file = forms.FileField(label=_("名册文件（CSV 或 XLSX）"))
    mode = forms.ChoiceField(
        label=_("有未通过校验的行时"),
        choices=[
            (ACCEPT_VALID, _("导入通过校验的行，未通过的行下载后修改再导入")),
            (ALL_OR_NOTHING, _("全部成功才导入：有任何一行未通过，就什么也不导入")),
        ],
        initial=ACCEPT_VALID,
        widget=forms.RadioSelect,
    )
    union_code = forms.CharField(
        label=_("默认工会编码"),
        required=False,
        max_length=40,
        help_text=_("“工会编码”一列为空的行归入这个工会；不填则每行都必须写明工会编码。"),
    )


class RosterExportForm(forms.Form):
    under_code = forms.CharField(
        label=_("导出哪个组织（编码）"), required=False, max_length=40, help_text=_("不填则导出您管辖的全部会员。")
    )
    format = forms.ChoiceField(label=_("格式"), choices=[("xlsx", "XLSX"), ("csv", "CSV")], initial="xlsx")
    full = forms.BooleanField(label=_("导出完整的身份证号码和手机号（将记入审计日志）"), required=False)


@staff_page(Perm.MEMBER_MANAGE)
def roster_import(request: HttpRequest) -> HttpResponse:
    form = RosterImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        # The scope first: a union outside it is missing (404), whatever else is wrong with the form.
        import_scope(actor=request.user, union_code=request.POST.get("union_code", ""))
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                job = roster_import_start(
                    actor=request.user,
                    upload=upload,
                    filename=upload.name,
                    all_or_nothing=form.cleaned_data["mode"] == ALL_OR_NOTHING,
                    union_code=form.cleaned_data["union_code"],
                )
            except NotFound:
                raise
            except ZhijiaError as exc:
                field = exc.detail.get("field")
                form.add_error(field if field in form.fields else None, exc.message)
            else:
                return redirect("jobs:detail", job_id=job.pk)
    return render(
        request,
        "members/roster_import.html",
        {"form": form, "columns": roster_files.COLUMNS},
    )


@staff_page(Perm.MEMBER_MANAGE)
def roster_template(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(roster_files.template_xlsx(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="roster-template.xlsx"'
    return response


@staff_page(Perm.MEMBER_EXPORT)
def roster_export(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    form = RosterExportForm(request.POST or None)
    if request.method == "POST":
        under_text = request.POST.get("under_id", "")
        code = request.POST.get("under_code", "").strip()
        under = int_from_text(under_text)
        if code:
            under = org_get_by_code(actor=request.user, code=code).pk
        elif under_text and under is None:
            # Not an id: it names no organisation (rather than exporting the whole scope instead).
            raise NotFound("org")
        if form.is_valid():
            try:
                job = roster_export_start(
                    actor=request.user,
                    under_id=under,
                    fmt=form.cleaned_data["format"],
                    full=form.cleaned_data["full"],
                )
            except NotFound:
                raise
            except ZhijiaError as exc:
                if exc.status == 403:
                    raise
                field = exc.detail.get("field")
                form.add_error(field if field in form.fields else None, exc.message)
            else:
                return redirect("jobs:detail", job_id=job.pk)
    return render(request, "members/roster_export.html", {"form": form, "can_reveal": scope.can(Perm.PII_REVEAL)})
