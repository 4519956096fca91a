"""Every write of rating homes: a member's rating (only after a real visit), staff replies, opinions and answers, the
city's rules, criteria and star scheme, the self- and higher-union assessments, the annual evaluation that shares a
budget, and the award lists. Ratings and replies are never changed or removed: no function here does it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from zhijia.audit.services import audit_record
from zhijia.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from zhijia.core.ids import valid_id
from zhijia.core.roles import Perm
from zhijia.core.scope import scope_for
from zhijia.network.selectors import point_get as network_point_get
from zhijia.network.selectors import point_get_public
from zhijia.notifications.services import notify
from zhijia.organizations.models import Organization, OrgKind
from zhijia.points.models import EarnEvent
from zhijia.points.services import points_earn
from zhijia.servicemenu.models import ServiceType

from . import allocation
from .indicators import collect
from .models import (
    AssessmentSource,
    AwardEntry,
    AwardLevel,
    AwardList,
    Evaluation,
    EvaluationHome,
    HomeRating,
    Indicator,
    Need,
    Opinion,
    Period,
    RatingCriterion,
    RatingReply,
    RatingRules,
    RatingScore,
    Resource,
    ResourceKind,
    StarAssessment,
    StarAssessmentScore,
    StarScheme,
)
from .selectors import (
    _year_span,
    award_list_get,
    criteria_for,
    evaluation_get,
    evaluation_home_get,
    home_get,
    home_list,
    need_get,
    opinion_get,
    period_key,
    rating_get,
    rules_for,
    service_types_for,
)
from .selectors import org_get as selectors_org_get
from .visits import visit_evidence

COMMENT_MAX = 1000
TEXT_MAX = 2000
MAX_BUDGET_FEN = 10**13  # 1,000 亿元: past any union's budget, inside every database's integer
INDICATOR_FIELDS = tuple(Indicator.values)


def _is_worker(actor: Any) -> bool:
    return actor is not None and actor.is_authenticated and getattr(actor, "kind", "") == "worker"


def _require_worker(actor: Any, code: str) -> None:
    if actor is None or not actor.is_authenticated:
        raise NotFound("point")
    if not _is_worker(actor):
        raise PermissionDenied(code, _("工作人员账户不能以会员身份评价或提意见，请使用职工账户。"))


def _text(value: str, *, field: str, limit: int, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationFailed("ratings.text_required", _("“%(field)s”不能为空。") % {"field": field}, field=field)
    if len(value) > limit:
        raise ValidationFailed(
            "ratings.text_too_long",
            _("“%(field)s”不能超过 %(n)s 个字。") % {"field": field, "n": limit},
            field=field,
        )
    return value


# ---- members rate homes ------------------------------------------------------------------------------------------


@transaction.atomic
def rating_submit(
    *,
    actor: Any,
    point_id: int,
    stars: Mapping[str, int],
    comment: str = "",
    now: dt.datetime | None = None,
) -> HomeRating:
    """A worker rates a home they visited within the city's window: stars 1-5 for every criterion, and a comment."""
    _require_worker(actor, "rating.staff_cannot_rate")
    point = point_get_public(actor=actor, point_id=point_id)
    now = now or timezone.now()
    criteria = criteria_for(point.owner.path)
    codes = {c.code for c in criteria}
    unknown = sorted(set(stars) - codes)
    if unknown:
        raise ValidationFailed(
            "rating.unknown_criterion", _("未知的评价项：%(code)s") % {"code": unknown[0]}, field="stars"
        )
    missing = [c.label for c in criteria if c.code not in stars]
    if missing:
        raise ValidationFailed(
            "rating.criterion_missing", _("请为“%(label)s”打星。") % {"label": missing[0]}, field="stars"
        )
    for code, value in stars.items():
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
            raise ValidationFailed(
                "rating.stars_range", _("每项评价为 1 至 5 星。"), field="stars", detail={"item": code}
            )
    comment = _text(comment, field=_("评语"), limit=COMMENT_MAX, required=False)
    rules = rules_for(point.owner.path)
    evidence = visit_evidence(point_id=point.pk, user_id=actor.pk, since=now - dt.timedelta(days=rules.visit_days))
    if evidence is None:
        raise PermissionDenied(
            "rating.no_visit",
            _("只有近 %(days)s 天内在这里签到过（场地预约、活动或服务订单）的职工才能评价。")
            % {"days": rules.visit_days},
            detail={"visit_days": rules.visit_days},
        )
    key = period_key(rules.period, now)
    if HomeRating.objects.filter(point=point, user=actor, period=key).exists():
        raise Conflict("rating.already_rated", _("本期（%(period)s）您已评价过这个职工之家。") % {"period": key})
    values = [stars[c.code] for c in criteria]
    average = (Decimal(sum(values)) / len(values)).quantize(Decimal("0.01"))
    try:
        with transaction.atomic():
            rating = HomeRating.objects.create(
                point=point, user=actor, period=key, average=average, comment=comment, visit=evidence
            )
    except IntegrityError:
        raise Conflict(
            "rating.already_rated", _("本期（%(period)s）您已评价过这个职工之家。") % {"period": key}
        ) from None
    RatingScore.objects.bulk_create([RatingScore(rating=rating, criterion=c, stars=stars[c.code]) for c in criteria])
    audit_record(
        actor=actor,
        action="rating.submit",
        obj=rating,
        org=point.owner,
        changes={"point": point, "period": key, "stars": dict(stars), "visit": evidence},
    )
    # Writing a rating earns points where the union's rule says so (once per rating).
    points_earn(actor, event=EarnEvent.RATING_WRITTEN, source=f"rating:{rating.pk}", node=point.owner)
    return rating


@transaction.atomic
def rating_reply(*, actor: Any, rating_id: int, body: str) -> RatingReply:
    """Staff of the home's subtree answer a rating; the reply shows under it and the member is told."""
    rating = rating_get(actor=actor, rating_id=rating_id)
    scope_for(actor).require(Perm.RATINGS_REPLY, "rating")
    body = _text(body, field=_("回复"), limit=COMMENT_MAX)
    reply = RatingReply.objects.create(rating=rating, author=actor, body=body)
    audit_record(actor=actor, action="rating.reply", obj=reply, org=rating.point.owner, changes={"rating": rating.pk})
    notify(
        rating.user,
        kind="rating.reply",
        title=_("%(point)s 回复了您的评价") % {"point": rating.point.name},
        body=body,
        link=reverse("ratings:mine"),
        dedupe_key=f"rating-reply:{reply.pk}",
    )
    return reply


# ---- the opinion window ------------------------------------------------------------------------------------------


@transaction.atomic
def opinion_submit(*, actor: Any, body: str, point_id: int | None = None, org_id: int | None = None) -> Opinion:
    """A worker's suggestion about a home (answered by its owner union) or a union (answered by that union)."""
    _require_worker(actor, "opinion.staff_cannot_submit")
    body = _text(body, field=_("意见建议"), limit=TEXT_MAX)
    point = None
    if point_id is not None:
        point = point_get_public(actor=actor, point_id=point_id)
        org = point.owner
    elif org_id is not None:
        found = Organization.objects.filter(pk=org_id).first() if valid_id(org_id) else None
        if found is None:
            raise NotFound("org")
        org = found
    else:
        raise ValidationFailed("opinion.no_subject", _("请选择意见针对的职工之家或工会。"), field="point_id")
    opinion = Opinion.objects.create(user=actor, point=point, org=org, body=body)
    audit_record(actor=actor, action="opinion.submit", obj=opinion, org=org, changes={"point": point, "org": org})
    return opinion


@transaction.atomic
def opinion_answer(*, actor: Any, opinion_id: int, answer: str, now: dt.datetime | None = None) -> Opinion:
    scope = scope_for(actor)
    if not scope.can(Perm.RATINGS_VIEW):
        raise NotFound("opinion")
    opinion = opinion_get(actor=actor, opinion_id=opinion_id)
    if not scope.covers_path(opinion.org.path) and not scope.is_superuser:
        raise NotFound("opinion")
    scope.require(Perm.RATINGS_REPLY, "opinion")
    answer = _text(answer, field=_("答复"), limit=TEXT_MAX)
    opinion = Opinion.objects.select_for_update().get(pk=opinion.pk)
    if opinion.answered_at is not None:
        raise Conflict("opinion.already_answered", _("这条意见已经答复过了。"))
    opinion.answer = answer
    opinion.answered_by = actor
    opinion.answered_at = now or timezone.now()
    opinion.save(update_fields=["answer", "answered_by", "answered_at"])
    audit_record(actor=actor, action="opinion.answer", obj=opinion, org=opinion.org)
    notify(
        opinion.user,
        kind="opinion.answer",
        title=_("您的意见已有答复"),
        body=answer,
        link=reverse("ratings:mine"),
        dedupe_key=f"opinion-answer:{opinion.pk}",
    )
    return opinion


# ---- the city's rules, criteria and star scheme ------------------------------------------------------------------


def _org_for(actor: Any, org_id: int, perm: Perm) -> Organization:
    scope = scope_for(actor)
    org = Organization.objects.filter(pk=org_id).first() if valid_id(org_id) else None
    if org is None or not scope.can(Perm.RATINGS_VIEW) or not scope.covers_path(org.path):
        raise NotFound("org")
    scope.require(perm, "org")
    return org


@transaction.atomic
def rules_set(*, actor: Any, org_id: int, visit_days: int, period: str) -> RatingRules:
    org = _org_for(actor, org_id, Perm.STAR_ASSESS)
    if isinstance(visit_days, bool) or not isinstance(visit_days, int) or not 1 <= visit_days <= 366:
        raise ValidationFailed("rules.visit_days", _("到访有效天数为 1 至 366 天。"), field="visit_days")
    if period not in Period.values:
        raise ValidationFailed("rules.period", _("未知的评价周期。"), field="period")
    rules, _created = RatingRules.objects.update_or_create(
        owner=org, defaults={"visit_days": visit_days, "period": period}
    )
    audit_record(
        actor=actor, action="rating.rules_set", obj=rules, org=org, changes={"visit_days": visit_days, "period": period}
    )
    return rules


@transaction.atomic
def criteria_set(*, actor: Any, org_id: int, criteria: Sequence[tuple[str, str]]) -> list[RatingCriterion]:
    """A city's own criteria (code, label) in order; they replace its earlier list. Criteria already used stay in the
    database (inactive) so that old ratings keep their meaning."""
    org = _org_for(actor, org_id, Perm.STAR_ASSESS)
    if not criteria:
        raise ValidationFailed("criteria.empty", _("至少需要一个评价项。"), field="criteria")
    codes = [c.strip() for c, _label in criteria]
    if len(set(codes)) != len(codes) or any(not c or len(c) > 30 or not c.isidentifier() for c in codes):
        raise ValidationFailed("criteria.codes", _("评价项编码须为不重复的英文字母或数字。"), field="criteria")
    if any(not label.strip() or len(label.strip()) > 60 for _c, label in criteria):
        raise ValidationFailed("criteria.labels", _("评价项名称不能为空，且不超过 60 个字。"), field="criteria")
    RatingCriterion.objects.filter(owner=org).update(is_active=False)
    out = []
    for position, (code, label) in enumerate(criteria):
        c, _created = RatingCriterion.objects.update_or_create(
            owner=org, code=code.strip(), defaults={"label": label.strip(), "position": position, "is_active": True}
        )
        out.append(c)
    audit_record(actor=actor, action="rating.criteria_set", obj=org, org=org, changes={"criteria": list(criteria)})
    return out


def _decimal(value: Any, *, field: str, low: int = 0, high: int = 100) -> Decimal:
    try:
        d = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise ValidationFailed("ratings.not_a_number", _("“%(f)s”须为数字。") % {"f": field}, field=field) from None
    if not d.is_finite() or not low <= d <= high:
        raise ValidationFailed(
            "ratings.out_of_range",
            _("“%(f)s”须在 %(low)s 至 %(high)s 之间。") % {"f": field, "low": low, "high": high},
            field=field,
        )
    return d.quantize(Decimal("0.01"))


@transaction.atomic
def star_scheme_set(
    *, actor: Any, org_id: int, year: int, weights: Sequence[int], thresholds: Sequence[Any]
) -> StarScheme:
    org = _org_for(actor, org_id, Perm.STAR_ASSESS)
    _check_year(year)
    if len(weights) != 3 or any(isinstance(w, bool) or not isinstance(w, int) or w < 0 for w in weights):
        raise ValidationFailed("stars.weights", _("权重为三个不小于 0 的整数（%）。"), field="weights")
    if sum(weights) != 100:
        raise ValidationFailed("stars.weights_sum", _("三方权重之和须为 100%。"), field="weights")
    t = [_decimal(v, field="thresholds") for v in thresholds]
    if len(t) != 5 or t != sorted(t):
        raise ValidationFailed("stars.thresholds", _("一至五星的门槛须为五个由低到高的分数。"), field="thresholds")
    scheme, _created = StarScheme.objects.update_or_create(
        owner=org,
        year=year,
        defaults={
            "member_weight": weights[0],
            "unit_weight": weights[1],
            "higher_weight": weights[2],
            "star1": t[0],
            "star2": t[1],
            "star3": t[2],
            "star4": t[3],
            "star5": t[4],
        },
    )
    audit_record(
        actor=actor,
        action="stars.scheme_set",
        obj=scheme,
        org=org,
        changes={"year": year, "weights": list(weights), "thresholds": t},
    )
    return scheme


def _check_year(year: int) -> None:
    if isinstance(year, bool) or not isinstance(year, int) or not 2000 <= year <= 2100:
        raise ValidationFailed("ratings.year", _("年度须在 2000 至 2100 之间。"), field="year")


@transaction.atomic
def assessment_submit(
    *,
    actor: Any,
    point_id: int,
    year: int,
    source: str,
    scores: Mapping[str, Any],
    note: str = "",
) -> StarAssessment:
    """The home's own unit (staff bound to the owner union) or a higher union (staff above it) scores each criterion
    0-100. Entering again replaces the earlier scores (logged with both)."""
    point = home_get(actor=actor, point_id=point_id)
    scope = scope_for(actor)
    scope.require(Perm.STAR_ASSESS, "point")
    _check_year(year)
    if source not in AssessmentSource.values:
        raise ValidationFailed("stars.source", _("未知的评价方。"), field="source")
    own = scope.path == point.owner.path
    if source == AssessmentSource.UNIT and not (own or scope.is_superuser):
        raise PermissionDenied("stars.not_own_unit", _("所在单位评家只能由该职工之家所属工会填写。"))
    if source == AssessmentSource.HIGHER and own and not scope.is_superuser:
        raise PermissionDenied("stars.not_higher_union", _("上级工会评家只能由上级工会填写。"))
    criteria = criteria_for(point.owner.path)
    missing = [c.label for c in criteria if c.code not in scores]
    if missing:
        raise ValidationFailed(
            "stars.criterion_missing", _("请为“%(label)s”打分。") % {"label": missing[0]}, field="scores"
        )
    unknown = sorted(set(scores) - {c.code for c in criteria})
    if unknown:
        raise ValidationFailed(
            "stars.unknown_criterion", _("未知的评价项：%(code)s") % {"code": unknown[0]}, field="scores"
        )
    values = {c.code: _decimal(scores[c.code], field=c.label) for c in criteria}
    note = _text(note, field=_("说明"), limit=TEXT_MAX, required=False)
    org = Organization.objects.get(pk=scope.org_id) if scope.org_id else point.owner
    assessment, _created = StarAssessment.objects.update_or_create(
        point=point, year=year, source=source, defaults={"assessor": actor, "assessor_org": org, "note": note}
    )
    before = {s.criterion.code: str(s.score) for s in assessment.scores.select_related("criterion")}
    assessment.scores.all().delete()
    StarAssessmentScore.objects.bulk_create(
        [StarAssessmentScore(assessment=assessment, criterion=c, score=values[c.code]) for c in criteria]
    )
    audit_record(
        actor=actor,
        action="stars.assess",
        obj=assessment,
        org=point.owner,
        changes={"year": year, "source": source, "scores": {k: str(v) for k, v in values.items()}, "before": before},
    )
    return assessment


# ---- the annual evaluation and funding -----------------------------------------------------------------------------


def _check_weights(weights: Mapping[str, Any]) -> dict[str, int]:
    unknown = sorted(set(weights) - set(INDICATOR_FIELDS))
    if unknown:
        raise ValidationFailed(
            "evaluation.unknown_indicator", _("未知的指标：%(code)s") % {"code": unknown[0]}, field="weights"
        )
    out = {}
    for k in INDICATOR_FIELDS:
        v = weights.get(k, 0)
        if isinstance(v, bool) or not isinstance(v, int) or not 0 <= v <= 100:
            raise ValidationFailed("evaluation.weight", _("每项权重为 0 至 100 的整数。"), field="weights")
        out[k] = v
    if sum(out.values()) != 100:
        raise ValidationFailed("evaluation.weights_sum", _("各项指标权重之和须为 100。"), field="weights")
    return out


def _check_fen(value: Any, *, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_BUDGET_FEN:
        raise ValidationFailed("evaluation.amount", _("金额须为不小于 0 的整数（分）。"), field=field)
    return value


@transaction.atomic
def evaluation_create(
    *,
    actor: Any,
    owner_id: int,
    year: int,
    title: str,
    budget_fen: int,
    weights: Mapping[str, int],
    cap_fen: int | None = None,
) -> Evaluation:
    """A new round for the homes under a union: their indicators for the year collected, the budget shared."""
    owner = _org_for(actor, owner_id, Perm.FUNDING_EDIT)
    _check_year(year)
    title = _text(title, field=_("名称"), limit=120)
    budget = _check_fen(budget_fen, field="budget_fen")
    cap = None if cap_fen is None else _check_fen(cap_fen, field="cap_fen")
    w = _check_weights(weights)
    points = list(home_list(actor=actor).filter(owner__path__startswith=owner.path))
    if not points:
        raise ValidationFailed("evaluation.no_homes", _("%(org)s 下没有可考评的职工之家。") % {"org": owner.name})
    evaluation = Evaluation.objects.create(
        owner=owner, year=year, title=title, budget_fen=budget, cap_fen=cap, weights=w, created_by=actor
    )
    start, end = _year_span(year)
    values = collect([p.pk for p in points], start, end)
    EvaluationHome.objects.bulk_create(
        [
            EvaluationHome(
                evaluation=evaluation,
                point=p,
                sources={k: "collected" for k in INDICATOR_FIELDS},
                **{k: values[p.pk][k] for k in INDICATOR_FIELDS},
            )
            for p in points
        ]
    )
    _compute(evaluation)
    audit_record(
        actor=actor,
        action="evaluation.create",
        obj=evaluation,
        org=owner,
        changes={"year": year, "budget_fen": budget, "cap_fen": cap, "weights": w, "homes": len(points)},
    )
    return evaluation


def _fraction(value: Any) -> Fraction:
    return Fraction(Decimal(value)) if isinstance(value, Decimal) else Fraction(value)


def _compute(evaluation: Evaluation) -> allocation.Allocation:
    """Share the budget among the evaluation's homes and store each home's score, amount and breakdown."""
    homes = list(evaluation.homes.all())
    inputs = [
        allocation.HomeInput(
            key=f"{h.point_id:012d}",
            indicators={k: _fraction(getattr(h, k)) for k in INDICATOR_FIELDS},
            cap_fen=h.cap_fen if h.cap_fen is not None else evaluation.cap_fen,
        )
        for h in homes
    ]
    result = allocation.allocate(evaluation.budget_fen, inputs, evaluation.weights)
    shares = result.by_key()
    for h in homes:
        s = shares[f"{h.point_id:012d}"]
        h.score = Decimal(s.score.numerator) / Decimal(s.score.denominator)
        h.score = h.score.quantize(Decimal("0.0001"))
        h.amount_fen = s.amount_fen
        h.breakdown = {
            "lines": [
                {
                    "indicator": line.indicator,
                    "value": str(_dec(line.value)),
                    "best": str(_dec(line.best)),
                    "norm": str(_dec(line.norm, "0.0001")),
                    "weight": str(_dec(line.weight)),
                    "points": str(_dec(line.points, "0.0001")),
                }
                for line in s.lines
            ],
            "exact_fen": str(_dec(s.exact, "0.0001")),
            "capped": s.capped,
            "extra_fen": s.extra_fen,
            "cap_fen": h.cap_fen if h.cap_fen is not None else evaluation.cap_fen,
        }
    EvaluationHome.objects.bulk_update(homes, ["score", "amount_fen", "breakdown"])
    evaluation.unallocated_fen = result.unallocated_fen
    evaluation.rounds = result.rounds
    evaluation.computed_at = timezone.now()
    evaluation.save(update_fields=["unallocated_fen", "rounds", "computed_at"])
    return result


def _dec(x: Fraction, places: str = "0.01") -> Decimal:
    return (Decimal(x.numerator) / Decimal(x.denominator)).quantize(Decimal(places))


def _draft_for(actor: Any, evaluation_id: int) -> Evaluation:
    evaluation = evaluation_get(actor=actor, evaluation_id=evaluation_id)
    scope_for(actor).require(Perm.FUNDING_EDIT, "evaluation")
    evaluation = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
    if evaluation.status != Evaluation.Status.DRAFT:
        raise Conflict("evaluation.final", _("该考评已定稿，不能再修改。"))
    return evaluation


@transaction.atomic
def evaluation_home_update(
    *, actor: Any, home_id: int, values: Mapping[str, Any], cap_fen: int | None = None
) -> EvaluationHome:
    """Correct a home's collected figures (each change logged and marked as entered by hand) or set its own cap;
    the budget is shared again."""
    found = evaluation_home_get(actor=actor, home_id=home_id)
    evaluation = _draft_for(actor, found.evaluation_id)
    home = EvaluationHome.objects.get(pk=found.pk)
    unknown = sorted(set(values) - set(INDICATOR_FIELDS))
    if unknown:
        raise ValidationFailed("evaluation.unknown_indicator", _("未知的指标：%(code)s") % {"code": unknown[0]})
    changes: dict[str, Any] = {}
    for k, v in values.items():
        if k == Indicator.RATING:
            new: Any = _decimal(v, field=k, high=5)
        elif k == Indicator.SATISFACTION:
            new = _decimal(v, field=k)
        else:
            if isinstance(v, bool) or not isinstance(v, int) or not 0 <= v <= 2_000_000_000:
                raise ValidationFailed("evaluation.indicator", _("指标须为不小于 0 的整数。"), field=k)
            new = v
        if getattr(home, k) != new:
            changes[k] = [str(getattr(home, k)), str(new)]
            setattr(home, k, new)
            home.sources = {**home.sources, k: "entered"}
    cap = None if cap_fen is None else _check_fen(cap_fen, field="cap_fen")
    if cap != home.cap_fen:
        changes["cap_fen"] = [home.cap_fen, cap]
        home.cap_fen = cap
    home.save()
    _compute(evaluation)
    home.refresh_from_db()
    audit_record(actor=actor, action="evaluation.home_update", obj=home, org=evaluation.owner, changes=changes)
    return home


@transaction.atomic
def evaluation_finalise(*, actor: Any, evaluation_id: int) -> Evaluation:
    evaluation = _draft_for(actor, evaluation_id)
    evaluation.status = Evaluation.Status.FINAL
    evaluation.save(update_fields=["status"])
    audit_record(actor=actor, action="evaluation.finalise", obj=evaluation, org=evaluation.owner)
    return evaluation


@transaction.atomic
def award_list_create(
    *, actor: Any, owner_id: int, year: int, title: str, benchmark_fen: int, candidate_fen: int
) -> AwardList:
    owner = _org_for(actor, owner_id, Perm.FUNDING_EDIT)
    _check_year(year)
    title = _text(title, field=_("名称"), limit=120)
    benchmark = _check_fen(benchmark_fen, field="benchmark_fen")
    candidate = _check_fen(candidate_fen, field="candidate_fen")
    award_list = AwardList.objects.create(
        owner=owner,
        year=year,
        title=title,
        benchmark_fen=benchmark,
        candidate_fen=candidate,
        created_by=actor,
    )
    audit_record(
        actor=actor,
        action="award_list.create",
        obj=award_list,
        org=owner,
        changes={"year": year, "benchmark_fen": benchmark, "candidate_fen": candidate},
    )
    return award_list


@transaction.atomic
def award_entry_add(*, actor: Any, award_list_id: int, union_id: int, level: str) -> AwardEntry:
    """Name an enterprise union under the list's owner as a benchmark (示范) or candidate (候选) with the amount the
    list sets for that level."""
    award_list = award_list_get(actor=actor, award_list_id=award_list_id)
    scope = scope_for(actor)
    scope.require(Perm.FUNDING_EDIT, "award_list")
    if level not in AwardLevel.values:
        raise ValidationFailed("award.level", _("未知的类别。"), field="level")
    union = Organization.objects.filter(pk=union_id).first() if valid_id(union_id) else None
    if union is None or not scope.covers_path(union.path) or not union.path.startswith(award_list.owner.path):
        raise NotFound("org")
    if union.kind != OrgKind.ENTERPRISE_UNION:
        raise ValidationFailed("award.not_enterprise_union", _("以奖代补只授予企业工会。"), field="union_id")
    if AwardEntry.objects.filter(award_list=award_list, union=union).exists():
        raise Conflict("award.duplicate", _("%(union)s 已在名单中。") % {"union": union.name})
    amount = award_list.benchmark_fen if level == AwardLevel.BENCHMARK else award_list.candidate_fen
    entry = AwardEntry.objects.create(award_list=award_list, union=union, level=level, amount_fen=amount)
    audit_record(
        actor=actor,
        action="award_list.add",
        obj=entry,
        org=award_list.owner,
        changes={"union": union, "level": level, "amount_fen": amount},
    )
    return entry


# ---- needs, services and resources lists ---------------------------------------------------------------------------


@transaction.atomic
def need_post(
    *,
    actor: Any,
    title: str,
    body: str = "",
    service_type_id: int | None = None,
    point_id: int | None = None,
    org_id: int | None = None,
    lng: float | None = None,
    lat: float | None = None,
) -> Need:
    """A worker or staff member posts a need about a home (its owner union answers; the home's place unless another
    is given) or to a union at a place. Staff post only for unions of their own subtree."""
    scope = scope_for(actor)
    if scope.user_id is None:
        raise NotFound("point")
    title = _text(title, field=_("需求"), limit=100)
    body = _text(body, field=_("说明"), limit=1000, required=False)
    point = None
    if point_id is not None:
        point = point_get_public(actor=actor, point_id=point_id)
        org = point.owner
        lng = point.lng if lng is None else lng
        lat = point.lat if lat is None else lat
    elif org_id is not None:
        org = selectors_org_get(org_id=org_id)
    else:
        raise ValidationFailed("need.no_subject", _("请选择需求相关的职工之家或工会。"), field="point_id")
    if not _is_worker(actor) and not (scope.can(Perm.RATINGS_VIEW) and scope.covers_path(org.path)):
        raise NotFound("org")
    if lng is None or lat is None or not (-180 <= lng <= 180 and -90 <= lat <= 90):
        raise ValidationFailed("need.location", _("请给出需求所在的位置。"), field="lng")
    service_type = None
    if service_type_id is not None:
        choices = dict(service_types_for(point))
        if service_type_id not in choices:
            raise ValidationFailed("need.unknown_service", _("服务目录中没有这一项。"), field="service_type_id")
        service_type = ServiceType.objects.get(pk=service_type_id)
    need = Need.objects.create(
        user=actor, org=org, point=point, service_type=service_type, title=title, body=body, lng=lng, lat=lat
    )
    audit_record(
        actor=actor,
        action="need.post",
        obj=need,
        org=org,
        changes={"point": point, "service_type": service_type_id, "title": title},
    )
    return need


@transaction.atomic
def need_close(*, actor: Any, need_id: int) -> Need:
    """Staff of the answering union mark a need met."""
    need = need_get(actor=actor, need_id=need_id)
    scope_for(actor).require(Perm.RATINGS_REPLY, "need")
    need = Need.objects.select_for_update().get(pk=need.pk)
    if need.status == Need.Status.CLOSED:
        raise Conflict("need.closed", _("这条需求已标记为满足。"))
    need.status = Need.Status.CLOSED
    need.save(update_fields=["status"])
    audit_record(actor=actor, action="need.close", obj=need, org=need.org)
    return need


@transaction.atomic
def resource_add(
    *, actor: Any, point_id: int, kind: str, name: str, description: str = "", quantity: int | None = None
) -> Resource:
    """A home's keepers list a room, a piece of equipment or a partner it can offer."""
    point = network_point_get(actor=actor, point_id=point_id)
    scope_for(actor).require(Perm.NETWORK_EDIT, "point")
    if kind not in ResourceKind.values:
        raise ValidationFailed("resource.kind", _("未知的资源类别。"), field="kind")
    name = _text(name, field=_("名称"), limit=100)
    description = _text(description, field=_("说明"), limit=300, required=False)
    if quantity is not None and (
        isinstance(quantity, bool) or not isinstance(quantity, int) or not 0 < quantity < 10**6
    ):
        raise ValidationFailed("resource.quantity", _("数量须为正整数。"), field="quantity")
    resource = Resource.objects.create(
        point=point, kind=kind, name=name, description=description, quantity=quantity, created_by=actor
    )
    audit_record(
        actor=actor, action="resource.add", obj=resource, org=point.owner, changes={"kind": kind, "name": name}
    )
    return resource
