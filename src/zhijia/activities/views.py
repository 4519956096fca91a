"""Pages of activities and interest groups. On the member site: browse what is open to me, an activity's page with
register / cancel / take up an offer / feedback, my activities with my card's QR code for the door, interest groups.
In the console: the activities of my subtree, create and edit, registrations with the waitlist and attendance, the
check-in scanner (the member card's QR code, read as on the card verify page), feedback, and a report."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhijia.core.errors import ZhijiaError
from zhijia.core.pages import error_page, staff_page
from zhijia.core.roles import Perm
from zhijia.core.scope import scope_for

from . import selectors, services
from .forms import ActivityForm, BrowseForm, FeedbackForm, GroupForm, ReportForm
from .models import ActivityKind, ActivityStatus, RegistrationStatus

NEAR_KM = 5.0


def _refusal(request: HttpRequest, exc: ZhijiaError, to: str, **kwargs: Any) -> HttpResponse:
    """A page refuses: missing or forbidden shows the error page; a rule (full, closed, too late) goes back to the
    page with the reason."""
    if exc.status in (403, 404):
        return error_page(request, exc)
    messages.error(request, exc.message)
    return redirect(to, **kwargs)


# ---- the member site ---------------------------------------------------------------------------------------------


def browse(request: HttpRequest) -> HttpResponse:
    form = BrowseForm(request.GET or None)
    d = form.cleaned_data if form.is_valid() else {}
    near = None
    if d.get("lng") is not None and d.get("lat") is not None:
        near = (d["lng"], d["lat"], NEAR_KM)
    filters = selectors.ActivityFilters(
        kind=d.get("kind") or None,
        on_or_after=d.get("date_from"),
        on_or_before=d.get("date_to"),
        search=d.get("q") or None,
        near=near,
    )
    qs = selectors.activity_open_list(actor=request.user, filters=filters)
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    return render(request, "activities/browse.html", {"form": form, "page": page, "near": near})


def detail(request: HttpRequest, activity_id: int) -> HttpResponse:
    try:
        a = selectors.activity_get_public(actor=request.user, activity_id=activity_id)
    except ZhijiaError as exc:
        return error_page(request, exc)
    mine = selectors.my_registration(actor=request.user, activity=a)
    now = timezone.now()
    return render(
        request,
        "activities/detail.html",
        {
            "a": a,
            "mine": mine,
            "position": selectors.waitlist_position(mine) if mine else None,
            "key": uuid.uuid4().hex,
            "can_register": a.status == ActivityStatus.PUBLISHED
            and a.registration_opens_at <= now < a.registration_closes_at
            and (mine is None or mine.status not in ("registered", "waitlisted", "offered")),
            "can_feedback": mine is not None
            and mine.checked_in_at is not None
            and now >= a.starts_at
            and not _has_feedback(mine),
            "feedback_form": FeedbackForm(),
            "in_scope": scope_for(request.user).can(Perm.ACTIVITY_VIEW)
            and scope_for(request.user).covers_path(a.organiser.path),
            "now": now,
        },
    )


def _has_feedback(reg: Any) -> bool:
    try:
        return reg.feedback is not None
    except ObjectDoesNotExist:
        return False


@require_POST
@login_required
def register(request: HttpRequest, activity_id: int) -> HttpResponse:
    try:
        reg = services.registration_create(
            actor=request.user, activity_id=activity_id, idempotency_key=request.POST.get("key", "")[:100]
        )
    except ZhijiaError as exc:
        return _refusal(request, exc, "activities:detail", activity_id=activity_id)
    if reg.status == RegistrationStatus.WAITLISTED:
        messages.success(request, _("名额已满，您已进入候补。有名额空出时会通知您。"))
    else:
        messages.success(request, _("报名成功。活动前一天会提醒您；签到时请出示会员卡二维码。"))
    return redirect("activities:detail", activity_id=activity_id)


@require_POST
@login_required
def cancel(request: HttpRequest, registration_id: int) -> HttpResponse:
    try:
        reg = services.registration_cancel(
            actor=request.user, registration_id=registration_id, idempotency_key=request.POST.get("key", "")[:100]
        )
    except ZhijiaError as exc:
        return _refusal(request, exc, "activities:mine")
    messages.success(request, _("已取消报名。"))
    return redirect("activities:detail", activity_id=reg.activity_id)


@require_POST
@login_required
def accept(request: HttpRequest, registration_id: int) -> HttpResponse:
    try:
        reg = services.offer_accept(actor=request.user, registration_id=registration_id)
    except ZhijiaError as exc:
        return _refusal(request, exc, "activities:mine")
    messages.success(request, _("已确认递补名额，报名成功。"))
    return redirect("activities:detail", activity_id=reg.activity_id)


@require_POST
@login_required
def feedback(request: HttpRequest, registration_id: int) -> HttpResponse:
    form = FeedbackForm(request.POST)
    try:
        reg = selectors.registration_get_own(actor=request.user, registration_id=registration_id)
        if not form.is_valid():
            messages.error(request, _("请选择 1 到 5 星。"))
            return redirect("activities:detail", activity_id=reg.activity_id)
        services.feedback_submit(
            actor=request.user,
            registration_id=reg.pk,
            stars=form.cleaned_data["stars"],
            comment=form.cleaned_data["comment"],
        )
    except ZhijiaError as exc:
        return _refusal(request, exc, "activities:mine")
    messages.success(request, _("感谢您的评价。"))
    return redirect("activities:detail", activity_id=reg.activity_id)


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    regs = list(selectors.my_registrations(actor=request.user)[:200])
    now = timezone.now()
    upcoming = [r for r in regs if r.activity.ends_at > now and r.status in ("registered", "waitlisted", "offered")]
    past = [r for r in regs if r not in upcoming]
    has_card = bool(selectors.member_paths(request.user))
    return render(
        request,
        "activities/mine.html",
        {"upcoming": upcoming, "past": past, "has_card": has_card, "now": now, "key": uuid.uuid4().hex},
    )


def groups(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.group_open_list(actor=request.user), 50).get_page(request.GET.get("page"))
    return render(request, "activities/groups.html", {"page": page})


def group(request: HttpRequest, group_id: int) -> HttpResponse:
    try:
        g = selectors.group_get_public(actor=request.user, group_id=group_id)
    except ZhijiaError as exc:
        return error_page(request, exc)
    return render(
        request,
        "activities/group.html",
        {
            "g": g,
            "is_member": selectors.is_group_member(actor=request.user, group=g),
            "meetings": selectors.group_meetings(group=g).select_related("point")[:30],
            "now": timezone.now(),
        },
    )


@require_POST
@login_required
def group_join(request: HttpRequest, group_id: int) -> HttpResponse:
    try:
        services.group_join(actor=request.user, group_id=group_id)
    except ZhijiaError as exc:
        return _refusal(request, exc, "activities:group", group_id=group_id)
    messages.success(request, _("已加入兴趣小组。"))
    return redirect("activities:group", group_id=group_id)


@require_POST
@login_required
def group_leave(request: HttpRequest, group_id: int) -> HttpResponse:
    try:
        services.group_leave(actor=request.user, group_id=group_id)
    except ZhijiaError as exc:
        return _refusal(request, exc, "activities:group", group_id=group_id)
    messages.success(request, _("已退出兴趣小组。"))
    return redirect("activities:group", group_id=group_id)


# ---- the console ---------------------------------------------------------------------------------------------------


@staff_page(Perm.ACTIVITY_VIEW)
def console(request: HttpRequest) -> HttpResponse:
    form = BrowseForm(request.GET or None)
    d = form.cleaned_data if form.is_valid() else {}
    filters = selectors.ActivityFilters(
        kind=d.get("kind") or None,
        on_or_after=d.get("date_from"),
        on_or_before=d.get("date_to"),
        search=d.get("q") or None,
    )
    page = Paginator(selectors.activity_list(actor=request.user, filters=filters), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "activities/console.html",
        {
            "form": form,
            "page": page,
            "can_edit": scope_for(request.user).can(Perm.ACTIVITY_EDIT),
            "now": timezone.now(),
        },
    )


def _group_choices(request: HttpRequest) -> list[tuple[int, str]]:
    return list(selectors.group_visible(actor=request.user).order_by("name").values_list("pk", "name")[:300])


def _point_id(form: Any) -> int | None:
    code = (form.cleaned_data.get("point_code") or "").strip()
    if not code:
        return None
    point_id = selectors.point_id_by_code(code)
    if point_id is None:
        form.add_error("point_code", _("找不到编码为 %(code)s 的开放服务阵地。") % {"code": code})
    return point_id


def _form_error(form: Any, exc: ZhijiaError) -> None:
    field = {"point_id": "point_code", "group_id": "group", "organiser_id": "organiser", "owner_id": "owner"}.get(
        exc.detail.get("field", ""), exc.detail.get("field")
    )
    form.add_error(field if field in form.fields else None, exc.message)


@staff_page(Perm.ACTIVITY_EDIT)
def create(request: HttpRequest) -> HttpResponse:
    form = ActivityForm(
        request.POST or None,
        organisers=selectors.organiser_choices(actor=request.user),
        groups=_group_choices(request),
        initial={"kind": request.GET.get("kind", ""), "group": request.GET.get("group")},
    )
    if request.method == "POST" and form.is_valid():
        point_id = _point_id(form)
        if not form.errors:
            try:
                a = services.activity_create(
                    actor=request.user,
                    organiser_id=form.cleaned_data["organiser"],
                    fields=services.ActivityFields(**form.service_fields(point_id)),
                )
            except ZhijiaError as exc:
                _form_error(form, exc)
            else:
                messages.success(request, _("已发布活动 %(title)s。") % {"title": a.title})
                return redirect("activities:registrations", activity_id=a.pk)
    return render(request, "activities/activity_form.html", {"form": form, "a": None})


@staff_page(Perm.ACTIVITY_EDIT)
def edit(request: HttpRequest, activity_id: int) -> HttpResponse:
    a = selectors.activity_get(actor=request.user, activity_id=activity_id)
    local = timezone.localtime
    initial = {
        "title": a.title,
        "kind": a.kind,
        "organiser": a.organiser_id,
        "audience": a.audience,
        "group": a.group_id,
        "point_code": a.point.code if a.point_id and a.point else "",
        "address": a.address,
        "starts_at": local(a.starts_at),
        "ends_at": local(a.ends_at),
        "capacity": a.capacity,
        "waitlist_size": a.waitlist_size,
        "registration_opens_at": local(a.registration_opens_at),
        "registration_closes_at": local(a.registration_closes_at),
        "member_price": None if a.member_price_fen is None else a.member_price_fen / 100,
        "price": None if a.price_fen is None else a.price_fen / 100,
        "description": a.description,
    }
    form = ActivityForm(
        request.POST or None,
        initial=initial,
        organisers=[(a.organiser_id, a.organiser.name)],
        groups=_group_choices(request),
    )
    if request.method == "POST" and form.is_valid():
        point_id = _point_id(form)
        if not form.errors:
            try:
                services.activity_update(
                    actor=request.user,
                    activity_id=a.pk,
                    fields=services.ActivityFields(**form.service_fields(point_id)),
                )
            except ZhijiaError as exc:
                _form_error(form, exc)
            else:
                messages.success(request, _("已保存。"))
                return redirect("activities:registrations", activity_id=a.pk)
    return render(request, "activities/activity_form.html", {"form": form, "a": a})


@require_POST
@staff_page(Perm.ACTIVITY_EDIT)
def cancel_activity(request: HttpRequest, activity_id: int) -> HttpResponse:
    a = services.activity_cancel(actor=request.user, activity_id=activity_id, reason=request.POST.get("reason", ""))
    messages.success(request, _("活动已取消，已通知报名者。"))
    return redirect("activities:registrations", activity_id=a.pk)


@staff_page(Perm.ACTIVITY_VIEW)
def registrations(request: HttpRequest, activity_id: int) -> HttpResponse:
    a = selectors.activity_get(actor=request.user, activity_id=activity_id)
    regs = list(selectors.registration_list(activity=a)[:2000])
    registered = [r for r in regs if r.status == RegistrationStatus.REGISTERED]
    attended = sum(1 for r in registered if r.checked_in_at)
    scope = scope_for(request.user)
    return render(
        request,
        "activities/registrations.html",
        {
            "a": a,
            "registered": registered,
            "offered": [r for r in regs if r.status == RegistrationStatus.OFFERED],
            "waiting": sorted(
                (r for r in regs if r.status == RegistrationStatus.WAITLISTED), key=lambda r: (r.waitlisted_at, r.pk)
            ),
            "others": [r for r in regs if r.status in (RegistrationStatus.CANCELLED, RegistrationStatus.EXPIRED)],
            "attended": attended,
            "rate": attended / len(registered) if registered else None,
            "can_edit": scope.can(Perm.ACTIVITY_EDIT) and a.status == ActivityStatus.PUBLISHED,
            "can_checkin": scope.can(Perm.ACTIVITY_CHECKIN) and a.status == ActivityStatus.PUBLISHED,
        },
    )


@staff_page(Perm.ACTIVITY_CHECKIN)
def checkin(request: HttpRequest, activity_id: int) -> HttpResponse:
    """The door: a scanner (or the camera) reads the member card's QR code; each scan checks one registrant in."""
    a = selectors.activity_get(actor=request.user, activity_id=activity_id, perm=Perm.ACTIVITY_CHECKIN)
    result: dict[str, Any] | None = None
    if request.method == "POST":
        try:
            done = services.registration_check_in(
                actor=request.user, activity_id=a.pk, token=request.POST.get("token", "")
            )
        except ZhijiaError as exc:
            if exc.status == 404:
                return error_page(request, exc)
            result = {"ok": False, "message": exc.message, "code": exc.code}
        else:
            result = {
                "ok": True,
                "already": not done.newly,
                "name": done.name,
                "message": _("已签到过") if not done.newly else _("签到成功"),
            }
    count = selectors.registration_list(activity=a, status=RegistrationStatus.REGISTERED)
    ctx = {
        "a": a,
        "result": result,
        "checked_in": count.filter(checked_in_at__isnull=False).count(),
        "registered": count.count(),
    }
    if request.headers.get("HX-Request") == "true":
        return render(request, "activities/_checkin_result.html", ctx)
    return render(request, "activities/checkin.html", ctx)


@require_POST
@staff_page(Perm.ACTIVITY_CHECKIN)
def checkin_by_hand(request: HttpRequest, registration_id: int) -> HttpResponse:
    reg = selectors.registration_get(actor=request.user, registration_id=registration_id, perm=Perm.ACTIVITY_CHECKIN)
    try:
        services.registration_check_in_by_hand(actor=request.user, registration_id=reg.pk)
    except ZhijiaError as exc:
        return _refusal(request, exc, "activities:registrations", activity_id=reg.activity_id)
    messages.success(request, _("已签到。"))
    return redirect("activities:registrations", activity_id=reg.activity_id)


@staff_page(Perm.ACTIVITY_VIEW)
def feedback_summary(request: HttpRequest, activity_id: int) -> HttpResponse:
    a = selectors.activity_get(actor=request.user, activity_id=activity_id)
    s = selectors.feedback_summary(activity=a)
    bars = [{"stars": k, "count": v, "pct": round(100 * v / s.count) if s.count else 0} for k, v in s.by_stars.items()]
    return render(request, "activities/feedback.html", {"a": a, "s": s, "bars": list(reversed(bars))})


@staff_page(Perm.ACTIVITY_VIEW)
def report(request: HttpRequest) -> HttpResponse:
    form = ReportForm(request.GET or None)
    d = form.cleaned_data if form.is_valid() else {}
    rows = selectors.activity_report(actor=request.user, since=d.get("since"), until=d.get("until"))
    labels = dict(ActivityKind.choices)
    months = sorted({r.month for r in rows})
    by_month = {m: [0, 0, 0] for m in months}
    for r in rows:
        by_month[r.month][0] += r.activities
        by_month[r.month][1] += r.registered
        by_month[r.month][2] += r.attended
    chart = {
        "categories": [m.strftime("%Y-%m") for m in months],
        "values": [round(100 * v[2] / v[1], 1) if v[1] else 0 for v in by_month.values()],
    }
    totals = [sum(v[i] for v in by_month.values()) for i in range(3)]
    return render(
        request,
        "activities/report.html",
        {
            "form": form,
            "rows": [{"r": r, "label": labels[r.kind]} for r in rows],
            "months": [{"month": m, "n": v[0], "reg": v[1], "came": v[2]} for m, v in by_month.items()],
            "chart": chart,
            "totals": totals,
        },
    )


@staff_page(Perm.ACTIVITY_VIEW)
def console_groups(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.group_list(actor=request.user), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "activities/console_groups.html",
        {"page": page, "can_edit": scope_for(request.user).can(Perm.ACTIVITY_EDIT)},
    )


@staff_page(Perm.ACTIVITY_EDIT)
def group_create(request: HttpRequest) -> HttpResponse:
    form = GroupForm(request.POST or None, owners=selectors.organiser_choices(actor=request.user))
    if request.method == "POST" and form.is_valid():
        point_id = _point_id(form)
        if not form.errors:
            try:
                g = services.group_create(
                    actor=request.user,
                    owner_id=form.cleaned_data["owner"],
                    name=form.cleaned_data["name"],
                    description=form.cleaned_data["description"],
                    audience=form.cleaned_data["audience"],
                    point_id=point_id,
                )
            except ZhijiaError as exc:
                _form_error(form, exc)
            else:
                messages.success(request, _("已成立兴趣小组 %(name)s。") % {"name": g.name})
                return redirect("activities:console_group", group_id=g.pk)
    return render(request, "activities/group_form.html", {"form": form})


@staff_page(Perm.ACTIVITY_VIEW)
def console_group(request: HttpRequest, group_id: int) -> HttpResponse:
    g = selectors.group_get(actor=request.user, group_id=group_id)
    return render(
        request,
        "activities/console_group.html",
        {
            "g": g,
            "members": selectors.group_members(group=g)[:500],
            "meetings": selectors.group_meetings(group=g)[:50],
            "can_edit": scope_for(request.user).can(Perm.ACTIVITY_EDIT),
        },
    )
