"""会员名册 in the console: search and filter the members in scope, a member's page with their history, and the
changes staff make to a membership (transfer, flags, end). ID numbers and phones show masked; a reveal is logged."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from zhijia.core.errors import ZhijiaError
from zhijia.core.pages import show_on_form, staff_page
from zhijia.core.pii import mask_id_number, mask_phone
from zhijia.core.roles import Perm
from zhijia.core.scope import scope_for
from zhijia.organizations.selectors import org_list, org_root_for

from .. import selectors, services
from ..forms import EndForm, FlagsForm, RosterFilterForm, TransferForm
from ..models import JobGroup, Membership, MembershipEvent, ModelWorkerLevel, NeedyLevel

ROSTER_PAGE_SIZE = 50
ROSTER_COUNT_CAP = 10_000
# The columns the roster page shows (the others, and the other columns of the union, are not read).
ROSTER_COLUMNS = (
    "id",
    "name",
    "member_no",
    "id_number",
    "phone",
    "job_group",
    "status",
    "joined_at",
    "needy_level",
    "model_worker_level",
    "union__id",
    "union__name",
)
# The organisation filter offers the actor's own node and the nodes directly below it.
FILTER_ORGS = 300
FLAG_LABELS = {
    "needy_level": (gettext_lazy("困难职工"), NeedyLevel),
    "model_worker_level": (gettext_lazy("劳模"), ModelWorkerLevel),
    "job_group": (gettext_lazy("职业群体"), JobGroup),
}


def _filter_orgs(request: HttpRequest) -> list[tuple[int, str]]:
    root = org_root_for(actor=request.user)
    if root is None:
        return []
    below = org_list(actor=request.user, parent_id=root.pk)[:FILTER_ORGS]
    return [(root.pk, root.name), *((o.pk, f"└ {o.name}") for o in below)]


def _masked(membership: Membership) -> dict[str, Any]:
    """A member as the pages show them: the row, with the ID number and phone masked."""
    return {
        "m": membership,
        "id_number": mask_id_number(membership.id_number),
        "phone": mask_phone(membership.phone) if membership.phone else "",
    }


class CappedPaginator(Paginator):
    """Counts at most ROSTER_COUNT_CAP members: a street's whole roster need not be counted row by row to show
    its first page. Beyond the cap the page says "more than" and the filters narrow it down."""

    @cached_property
    def count(self) -> int:
        members: Any = self.object_list
        # No ORDER BY in the count: which rows make up the first 10,001 does not change how many there are.
        return int(members.order_by()[: ROSTER_COUNT_CAP + 1].count())

    @property
    def capped(self) -> bool:
        return self.count > ROSTER_COUNT_CAP


@staff_page(Perm.MEMBER_VIEW)
def roster(request: HttpRequest) -> HttpResponse:
    form = RosterFilterForm(request.GET or None, orgs=_filter_orgs(request))
    members = selectors.member_list(actor=request.user, **(form.filters() if request.GET else {})).only(*ROSTER_COLUMNS)
    paginator = CappedPaginator(members, ROSTER_PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    # Everything a row shows, as text, here rather than in the template (labels looked up once, one URL pattern).
    job_groups, statuses = dict(JobGroup.choices), dict(Membership.Status.choices)
    detail = reverse("members:member_detail", args=[0])[:-2]
    rows = [
        {
            "url": f"{detail}{m.pk}/",
            "name": m.name,
            "needy": m.needy_level != NeedyLevel.NONE,
            "model_worker": m.model_worker_level != ModelWorkerLevel.NONE,
            "member_no": m.member_no,
            "id_number": mask_id_number(m.id_number),
            "phone": mask_phone(m.phone) if m.phone else "—",
            "union": m.union.name,
            "job_group": job_groups.get(m.job_group, m.job_group),
            "status": statuses.get(m.status, m.status),
            "joined": timezone.localtime(m.joined_at).strftime("%Y-%m-%d"),
        }
        for m in page
    ]
    return render(
        request,
        "members/roster.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            # Beyond the cap: "10,000+" (the filters narrow it down).
            "count_text": f"{ROSTER_COUNT_CAP:,}+" if paginator.capped else str(paginator.count),
        },
    )


def _event_summary(event: MembershipEvent) -> str:
    """One line saying what happened, in words (the event's detail is data)."""
    detail: dict[str, Any] = event.detail or {}
    if event.kind == MembershipEvent.Kind.JOINED and "seconds_to_card" in detail:
        minutes, seconds = divmod(int(detail["seconds_to_card"]), 60)
        return _("网上申请入会，申请到领卡用时 %(m)d 分 %(s)d 秒") % {"m": minutes, "s": seconds}
    if event.kind == MembershipEvent.Kind.TRANSFERRED:
        return _("由“%(from)s”转入“%(to)s”") % {"from": detail.get("from", ""), "to": detail.get("to", "")}
    if event.kind == MembershipEvent.Kind.FLAGS_CHANGED:
        parts = []
        for field, change in detail.items():
            if field not in FLAG_LABELS or not isinstance(change, list) or len(change) != 2:
                continue
            label, choices = FLAG_LABELS[field]
            old, new = (str(choices(v).label) if v in choices.values else str(v) for v in change)
            parts.append(_("%(label)s：%(old)s → %(new)s") % {"label": label, "old": old, "new": new})
        return _("；").join(parts)
    if detail.get("reason"):
        return _("原因：%(reason)s") % {"reason": detail["reason"]}
    return ""


def _detail(request: HttpRequest, membership: Membership, revealed: dict[str, str] | None = None) -> HttpResponse:
    history = selectors.member_history(membership)
    for event in history["events"]:
        event.summary = _event_summary(event)
    scope = scope_for(request.user)
    return render(
        request,
        "members/member_detail.html",
        {
            "member": membership,
            "masked": _masked(membership),
            "events": history["events"],
            "transfers": history["transfers"],
            "revealed": revealed,
            "can_reveal": scope.can(Perm.PII_REVEAL),
            "can_manage": scope.can(Perm.MEMBER_MANAGE) and membership.status == Membership.Status.ACTIVE,
        },
    )


@staff_page(Perm.MEMBER_VIEW)
def member_detail(request: HttpRequest, membership_id: int) -> HttpResponse:
    membership = selectors.member_get(actor=request.user, membership_id=membership_id)
    revealed = None
    if request.method == "POST" and "reveal" in request.POST:
        field = request.POST["reveal"]
        value = services.member_reveal(actor=request.user, membership_id=membership.pk, field=field)
        label = _("身份证号码") if field == "id_number" else _("手机号")
        revealed = {"field": field, "label": label, "value": value}
    return _detail(request, membership, revealed)


@staff_page(Perm.MEMBER_MANAGE)
def member_transfer(request: HttpRequest, membership_id: int) -> HttpResponse:
    membership = selectors.member_get(actor=request.user, membership_id=membership_id)
    form = TransferForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            target = selectors.transfer_target_by_code(code=form.cleaned_data["new_union_code"])
            moved = services.membership_transfer(
                actor=request.user, membership_id=membership.pk, new_union_id=target.pk
            )
        except ZhijiaError as exc:
            show_on_form(form, exc, fallback="new_union_code")
        else:
            messages.success(request, _("已将 %(name)s 转入“%(union)s”。") % {"name": moved.name, "union": target.name})
            # A member moved out of the actor's subtree is no longer theirs to open: back to the roster then.
            if scope_for(request.user).covers_path(target.path):
                return redirect("members:member_detail", membership_id=membership.pk)
            return redirect("members:roster")
    return render(request, "members/member_form.html", {"member": membership, "form": form, "action": "transfer"})


@staff_page(Perm.MEMBER_MANAGE)
def member_flags(request: HttpRequest, membership_id: int) -> HttpResponse:
    membership = selectors.member_get(actor=request.user, membership_id=membership_id)
    initial = {f: getattr(membership, f) for f in ("needy_level", "model_worker_level", "job_group")}
    form = FlagsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_flags_update(actor=request.user, membership_id=membership.pk, **form.cleaned_data)
        except ZhijiaError as exc:
            show_on_form(form, exc)
        else:
            messages.success(request, _("已保存。"))
            return redirect("members:member_detail", membership_id=membership.pk)
    return render(request, "members/member_form.html", {"member": membership, "form": form, "action": "flags"})


@staff_page(Perm.MEMBER_MANAGE)
def member_end(request: HttpRequest, membership_id: int) -> HttpResponse:
    membership = selectors.member_get(actor=request.user, membership_id=membership_id)
    form = EndForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_end(actor=request.user, membership_id=membership.pk, **form.cleaned_data)
        except ZhijiaError as exc:
            show_on_form(form, exc)
        else:
            messages.success(request, _("会籍已结束。"))
            return redirect("members:member_detail", membership_id=membership.pk)
    return render(request, "members/member_form.html", {"member": membership, "form": form, "action": "end"})


@require_POST
@staff_page(Perm.MEMBER_MANAGE)
def member_card_reissue(request: HttpRequest, membership_id: int) -> HttpResponse:
    """Reissue the member's printed card (lost or stolen): the cards printed so far stop checking as valid."""
    membership = services.card_reissue(actor=request.user, membership_id=membership_id)
    messages.success(request, _("已补发实体会员卡，此前打印的卡已作废。"))
    return redirect("members:member_detail", membership_id=membership.pk)


@staff_page(Perm.MEMBER_VIEW)
def transfers_out(request: HttpRequest) -> HttpResponse:
    transfers = selectors.transfers_out(actor=request.user).select_related("actor")
    page = Paginator(transfers, ROSTER_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "members/transfers_out.html", {"page": page})
