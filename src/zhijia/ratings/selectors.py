"""Reading ratings, opinions, stars and evaluations. Public: a home's averages and its ratings with their replies.
Staff: what concerns the homes and unions of their own subtree (404 beyond it). Workers: what they wrote."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import numpy as np
from django.conf import settings
from django.db.models import Avg, Count, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone

from zhijia.core.errors import NotFound
from zhijia.core.ids import valid_id
from zhijia.core.roles import Perm
from zhijia.core.scope import scope_for
from zhijia.network.geo import haversine_many_m, travel_minutes
from zhijia.network.models import PointKind, PointStatus, ServicePoint
from zhijia.organizations.models import Organization, OrgKind
from zhijia.servicemenu.models import Offering, ServiceType
from zhijia.servicemenu.selectors import catalogue_for_point, menu_offerings

from . import scoring
from .models import (
    AssessmentSource,
    AwardList,
    Evaluation,
    EvaluationHome,
    HomeRating,
    Need,
    Opinion,
    Period,
    RatingCriterion,
    RatingRules,
    RatingScore,
    Resource,
    StarAssessment,
    StarAssessmentScore,
    StarScheme,
)

# The kinds of point that are homes: star-rated and evaluated for funding.
HOME_KINDS = (PointKind.ENTERPRISE_HOME, PointKind.SHARED_HOME, PointKind.SERVICE_STATION)
LIVE_STATUSES = (PointStatus.OPEN, PointStatus.SUSPENDED)
DEFAULT_VISIT_DAYS = 90
DEFAULT_PERIOD = Period.YEAR
DEFAULT_WEIGHTS = (Decimal(50), Decimal(25), Decimal(25))
DEFAULT_THRESHOLDS = (Decimal(60), Decimal(70), Decimal(80), Decimal(88), Decimal(95))


def _ancestors(path: str) -> list[str]:
    """The paths of a node and every node above it, nearest first."""
    step = Organization.steplen
    return [path[:i] for i in range(len(path), 0, -step)]


# ---- the city's rules and criteria ----------------------------------------------------------------------------------


def criteria_for(org_path: str) -> list[RatingCriterion]:
    """The criteria a home under `org_path` is rated on: the most local active list above it, else the national one
    (kept in every database by national_criteria.py)."""
    lists: dict[str | None, list[RatingCriterion]] = defaultdict(list)
    for c in RatingCriterion.objects.filter(
        Q(owner__isnull=True) | Q(owner__path__in=_ancestors(org_path)), is_active=True
    ).select_related("owner"):
        lists[c.owner.path if c.owner else None].append(c)
    for path in [*_ancestors(org_path), None]:
        if lists.get(path):
            return sorted(lists[path], key=lambda c: (c.position, c.pk))
    return []


@dataclass(frozen=True)
class Rules:
    visit_days: int
    period: str
    owner: Organization | None


def rules_for(org_path: str) -> Rules:
    rules = {
        r.owner.path: r
        for r in RatingRules.objects.filter(owner__path__in=_ancestors(org_path)).select_related("owner")
    }
    for path in _ancestors(org_path):
        if path in rules:
            r = rules[path]
            return Rules(r.visit_days, r.period, r.owner)
    return Rules(getattr(settings, "RATINGS_VISIT_DAYS", DEFAULT_VISIT_DAYS), DEFAULT_PERIOD, None)


def period_key(period: str, when: dt.datetime) -> str:
    day = timezone.localtime(when).date()
    if period == Period.MONTH:
        return f"{day.year}-{day.month:02d}"
    if period == Period.QUARTER:
        return f"{day.year}-Q{(day.month - 1) // 3 + 1}"
    return str(day.year)


# ---- public: a home's averages and ratings ------------------------------------------------------------------------


@dataclass(frozen=True)
class Summary:
    average: Decimal | None
    count: int


def rating_summaries(point_ids: Iterable[int]) -> dict[int, Summary]:
    """The public average stars and the number of ratings of each point (one query)."""
    ids = list(point_ids)
    rows = (
        HomeRating.objects.filter(point_id__in=ids)
        .values_list("point_id")
        .annotate(avg=Avg("average"), n=Count("pk"))
        .order_by()
    )
    found = {pid: Summary(Decimal(avg).quantize(Decimal("0.1")), n) for pid, avg, n in rows}
    return {pid: found.get(pid, Summary(None, 0)) for pid in ids}


def criterion_averages(point_id: int) -> list[tuple[str, Decimal]]:
    rows = (
        RatingScore.objects.filter(rating__point_id=point_id)
        .values_list("criterion__label", "criterion__position", "criterion_id")
        .annotate(avg=Avg("stars"))
        .order_by("criterion__position", "criterion_id")
    )
    return [(label, Decimal(avg).quantize(Decimal("0.1"))) for label, _pos, _id, avg in rows]


def point_ratings_public(point_id: int, *, limit: int = 50) -> QuerySet[HomeRating]:
    return (
        HomeRating.objects.filter(point_id=point_id)
        .select_related("user")
        .prefetch_related("scores__criterion", "replies__author")
        .order_by("-created_at", "-pk")[:limit]
    )


def masked_name(user: Any) -> str:
    """How a rater appears in public: the first character of their name and a star."""
    name = (getattr(user, "display_name", "") or "").strip()
    return f"{name[:1]}*" if name else "*"


def my_ratings(*, actor: Any) -> QuerySet[HomeRating]:
    if actor is None or not actor.is_authenticated:
        return HomeRating.objects.none()
    return (
        HomeRating.objects.filter(user=actor)
        .select_related("point")
        .prefetch_related("scores__criterion", "replies__author")
        .order_by("-created_at", "-pk")
    )


def my_rating_now(*, actor: Any, point: ServicePoint, now: dt.datetime | None = None) -> HomeRating | None:
    """The actor's rating of the point in the current period, if any."""
    if actor is None or not actor.is_authenticated:
        return None
    key = period_key(rules_for(point.owner.path).period, now or timezone.now())
    return HomeRating.objects.filter(user=actor, point=point, period=key).first()


# ---- staff: ratings and opinions in scope --------------------------------------------------------------------------


def rating_list(*, actor: Any, point_id: int | None = None, unreplied: bool = False) -> QuerySet[HomeRating]:
    qs = HomeRating.objects.filter(scope_for(actor).subtree_q(Perm.RATINGS_VIEW, "point__owner"))
    if point_id is not None:
        qs = qs.filter(point_id=point_id)
    if unreplied:
        qs = qs.filter(replies__isnull=True)
    return (
        qs.select_related("point", "point__owner", "user")
        .prefetch_related("scores__criterion", "replies__author")
        .order_by("-created_at", "-pk")
    )


def rating_get(*, actor: Any, rating_id: int) -> HomeRating:
    try:
        return (
            HomeRating.objects.select_related("point", "point__owner", "user")
            .prefetch_related("scores__criterion", "replies__author")
            .get(scope_for(actor).subtree_q(Perm.RATINGS_VIEW, "point__owner"), pk=rating_id)
        )
    except (HomeRating.DoesNotExist, ValueError, TypeError, OverflowError):
        raise NotFound("rating") from None


def opinion_list(*, actor: Any, unanswered: bool = False) -> QuerySet[Opinion]:
    qs = Opinion.objects.filter(scope_for(actor).subtree_q(Perm.RATINGS_VIEW, "org"))
    if unanswered:
        qs = qs.filter(answered_at__isnull=True).order_by("created_at", "pk")
    else:
        qs = qs.order_by("-created_at", "-pk")
    return qs.select_related("point", "org", "user", "answered_by")


def opinion_get(*, actor: Any, opinion_id: int) -> Opinion:
    """An opinion its author or the staff of the answering union's subtree may read."""
    scope = scope_for(actor)
    q = scope.subtree_q(Perm.RATINGS_VIEW, "org")
    if scope.user_id is not None:
        q |= Q(user_id=scope.user_id)
    try:
        return Opinion.objects.select_related("point", "org", "user", "answered_by").get(q, pk=opinion_id)
    except (Opinion.DoesNotExist, ValueError, TypeError, OverflowError):
        raise NotFound("opinion") from None


def my_opinions(*, actor: Any) -> QuerySet[Opinion]:
    if actor is None or not actor.is_authenticated:
        return Opinion.objects.none()
    return Opinion.objects.filter(user=actor).select_related("point", "org", "answered_by").order_by("-created_at")


def opinion_age_days(opinion: Opinion, now: dt.datetime | None = None) -> int:
    end = opinion.answered_at or now or timezone.now()
    return max(0, (end - opinion.created_at).days)


# ---- charts ------------------------------------------------------------------------------------------------------


def ratings_by_month(*, actor: Any, point_id: int | None = None, months: int = 12) -> list[dict[str, Any]]:
    """Average stars and number of ratings per month over the last `months` months, in scope (or of one point)."""
    since = (timezone.localdate().replace(day=1) - dt.timedelta(days=31 * (months - 1))).replace(day=1)
    if point_id is None:
        qs = HomeRating.objects.filter(scope_for(actor).subtree_q(Perm.RATINGS_VIEW, "point__owner"))
    else:
        qs = HomeRating.objects.filter(point_id=point_id)
    rows = (
        qs.filter(created_at__date__gte=since)
        .annotate(month=TruncMonth("created_at"))
        .values_list("month")
        .annotate(avg=Avg("average"), n=Count("pk"))
        .order_by("month")
    )
    return [
        {"month": f"{m:%Y-%m}", "average": float(Decimal(avg).quantize(Decimal("0.01"))), "count": n}
        for m, avg, n in rows
    ]


# ---- star-rated homes ----------------------------------------------------------------------------------------------


def home_list(*, actor: Any, perm: Perm = Perm.RATINGS_VIEW) -> QuerySet[ServicePoint]:
    return (
        ServicePoint.objects.filter(scope_for(actor).subtree_q(perm, "owner"))
        .filter(kind__in=HOME_KINDS, status__in=LIVE_STATUSES)
        .select_related("owner")
        .order_by("owner__path", "name", "pk")
    )


def home_get(*, actor: Any, point_id: int, perm: Perm = Perm.RATINGS_VIEW) -> ServicePoint:
    try:
        return (
            ServicePoint.objects.filter(scope_for(actor).subtree_q(perm, "owner"))
            .select_related("owner")
            .get(pk=point_id)
        )
    except (ServicePoint.DoesNotExist, ValueError, TypeError, OverflowError):
        raise NotFound("point") from None


@dataclass(frozen=True)
class SchemeView:
    weights: tuple[Decimal, Decimal, Decimal]
    thresholds: tuple[Decimal, ...]
    owner: Organization | None
    year: int


def scheme_for(org_path: str, year: int) -> SchemeView:
    schemes = {
        s.owner.path: s
        for s in StarScheme.objects.filter(owner__path__in=_ancestors(org_path), year=year).select_related("owner")
    }
    for path in _ancestors(org_path):
        if path in schemes:
            s = schemes[path]
            return SchemeView(
                (Decimal(s.member_weight), Decimal(s.unit_weight), Decimal(s.higher_weight)),
                (s.star1, s.star2, s.star3, s.star4, s.star5),
                s.owner,
                year,
            )
    return SchemeView(DEFAULT_WEIGHTS, DEFAULT_THRESHOLDS, None, year)


def _year_span(year: int) -> tuple[dt.datetime, dt.datetime]:
    tz = timezone.get_current_timezone()
    return dt.datetime(year, 1, 1, tzinfo=tz), dt.datetime(year + 1, 1, 1, tzinfo=tz)


@dataclass(frozen=True)
class StarResult:
    point: ServicePoint
    year: int
    criteria: list[RatingCriterion]
    scheme: SchemeView
    result: scoring.Composite
    raters: int
    assessments: dict[str, StarAssessment]


def star_results(points: Sequence[ServicePoint], year: int) -> list[StarResult]:
    """Each point's composite for the year with its full breakdown (a fixed number of queries for any number)."""
    if not points:
        return []
    ids = [p.pk for p in points]
    start, end = _year_span(year)
    member: dict[int, dict[int, Decimal]] = defaultdict(dict)
    for pid, cid, avg in (
        RatingScore.objects.filter(rating__point_id__in=ids, rating__created_at__gte=start, rating__created_at__lt=end)
        .values_list("rating__point_id", "criterion_id")
        .annotate(avg=Avg("stars"))
        .order_by()
    ):
        member[pid][cid] = Decimal(avg)
    raters = dict(
        HomeRating.objects.filter(point_id__in=ids, created_at__gte=start, created_at__lt=end)
        .values_list("point_id")
        .annotate(n=Count("user_id", distinct=True))
        .order_by()
    )
    assessments: dict[int, dict[str, StarAssessment]] = defaultdict(dict)
    for a in StarAssessment.objects.filter(point_id__in=ids, year=year).select_related("assessor", "assessor_org"):
        assessments[a.point_id][a.source] = a
    given: dict[int, dict[int, Decimal]] = defaultdict(dict)
    for aid, cid, score in StarAssessmentScore.objects.filter(
        assessment__point_id__in=ids, assessment__year=year
    ).values_list("assessment_id", "criterion_id", "score"):
        given[aid][cid] = score
    out = []
    cache: dict[str, tuple[list[RatingCriterion], SchemeView]] = {}
    for p in points:
        if p.owner.path not in cache:
            cache[p.owner.path] = (criteria_for(p.owner.path), scheme_for(p.owner.path, year))
        criteria, scheme = cache[p.owner.path]
        codes = [c.code for c in criteria]
        by_code = {c.pk: c.code for c in criteria}

        def coded(values: dict[int, Decimal], by_code: dict[int, str] = by_code) -> dict[str, Decimal]:
            return {by_code[cid]: v for cid, v in values.items() if cid in by_code}

        unit = assessments[p.pk].get(AssessmentSource.UNIT)
        higher = assessments[p.pk].get(AssessmentSource.HIGHER)
        result = scoring.composite(
            criteria=codes,
            members=coded(member.get(p.pk, {})),
            unit=coded(given.get(unit.pk, {})) if unit else {},
            higher=coded(given.get(higher.pk, {})) if higher else {},
            weights=scheme.weights,
            thresholds=scheme.thresholds,
        )
        out.append(StarResult(p, year, criteria, scheme, result, raters.get(p.pk, 0), assessments[p.pk]))
    return out


def star_history(point: ServicePoint) -> list[StarResult]:
    """The point's result for every year it was rated or assessed, latest first."""
    years = set(StarAssessment.objects.filter(point=point).values_list("year", flat=True))
    years |= {d.year for d in HomeRating.objects.filter(point=point).dates("created_at", "year")}
    return [star_results([point], y)[0] for y in sorted(years, reverse=True)]


def stars_by_district(results: Sequence[StarResult]) -> dict[str, Any]:
    """How many homes of each district reached each number of stars (0 = none; homes not yet complete left out)."""
    districts: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    names = district_of([r.point.owner.path for r in results])
    for r in results:
        if r.result.stars is None:
            continue
        districts[names.get(r.point.owner.path, "—")][r.result.stars] += 1
    cats = sorted(districts)
    return {"categories": cats, "series": {n: [districts[d].get(n, 0) for d in cats] for n in range(6)}}


def district_of(paths: Iterable[str]) -> dict[str, str]:
    """The name of the district federation above (or at) each path."""
    paths = set(paths)
    ancestors = {a for p in paths for a in _ancestors(p)}
    found = dict(
        Organization.objects.filter(path__in=ancestors, kind=OrgKind.DISTRICT_FEDERATION).values_list("path", "name")
    )
    return {p: next((found[a] for a in _ancestors(p) if a in found), "—") for p in paths}


# ---- evaluations and awards ----------------------------------------------------------------------------------------


def evaluation_list(*, actor: Any) -> QuerySet[Evaluation]:
    return (
        Evaluation.objects.filter(scope_for(actor).subtree_q(Perm.RATINGS_VIEW, "owner"))
        .select_related("owner")
        .annotate(n_homes=Count("homes"))
        .order_by("-year", "-pk")
    )


def evaluation_get(*, actor: Any, evaluation_id: int) -> Evaluation:
    try:
        return Evaluation.objects.select_related("owner", "created_by").get(
            scope_for(actor).subtree_q(Perm.RATINGS_VIEW, "owner"), pk=evaluation_id
        )
    except (Evaluation.DoesNotExist, ValueError, TypeError, OverflowError):
        raise NotFound("evaluation") from None


def evaluation_home_get(*, actor: Any, home_id: int) -> EvaluationHome:
    try:
        return EvaluationHome.objects.select_related("evaluation", "evaluation__owner", "point").get(
            scope_for(actor).subtree_q(Perm.RATINGS_VIEW, "evaluation__owner"), pk=home_id
        )
    except (EvaluationHome.DoesNotExist, ValueError, TypeError, OverflowError):
        raise NotFound("evaluation_home") from None


def evaluation_homes(evaluation: Evaluation) -> QuerySet[Any]:
    return evaluation.homes.select_related("point", "point__owner").order_by("-amount_fen", "point__name", "pk")


def award_list_list(*, actor: Any) -> QuerySet[AwardList]:
    return (
        AwardList.objects.filter(scope_for(actor).subtree_q(Perm.RATINGS_VIEW, "owner"))
        .select_related("owner")
        .annotate(n=Count("entries"))
        .order_by("-year", "-pk")
    )


def award_list_get(*, actor: Any, award_list_id: int) -> AwardList:
    try:
        return AwardList.objects.select_related("owner").get(
            scope_for(actor).subtree_q(Perm.RATINGS_VIEW, "owner"), pk=award_list_id
        )
    except (AwardList.DoesNotExist, ValueError, TypeError, OverflowError):
        raise NotFound("award_list") from None


def enterprise_unions(*, actor: Any, under: Organization, search: str = "", limit: int = 50) -> list[Organization]:
    """Enterprise unions under `under` an award list may name."""
    qs = Organization.objects.filter(
        scope_for(actor).subtree_q(Perm.RATINGS_VIEW), path__startswith=under.path, kind=OrgKind.ENTERPRISE_UNION
    )
    if search:
        qs = qs.filter(Q(name__contains=search) | Q(code=search))
    return list(qs.order_by("path")[:limit])


def org_choices(*, actor: Any, limit: int = 400) -> list[tuple[int, str]]:
    """The unions a staff member may run an evaluation or an award list for: its own node and two levels below."""
    scope = scope_for(actor)
    if not scope.can(Perm.RATINGS_VIEW) or scope.path is None:
        return []
    root_depth = len(scope.path) // Organization.steplen if scope.path else 0
    qs = Organization.objects.filter(path__startswith=scope.path, depth__lte=root_depth + 2 if root_depth else 4)
    rows = list(qs.order_by("path").values_list("pk", "name", "depth")[:limit])
    first = rows[0][2] if rows else 0
    return [(pk, "\u3000" * (depth - first) + name) for pk, name, depth in rows]


def org_by_code(code: str) -> Organization | None:
    return Organization.objects.filter(code=code.strip()).first()


def org_get(*, org_id: int) -> Organization:
    """A union as a worker names it in the opinion window (the tree's names are public)."""
    org = Organization.objects.filter(pk=org_id).first() if valid_id(org_id) else None
    if org is None:
        raise NotFound("org")
    return org


# ---- needs, services and resources lists -------------------------------------------------------------------------


def need_list(*, actor: Any, open_only: bool = False) -> QuerySet[Need]:
    qs = Need.objects.filter(scope_for(actor).subtree_q(Perm.RATINGS_VIEW, "org"))
    if open_only:
        qs = qs.filter(status=Need.Status.OPEN)
    return qs.select_related("org", "point", "service_type").order_by("-created_at", "-pk")


def need_get(*, actor: Any, need_id: int) -> Need:
    try:
        return Need.objects.select_related("org", "point", "service_type").get(
            scope_for(actor).subtree_q(Perm.RATINGS_VIEW, "org"), pk=need_id
        )
    except (Need.DoesNotExist, ValueError, TypeError, OverflowError):
        raise NotFound("need") from None


def my_needs(*, actor: Any) -> QuerySet[Need]:
    if actor is None or not actor.is_authenticated:
        return Need.objects.none()
    return Need.objects.filter(user=actor).select_related("org", "point", "service_type").order_by("-created_at")


@dataclass(frozen=True)
class PointLists:
    point: ServicePoint
    needs: list[Need]
    services: list[Any]
    resources: list[Resource]


def point_lists(point: ServicePoint) -> PointLists:
    """A home's three lists: the open needs about it, the services it offers (its menu), its resources."""
    return PointLists(
        point=point,
        needs=list(
            Need.objects.filter(point=point, status=Need.Status.OPEN)
            .select_related("service_type")
            .order_by("-created_at")[:100]
        ),
        services=list(menu_offerings(point).filter(is_active=True)),
        resources=list(Resource.objects.filter(point=point).order_by("kind", "name", "pk")),
    )


@dataclass(frozen=True)
class Unanswered:
    need: Need
    nearest_minutes: float | None  # to the nearest open point offering the service; None when none does


def unanswered_needs(
    *, actor: Any, minutes: float | None = None, mode: str = "walk", limit: int = 2000
) -> list[Unanswered]:
    """The open needs in scope that no service within `minutes` (the ten-minute circle) answers: no open point
    offering the need's catalogue service within that travel time, or no catalogue service named at all."""
    minutes = float(minutes if minutes is not None else settings.PLANNING_CIRCLE_MINUTES)
    speed = settings.NETWORK_WALK_KMH if mode == "walk" else settings.NETWORK_RIDE_KMH
    detour = float(settings.NETWORK_DETOUR_FACTOR)
    needs = list(need_list(actor=actor, open_only=True)[:limit])
    types = {n.service_type_id for n in needs if n.service_type_id is not None}
    offered: dict[int, tuple[np.ndarray, np.ndarray]] = {}
    rows = (
        Offering.objects.filter(service_type_id__in=types, is_active=True, point__status=PointStatus.OPEN)
        .values_list("service_type_id", "point__lng", "point__lat")
        .order_by()
    )
    by_type: dict[int, list[tuple[float, float]]] = defaultdict(list)
    for tid, lng, lat in rows:
        by_type[tid].append((lng, lat))
    for tid, coords in by_type.items():
        arr = np.asarray(coords, dtype=np.float64)
        offered[tid] = (arr[:, 0], arr[:, 1])
    out = []
    for n in needs:
        nearest = None
        if n.service_type_id in offered:
            lngs, lats = offered[n.service_type_id]
            metres = float(haversine_many_m(n.lng, n.lat, lngs, lats).min())
            nearest = travel_minutes(metres, speed_kmh=float(speed), detour_factor=detour)
        if nearest is None or nearest > minutes:
            out.append(Unanswered(n, round(nearest, 1) if nearest is not None else None))
    return out


def service_types_for(point: ServicePoint | None) -> list[tuple[int, str]]:
    """The catalogue a need may name: what the point may offer, or the national catalogue."""
    qs = (
        catalogue_for_point(point)
        if point is not None
        else ServiceType.objects.filter(owner__isnull=True, is_active=True).order_by("position", "pk")
    )
    return list(qs.values_list("pk", "name"))
