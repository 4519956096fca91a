"""The Beijing demo's member ratings (会员评家): demo workers rate the homes where their service orders were completed
(a real visit), a third of the ratings get a reply, workers send opinions through the window and half are answered;
the city sets 2026's star scheme (members 50%) and the homes with ratings get their own unit's and the city's
assessment; one annual evaluation shares 1,000,000 yuan among the homes of one district, and an award list names
benchmark and candidate enterprise unions. Deterministic and idempotent, through the ratings services.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.utils import timezone

from zhijia.accounts.models import User
from zhijia.network.models import PointStatus
from zhijia.organizations.models import Organization, OrgKind
from zhijia.ratings import services
from zhijia.ratings.models import AwardList, Evaluation, HomeRating, Opinion, StarAssessment, StarScheme
from zhijia.ratings.selectors import HOME_KINDS, criteria_for
from zhijia.servicemenu.models import DONE_STATUSES, Order

SEED = 20261121
RATINGS = 300
OPINIONS = 60
YEAR = 2026
COMMENTS = [
    "",
    "环境干净整洁，工作人员很热情",
    "微波炉排队有点久，希望再加一台",
    "周末能不能延长开放时间",
    "理发师傅手艺好",
    "活动很丰富，孩子也喜欢",
    "空调有点冷",
    "位置好找，离工地近",
]
REPLIES = [
    "感谢您的肯定，欢迎常来！",
    "已增加一台微波炉。",
    "已调整空调温度，谢谢提醒。",
    "周六开放时间已延长到晚八点。",
]
OPINION_TEXTS = [
    "希望增加夜间开放时段，下夜班的骑手也能歇脚",
    "建议设置电动车充电柜",
    "能否开设手机维修技能培训",
    "饮水机的滤芯该换了",
    "希望多组织亲子活动",
    "建议在门口设置指示牌，外卖小哥不好找",
]
ANSWERS = ["已列入今年计划，感谢建议。", "已联系物业落实。", "下月起每周三晚开课，欢迎报名。"]


def _visits(city: Organization, limit: int) -> list[tuple[int, int]]:
    """(point, worker) pairs with a service completed at a home in the last 80 days: real visits to rate."""
    since = timezone.now() - dt.timedelta(days=80)
    rows = (
        Order.objects.filter(
            point__owner__path__startswith=city.path,
            point__kind__in=HOME_KINDS,
            point__status=PointStatus.OPEN,
            status__in=DONE_STATUSES,
            completed_at__gte=since,
            user__kind=User.Kind.WORKER,
        )
        .values_list("point_id", "user_id")
        .distinct()
        .order_by("point_id", "user_id")
    )
    return list(rows[:limit])


def build_for(*, city: Organization, admin: User, superuser: User, progress: Any = print) -> dict[str, int]:
    rng = random.Random(SEED)
    made = replied = 0
    users = {
        u.pk: u for u in User.objects.filter(kind=User.Kind.WORKER, pk__in={u for _p, u in _visits(city, RATINGS)})
    }
    rated_points: set[int] = set()
    for point_id, user_id in _visits(city, RATINGS):
        if HomeRating.objects.filter(point_id=point_id, user_id=user_id).exists():
            rated_points.add(point_id)
            continue
        owner_path = Organization.objects.filter(service_points__pk=point_id).values_list("path", flat=True).first()
        codes = [c.code for c in criteria_for(owner_path or city.path)]
        stars = {c: rng.choices([2, 3, 4, 5], weights=[1, 3, 6, 6])[0] for c in codes}
        rating = services.rating_submit(
            actor=users[user_id], point_id=point_id, stars=stars, comment=rng.choice(COMMENTS)
        )
        made += 1
        rated_points.add(point_id)
        if rng.random() < 0.33:
            services.rating_reply(actor=admin, rating_id=rating.pk, body=rng.choice(REPLIES))
            replied += 1
    opinions = 0
    if not Opinion.objects.filter(org__path__startswith=city.path).exists():
        pairs = _visits(city, OPINIONS)
        for i, (point_id, user_id) in enumerate(pairs):
            o = services.opinion_submit(actor=users[user_id], body=rng.choice(OPINION_TEXTS), point_id=point_id)
            opinions += 1
            if i % 2 == 0:
                services.opinion_answer(actor=admin, opinion_id=o.pk, answer=rng.choice(ANSWERS))
    if not StarScheme.objects.filter(owner=city, year=YEAR).exists():
        services.star_scheme_set(
            actor=admin, org_id=city.pk, year=YEAR, weights=[50, 25, 25], thresholds=[60, 70, 80, 88, 95]
        )
    assessed = 0
    for point_id in sorted(rated_points)[:60]:
        if StarAssessment.objects.filter(point_id=point_id, year=YEAR).exists():
            continue
        owner_path = Organization.objects.filter(service_points__pk=point_id).values_list("path", flat=True).first()
        codes = [c.code for c in criteria_for(owner_path or city.path)]
        for source, actor in (("unit", superuser), ("higher", admin)):
            scores = {c: rng.randint(65, 98) for c in codes}
            services.assessment_submit(actor=actor, point_id=point_id, year=YEAR, source=source, scores=scores)
        assessed += 1
    evaluations = 0
    district = Organization.objects.filter(path__startswith=city.path, kind=OrgKind.DISTRICT_FEDERATION).order_by(
        "path"
    )
    chaoyang = district.filter(name__contains="朝阳").first() or district.first()
    if chaoyang is not None and not Evaluation.objects.filter(owner=chaoyang, year=YEAR).exists():
        services.evaluation_create(
            actor=admin,
            owner_id=chaoyang.pk,
            year=YEAR,
            title=f"{YEAR}年度{chaoyang.name}共享职工之家考评（以奖代补）",
            budget_fen=100_000_000,
            cap_fen=3_000_000,
            weights={
                "area": 15,
                "checkins": 20,
                "activities": 15,
                "attendance": 10,
                "orders": 10,
                "rating": 15,
                "satisfaction": 15,
            },
        )
        evaluations = 1
    awards = 0
    if chaoyang is not None and not AwardList.objects.filter(owner=chaoyang, year=YEAR).exists():
        award_list = services.award_list_create(
            actor=admin,
            owner_id=chaoyang.pk,
            year=YEAR,
            title=f"{YEAR}年度{chaoyang.name}以奖代补",
            benchmark_fen=2_000_000,
            candidate_fen=1_000_000,
        )
        unions = list(
            Organization.objects.filter(path__startswith=chaoyang.path, kind=OrgKind.ENTERPRISE_UNION).order_by("path")[
                :9
            ]
        )
        for i, union in enumerate(unions):
            level = "benchmark" if i < 5 else "candidate"
            services.award_entry_add(actor=admin, award_list_id=award_list.pk, union_id=union.pk, level=level)
            awards += 1
    progress(
        f"ratings: {made} ratings ({replied} replied), {opinions} opinions, {assessed} homes assessed, "
        f"{evaluations} evaluation, {awards} awarded unions"
    )
    return {"home_ratings": made, "opinions": opinions, "star_assessments": assessed, "awards": awards}


def build(*, progress: Any = print) -> dict[str, int]:
    city = Organization.objects.get(code="FED-11")
    admin = User.objects.get(username="bj-city")
    superuser = User.objects.get(username="admin")
    return build_for(city=city, admin=admin, superuser=superuser, progress=progress)
