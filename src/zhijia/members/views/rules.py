"""Joining rules in the console: a union's auto-approval switch and conditions, and a federation's routing order.
Staff who manage members change them for the nodes of their own subtree."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from zhijia.core.errors import ZhijiaError
from zhijia.core.pages import show_on_form, staff_page
from zhijia.core.roles import Perm

from .. import selectors, services
from ..forms import ReviewPolicyForm, RoutingRulesForm


@staff_page(Perm.MEMBER_MANAGE)
def review_policy(request: HttpRequest, union_id: int) -> HttpResponse:
    union, policy = selectors.review_policy_for(actor=request.user, union_id=union_id)
    initial = {
        "auto_approve": policy.auto_approve,
        "require_phone_verified": policy.require_phone_verified,
        "require_employer_on_roster": policy.require_employer_on_roster,
    }
    form = ReviewPolicyForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.review_policy_update(actor=request.user, union_id=union.pk, **form.cleaned_data)
        except ZhijiaError as exc:
            show_on_form(form, exc, on_field=False)
        else:
            messages.success(request, _("已保存。"))
            return redirect("members:review_policy", union_id=union.pk)
    return render(request, "members/review_rules.html", {"org": union, "form": form, "kind": "policy"})


@staff_page(Perm.MEMBER_MANAGE)
def routing_rules(request: HttpRequest, owner_id: int) -> HttpResponse:
    owner, rules = selectors.routing_rules_for(actor=request.user, owner_id=owner_id)
    form = RoutingRulesForm(request.POST or None, rules=rules)
    if request.method == "POST" and form.is_valid():
        try:
            services.routing_rules_update(actor=request.user, owner_id=owner.pk, rules=form.rules())
        except ZhijiaError as exc:
            show_on_form(form, exc, on_field=False)
        else:
            messages.success(request, _("已保存。"))
            return redirect("members:routing_rules", owner_id=owner.pk)
    return render(request, "members/review_rules.html", {"org": owner, "form": form, "kind": "routing"})
