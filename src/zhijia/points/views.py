"""Pages of member points. The member site: my points (balance, what will lapse, items to redeem, every entry and
why), redeeming, my codes. The console, within the staff's subtree: the report (chart and table), earning rules,
items and stock, merchants, volunteering credit, and handing items out by code."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhijia.core.errors import ZhijiaError
from zhijia.core.pages import error_page, show_on_form, staff_page
from zhijia.core.roles import Perm
from zhijia.core.scope import scope_for

from . import selectors, services
from .forms import ItemEditForm, ItemForm, MerchantForm, RuleForm, VolunteerForm
from .models import EarnEvent, EntryKind

PAGE_SIZE = 20

# ---- the member site ----------------------------------------------------------------------------------------------


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    entries = Paginator(selectors.my_entries(actor=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "points/mine.html",
        {
            "balance": selectors.my_balance(actor=request.user),
            "expiring": selectors.my_expiring(actor=request.user),
            "items": list(selectors.items_for_member(actor=request.user)[:50]),
            "page": entries,
            "key": uuid.uuid4().hex,
            "kinds": dict(EntryKind.choices),
        },
    )


@require_POST
@login_required
def redeem(request: HttpRequest, item_id: int) -> HttpResponse:
    try:
        redemption = services.points_redeem(
            actor=request.user, item_id=item_id, idempotency_key=request.POST.get("idempotency_key", "")[:80]
        )
    except ZhijiaError as exc:
        if exc.status == 404:
            return error_page(request, exc)
        messages.error(request, exc.message)
        return redirect("points:mine")
    messages.success(request, _("兑换成功，请出示兑换码领取。"))
    return redirect("points:redemption", redemption_id=redemption.pk)


@login_required
def redemptions(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.my_redemptions(actor=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "points/redemptions.html", {"page": page})


@login_required
def redemption(request: HttpRequest, redemption_id: int) -> HttpResponse:
    try:
        r = selectors.my_redemption(actor=request.user, redemption_id=redemption_id)
    except ZhijiaError as exc:
        return error_page(request, exc)
    return render(request, "points/redemption.html", {"r": r})


@require_POST
@login_required
def redemption_cancel(request: HttpRequest, redemption_id: int) -> HttpResponse:
    try:
        services.redemption_cancel(actor=request.user, redemption_id=redemption_id)
    except ZhijiaError as exc:
        if exc.status == 404:
            return error_page(request, exc)
        messages.error(request, exc.message)
        return redirect("points:redemption", redemption_id=redemption_id)
    messages.success(request, _("已取消兑换，积分已退回。"))
    return redirect("points:mine")


# ---- the console --------------------------------------------------------------------------------------------------


def _orgs(request: HttpRequest) -> Any:
    return selectors.orgs_for(actor=request.user)


def _edit_if_posted(request: HttpRequest) -> None:
    """A page anyone with view permission may read; saving on it needs the edit permission."""
    if request.method == "POST":
        scope_for(request.user).require(Perm.POINTS_EDIT, "points")


def _save(
    request: HttpRequest,
    form: Any,
    write: Callable[[dict[str, Any]], object],
    *,
    saved: str,
    then: str,
    errors_on_fields: bool = False,
) -> HttpResponse | None:
    """A console form's POST: the write with the form's data, then the message and a redirect to `then`. None when
    there is nothing to save or the write was refused (the form then shows why, on the field the refusal names when
    `errors_on_fields`); a 403 or 404 is not the form's business and goes on to the error page."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        write(form.cleaned_data)
    except ZhijiaError as exc:
        show_on_form(form, exc, on_field=errors_on_fields)
        return None
    messages.success(request, saved)
    return redirect(then)


def _list_page(request: HttpRequest, template: str, form: Any, **listed: Any) -> HttpResponse:
    return render(request, template, {**listed, "form": form, "can_edit": _can_edit(request)})


@staff_page(Perm.POINTS_VIEW)
def console(request: HttpRequest) -> HttpResponse:
    r = selectors.report(actor=request.user)
    labels = dict(EarnEvent.choices)
    chart = {
        "months": [m.month.strftime("%Y-%m") for m in r.months],
        "earned": [m.earned for m in r.months],
        "redeemed": [m.redeemed for m in r.months],
        "expired": [m.expired for m in r.months],
        "labels": {"earned": _("获得"), "redeemed": _("兑换"), "expired": _("过期")},
    }
    by_event = [(str(labels.get(k, k)), v) for k, v in r.by_event.items()]
    return render(request, "points/console.html", {"report": r, "chart": chart, "by_event": by_event})


@staff_page(Perm.POINTS_VIEW)
def rules(request: HttpRequest) -> HttpResponse:
    _edit_if_posted(request)
    form = RuleForm(request.POST or None, orgs=_orgs(request))
    saved = _save(
        request,
        form,
        lambda d: services.rule_set(
            actor=request.user, org_id=d["org"].pk, event=d["event"], points=d["points"], daily_cap=d["daily_cap"]
        ),
        saved=_("积分规则已保存。"),
        then="points:rules",
        errors_on_fields=True,
    )
    return saved or _list_page(request, "points/rules.html", form, rules=selectors.rule_list(actor=request.user))


def _can_edit(request: HttpRequest) -> bool:
    return scope_for(request.user).can(Perm.POINTS_EDIT)


@require_POST
@staff_page(Perm.POINTS_EDIT)
def rule_disable(request: HttpRequest, rule_id: int) -> HttpResponse:
    services.rule_disable(actor=request.user, rule_id=rule_id)
    messages.success(request, _("积分规则已停用。"))
    return redirect("points:rules")


@staff_page(Perm.POINTS_VIEW)
def items(request: HttpRequest) -> HttpResponse:
    _edit_if_posted(request)
    form = ItemForm(request.POST or None, orgs=_orgs(request), merchants=selectors.merchant_list(actor=request.user))
    saved = _save(
        request,
        form,
        lambda d: services.item_create(
            actor=request.user,
            owner_id=d["owner"].pk,
            name=d["name"],
            kind=d["kind"],
            merchant_id=d["merchant"].pk if d["merchant"] else None,
            cost=d["cost"],
            stock=d["stock"],
            per_member_limit=d["per_member_limit"],
            description=d["description"],
        ),
        saved=_("兑换物品已上架。"),
        then="points:items",
    )
    return saved or _list_page(request, "points/items.html", form, items=selectors.item_list(actor=request.user))


@staff_page(Perm.POINTS_EDIT)
def item_edit(request: HttpRequest, item_id: int) -> HttpResponse:
    item = selectors.item_get(actor=request.user, item_id=item_id, perm=Perm.POINTS_EDIT)
    initial = {
        "name": item.name,
        "cost": item.cost,
        "per_member_limit": item.per_member_limit,
        "is_active": item.is_active,
        "description": item.description,
    }
    form = ItemEditForm(request.POST or None, initial=initial)
    saved = _save(
        request,
        form,
        lambda d: services.item_update(
            actor=request.user,
            item_id=item.pk,
            name=d["name"],
            cost=d["cost"],
            per_member_limit=d["per_member_limit"],
            is_active=d["is_active"],
            stock_add=d["stock_add"] or None,
            description=d["description"],
        ),
        saved=_("兑换物品已更新。"),
        then="points:items",
    )
    return saved or render(request, "points/item_edit.html", {"item": item, "form": form})


@staff_page(Perm.POINTS_VIEW)
def merchants(request: HttpRequest) -> HttpResponse:
    _edit_if_posted(request)
    form = MerchantForm(request.POST or None, orgs=_orgs(request))
    saved = _save(
        request,
        form,
        lambda d: services.merchant_create(
            actor=request.user,
            owner_id=d["owner"].pk,
            name=d["name"],
            kind=d["kind"],
            address=d["address"],
            contact=d["contact"],
        ),
        saved=_("合作商户已添加。"),
        then="points:merchants",
    )
    return saved or _list_page(
        request, "points/merchants.html", form, merchants=selectors.merchant_list(actor=request.user)
    )


@staff_page(Perm.POINTS_EDIT)
def volunteer(request: HttpRequest) -> HttpResponse:
    form = VolunteerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        membership = selectors.member_by_no(actor=request.user, member_no=d["member_no"])
        if membership is None:
            form.add_error("member_no", _("本级及下级工会没有这个会员号。"))
        else:
            try:
                _record, entry = services.volunteer_credit(
                    actor=request.user,
                    membership_id=membership.pk,
                    hours=d["hours"],
                    served_on=d["served_on"],
                    note=d["note"],
                )
            except ZhijiaError as exc:
                if exc.status in (403, 404):
                    raise
                form.add_error(None, exc.message)
            else:
                if entry is None:
                    messages.warning(request, _("时长已登记；本单位及上级没有志愿服务积分规则，未记积分。"))
                else:
                    messages.success(
                        request, _("已登记，%(name)s 获得 %(n)s 积分。") % {"name": membership.name, "n": entry.amount}
                    )
                return redirect("points:volunteer")
    return render(request, "points/volunteer.html", {"form": form})


@staff_page(Perm.POINTS_VERIFY)
def verify(request: HttpRequest) -> HttpResponse:
    code = (request.GET.get("code") or "").strip()[:20]
    found, error = None, None
    if code:
        try:
            found = selectors.redemption_by_code(actor=request.user, code=code)
        except ZhijiaError:
            error = _("没有找到这个兑换码，或它不属于本单位所在的组织线。")
    template = "points/_verify_result.html" if request.htmx else "points/verify.html"  # type: ignore[attr-defined]
    return render(request, template, {"code": code, "r": found, "error": error})


@require_POST
@staff_page(Perm.POINTS_VERIFY)
def use(request: HttpRequest, redemption_id: int) -> HttpResponse:
    try:
        r = services.redemption_use(actor=request.user, redemption_id=redemption_id)
    except ZhijiaError as exc:
        if exc.status == 404:
            return error_page(request, exc)
        messages.error(request, exc.message)
        return redirect("points:verify")
    messages.success(request, _("已核销：%(item)s（兑换码 %(code)s）。") % {"item": r.item.name, "code": r.code})
    return redirect("points:verify")
