"""Pages of rating homes. Member site: rate a home, send an opinion, see one's ratings and opinions with their
answers. Console: ratings and replies, opinions and their age, star-rated homes, the annual evaluation with its
export, award lists. Staff reach only their own subtree (404 otherwise)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhijia.core.errors import NotFound, ZhijiaError
from zhijia.core.ids import int_from_text
from zhijia.core.pages import error_page, show_on_form, staff_page
from zhijia.core.roles import Perm
from zhijia.core.scope import scope_for
from zhijia.network.selectors import point_get_public

from . import exports, selectors, services
from .forms import (
    AnswerForm,
    AssessmentForm,
    AwardEntryForm,
    AwardListForm,
    EvaluationForm,
    EvaluationHomeForm,
    NeedForm,
    OpinionForm,
    RatingForm,
    ReplyForm,
    ResourceForm,
    RulesForm,
    SchemeForm,
    YearForm,
    this_year,
)
from .models import AssessmentSource, Indicator

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _fen(yuan: Decimal | None) -> int | None:
    return None if yuan is None else int((yuan * 100).to_integral_value())


# ---- the member site ---------------------------------------------------------------------------------------------


@login_required
def rate(request: HttpRequest, point_id: int) -> HttpResponse:
    """Rate a home: stars for each of the city's criteria and a comment."""
    try:
        point = point_get_public(actor=request.user, point_id=point_id)
    except ZhijiaError as exc:
        return error_page(request, exc)
    criteria = selectors.criteria_for(point.owner.path)
    form = RatingForm(request.POST or None, criteria=criteria)
    existing = selectors.my_rating_now(actor=request.user, point=point)
    if request.method == "POST" and form.is_valid():
        try:
            services.rating_submit(
                actor=request.user, point_id=point.pk, stars=form.stars(), comment=form.cleaned_data["comment"]
            )
        except ZhijiaError as exc:
            if exc.status == 404:
                return error_page(request, exc)
            show_on_form(form, exc, raise_for=())
        else:
            messages.success(request, _("感谢您的评价！"))
            return redirect("network:point", point_id=point.pk)
    rules = selectors.rules_for(point.owner.path)
    return render(
        request,
        "ratings/rate.html",
        {"p": point, "form": form, "existing": existing, "rules": rules},
    )


@login_required
def opinion_new(request: HttpRequest) -> HttpResponse:
    """The opinion window: a suggestion about a home (?point=) or about the union (?org=)."""
    point = None
    org = None
    point_text = request.POST.get("point") or request.GET.get("point") or ""
    org_text = request.POST.get("org") or request.GET.get("org") or ""
    try:
        # A value that is not an id names no home (or union): not found, rather than an opinion about nothing.
        if point_text:
            point_id = int_from_text(point_text)
            if point_id is None:
                raise NotFound("point")
            point = point_get_public(actor=request.user, point_id=point_id)
        elif org_text:
            org_id = int_from_text(org_text)
            if org_id is None:
                raise NotFound("org")
            org = selectors.org_get(org_id=org_id)
    except ZhijiaError as exc:
        return error_page(request, exc)
    form = OpinionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.opinion_submit(
                actor=request.user,
                body=form.cleaned_data["body"],
                point_id=point.pk if point else None,
                org_id=org.pk if org else None,
            )
        except ZhijiaError as exc:
            if exc.status == 404:
                return error_page(request, exc)
            show_on_form(form, exc, raise_for=())
        else:
            messages.success(request, _("您的意见已送达，答复后会通知您。"))
            return redirect("ratings:mine")
    return render(request, "ratings/opinion_new.html", {"form": form, "p": point, "org": org})


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    """What the member wrote: ratings with the homes' replies, opinions with the answers."""
    return render(
        request,
        "ratings/mine.html",
        {
            "ratings": selectors.my_ratings(actor=request.user)[:100],
            "opinions": selectors.my_opinions(actor=request.user)[:100],
            "needs": selectors.my_needs(actor=request.user)[:100],
        },
    )


# ---- the console: ratings and opinions -------------------------------------------------------------------------------


@staff_page(Perm.RATINGS_VIEW)
def console(request: HttpRequest) -> HttpResponse:
    """Ratings in scope, newest first (or only those without a reply), with the monthly chart."""
    unreplied = request.GET.get("unreplied") == "1"
    qs = selectors.rating_list(actor=request.user, unreplied=unreplied)
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    months = selectors.ratings_by_month(actor=request.user)
    chart = {
        "categories": [m["month"] for m in months],
        "average": [m["average"] for m in months],
        "count": [m["count"] for m in months],
        "labels": {"average": _("平均星级"), "count": _("评价数")},
    }
    return render(
        request,
        "ratings/console.html",
        {
            "page": page,
            "unreplied": unreplied,
            "chart": chart,
            "months": months,
            "can_reply": scope_for(request.user).can(Perm.RATINGS_REPLY),
            "reply_form": ReplyForm(),
            "open_opinions": selectors.opinion_list(actor=request.user, unanswered=True).count(),
        },
    )


@require_POST
@staff_page(Perm.RATINGS_VIEW)
def rating_reply(request: HttpRequest, rating_id: int) -> HttpResponse:
    form = ReplyForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("回复不能为空。"))
        return redirect("ratings:console")
    services.rating_reply(actor=request.user, rating_id=rating_id, body=form.cleaned_data["body"])
    messages.success(request, _("回复已发布。"))
    return redirect("ratings:console")


@staff_page(Perm.RATINGS_VIEW)
def opinions(request: HttpRequest) -> HttpResponse:
    """Opinions in scope: unanswered first, oldest first, with their age in days (or every opinion)."""
    show_all = request.GET.get("all") == "1"
    qs = selectors.opinion_list(actor=request.user, unanswered=not show_all)
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    now = timezone.now()
    rows = [{"o": o, "age": selectors.opinion_age_days(o, now)} for o in page.object_list]
    return render(request, "ratings/opinions.html", {"page": page, "rows": rows, "show_all": show_all})


@staff_page(Perm.RATINGS_VIEW)
def opinion(request: HttpRequest, opinion_id: int) -> HttpResponse:
    o = selectors.opinion_get(actor=request.user, opinion_id=opinion_id)
    if not scope_for(request.user).covers_path(o.org.path):
        raise NotFound("opinion")
    form = AnswerForm(request.POST or None)
    if request.method == "POST":
        scope_for(request.user).require(Perm.RATINGS_REPLY, "opinion")
        if form.is_valid():
            try:
                services.opinion_answer(actor=request.user, opinion_id=o.pk, answer=form.cleaned_data["answer"])
            except ZhijiaError as exc:
                show_on_form(form, exc)
            else:
                messages.success(request, _("已答复。"))
                return redirect("ratings:opinions")
    return render(
        request,
        "ratings/opinion.html",
        {
            "o": o,
            "form": form,
            "age": selectors.opinion_age_days(o),
            "can_answer": scope_for(request.user).can(Perm.RATINGS_REPLY),
        },
    )


# ---- the console: star-rated homes -----------------------------------------------------------------------------------


def _year(request: HttpRequest) -> int:
    form = YearForm(request.GET or None)
    if form.is_valid() and form.cleaned_data.get("year"):
        return int(form.cleaned_data["year"])
    return this_year()


@staff_page(Perm.RATINGS_VIEW)
def stars(request: HttpRequest) -> HttpResponse:
    """Every home in scope with its composite and stars for the year, and the stars by district."""
    year = _year(request)
    homes = list(selectors.home_list(actor=request.user)[:500])
    results = selectors.star_results(homes, year)
    by_district = selectors.stars_by_district(results)
    chart = {
        "categories": by_district["categories"],
        "series": [
            {"name": _("%(n)s 星") % {"n": n} if n else _("未达星级"), "data": by_district["series"][n]}
            for n in range(5, -1, -1)
        ],
    }
    scope = scope_for(request.user)
    return render(
        request,
        "ratings/stars.html",
        {
            "year": year,
            "results": results,
            "chart": chart,
            "scheme": selectors.scheme_for(scope.path or "", year) if scope.path is not None else None,
            "scheme_form": SchemeForm(initial={"year": year}),
            "rules_form": RulesForm(),
            "can_assess": scope.can(Perm.STAR_ASSESS),
        },
    )


@require_POST
@staff_page(Perm.STAR_ASSESS)
def scheme(request: HttpRequest) -> HttpResponse:
    """The staff's own union sets the year's weights and thresholds (a city for its whole subtree)."""
    form = SchemeForm(request.POST)
    scope = scope_for(request.user)
    if not form.is_valid() or scope.org_id is None:
        messages.error(request, _("请检查权重和门槛。"))
        return redirect("ratings:stars")
    d = form.cleaned_data
    try:
        services.star_scheme_set(
            actor=request.user,
            org_id=scope.org_id,
            year=d["year"],
            weights=[d["member_weight"], d["unit_weight"], d["higher_weight"]],
            thresholds=[d["star1"], d["star2"], d["star3"], d["star4"], d["star5"]],
        )
    except ZhijiaError as exc:
        if exc.status in (403, 404):
            raise
        messages.error(request, exc.message)
        return redirect("ratings:stars")
    messages.success(request, _("星级评定方案已保存。"))
    return redirect(f"{_url('ratings:stars')}?year={d['year']}")


@require_POST
@staff_page(Perm.STAR_ASSESS)
def rules(request: HttpRequest) -> HttpResponse:
    """The staff's own union sets how recent a visit must be and how often a member may rate a home."""
    form = RulesForm(request.POST)
    scope = scope_for(request.user)
    if not form.is_valid() or scope.org_id is None:
        messages.error(request, _("请检查评家规则。"))
        return redirect("ratings:stars")
    services.rules_set(
        actor=request.user,
        org_id=scope.org_id,
        visit_days=form.cleaned_data["visit_days"],
        period=form.cleaned_data["period"],
    )
    messages.success(request, _("评家规则已保存。"))
    return redirect("ratings:stars")


def _url(name: str, *args: Any) -> str:
    from django.urls import reverse

    return reverse(name, args=args)


@staff_page(Perm.RATINGS_VIEW)
def star_home(request: HttpRequest, point_id: int) -> HttpResponse:
    """One home: this year's breakdown, its history across years, and the assessment form."""
    point = selectors.home_get(actor=request.user, point_id=point_id)
    criteria = selectors.criteria_for(point.owner.path)
    scope = scope_for(request.user)
    source = AssessmentSource.UNIT if scope.path == point.owner.path else AssessmentSource.HIGHER
    form = AssessmentForm(request.POST or None, criteria=criteria, initial={"source": source, "year": this_year()})
    if request.method == "POST":
        scope.require(Perm.STAR_ASSESS, "point")
        if form.is_valid():
            try:
                services.assessment_submit(
                    actor=request.user,
                    point_id=point.pk,
                    year=form.cleaned_data["year"],
                    source=form.cleaned_data["source"],
                    scores=form.scores(),
                    note=form.cleaned_data["note"],
                )
            except ZhijiaError as exc:
                show_on_form(form, exc, raise_for=(404,))
            else:
                messages.success(request, _("评价已保存。"))
                return redirect("ratings:star_home", point_id=point.pk)
    history = selectors.star_history(point)
    return render(
        request,
        "ratings/star_home.html",
        {
            "p": point,
            "history": history,
            "form": form,
            "can_assess": scope.can(Perm.STAR_ASSESS),
            "criteria": criteria,
            "summary": selectors.rating_summaries([point.pk])[point.pk],
        },
    )


# ---- the console: evaluations and awards -------------------------------------------------------------------------


@staff_page(Perm.RATINGS_VIEW)
def evaluations(request: HttpRequest) -> HttpResponse:
    owners = selectors.org_choices(actor=request.user)
    form = EvaluationForm(request.POST or None, owners=owners)
    if request.method == "POST":
        scope_for(request.user).require(Perm.FUNDING_EDIT, "evaluation")
        if form.is_valid():
            d = form.cleaned_data
            try:
                evaluation = services.evaluation_create(
                    actor=request.user,
                    owner_id=d["owner"],
                    year=d["year"],
                    title=d["title"],
                    budget_fen=_fen(d["budget_yuan"]) or 0,
                    cap_fen=_fen(d.get("cap_yuan")),
                    weights=form.weights(),
                )
            except ZhijiaError as exc:
                show_on_form(form, exc)
            else:
                messages.success(request, _("已按指标分配经费。"))
                return redirect("ratings:evaluation", evaluation_id=evaluation.pk)
    return render(
        request,
        "ratings/evaluations.html",
        {
            "evaluations": selectors.evaluation_list(actor=request.user)[:100],
            "form": form,
            "can_edit": scope_for(request.user).can(Perm.FUNDING_EDIT),
        },
    )


@staff_page(Perm.RATINGS_VIEW)
def evaluation(request: HttpRequest, evaluation_id: int) -> HttpResponse:
    e = selectors.evaluation_get(actor=request.user, evaluation_id=evaluation_id)
    homes = list(selectors.evaluation_homes(e))
    labels = dict(Indicator.choices)
    for h in homes:
        h.lines = [
            {**line, "label": labels.get(line["indicator"], line["indicator"])}
            for line in h.breakdown.get("lines", [])
            if line["weight"] != "0.00"
        ]
    chart = {
        "categories": [h.point.name for h in homes],
        "values": [round(h.amount_fen / 100, 2) for h in homes],
    }
    return render(
        request,
        "ratings/evaluation.html",
        {
            "e": e,
            "homes": homes,
            "indicators": [(code, labels[code], e.weights.get(code, 0)) for code in Indicator.values],
            "formula": exports.formula_lines(e),
            "total": sum(h.amount_fen for h in homes),
            "chart": chart,
            "can_edit": scope_for(request.user).can(Perm.FUNDING_EDIT) and e.status == "draft",
        },
    )


@staff_page(Perm.FUNDING_EDIT)
def evaluation_home(request: HttpRequest, home_id: int) -> HttpResponse:
    home = selectors.evaluation_home_get(actor=request.user, home_id=home_id)
    e = home.evaluation
    initial = {code: getattr(home, code) for code in Indicator.values}
    initial["cap_yuan"] = None if home.cap_fen is None else Decimal(home.cap_fen) / 100
    form = EvaluationHomeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.evaluation_home_update(
                actor=request.user,
                home_id=home.pk,
                values={code: d[code] for code in Indicator.values},
                cap_fen=_fen(d.get("cap_yuan")),
            )
        except ZhijiaError as exc:
            show_on_form(form, exc, raise_for=(403, 404, 409))
        else:
            messages.success(request, _("已修正并重新分配。"))
            return redirect("ratings:evaluation", evaluation_id=e.pk)
    return render(request, "ratings/evaluation_home.html", {"e": e, "home": home, "form": form})


@require_POST
@staff_page(Perm.FUNDING_EDIT)
def evaluation_finalise(request: HttpRequest, evaluation_id: int) -> HttpResponse:
    services.evaluation_finalise(actor=request.user, evaluation_id=evaluation_id)
    messages.success(request, _("考评已定稿。"))
    return redirect("ratings:evaluation", evaluation_id=evaluation_id)


@staff_page(Perm.RATINGS_VIEW)
def evaluation_xlsx(request: HttpRequest, evaluation_id: int) -> HttpResponse:
    e = selectors.evaluation_get(actor=request.user, evaluation_id=evaluation_id)
    response = HttpResponse(exports.evaluation_xlsx(e), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="evaluation-{e.year}-{e.pk}.xlsx"'
    return response


@staff_page(Perm.RATINGS_VIEW)
def awards(request: HttpRequest) -> HttpResponse:
    form = AwardListForm(request.POST or None, owners=selectors.org_choices(actor=request.user))
    if request.method == "POST":
        scope_for(request.user).require(Perm.FUNDING_EDIT, "award_list")
        if form.is_valid():
            d = form.cleaned_data
            try:
                award_list = services.award_list_create(
                    actor=request.user,
                    owner_id=d["owner"],
                    year=d["year"],
                    title=d["title"],
                    benchmark_fen=_fen(d["benchmark_yuan"]) or 0,
                    candidate_fen=_fen(d["candidate_yuan"]) or 0,
                )
            except ZhijiaError as exc:
                show_on_form(form, exc)
            else:
                return redirect("ratings:award", award_list_id=award_list.pk)
    return render(
        request,
        "ratings/awards.html",
        {
            "lists": selectors.award_list_list(actor=request.user)[:100],
            "form": form,
            "can_edit": scope_for(request.user).can(Perm.FUNDING_EDIT),
        },
    )


@staff_page(Perm.RATINGS_VIEW)
def award(request: HttpRequest, award_list_id: int) -> HttpResponse:
    award_list = selectors.award_list_get(actor=request.user, award_list_id=award_list_id)
    form = AwardEntryForm(request.POST or None)
    if request.method == "POST":
        scope_for(request.user).require(Perm.FUNDING_EDIT, "award_list")
        if form.is_valid():
            union = selectors.org_by_code(form.cleaned_data["union_code"])
            try:
                services.award_entry_add(
                    actor=request.user,
                    award_list_id=award_list.pk,
                    union_id=union.pk if union else -1,
                    level=form.cleaned_data["level"],
                )
            except ZhijiaError as exc:
                form.add_error("union_code", exc.message)
            else:
                messages.success(request, _("已加入名单。"))
                return redirect("ratings:award", award_list_id=award_list.pk)
    entries = list(award_list.entries.select_related("union").order_by("level", "union__path"))
    return render(
        request,
        "ratings/award.html",
        {
            "a": award_list,
            "entries": entries,
            "total": sum(e.amount_fen for e in entries),
            "form": form,
            "can_edit": scope_for(request.user).can(Perm.FUNDING_EDIT),
        },
    )


@staff_page(Perm.RATINGS_VIEW)
def award_xlsx(request: HttpRequest, award_list_id: int) -> HttpResponse:
    award_list = selectors.award_list_get(actor=request.user, award_list_id=award_list_id)
    response = HttpResponse(exports.award_list_xlsx(award_list), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="awards-{award_list.year}-{award_list.pk}.xlsx"'
    return response


# ---- needs, services and resources lists ---------------------------------------------------------------------------


def point_lists(request: HttpRequest, point_id: int) -> HttpResponse:
    """A home's three lists (public): open needs about it, the services it offers, its resources."""
    try:
        point = point_get_public(actor=request.user, point_id=point_id)
    except ZhijiaError as exc:
        return error_page(request, exc)
    scope = scope_for(request.user)
    can_add = scope.can(Perm.NETWORK_EDIT) and scope.covers_path(point.owner.path)
    return render(
        request,
        "ratings/point_lists.html",
        {"lists": selectors.point_lists(point), "p": point, "resource_form": ResourceForm() if can_add else None},
    )


@login_required
def need_new(request: HttpRequest) -> HttpResponse:
    """Post a need about a home (?point=)."""
    point_text = request.POST.get("point") or request.GET.get("point") or ""
    point = None
    try:
        if point_text:
            point_id = int_from_text(point_text)
            if point_id is None:
                raise NotFound("point")
            point = point_get_public(actor=request.user, point_id=point_id)
    except ZhijiaError as exc:
        return error_page(request, exc)
    form = NeedForm(request.POST or None, service_types=selectors.service_types_for(point))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.need_post(
                actor=request.user,
                title=d["title"],
                body=d["body"],
                service_type_id=d.get("service_type"),
                point_id=point.pk if point else None,
            )
        except ZhijiaError as exc:
            if exc.status == 404 and point is not None:
                return error_page(request, exc)
            show_on_form(form, exc, raise_for=())
        else:
            messages.success(request, _("需求已登记，工会会尽快回应。"))
            return redirect("ratings:mine")
    return render(request, "ratings/need_new.html", {"form": form, "p": point})


@staff_page(Perm.RATINGS_VIEW)
def needs(request: HttpRequest) -> HttpResponse:
    """Needs in scope, or (?unanswered=1) the open needs no service within ten minutes answers."""
    unanswered = request.GET.get("unanswered") == "1"
    rows: list[dict[str, Any]]
    if unanswered:
        rows = [{"need": u.need, "nearest": u.nearest_minutes} for u in selectors.unanswered_needs(actor=request.user)]
        page = None
    else:
        page = Paginator(selectors.need_list(actor=request.user), 50).get_page(request.GET.get("page"))
        rows = [{"need": n, "nearest": None} for n in page.object_list]
    return render(
        request,
        "ratings/needs.html",
        {
            "rows": rows,
            "page": page,
            "unanswered": unanswered,
            "minutes": settings.PLANNING_CIRCLE_MINUTES,
            "can_close": scope_for(request.user).can(Perm.RATINGS_REPLY),
        },
    )


@require_POST
@staff_page(Perm.RATINGS_VIEW)
def need_close(request: HttpRequest, need_id: int) -> HttpResponse:
    services.need_close(actor=request.user, need_id=need_id)
    messages.success(request, _("已标记为满足。"))
    return redirect("ratings:needs")


@require_POST
@staff_page(Perm.NETWORK_EDIT)
def resource_add(request: HttpRequest, point_id: int) -> HttpResponse:
    form = ResourceForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请检查资源的名称和数量。"))
        return redirect("ratings:point_lists", point_id=point_id)
    d = form.cleaned_data
    services.resource_add(
        actor=request.user,
        point_id=point_id,
        kind=d["kind"],
        name=d["name"],
        description=d["description"],
        quantity=d.get("quantity"),
    )
    messages.success(request, _("资源已登记。"))
    return redirect("ratings:point_lists", point_id=point_id)
