"""入会审核 in the console: the queue (oldest first, approve in one click, reject with a reason), an application's
page, and how long applicants wait for their card in each union of the actor's subtree."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhijia.core.errors import Conflict, ValidationFailed
from zhijia.core.ids import int_from_text
from zhijia.core.pages import staff_page
from zhijia.core.pii import mask_id_number, mask_phone
from zhijia.core.roles import Perm
from zhijia.core.scope import scope_for

from .. import selectors, services
from ..forms import RejectForm
from ..models import Application

QUEUE_PAGE_SIZE = 50
PERIODS = (7, 30, 90, 365)
CHART_UNIONS = 20


def duration_label(seconds: float) -> str:
    """A waiting time in words: "45 秒", "6 分 20 秒", "3 小时 5 分", "2 天 4 小时"."""
    s = max(0, int(seconds))
    if s < 60:
        return _("%(s)d 秒") % {"s": s}
    if s < 3600:
        return _("%(m)d 分 %(s)d 秒") % {"m": s // 60, "s": s % 60}
    if s < 86400:
        return _("%(h)d 小时 %(m)d 分") % {"h": s // 3600, "m": s % 3600 // 60}
    return _("%(d)d 天 %(h)d 小时") % {"d": s // 86400, "h": s % 86400 // 3600}


def _back(request: HttpRequest, fallback: str = "members:queue") -> HttpResponse:
    """Back to the page the reviewer came from (the queue, usually), never to another site."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect(fallback)


@staff_page(Perm.MEMBER_VIEW)
def queue(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", Application.Status.SUBMITTED)
    if status not in Application.Status.values:
        status = Application.Status.SUBMITTED
    search = request.GET.get("q", "").strip()[:60]
    applications = selectors.application_queue(actor=request.user, status=status, search=search or None)
    page = Paginator(applications, QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    now = timezone.now()
    rows = []
    for application in page:
        waited = ((application.decided_at or now) - application.submitted_at).total_seconds()
        rows.append(
            {
                "a": application,
                "waiting": duration_label(waited),
                "overdue": waited >= selectors.TIME_TO_CARD_TARGET_SECONDS,
            }
        )
    return render(
        request,
        "members/queue.html",
        {
            "page": page,
            "rows": rows,
            "status": status,
            "statuses": Application.Status.choices,
            "q": search,
            "can_review": scope_for(request.user).can(Perm.MEMBER_REVIEW),
            "reject_form": RejectForm(),
            # The joining rules of the staff's own node, for those who may change them.
            "rules_org_id": scope_for(request.user).org_id if scope_for(request.user).can(Perm.MEMBER_MANAGE) else None,
        },
    )


def _detail(request: HttpRequest, application: Application, reject_form: RejectForm, status: int = 200) -> HttpResponse:
    return render(
        request,
        "members/application_detail.html",
        {
            "application": application,
            "masked_id": mask_id_number(application.id_number),
            "masked_phone": mask_phone(application.phone),
            "waiting_label": duration_label(
                ((application.decided_at or timezone.now()) - application.submitted_at).total_seconds()
            ),
            "can_review": scope_for(request.user).can(Perm.MEMBER_REVIEW),
            "reject_form": reject_form,
        },
        status=status,
    )


@staff_page(Perm.MEMBER_VIEW)
def application_detail(request: HttpRequest, application_id: int) -> HttpResponse:
    application = selectors.application_get(actor=request.user, application_id=application_id)
    return _detail(request, application, RejectForm())


@require_POST
@staff_page(Perm.MEMBER_REVIEW)
def application_approve(request: HttpRequest, application_id: int) -> HttpResponse:
    try:
        membership = services.application_approve(actor=request.user, application_id=application_id)
    except (Conflict, ValidationFailed) as exc:
        # Someone else decided first, or the person became a member elsewhere meanwhile: say so on the queue.
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("已通过 %(name)s 的入会申请，会员号 %(no)s。") % {"name": membership.name, "no": membership.member_no},
        )
    return _back(request)


@require_POST
@staff_page(Perm.MEMBER_REVIEW)
def application_reject(request: HttpRequest, application_id: int) -> HttpResponse:
    application = selectors.application_get(actor=request.user, application_id=application_id)
    form = RejectForm(request.POST)
    if form.is_valid():
        try:
            services.application_reject(actor=request.user, application_id=application_id, **form.cleaned_data)
        except ValidationFailed as exc:
            field = exc.detail.get("field")
            form.add_error(field if field in form.fields else None, exc.message)
        except Conflict as exc:
            messages.error(request, exc.message)
            return _back(request)
        else:
            messages.success(request, _("已退回 %(name)s 的入会申请。") % {"name": application.name})
            return _back(request)
    return _detail(request, application, form)


def _minutes(seconds: float) -> float:
    return round(seconds / 60, 1)


def _row(timing: selectors.CardTiming) -> dict[str, Any]:
    return {
        "union": timing.union,
        "count": timing.count,
        "median_minutes": _minutes(timing.median_seconds),
        "share_percent": round(timing.share_under_target * 100, 1),
    }


@staff_page(Perm.MEMBER_VIEW)
def time_to_card(request: HttpRequest) -> HttpResponse:
    days = int_from_text(request.GET.get("days"))
    days = days if days in PERIODS else 30
    overall, unions = selectors.time_to_card(actor=request.user, since=timezone.now() - timedelta(days=days))
    rows = [_row(t) for t in unions]
    shown = rows[:CHART_UNIONS]
    chart: dict[str, Any] = {
        "categories": [r["union"].name for r in shown],
        "median": [r["median_minutes"] for r in shown],
        "share": [r["share_percent"] for r in shown],
        "target": _minutes(selectors.TIME_TO_CARD_TARGET_SECONDS),
        "labels": {"median": _("中位用时（分钟）"), "share": _("8 分钟内领卡占比（%）")},
    }
    return render(
        request,
        "members/time_to_card.html",
        {
            "overall": _row(overall),
            "rows": rows,
            "chart": chart,
            "days": days,
            "periods": PERIODS,
            "target_minutes": int(selectors.TIME_TO_CARD_TARGET_SECONDS // 60),
        },
    )
