"""Rating homes' rows of the audit guard (`audit/tests/test_audit_record.py`): each write service, what it does on a
fresh world, and the action it records."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from zhijia.ratings import services
from zhijia.ratings.models import Evaluation, HomeRating, Opinion
from zhijia.testing.world import World

from .ratings_support import ALL_FIVE, visit, x_home

CRITERIA = list(ALL_FIVE)
# Every public function of ratings.services writes and is listed below.
NOT_AUDITED: set[str] = set()


def _rated(w: World) -> HomeRating:
    home = x_home(w)
    visit(w, home)
    return services.rating_submit(actor=w.user("worker"), point_id=home.pk, stars=ALL_FIVE)


def _opinion(w: World) -> Opinion:
    return services.opinion_submit(actor=w.user("worker"), body="希望延长开放时间", point_id=x_home(w).pk)


def _evaluation(w: World) -> Evaluation:
    x_home(w, area_m2=300)
    return services.evaluation_create(
        actor=w.user("district_x_staff"),
        owner_id=w.district_x.pk,
        year=2026,
        title="考评",
        budget_fen=100_000,
        weights={"area": 100},
    )


def _award_list(w: World) -> Any:
    return services.award_list_create(
        actor=w.user("district_x_staff"),
        owner_id=w.district_x.pk,
        year=2026,
        title="以奖代补",
        benchmark_fen=100,
        candidate_fen=50,
    )


WRITES: list[tuple[str, str | None, Callable[[World], object], str]] = [
    ("rating_submit", "worker", _rated, "rating.submit"),
    (
        "rating_reply",
        "district_x_staff",
        lambda w: services.rating_reply(actor=w.user("district_x_staff"), rating_id=_rated(w).pk, body="谢谢"),
        "rating.reply",
    ),
    ("opinion_submit", "worker", _opinion, "opinion.submit"),
    (
        "opinion_answer",
        "district_x_staff",
        lambda w: services.opinion_answer(actor=w.user("district_x_staff"), opinion_id=_opinion(w).pk, answer="好"),
        "opinion.answer",
    ),
    (
        "rules_set",
        "city_staff",
        lambda w: services.rules_set(actor=w.user("city_staff"), org_id=w.city.pk, visit_days=30, period="month"),
        "rating.rules_set",
    ),
    (
        "criteria_set",
        "city_staff",
        lambda w: services.criteria_set(actor=w.user("city_staff"), org_id=w.city.pk, criteria=[("clean", "整洁")]),
        "rating.criteria_set",
    ),
    (
        "star_scheme_set",
        "city_staff",
        lambda w: services.star_scheme_set(
            actor=w.user("city_staff"), org_id=w.city.pk, year=2026, weights=[40, 30, 30], thresholds=[1, 2, 3, 4, 5]
        ),
        "stars.scheme_set",
    ),
    (
        "assessment_submit",
        "district_x_staff",
        lambda w: services.assessment_submit(
            actor=w.user("district_x_staff"),
            point_id=x_home(w).pk,
            year=2026,
            source="higher",
            scores=dict.fromkeys(CRITERIA, 80),
        ),
        "stars.assess",
    ),
    ("evaluation_create", "district_x_staff", _evaluation, "evaluation.create"),
    (
        "evaluation_home_update",
        "district_x_staff",
        lambda w: services.evaluation_home_update(
            actor=w.user("district_x_staff"), home_id=_evaluation(w).homes.get().pk, values={"area": 10}
        ),
        "evaluation.home_update",
    ),
    (
        "evaluation_finalise",
        "district_x_staff",
        lambda w: services.evaluation_finalise(actor=w.user("district_x_staff"), evaluation_id=_evaluation(w).pk),
        "evaluation.finalise",
    ),
    ("award_list_create", "district_x_staff", _award_list, "award_list.create"),
    (
        "award_entry_add",
        "district_x_staff",
        lambda w: services.award_entry_add(
            actor=w.user("district_x_staff"), award_list_id=_award_list(w).pk, union_id=w.union_a.pk, level="benchmark"
        ),
        "award_list.add",
    ),
    (
        "need_post",
        "worker",
        lambda w: services.need_post(actor=w.user("worker"), title="希望有充电柜", point_id=x_home(w).pk),
        "need.post",
    ),
    (
        "need_close",
        "district_x_staff",
        lambda w: services.need_close(
            actor=w.user("district_x_staff"),
            need_id=services.need_post(actor=w.user("worker"), title="希望有充电柜", point_id=x_home(w).pk).pk,
        ),
        "need.close",
    ),
    (
        "resource_add",
        "district_x_staff",
        lambda w: services.resource_add(
            actor=w.user("district_x_staff"), point_id=x_home(w).pk, kind="equipment", name="血压计"
        ),
        "resource.add",
    ),
]
