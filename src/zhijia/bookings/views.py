"""Pages of venue booking. Member site: a point's venues, a venue's slots by day (book, or queue when full), my
bookings (cancel, accept an offer). Console: venues of the subtree with their set-up, a venue's day, the check-in
scanner of a point, no-shows and suspensions, the union's rules and a report with a chart."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhijia.core.dates import in_years
from zhijia.core.errors import ZhijiaError
from zhijia.core.ids import int_from_text
from zhijia.core.pages import error_page, staff_page
from zhijia.core.pii import mask_name
from zhijia.core.roles import Perm
from zhijia.core.scope import scope_for
from zhijia.organizations.models import Organization

from . import selectors, services
from .forms import PolicyForm, VenueForm

REPORT_DAYS = 14


def _masked(rows: list[Any]) -> list[Any]:
    """Staff see who booked by a masked name (王**), never in full."""
    for row in rows:
        row.person = mask_name(row.user.display_name or row.user.username)
    return rows


def _day(request: HttpRequest, default: dt.date) -> dt.date:
    try:
        day = dt.date.fromisoformat(request.GET.get("date", ""))
    except ValueError:
        return default
    return day if in_years(day) else default


def _instant(text: str) -> dt.datetime | None:
    """A slot's start as the page sent it; anything else (no zone, a year no slot lies in) is no slot."""
    try:
        value = dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    return value if timezone.is_aware(value) and in_years(value) else None


# ---- the member site ------------------------------------------------------------------------------------------------


def point_venues(request: HttpRequest, point_id: int) -> HttpResponse:
    try:
        point = selectors.point_public(point_id=point_id)
    except ZhijiaError as exc:
        return error_page(request, exc)
    venues = list(selectors.venue_public(point_id=point.pk).order_by("name", "pk"))
    return render(request, "bookings/point_venues.html", {"p": point, "venues": venues})


def venue(request: HttpRequest, venue_id: int) -> HttpResponse:
    try:
        v = selectors.venue_get_public(venue_id=venue_id)
    except ZhijiaError as exc:
        return error_page(request, exc)
    days = selectors.bookable_days(v)
    day = _day(request, days[0])
    if not days[0] <= day <= days[-1]:
        day = days[0]
    slots = selectors.slot_views(v, day, user=request.user)
    return render(
        request,
        "bookings/venue.html",
        {
            "v": v,
            "days": days,
            "day": day,
            "slots": slots,
            "key": uuid.uuid4().hex,
            "members_only": v.audience == "members",
        },
    )


def _back_to(venue_id: int, when: dt.datetime | None) -> HttpResponse:
    url = reverse("bookings:venue", args=[venue_id])
    if when is not None:
        url += f"?date={timezone.localdate(when).isoformat()}"
    return redirect(url)


@require_POST
def book(request: HttpRequest, venue_id: int) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(reverse("bookings:venue", args=[venue_id]))
    when = _instant(request.POST.get("starts_at", ""))
    if when is None:
        messages.error(request, _("请选择一个时段。"))
        return _back_to(venue_id, None)
    try:
        b = services.booking_create(
            actor=request.user,
            venue_id=venue_id,
            starts_at=when,
            idempotency_key=request.POST.get("idempotency_key", "")[:80],
        )
    except ZhijiaError as exc:
        if exc.status == 404:
            return error_page(request, exc)
        messages.error(request, exc.message)
        return _back_to(venue_id, when)
    messages.success(request, _("预约成功：%(venue)s %(when)s") % {"venue": b.venue.name, "when": _when(b)})
    return redirect("bookings:mine")


@require_POST
def waitlist_join(request: HttpRequest, venue_id: int) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(reverse("bookings:venue", args=[venue_id]))
    when = _instant(request.POST.get("starts_at", ""))
    if when is None:
        messages.error(request, _("请选择一个时段。"))
        return _back_to(venue_id, None)
    try:
        services.waitlist_join(actor=request.user, venue_id=venue_id, starts_at=when)
    except ZhijiaError as exc:
        if exc.status == 404:
            return error_page(request, exc)
        messages.error(request, exc.message)
        return _back_to(venue_id, when)
    messages.success(request, _("已加入候补。有人取消时会按顺序通知您。"))
    return redirect("bookings:mine")


def _when(b: Any) -> str:
    start, end = timezone.localtime(b.starts_at), timezone.localtime(b.ends_at)
    return f"{start:%Y-%m-%d %H:%M}-{end:%H:%M}"


def mine(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    now = timezone.now()
    bookings = list(selectors.my_bookings(actor=request.user)[:100])
    upcoming = [b for b in bookings if b.is_live and b.ends_at > now]
    past = [b for b in bookings if b not in upcoming]
    upcoming.sort(key=lambda b: b.starts_at)
    return render(
        request,
        "bookings/mine.html",
        {"upcoming": upcoming, "past": past, "waits": selectors.my_waits(actor=request.user), "now": now},
    )


def _member_action(request: HttpRequest, action: Any, done: str) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(reverse("bookings:mine"))
    try:
        action()
    except ZhijiaError as exc:
        if exc.status == 404:
            return error_page(request, exc)
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
    return redirect("bookings:mine")


@require_POST
def cancel(request: HttpRequest, booking_id: int) -> HttpResponse:
    key = request.POST.get("idempotency_key", "")[:80]
    return _member_action(
        request,
        lambda: services.booking_cancel(actor=request.user, booking_id=booking_id, idempotency_key=key),
        _("已取消预约。"),
    )


@require_POST
def accept(request: HttpRequest, booking_id: int) -> HttpResponse:
    return _member_action(
        request, lambda: services.offer_accept(actor=request.user, booking_id=booking_id), _("已确认候补名额。")
    )


@require_POST
def waitlist_leave(request: HttpRequest, entry_id: int) -> HttpResponse:
    return _member_action(
        request, lambda: services.waitlist_leave(actor=request.user, entry_id=entry_id), _("已退出候补。")
    )


# ---- the console ----------------------------------------------------------------------------------------------------


@staff_page(Perm.BOOKING_VIEW)
def console_venues(request: HttpRequest) -> HttpResponse:
    search = request.GET.get("q", "")[:60]
    qs = selectors.venue_list(actor=request.user, point_id=int_from_text(request.GET.get("point")), search=search)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    scope = scope_for(request.user)
    return render(
        request,
        "bookings/console_venues.html",
        {
            "page": page,
            "q": search,
            "can_edit": scope.can(Perm.VENUE_EDIT),
            "own_org": scope.org_id,
            "today": timezone.localdate(),
        },
    )


def _form_error(form: Any, exc: ZhijiaError) -> None:
    field = exc.detail.get("field")
    form.add_error(field if field in form.fields else None, exc.message)


@staff_page(Perm.VENUE_EDIT)
def venue_create(request: HttpRequest, point_id: int) -> HttpResponse:
    point = selectors.staff_point_get(actor=request.user, point_id=point_id, perm=Perm.VENUE_EDIT)
    form = VenueForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            v = services.venue_create(actor=request.user, point_id=point.pk, **form.service_fields())
        except ZhijiaError as exc:
            if exc.status != 400:
                raise
            _form_error(form, exc)
        else:
            messages.success(request, _("已新建场地 %(name)s。") % {"name": v.name})
            return redirect("bookings:venue_day", venue_id=v.pk)
    return render(request, "bookings/venue_form.html", {"form": form, "p": point, "v": None})


@staff_page(Perm.VENUE_EDIT)
def venue_edit(request: HttpRequest, venue_id: int) -> HttpResponse:
    v = selectors.venue_get(actor=request.user, venue_id=venue_id)
    scope_for(request.user).require(Perm.VENUE_EDIT, "venue")
    form = VenueForm(request.POST or None, initial=VenueForm.initial_for(v))
    if request.method == "POST" and form.is_valid():
        try:
            services.venue_update(actor=request.user, venue_id=v.pk, **form.service_fields())
        except ZhijiaError as exc:
            if exc.status != 400:
                raise
            _form_error(form, exc)
        else:
            messages.success(request, _("已保存。"))
            return redirect("bookings:venue_day", venue_id=v.pk)
    return render(request, "bookings/venue_form.html", {"form": form, "p": v.point, "v": v})


@staff_page(Perm.BOOKING_VIEW)
def venue_day(request: HttpRequest, venue_id: int) -> HttpResponse:
    today = timezone.localdate()
    day = _day(request, today)
    v, qs = selectors.day_bookings(actor=request.user, venue_id=venue_id, day=day)
    bookings = _masked(list(qs[:2000]))
    slots = selectors.slot_views(v, day)
    return render(
        request,
        "bookings/venue_day.html",
        {
            "v": v,
            "day": day,
            "prev": day - dt.timedelta(days=1),
            "next": day + dt.timedelta(days=1),
            "bookings": bookings,
            "slots": slots,
            "policy": selectors.policy_for(v),
            "can_edit": scope_for(request.user).can(Perm.VENUE_EDIT),
            "can_check_in": scope_for(request.user).can(Perm.BOOKING_CHECKIN),
        },
    )


@staff_page(Perm.BOOKING_CHECKIN)
def scanner(request: HttpRequest, point_id: int) -> HttpResponse:
    """签到: staff scan a member's card (scanner gun, camera or pasted text); the member's booking at this point that
    is on now is checked in, and the answer replaces the last one."""
    point = selectors.staff_point_get(actor=request.user, point_id=point_id, perm=Perm.BOOKING_CHECKIN)
    result: dict[str, Any] | None = None
    if request.method == "POST":
        try:
            done = services.booking_checkin(
                actor=request.user, point_id=point.pk, token=request.POST.get("token", "")[:1000]
            )
        except ZhijiaError as exc:
            if exc.status == 404:
                raise
            result = {"ok": False, "message": exc.message, "code": exc.code}
        else:
            result = {"ok": True, "done": done, "when": _when(done.booking)}
    fragment = request.headers.get("HX-Request") == "true"
    template = "bookings/_checkin.html" if fragment else "bookings/scanner.html"
    context = {"p": point, "result": result, "today_count": selectors.checked_in_today(point), "fragment": fragment}
    return render(request, template, context)


@staff_page(Perm.BOOKING_VIEW)
def no_shows(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.no_show_list(actor=request.user), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "bookings/no_shows.html",
        {
            "page": page,
            "rows": _masked(list(page.object_list)),
            "suspensions": _masked(list(selectors.suspension_list(actor=request.user)[:200])),
            "can_edit": scope_for(request.user).can(Perm.VENUE_EDIT),
        },
    )


@require_POST
@staff_page(Perm.VENUE_EDIT)
def suspension_lift(request: HttpRequest, suspension_id: int) -> HttpResponse:
    services.suspension_lift(actor=request.user, suspension_id=suspension_id)
    messages.success(request, _("已解除暂停。"))
    return redirect("bookings:no_shows")


@staff_page(Perm.BOOKING_VIEW)
def report(request: HttpRequest) -> HttpResponse:
    until = timezone.localdate()
    rows = selectors.report(actor=request.user, since=until - dt.timedelta(days=REPORT_DAYS - 1), until=until)
    chart = {
        "days": [r.day.strftime("%m-%d") for r in rows],
        "bookings": [r.bookings for r in rows],
        "checked_in": [r.checked_in for r in rows],
        "rate": [round(r.checkin_rate * 100, 1) if r.checkin_rate is not None else None for r in rows],
        "labels": {"bookings": _("预约"), "checked_in": _("签到"), "rate": _("签到率（%）")},
    }
    total = sum(r.bookings for r in rows)
    checked = sum(r.checked_in for r in rows)
    return render(
        request,
        "bookings/report.html",
        {
            "rows": rows,
            "chart": chart,
            "total": total,
            "checked": checked,
            "rate": round(checked / total * 100, 1) if total else None,
            "days": REPORT_DAYS,
        },
    )


@staff_page(Perm.VENUE_EDIT)
def policy(request: HttpRequest, org_id: int) -> HttpResponse:
    current = selectors.policy_get(actor=request.user, org_id=org_id)
    scope_for(request.user).require(Perm.VENUE_EDIT, "org")
    org = Organization.objects.get(pk=org_id)
    initial = {k: getattr(current, k) for k in selectors.POLICY_FIELDS} if current else dict(settings.BOOKING_DEFAULTS)
    form = PolicyForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.policy_set(actor=request.user, org_id=org.pk, **form.cleaned_data)
        messages.success(request, _("预约规则已保存。"))
        return redirect("bookings:console_venues")
    return render(request, "bookings/policy.html", {"form": form, "org": org, "current": current})
