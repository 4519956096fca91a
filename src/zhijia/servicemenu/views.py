"""Pages of the service menu. On the member site: a point's services, ordering one, my orders (their status kept
live by htmx polling), confirming and rating. In the console: the menu editor of points in scope, the catalogue, the
order queue (oldest first, overdue marked), an order with its history and its steps, and the report."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhijia.core.errors import ZhijiaError
from zhijia.core.ids import int_from_text
from zhijia.core.pages import error_page, show_on_form, staff_page
from zhijia.core.roles import Perm
from zhijia.core.scope import scope_for

from . import selectors, services
from .forms import (
    WEEKDAY_CHOICES,
    ConfirmForm,
    DeclineForm,
    OfferingForm,
    OrderForm,
    QueueFilterForm,
    ScheduleForm,
    ServiceTypeForm,
)
from .models import OPEN_STATUSES, Availability, Offering, Order, OrderStatus, Pricing

# How often "my orders" asks the server for fresh statuses.
POLL_SECONDS = 15


def member_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A member-site page that needs a signed-in account; refusals shown as the error page."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        try:
            return view(request, *args, **kwargs)
        except ZhijiaError as exc:
            return error_page(request, exc)

    return wrapper


def _hhmm(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


def _yuan(fen: int) -> str:
    return f"{fen / 100:.2f}".rstrip("0").rstrip(".")


def offering_facts(o: Offering) -> dict[str, Any]:
    """What a worker reads about an offering: when, for whom, at what price."""
    if o.availability == Availability.APPOINTMENT:
        when = _("预约（时间与工作人员商定）")
    else:
        days = "、".join(str(label) for d, label in WEEKDAY_CHOICES if o.weekdays & (1 << d))
        when = f"{days} {_hhmm(o.starts_minute)}-{_hhmm(o.ends_minute)}"
    if o.pricing == Pricing.FREE:
        price = _("免费")
    else:
        price = _("会员价 %(member)s 元") % {"member": _yuan(o.member_price_fen)}
        if o.list_price_fen:
            price += " · " + _("原价 %(list)s 元") % {"list": _yuan(o.list_price_fen)}
    return {"o": o, "when": when, "price": price}


# ---- the member site ---------------------------------------------------------------------------------------------


def point_services(request: HttpRequest, point_id: int) -> HttpResponse:
    """The services a point offers, each with a button to order it."""
    try:
        point, offerings = selectors.point_offerings(actor=request.user, point_id=point_id)
    except ZhijiaError as exc:
        return error_page(request, exc)
    return render(
        request,
        "servicemenu/point_services.html",
        {"p": point, "rows": [offering_facts(o) for o in offerings]},
    )


@member_page
def order_create(request: HttpRequest, offering_id: int) -> HttpResponse:
    offering = selectors.offering_get_public(actor=request.user, offering_id=offering_id)
    posted = request.POST if request.method == "POST" else None
    form = OrderForm(posted, initial={"idempotency_key": secrets.token_urlsafe(16)})
    if request.method == "POST" and form.is_valid():
        try:
            services.order_create(
                actor=request.user,
                offering_id=offering.pk,
                preferred_at=form.cleaned_data.get("preferred_at"),
                note=form.cleaned_data.get("note") or "",
                idempotency_key=form.cleaned_data.get("idempotency_key") or "",
            )
        except ZhijiaError as exc:
            if exc.status == 404:
                raise
            field = exc.detail.get("field")
            form.add_error(field if field in form.fields else None, exc.message)
        else:
            messages.success(request, _("预约已提交，请留意订单状态。"))
            return redirect("servicemenu:my_orders")
    return render(request, "servicemenu/order_form.html", {"form": form, **offering_facts(offering)})


def _my_rows(request: HttpRequest) -> dict[str, Any]:
    page = Paginator(selectors.my_orders(actor=request.user), 20).get_page(request.GET.get("page"))
    return {"page": page, "open_statuses": OPEN_STATUSES, "poll": POLL_SECONDS}


@member_page
def my_orders(request: HttpRequest) -> HttpResponse:
    return render(request, "servicemenu/my_orders.html", _my_rows(request))


@member_page
def my_orders_rows(request: HttpRequest) -> HttpResponse:
    """The list alone, for htmx to swap in every few seconds."""
    return render(request, "servicemenu/_my_orders_rows.html", _my_rows(request))


@member_page
def order_confirm(request: HttpRequest, order_id: int) -> HttpResponse:
    order = selectors.order_get_own(actor=request.user, order_id=order_id)
    form = ConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.order_confirm(
                actor=request.user,
                order_id=order.pk,
                stars=form.cleaned_data["stars"],
                comment=form.cleaned_data.get("comment") or "",
            )
        except ZhijiaError as exc:
            if exc.status == 404:
                raise
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("感谢您的评价！"))
            return redirect("servicemenu:my_orders")
    return render(
        request,
        "servicemenu/order_confirm.html",
        {"form": form, "order": order, "events": selectors.order_events(order)},
    )


@require_POST
@member_page
def order_cancel(request: HttpRequest, order_id: int) -> HttpResponse:
    order = selectors.order_get_own(actor=request.user, order_id=order_id)
    try:
        services.order_cancel(actor=request.user, order_id=order.pk, reason=request.POST.get("reason", "")[:200])
    except ZhijiaError as exc:
        if exc.status == 404:
            raise
        messages.error(request, exc.message)
    else:
        messages.success(request, _("订单已取消。"))
    return redirect("servicemenu:my_orders")


# ---- the console: menus ------------------------------------------------------------------------------------------


@staff_page(Perm.ORDER_VIEW)
def menu(request: HttpRequest) -> HttpResponse:
    search = (request.GET.get("q") or "").strip()[:60]
    page = Paginator(selectors.menu_points(actor=request.user, search=search or None), 50).get_page(
        request.GET.get("page")
    )
    return render(request, "servicemenu/menu.html", {"page": page, "q": search})


def _type_choices(point: Any) -> list[tuple[int, str]]:
    return [(t.pk, t.name) for t in selectors.catalogue_for_point(point)]


@staff_page(Perm.ORDER_VIEW)
def point_menu(request: HttpRequest, point_id: int) -> HttpResponse:
    """A point's menu, and (for those who keep it) a form to publish one more service."""
    point = selectors.menu_point_get(actor=request.user, point_id=point_id)
    can_edit = scope_for(request.user).can(Perm.MENU_EDIT)
    offerings = list(selectors.menu_offerings(point))
    offered = {o.service_type_id for o in offerings}
    choices = [(pk, name) for pk, name in _type_choices(point) if pk not in offered]
    form = OfferingForm(request.POST or None, service_types=choices)
    if request.method == "POST":
        scope_for(request.user).require(Perm.MENU_EDIT, "point")
        if form.is_valid():
            try:
                services.offering_create(actor=request.user, point_id=point.pk, **form.service_fields())
            except ZhijiaError as exc:
                if exc.status in (403, 404):
                    raise
                field = {"service_type_id": "service_type"}.get(exc.detail.get("field", ""), exc.detail.get("field"))
                form.add_error(field if field in form.fields else None, exc.message)
            else:
                messages.success(request, _("已上架。"))
                return redirect("servicemenu:point_menu", point_id=point.pk)
    return render(
        request,
        "servicemenu/point_menu.html",
        {"p": point, "rows": [offering_facts(o) for o in offerings], "form": form, "can_edit": can_edit},
    )


@staff_page(Perm.MENU_EDIT)
def offering_edit(request: HttpRequest, offering_id: int) -> HttpResponse:
    offering = selectors.offering_get(actor=request.user, offering_id=offering_id, perm=Perm.MENU_EDIT)
    form = OfferingForm(request.POST or None, initial=OfferingForm.initial_for(offering))
    if request.method == "POST" and form.is_valid():
        try:
            services.offering_update(actor=request.user, offering_id=offering.pk, **form.service_fields())
        except ZhijiaError as exc:
            show_on_form(form, exc)
        else:
            messages.success(request, _("已保存。"))
            return redirect("servicemenu:point_menu", point_id=offering.point_id)
    return render(request, "servicemenu/offering_form.html", {"form": form, "offering": offering})


@staff_page(Perm.ORDER_VIEW)
def catalogue(request: HttpRequest) -> HttpResponse:
    """The catalogue a staff member's points may offer from, and adding a service of their own union."""
    form = ServiceTypeForm(request.POST or None, owners=selectors.owner_choices(actor=request.user))
    if request.method == "POST":
        scope_for(request.user).require(Perm.MENU_EDIT, "org")
        if form.is_valid():
            try:
                services.service_type_create(
                    actor=request.user,
                    owner_id=form.cleaned_data["owner"],
                    name=form.cleaned_data["name"],
                    description=form.cleaned_data.get("description") or "",
                )
            except ZhijiaError as exc:
                show_on_form(form, exc)
            else:
                messages.success(request, _("已添加到服务目录。"))
                return redirect("servicemenu:catalogue")
    return render(
        request,
        "servicemenu/catalogue.html",
        {
            "types": selectors.catalogue_list(actor=request.user),
            "form": form,
            "can_edit": scope_for(request.user).can(Perm.MENU_EDIT),
        },
    )


# ---- the console: orders -----------------------------------------------------------------------------------------


def _queue_rows(orders: list[Order]) -> list[dict[str, Any]]:
    now = timezone.now()
    return [
        {"o": o, "hours": round(selectors.waited_hours(o, now), 1), "overdue": selectors.is_overdue(o, now)}
        for o in orders
    ]


@staff_page(Perm.ORDER_VIEW)
def queue(request: HttpRequest) -> HttpResponse:
    form = QueueFilterForm(request.GET or None)
    d = form.cleaned_data if form.is_valid() else {}
    status = d.get("status") or ""
    filters = selectors.QueueFilters(
        status=status if status in OrderStatus.values else None,
        overdue=bool(d.get("overdue")) or None,
        include_closed=status == "all",
        point_id=d.get("point"),
    )
    page = Paginator(selectors.order_queue(actor=request.user, filters=filters), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "servicemenu/queue.html",
        {
            "form": form,
            "page": page,
            "rows": _queue_rows(list(page.object_list)),
            "overdue_hours": selectors.overdue_hours(),
        },
    )


@staff_page(Perm.ORDER_VIEW)
def order_detail(request: HttpRequest, order_id: int) -> HttpResponse:
    order = selectors.order_get_staff(actor=request.user, order_id=order_id)
    return render(
        request,
        "servicemenu/order_detail.html",
        {
            "order": order,
            "events": selectors.order_events(order),
            "hours": round(selectors.waited_hours(order), 1),
            "overdue": selectors.is_overdue(order),
            "can_handle": scope_for(request.user).can(Perm.ORDER_HANDLE),
            "decline_form": DeclineForm(),
            "schedule_form": ScheduleForm(),
        },
    )


def _step(request: HttpRequest, order_id: int, act: Callable[[Order], Any], done: str) -> HttpResponse:
    order = selectors.order_get_staff(actor=request.user, order_id=order_id)
    try:
        act(order)
    except ZhijiaError as exc:
        if exc.status in (403, 404):
            raise
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
    return redirect("servicemenu:order_detail", order_id=order.pk)


@require_POST
@staff_page(Perm.ORDER_HANDLE)
def order_accept(request: HttpRequest, order_id: int) -> HttpResponse:
    return _step(request, order_id, lambda o: services.order_accept(actor=request.user, order_id=o.pk), _("已受理。"))


@require_POST
@staff_page(Perm.ORDER_HANDLE)
def order_decline(request: HttpRequest, order_id: int) -> HttpResponse:
    form = DeclineForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    return _step(
        request,
        order_id,
        lambda o: services.order_decline(actor=request.user, order_id=o.pk, reason=reason),
        _("已婉拒，并通知了职工。"),
    )


@require_POST
@staff_page(Perm.ORDER_HANDLE)
def order_schedule(request: HttpRequest, order_id: int) -> HttpResponse:
    form = ScheduleForm(request.POST)
    if not form.is_valid():
        order = selectors.order_get_staff(actor=request.user, order_id=order_id)
        messages.error(request, _("请填写安排时间。"))
        return redirect("servicemenu:order_detail", order_id=order.pk)
    at = form.cleaned_data["scheduled_at"]
    return _step(
        request,
        order_id,
        lambda o: services.order_schedule(actor=request.user, order_id=o.pk, scheduled_at=at),
        _("已安排时间，并通知了职工。"),
    )


@require_POST
@staff_page(Perm.ORDER_HANDLE)
def order_complete(request: HttpRequest, order_id: int) -> HttpResponse:
    note = request.POST.get("note", "")[:300]
    return _step(
        request,
        order_id,
        lambda o: services.order_complete(actor=request.user, order_id=o.pk, note=note),
        _("已标记完成。"),
    )


@staff_page(Perm.ORDER_VIEW)
def report(request: HttpRequest) -> HttpResponse:
    asked = int_from_text(request.GET.get("weeks"))
    weeks = min(max(asked, 1), 52) if asked is not None else 8
    data = selectors.order_report(actor=request.user, weeks=weeks)
    chart = {
        "waits": data.wait_buckets,
        "weekly": data.weekly,
        "labels": {"waiting": _("待处理订单数"), "completed": _("完成数"), "overdue": _("逾期")},
    }
    return render(
        request,
        "servicemenu/report.html",
        {
            "r": data,
            "chart": chart,
            "weeks": weeks,
            "periods": [4, 8, 12, 26, 52],
            "statuses": [(OrderStatus(s).label, n) for s, n in data.by_status.items()],
        },
    )
