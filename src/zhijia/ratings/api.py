"""HTTP for rating homes. Public: a home's averages and ratings. Workers: rate a home they visited, send opinions,
read their own with the answers. Staff (their subtree only): ratings and replies, opinions and answers, star results
and assessments, the city's rules, criteria and scheme, evaluations and award lists."""

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any, Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate
from ninja.security import SessionAuth

from zhijia.accounts.api_auth import TokenAuth
from zhijia.core.api import PageMapped, Pagination, with_errors
from zhijia.core.ids import MAX_ID
from zhijia.network.selectors import point_get_public

from . import selectors, services
from .forms import this_year
from .models import (
    AssessmentSource,
    AwardLevel,
    AwardList,
    Evaluation,
    EvaluationHome,
    HomeRating,
    Indicator,
    Need,
    Opinion,
    Period,
    Resource,
    ResourceKind,
)

router = Router(tags=["ratings"])

Id = Annotated[int, Field(ge=1, le=MAX_ID)]
Year = Annotated[int, Field(ge=2000, le=2100)]
Fen = Annotated[int, Field(ge=0, le=services.MAX_BUDGET_FEN)]


def _anyone(request: HttpRequest) -> bool:
    return True


PUBLIC = [TokenAuth(), SessionAuth(), _anyone]


# ---- public ------------------------------------------------------------------------------------------------------


class CriterionAverageOut(Schema):
    label: str
    average: Decimal


class SummaryOut(Schema):
    point_id: int
    average: Decimal | None = Field(description="会员评家平均星级（1–5）；尚无评价为 null")
    count: int
    criteria: list[CriterionAverageOut]


@router.get(
    "/points/{point_id}/summary",
    auth=PUBLIC,
    response=with_errors({200: SummaryOut}),
    summary="职工之家的会员评家平均星级（公开）",
)
def point_summary(request: HttpRequest, point_id: Id) -> dict[str, Any]:
    point = point_get_public(actor=request.user, point_id=point_id)
    s = selectors.rating_summaries([point.pk])[point.pk]
    return {
        "point_id": point.pk,
        "average": s.average,
        "count": s.count,
        "criteria": [{"label": label, "average": avg} for label, avg in selectors.criterion_averages(point.pk)],
    }


class ScoreOut(Schema):
    criterion: str
    label: str
    stars: int


class ReplyOut(Schema):
    id: int
    body: str
    created_at: dt.datetime


class PublicRatingOut(Schema):
    id: int
    rater: str = Field(description="评价人（已脱敏）")
    average: Decimal
    period: str
    comment: str
    scores: list[ScoreOut]
    replies: list[ReplyOut]
    created_at: dt.datetime


def _scores(r: HomeRating) -> list[dict[str, Any]]:
    return [{"criterion": s.criterion.code, "label": s.criterion.label, "stars": s.stars} for s in r.scores.all()]


def _replies(r: HomeRating) -> list[dict[str, Any]]:
    return [{"id": x.pk, "body": x.body, "created_at": x.created_at} for x in r.replies.all()]


def _public(r: HomeRating) -> dict[str, Any]:
    return {
        "id": r.pk,
        "rater": selectors.masked_name(r.user),
        "average": r.average,
        "period": r.period,
        "comment": r.comment,
        "scores": _scores(r),
        "replies": _replies(r),
        "created_at": r.created_at,
    }


@router.get(
    "/points/{point_id}/ratings",
    auth=PUBLIC,
    response=with_errors({200: list[PublicRatingOut]}),
    summary="职工之家最近的会员评价与回复（公开）",
)
def point_ratings(request: HttpRequest, point_id: Id) -> list[dict[str, Any]]:
    point = point_get_public(actor=request.user, point_id=point_id)
    return [_public(r) for r in selectors.point_ratings_public(point.pk)]


# ---- workers ------------------------------------------------------------------------------------------------------


class RatingIn(Schema):
    stars: dict[str, int] = Field(..., description="每个评价项的星级（1–5），键为评价项编码")
    comment: str = Field("", max_length=1000)


class MyRatingOut(Schema):
    id: int
    point_id: int
    point_name: str
    average: Decimal
    period: str
    comment: str
    visit: str
    scores: list[ScoreOut]
    replies: list[ReplyOut]
    created_at: dt.datetime


def _mine(r: HomeRating) -> dict[str, Any]:
    return {
        "id": r.pk,
        "point_id": r.point_id,
        "point_name": r.point.name,
        "average": r.average,
        "period": r.period,
        "comment": r.comment,
        "visit": r.visit,
        "scores": _scores(r),
        "replies": _replies(r),
        "created_at": r.created_at,
    }


@router.post(
    "/points/{point_id}/ratings",
    response=with_errors({201: MyRatingOut}),
    summary="评价到访过的职工之家（每人每期一次）",
)
def rating_submit(request: HttpRequest, point_id: Id, body: RatingIn) -> Status[dict[str, Any]]:
    rating = services.rating_submit(actor=request.user, point_id=point_id, stars=body.stars, comment=body.comment)
    return Status(201, _mine(selectors.my_ratings(actor=request.user).get(pk=rating.pk)))


@router.get("/mine", response=with_errors({200: list[MyRatingOut]}), summary="我的评价及回复")
@paginate(Pagination, page_size=50)
def my_ratings(request: HttpRequest) -> list[dict[str, Any]]:
    return PageMapped(selectors.my_ratings(actor=request.user), lambda page: [_mine(r) for r in page])  # type: ignore[return-value]


class OpinionIn(Schema):
    body: str = Field(..., min_length=1, max_length=2000)
    point_id: Id | None = Field(None, description="针对的职工之家")
    org_id: Id | None = Field(None, description="或针对的工会")


class OpinionOut(Schema):
    id: int
    body: str
    point_id: int | None
    point_name: str | None
    org_id: int
    org_name: str
    created_at: dt.datetime
    answer: str
    answered_at: dt.datetime | None
    age_days: int = Field(description="已等待（或等待了）多少天")


def _opinion(o: Opinion) -> dict[str, Any]:
    return {
        "id": o.pk,
        "body": o.body,
        "point_id": o.point_id,
        "point_name": o.point.name if o.point else None,
        "org_id": o.org_id,
        "org_name": o.org.name,
        "created_at": o.created_at,
        "answer": o.answer,
        "answered_at": o.answered_at,
        "age_days": selectors.opinion_age_days(o),
    }


@router.post("/opinions", response=with_errors({201: OpinionOut}), summary="提交意见建议（征求意见窗口）")
def opinion_submit(request: HttpRequest, body: OpinionIn) -> Status[dict[str, Any]]:
    o = services.opinion_submit(actor=request.user, body=body.body, point_id=body.point_id, org_id=body.org_id)
    return Status(201, _opinion(selectors.opinion_get(actor=request.user, opinion_id=o.pk)))


@router.get("/opinions/mine", response=with_errors({200: list[OpinionOut]}), summary="我的意见建议及答复")
@paginate(Pagination, page_size=50)
def my_opinions(request: HttpRequest) -> list[dict[str, Any]]:
    return PageMapped(selectors.my_opinions(actor=request.user), lambda page: [_opinion(o) for o in page])  # type: ignore[return-value]


# ---- staff: ratings and opinions ---------------------------------------------------------------------------------


class StaffRatingOut(MyRatingOut):
    owner_name: str


class RatingQuery(Schema):
    point_id: Id | None = None
    unreplied: bool = False


def _staff(r: HomeRating) -> dict[str, Any]:
    return {**_mine(r), "owner_name": r.point.owner.name}


@router.get("", response=with_errors({200: list[StaffRatingOut]}), summary="本级及下级职工之家的会员评价")
@paginate(Pagination, page_size=100)
def rating_list(request: HttpRequest, query: Query[RatingQuery]) -> list[dict[str, Any]]:
    qs = selectors.rating_list(actor=request.user, point_id=query.point_id, unreplied=query.unreplied)
    return PageMapped(qs, lambda page: [_staff(r) for r in page])  # type: ignore[return-value]


class ReplyIn(Schema):
    body: str = Field(..., min_length=1, max_length=1000)


@router.post("/{rating_id}/replies", response=with_errors({201: ReplyOut}), summary="公开回复会员评价")
def rating_reply(request: HttpRequest, rating_id: Id, body: ReplyIn) -> Status[dict[str, Any]]:
    reply = services.rating_reply(actor=request.user, rating_id=rating_id, body=body.body)
    return Status(201, {"id": reply.pk, "body": reply.body, "created_at": reply.created_at})


class OpinionQuery(Schema):
    unanswered: bool = Field(False, description="只列出待答复的（最早的在前）")


@router.get("/opinions", response=with_errors({200: list[OpinionOut]}), summary="本级及下级收到的意见建议")
@paginate(Pagination, page_size=100)
def opinion_list(request: HttpRequest, query: Query[OpinionQuery]) -> list[dict[str, Any]]:
    qs = selectors.opinion_list(actor=request.user, unanswered=query.unanswered)
    return PageMapped(qs, lambda page: [_opinion(o) for o in page])  # type: ignore[return-value]


class AnswerIn(Schema):
    answer: str = Field(..., min_length=1, max_length=2000)


@router.post("/opinions/{opinion_id}/answer", response=with_errors({200: OpinionOut}), summary="答复意见建议")
def opinion_answer(request: HttpRequest, opinion_id: Id, body: AnswerIn) -> dict[str, Any]:
    o = services.opinion_answer(actor=request.user, opinion_id=opinion_id, answer=body.answer)
    return _opinion(o)


# ---- staff: the city's rules, criteria, star scheme; assessments and results --------------------------------------


class RulesIn(Schema):
    org_id: Id
    visit_days: int = Field(..., ge=1, le=366)
    period: Period


class RulesOut(Schema):
    org_id: int
    visit_days: int
    period: str


@router.put("/rules", response=with_errors({200: RulesOut}), summary="设置评家规则（到访有效天数、评价周期）")
def rules_set(request: HttpRequest, body: RulesIn) -> dict[str, Any]:
    r = services.rules_set(actor=request.user, org_id=body.org_id, visit_days=body.visit_days, period=body.period)
    return {"org_id": r.owner_id, "visit_days": r.visit_days, "period": r.period}


class CriterionIn(Schema):
    code: str = Field(..., min_length=1, max_length=30, pattern=r"^[A-Za-z_][A-Za-z0-9_]*$")
    label: str = Field(..., min_length=1, max_length=60)


class CriteriaIn(Schema):
    org_id: Id
    criteria: list[CriterionIn] = Field(..., min_length=1, max_length=20)


class CriterionOut(Schema):
    code: str
    label: str


@router.put("/criteria", response=with_errors({200: list[CriterionOut]}), summary="设置本级的会员评家评价项")
def criteria_set(request: HttpRequest, body: CriteriaIn) -> list[dict[str, Any]]:
    out = services.criteria_set(
        actor=request.user, org_id=body.org_id, criteria=[(c.code, c.label) for c in body.criteria]
    )
    return [{"code": c.code, "label": c.label} for c in out]


class SchemeIn(Schema):
    org_id: Id
    year: Year
    weights: list[int] = Field(..., min_length=3, max_length=3, description="会员、所在单位、上级工会（%）")
    thresholds: list[Decimal] = Field(..., min_length=5, max_length=5, description="一至五星门槛（0–100）")


class SchemeOut(Schema):
    org_id: int
    year: int
    weights: list[int]
    thresholds: list[Decimal]


@router.put("/stars/scheme", response=with_errors({200: SchemeOut}), summary="设置年度星级评定方案")
def scheme_set(request: HttpRequest, body: SchemeIn) -> dict[str, Any]:
    s = services.star_scheme_set(
        actor=request.user, org_id=body.org_id, year=body.year, weights=body.weights, thresholds=body.thresholds
    )
    return {
        "org_id": s.owner_id,
        "year": s.year,
        "weights": [s.member_weight, s.unit_weight, s.higher_weight],
        "thresholds": [s.star1, s.star2, s.star3, s.star4, s.star5],
    }


class PartOut(Schema):
    source: str
    weight: Decimal
    score: Decimal | None
    weighted: Decimal | None
    by_criterion: dict[str, Decimal]


class StarOut(Schema):
    point_id: int
    point_name: str
    owner_name: str
    year: int
    raters: int
    parts: list[PartOut]
    composite: Decimal | None
    stars: int | None = Field(description="0–5；尚缺某方评价时为 null")
    thresholds: list[Decimal]
    missing: list[str]


def _star(r: selectors.StarResult) -> dict[str, Any]:
    return {
        "point_id": r.point.pk,
        "point_name": r.point.name,
        "owner_name": r.point.owner.name,
        "year": r.year,
        "raters": r.raters,
        "parts": [
            {
                "source": p.source,
                "weight": p.weight,
                "score": p.score,
                "weighted": p.weighted,
                "by_criterion": dict(p.by_criterion),
            }
            for p in r.result.parts
        ],
        "composite": r.result.composite,
        "stars": r.result.stars,
        "thresholds": list(r.result.thresholds),
        "missing": list(r.result.missing),
    }


class StarQuery(Schema):
    year: Year = Field(default_factory=this_year)


@router.get("/stars", response=with_errors({200: list[StarOut]}), summary="本级及下级职工之家的星级评定")
@paginate(Pagination, page_size=100)
def star_list(request: HttpRequest, query: Query[StarQuery]) -> list[dict[str, Any]]:
    return PageMapped(  # type: ignore[return-value]
        selectors.home_list(actor=request.user),
        lambda page: [_star(r) for r in selectors.star_results(page, query.year)],
    )


@router.get("/stars/{point_id}", response=with_errors({200: list[StarOut]}), summary="职工之家历年星级与明细")
def star_history(request: HttpRequest, point_id: Id) -> list[dict[str, Any]]:
    point = selectors.home_get(actor=request.user, point_id=point_id)
    return [_star(r) for r in selectors.star_history(point)]


class AssessmentIn(Schema):
    year: Year
    source: AssessmentSource
    scores: dict[str, Decimal] = Field(..., description="每个评价项 0–100 分")
    note: str = Field("", max_length=2000)


@router.put(
    "/stars/{point_id}/assessments",
    response=with_errors({200: StarOut}),
    summary="所在单位或上级工会评家（每项 0–100 分）",
)
def assessment_submit(request: HttpRequest, point_id: Id, body: AssessmentIn) -> dict[str, Any]:
    a = services.assessment_submit(
        actor=request.user,
        point_id=point_id,
        year=body.year,
        source=body.source,
        scores=body.scores,
        note=body.note,
    )
    point = selectors.home_get(actor=request.user, point_id=a.point_id)
    return _star(selectors.star_results([point], body.year)[0])


# ---- staff: evaluations and award lists ----------------------------------------------------------------------------


class EvaluationIn(Schema):
    owner_id: Id
    year: Year
    title: str = Field(..., min_length=1, max_length=120)
    budget_fen: Fen
    cap_fen: Fen | None = None
    weights: dict[Indicator, int] = Field(..., description="各指标权重，合计 100")


class EvaluationHomeOut(Schema):
    id: int
    point_id: int
    point_name: str
    area: int
    checkins: int
    activities: int
    attendance: int
    orders: int
    rating: Decimal
    satisfaction: Decimal
    sources: dict[str, str]
    cap_fen: int | None
    score: Decimal
    amount_fen: int
    breakdown: dict[str, Any]


class EvaluationOut(Schema):
    id: int
    owner_id: int
    owner_name: str
    year: int
    title: str
    status: str
    budget_fen: int
    cap_fen: int | None
    weights: dict[str, int]
    allocated_fen: int
    unallocated_fen: int
    rounding_rule: str
    homes: list[EvaluationHomeOut]


def _home(h: EvaluationHome) -> dict[str, Any]:
    return {
        "id": h.pk,
        "point_id": h.point_id,
        "point_name": h.point.name,
        **{k: getattr(h, k) for k in Indicator.values},
        "sources": h.sources,
        "cap_fen": h.cap_fen,
        "score": h.score,
        "amount_fen": h.amount_fen,
        "breakdown": h.breakdown,
    }


def _evaluation(e: Evaluation) -> dict[str, Any]:
    from .allocation import ROUNDING_RULE

    homes = list(selectors.evaluation_homes(e))
    return {
        "id": e.pk,
        "owner_id": e.owner_id,
        "owner_name": e.owner.name,
        "year": e.year,
        "title": e.title,
        "status": e.status,
        "budget_fen": e.budget_fen,
        "cap_fen": e.cap_fen,
        "weights": e.weights,
        "allocated_fen": sum(h.amount_fen for h in homes),
        "unallocated_fen": e.unallocated_fen,
        "rounding_rule": ROUNDING_RULE,
        "homes": [_home(h) for h in homes],
    }


class EvaluationSummaryOut(Schema):
    id: int
    owner_name: str
    year: int
    title: str
    status: str
    budget_fen: int


@router.get("/evaluations", response=with_errors({200: list[EvaluationSummaryOut]}), summary="年度考评列表")
@paginate(Pagination, page_size=100)
def evaluation_list(request: HttpRequest) -> list[dict[str, Any]]:
    return PageMapped(  # type: ignore[return-value]
        selectors.evaluation_list(actor=request.user),
        lambda page: [
            {
                "id": e.pk,
                "owner_name": e.owner.name,
                "year": e.year,
                "title": e.title,
                "status": e.status,
                "budget_fen": e.budget_fen,
            }
            for e in page
        ],
    )


@router.post("/evaluations", response=with_errors({201: EvaluationOut}), summary="新建年度考评并按指标分配经费")
def evaluation_create(request: HttpRequest, body: EvaluationIn) -> Status[dict[str, Any]]:
    e = services.evaluation_create(
        actor=request.user,
        owner_id=body.owner_id,
        year=body.year,
        title=body.title,
        budget_fen=body.budget_fen,
        cap_fen=body.cap_fen,
        weights={str(k): v for k, v in body.weights.items()},
    )
    return Status(201, _evaluation(selectors.evaluation_get(actor=request.user, evaluation_id=e.pk)))


@router.get("/evaluations/{evaluation_id}", response=with_errors({200: EvaluationOut}), summary="考评结果与明细")
def evaluation_detail(request: HttpRequest, evaluation_id: Id) -> dict[str, Any]:
    return _evaluation(selectors.evaluation_get(actor=request.user, evaluation_id=evaluation_id))


class EvaluationHomeIn(Schema):
    area: int | None = Field(None, ge=0, le=2_000_000_000)
    checkins: int | None = Field(None, ge=0, le=2_000_000_000)
    activities: int | None = Field(None, ge=0, le=2_000_000_000)
    attendance: int | None = Field(None, ge=0, le=2_000_000_000)
    orders: int | None = Field(None, ge=0, le=2_000_000_000)
    rating: Decimal | None = Field(None, ge=0, le=5)
    satisfaction: Decimal | None = Field(None, ge=0, le=100)
    cap_fen: Fen | None = Field(None, description="本家上限；不填则用统一上限")


@router.patch(
    "/evaluation-homes/{home_id}",
    response=with_errors({200: EvaluationOut}),
    summary="修正考评中某家的指标或上限，并重新分配",
)
def evaluation_home_update(request: HttpRequest, home_id: Id, body: EvaluationHomeIn) -> dict[str, Any]:
    values = {k: v for k, v in body.dict(exclude_unset=True).items() if k != "cap_fen" and v is not None}
    home = services.evaluation_home_update(actor=request.user, home_id=home_id, values=values, cap_fen=body.cap_fen)
    return _evaluation(selectors.evaluation_get(actor=request.user, evaluation_id=home.evaluation_id))


@router.post("/evaluations/{evaluation_id}/finalise", response=with_errors({200: EvaluationOut}), summary="考评定稿")
def evaluation_finalise(request: HttpRequest, evaluation_id: Id) -> dict[str, Any]:
    services.evaluation_finalise(actor=request.user, evaluation_id=evaluation_id)
    return _evaluation(selectors.evaluation_get(actor=request.user, evaluation_id=evaluation_id))


class AwardListIn(Schema):
    owner_id: Id
    year: Year
    title: str = Field(..., min_length=1, max_length=120)
    benchmark_fen: Fen
    candidate_fen: Fen


class AwardEntryOut(Schema):
    union_id: int
    union_name: str
    level: str
    amount_fen: int


class AwardListOut(Schema):
    id: int
    owner_name: str
    year: int
    title: str
    benchmark_fen: int
    candidate_fen: int
    total_fen: int
    entries: list[AwardEntryOut]


def _award(a: AwardList) -> dict[str, Any]:
    entries = list(a.entries.select_related("union").order_by("level", "union__path"))
    return {
        "id": a.pk,
        "owner_name": a.owner.name,
        "year": a.year,
        "title": a.title,
        "benchmark_fen": a.benchmark_fen,
        "candidate_fen": a.candidate_fen,
        "total_fen": sum(e.amount_fen for e in entries),
        "entries": [
            {"union_id": e.union_id, "union_name": e.union.name, "level": e.level, "amount_fen": e.amount_fen}
            for e in entries
        ],
    }


@router.get("/awards", response=with_errors({200: list[AwardListOut]}), summary="以奖代补名单")
@paginate(Pagination, page_size=50)
def award_lists(request: HttpRequest) -> list[dict[str, Any]]:
    return PageMapped(selectors.award_list_list(actor=request.user), lambda page: [_award(a) for a in page])  # type: ignore[return-value]


@router.post("/awards", response=with_errors({201: AwardListOut}), summary="新建以奖代补名单")
def award_list_create(request: HttpRequest, body: AwardListIn) -> Status[dict[str, Any]]:
    a = services.award_list_create(
        actor=request.user,
        owner_id=body.owner_id,
        year=body.year,
        title=body.title,
        benchmark_fen=body.benchmark_fen,
        candidate_fen=body.candidate_fen,
    )
    return Status(201, _award(selectors.award_list_get(actor=request.user, award_list_id=a.pk)))


class AwardEntryIn(Schema):
    union_id: Id
    level: AwardLevel


@router.post("/awards/{award_list_id}/entries", response=with_errors({201: AwardListOut}), summary="把企业工会列入名单")
def award_entry_add(request: HttpRequest, award_list_id: Id, body: AwardEntryIn) -> Status[dict[str, Any]]:
    services.award_entry_add(actor=request.user, award_list_id=award_list_id, union_id=body.union_id, level=body.level)
    return Status(201, _award(selectors.award_list_get(actor=request.user, award_list_id=award_list_id)))


# ---- needs, services and resources lists ---------------------------------------------------------------------------


class NeedIn(Schema):
    title: str = Field(..., min_length=1, max_length=100)
    body: str = Field("", max_length=1000)
    service_type_id: Id | None = Field(None, description="对应的服务目录项目")
    point_id: Id | None = Field(None, description="相关的职工之家")
    org_id: Id | None = Field(None, description="或受理的工会（须同时给出位置）")
    lng: float | None = Field(None, ge=-180, le=180, allow_inf_nan=False, description="经度（WGS-84）")
    lat: float | None = Field(None, ge=-90, le=90, allow_inf_nan=False, description="纬度（WGS-84）")


class NeedOut(Schema):
    id: int
    title: str
    body: str
    status: str
    service_type_id: int | None
    service_type_name: str | None
    point_id: int | None
    org_id: int
    org_name: str
    lng: float
    lat: float
    created_at: dt.datetime


def _need(n: Need) -> dict[str, Any]:
    return {
        "id": n.pk,
        "title": n.title,
        "body": n.body,
        "status": n.status,
        "service_type_id": n.service_type_id,
        "service_type_name": n.service_type.name if n.service_type else None,
        "point_id": n.point_id,
        "org_id": n.org_id,
        "org_name": n.org.name,
        "lng": n.lng,
        "lat": n.lat,
        "created_at": n.created_at,
    }


@router.post("/needs", response=with_errors({201: NeedOut}), summary="提出需求（需求清单）")
def need_post(request: HttpRequest, body: NeedIn) -> Status[dict[str, Any]]:
    n = services.need_post(
        actor=request.user,
        title=body.title,
        body=body.body,
        service_type_id=body.service_type_id,
        point_id=body.point_id,
        org_id=body.org_id,
        lng=body.lng,
        lat=body.lat,
    )
    return Status(201, _need(selectors.my_needs(actor=request.user).get(pk=n.pk)))


@router.get("/needs/mine", response=with_errors({200: list[NeedOut]}), summary="我提出的需求")
@paginate(Pagination, page_size=50)
def my_needs(request: HttpRequest) -> list[dict[str, Any]]:
    return PageMapped(selectors.my_needs(actor=request.user), lambda page: [_need(n) for n in page])  # type: ignore[return-value]


class NeedQuery(Schema):
    open_only: bool = False


@router.get("/needs", response=with_errors({200: list[NeedOut]}), summary="本级及下级受理的需求")
@paginate(Pagination, page_size=100)
def need_list(request: HttpRequest, query: Query[NeedQuery]) -> list[dict[str, Any]]:
    qs = selectors.need_list(actor=request.user, open_only=query.open_only)
    return PageMapped(qs, lambda page: [_need(n) for n in page])  # type: ignore[return-value]


class UnansweredOut(Schema):
    need: NeedOut
    nearest_minutes: float | None = Field(description="到最近的提供对应服务的阵地（分钟）；没有则为 null")


class UnansweredQuery(Schema):
    mode: Literal["walk", "ride"] = "walk"


@router.get(
    "/needs/unanswered",
    response=with_errors({200: list[UnansweredOut]}),
    summary="十分钟内没有服务回应的需求（规划视图）",
)
def needs_unanswered(request: HttpRequest, query: Query[UnansweredQuery]) -> list[dict[str, Any]]:
    return [
        {"need": _need(u.need), "nearest_minutes": u.nearest_minutes}
        for u in selectors.unanswered_needs(actor=request.user, mode=query.mode, limit=500)
    ]


@router.post("/needs/{need_id}/close", response=with_errors({200: NeedOut}), summary="标记需求已满足")
def need_close(request: HttpRequest, need_id: Id) -> dict[str, Any]:
    return _need(services.need_close(actor=request.user, need_id=need_id))


class ResourceIn(Schema):
    kind: ResourceKind
    name: str = Field(..., min_length=1, max_length=100)
    description: str = Field("", max_length=300)
    quantity: int | None = Field(None, ge=1, le=999_999)


class ResourceOut(Schema):
    id: int
    kind: str
    name: str
    description: str
    quantity: int | None


class OfferedServiceOut(Schema):
    service_type_id: int
    name: str


class PointListsOut(Schema):
    point_id: int
    needs: list[NeedOut]
    services: list[OfferedServiceOut]
    resources: list[ResourceOut]


def _resource(r: Resource) -> dict[str, Any]:
    return {"id": r.pk, "kind": r.kind, "name": r.name, "description": r.description, "quantity": r.quantity}


@router.get(
    "/points/{point_id}/lists",
    auth=PUBLIC,
    response=with_errors({200: PointListsOut}),
    summary="职工之家的需求清单、服务清单、资源清单（公开）",
)
def point_lists(request: HttpRequest, point_id: Id) -> dict[str, Any]:
    lists = selectors.point_lists(point_get_public(actor=request.user, point_id=point_id))
    return {
        "point_id": lists.point.pk,
        "needs": [_need(n) for n in lists.needs],
        "services": [{"service_type_id": o.service_type_id, "name": o.service_type.name} for o in lists.services],
        "resources": [_resource(r) for r in lists.resources],
    }


@router.post("/points/{point_id}/resources", response=with_errors({201: ResourceOut}), summary="登记阵地资源")
def resource_add(request: HttpRequest, point_id: Id, body: ResourceIn) -> Status[dict[str, Any]]:
    r = services.resource_add(
        actor=request.user,
        point_id=point_id,
        kind=body.kind,
        name=body.name,
        description=body.description,
        quantity=body.quantity,
    )
    return Status(201, _resource(r))


class SummariesQuery(Schema):
    point_id: list[Id] = Field(..., min_length=1, max_length=50, description="阵地（最多 50 个）")


class PointSummaryOut(Schema):
    point_id: int
    average: Decimal | None
    count: int


@router.get(
    "/summaries",
    auth=PUBLIC,
    url_name="ratings_summaries",
    response=with_errors({200: list[PointSummaryOut]}),
    summary="多个阵地的会员评家平均星级（公开，供找职工之家列表使用）",
)
def summaries(request: HttpRequest, query: Query[SummariesQuery]) -> list[dict[str, Any]]:
    found = selectors.rating_summaries(dict.fromkeys(query.point_id))
    return [{"point_id": pid, "average": s.average, "count": s.count} for pid, s in found.items()]
