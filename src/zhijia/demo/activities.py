"""The demo's activities: a few hundred trainings, performances, screenings, competitions, reading days and meetings
across the districts, from three weeks ago to three weeks ahead, at the districts' homes and palaces or elsewhere;
registrations (some waitlists), attendance and feedback for the past ones; interest groups with members and meetings.
The demo worker is registered for a few. Deterministic, bulk-loaded; a second run adds nothing.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from zhijia.accounts.models import User
from zhijia.activities.models import (
    Activity,
    ActivityKind,
    Audience,
    Feedback,
    GroupMember,
    InterestGroup,
    Registration,
    RegistrationStatus,
)
from zhijia.network.models import PointKind, PointStatus, ServicePoint
from zhijia.organizations.models import Organization, OrgKind

CITY = "FED-11"
PEOPLE = 1500
SURNAMES = (
    "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹"
    "袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭"
)
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国红梅海燕志强晓东春生玉兰德"

# (kind, weight, titles, capacity range, hours)
KINDS: list[tuple[str, int, list[str], tuple[int, int], int]] = [
    (
        ActivityKind.TRAINING,
        6,
        [
            "新就业形态劳动者技能培训",
            "电工技能提升培训",
            "家政服务技能培训",
            "急救知识培训",
            "劳动法律知识讲座",
            "网约配送员安全培训",
            "职工心理健康讲座",
        ],
        (20, 60),
        3,
    ),
    (
        ActivityKind.PERFORMANCE,
        2,
        ["职工文艺汇演", "迎新春职工联欢会", "劳模事迹宣讲演出", "职工合唱展演"],
        (100, 300),
        2,
    ),
    (ActivityKind.EXHIBITION, 1, ["职工书画摄影展", "劳动者风采图片展", "职工手工艺品展"], (150, 400), 6),
    (
        ActivityKind.FILM,
        3,
        [
            "职工电影周：《流浪地球》",
            "公益电影放映：《长津湖》",
            "周末电影：《你好，李焕英》",
            "职工专场：《热辣滚烫》",
        ],
        (80, 200),
        2,
    ),
    (
        ActivityKind.COMPETITION,
        2,
        ["职工羽毛球比赛", "职工乒乓球友谊赛", "快递员技能比武", "职工象棋比赛", "职工趣味运动会"],
        (16, 64),
        4,
    ),
    (
        ActivityKind.READING_DAY,
        2,
        ["职工书屋读书分享会", "共读一本书：《平凡的世界》", "亲子阅读日", "读书月主题沙龙"],
        (20, 50),
        2,
    ),
    (
        ActivityKind.EXCHANGE,
        2,
        ["户外劳动者座谈会", "新就业形态劳动者交流会", "青年职工联谊交流会", "女职工权益交流会"],
        (20, 60),
        2,
    ),
]
GROUPS = [
    ("摄影小组", "用镜头记录身边的劳动者。"),
    ("羽毛球小组", "每周两次场地活动，欢迎各种水平的球友。"),
    ("书法小组", "老师指导，笔墨纸砚由职工之家提供。"),
    ("合唱团", "每周排练，参加节日演出。"),
    ("读书会", "每月共读一本书，线下分享。"),
    ("跑步小组", "周末晨跑，一起健康生活。"),
    ("棋艺小组", "象棋、围棋爱好者的交流天地。"),
    ("舞蹈队", "广场舞、民族舞，适合零基础。"),
]


def _people(rng: random.Random, count: int) -> list[int]:
    """Demo attendees: worker accounts with no password to sign in with (the demo worker is the one to log in)."""
    have = list(User.objects.filter(username__startswith="demo-att-").order_by("pk").values_list("pk", flat=True))
    if len(have) >= count:
        return have[:count]
    unusable = make_password(None)
    new = []
    for i in range(len(have), count):
        name = rng.choice(SURNAMES) + rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.6 else "")
        new.append(User(username=f"demo-att-{i:05d}", display_name=name, kind=User.Kind.WORKER, password=unusable))
    User.objects.bulk_create(new, batch_size=1000)
    return list(User.objects.filter(username__startswith="demo-att-").order_by("pk").values_list("pk", flat=True))


def _at(rng: random.Random, day: dt.date) -> dt.datetime:
    hour = rng.choice([9, 9, 10, 14, 14, 15, 19])
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, rng.choice([0, 30]))))


@transaction.atomic
def build_for(
    *,
    city: Organization,
    activities: int = 300,
    people: int = PEOPLE,
    seed: int = 2026,
    progress: Any = print,
) -> dict[str, int]:
    if Activity.objects.filter(created_by__isnull=True, organiser__path__startswith=city.path).exists():
        progress("activities: already there")
        return {"activities": 0, "registrations": 0, "interest_groups": 0}
    rng = random.Random(seed)
    now = timezone.now()
    today = timezone.localdate()
    districts = list(Organization.objects.filter(path__startswith=city.path, kind=OrgKind.DISTRICT_FEDERATION))
    streets = list(Organization.objects.filter(path__startswith=city.path, kind=OrgKind.STREET_FEDERATION))
    organisers = districts + rng.sample(streets, min(len(streets), 80))
    venue_kinds = [PointKind.CULTURAL_PALACE, PointKind.ENTERPRISE_HOME, PointKind.SHARED_HOME, PointKind.LIBRARY]
    points = list(
        ServicePoint.objects.filter(
            owner__path__startswith=city.path, kind__in=venue_kinds, status=PointStatus.OPEN
        ).values_list("pk", "owner__path")
    )
    person_ids = _people(rng, people)
    weights = [k[1] for k in KINDS]

    def point_for(org: Organization) -> int | None:
        near = [pk for pk, path in points if path.startswith(org.path[:12])]  # same district
        return rng.choice(near) if near and rng.random() < 0.85 else None

    rows: list[Activity] = []
    for _ in range(activities):
        kind, _w, titles, (low, high), hours = rng.choices(KINDS, weights)[0]
        org = rng.choice(organisers)
        starts = _at(rng, today + dt.timedelta(days=rng.randint(-21, 21)))
        point_id = point_for(org)
        film = kind == ActivityKind.FILM
        rows.append(
            Activity(
                title=f"{org.name.removesuffix('总工会')}{rng.choice(titles)}",
                kind=kind,
                description="由工会组织，免费参加（电影放映会员优惠）。请按时到场，凭会员卡二维码签到。",
                organiser=org,
                audience=Audience.MEMBERS if rng.random() < 0.4 else Audience.ALL_WORKERS,
                point_id=point_id,
                address="" if point_id else f"{org.name.removesuffix('总工会')}职工活动中心",
                starts_at=starts,
                ends_at=starts + dt.timedelta(hours=hours),
                capacity=rng.randint(low, high),
                waitlist_size=rng.choice([0, 10, 20]),
                registration_opens_at=starts - dt.timedelta(days=14),
                registration_closes_at=starts - dt.timedelta(hours=2),
                member_price_fen=rng.choice([500, 1000]) if film else None,
                price_fen=rng.choice([2000, 3000]) if film else None,
            )
        )
    # Interest groups of a few districts, each with members and a meeting a week.
    groups: list[InterestGroup] = []
    for district in districts[:8]:
        for name, about in rng.sample(GROUPS, 4):
            groups.append(
                InterestGroup(
                    name=f"{district.name.removesuffix('总工会')}职工{name}",
                    description=about,
                    owner=district,
                    audience=Audience.ALL_WORKERS,
                    point_id=point_for(district),
                )
            )
    InterestGroup.objects.bulk_create(groups)
    members: list[GroupMember] = []
    for group in groups:
        for pk in rng.sample(person_ids, rng.randint(8, 40)):
            members.append(GroupMember(group=group, user_id=pk))
        for week in (-2, -1, 0, 1, 2):
            starts = _at(rng, today + dt.timedelta(days=7 * week + rng.randint(0, 6)))
            rows.append(
                Activity(
                    title=f"{group.name}活动",
                    kind=ActivityKind.GROUP_MEETING,
                    description=group.description,
                    organiser=group.owner,
                    audience=Audience.ALL_WORKERS,
                    group=group,
                    point_id=group.point_id,
                    address="" if group.point_id else f"{group.owner.name.removesuffix('总工会')}职工活动中心",
                    starts_at=starts,
                    ends_at=starts + dt.timedelta(hours=2),
                    capacity=30,
                    waitlist_size=10,
                    registration_opens_at=starts - dt.timedelta(days=14),
                    registration_closes_at=starts - dt.timedelta(hours=2),
                )
            )
    GroupMember.objects.bulk_create(members)
    Activity.objects.bulk_create(rows, batch_size=500)
    regs, feedback_for = _registrations(rng, rows, person_ids, now)
    Registration.objects.bulk_create(regs, batch_size=2000)
    comments = ["老师讲得很好，很实用", "场地舒适，组织有序", "希望多办几场", "很有收获", "时间安排合理", ""]
    Feedback.objects.bulk_create(
        [
            Feedback(registration=r, stars=rng.choices([5, 4, 3, 2], [50, 32, 13, 5])[0], comment=rng.choice(comments))
            for r in regs
            if id(r) in feedback_for
        ],
        batch_size=2000,
    )
    demo = _demo_worker(rows, regs, groups, now)
    progress(f"activities: {len(rows)}, registrations: {len(regs)}, interest groups: {len(groups)}")
    return {"activities": len(rows), "registrations": len(regs) + demo, "interest_groups": len(groups)}


def _registrations(
    rng: random.Random, rows: list[Activity], person_ids: list[int], now: dt.datetime
) -> tuple[list[Registration], set[int]]:
    regs: list[Registration] = []
    feedback_for: set[int] = set()
    for a in rows:
        demand = int(a.capacity * rng.uniform(0.35, 1.3))
        chosen = rng.sample(person_ids, min(demand, len(person_ids)))
        past = a.ends_at < now
        for n, pk in enumerate(chosen):
            created = a.registration_opens_at + dt.timedelta(minutes=rng.randint(10, 60 * 24 * 10))
            is_member = rng.random() < 0.7
            price = (a.member_price_fen if is_member else a.price_fen) if a.kind == ActivityKind.FILM else None
            common = {"activity": a, "user_id": pk, "is_member": is_member, "price_fen": price}
            if n >= a.capacity:
                if n - a.capacity >= a.waitlist_size:
                    break
                status = RegistrationStatus.EXPIRED if past else RegistrationStatus.WAITLISTED
                regs.append(Registration(status=status, waitlisted_at=created, **common))
                continue
            if rng.random() < 0.06:
                regs.append(Registration(status=RegistrationStatus.CANCELLED, cancelled_at=created, **common))
                continue
            came = past and rng.random() < 0.82
            reg = Registration(
                status=RegistrationStatus.REGISTERED,
                checked_in_at=a.starts_at + dt.timedelta(minutes=rng.randint(-20, 15)) if came else None,
                reminder_sent_at=a.starts_at - dt.timedelta(days=1) if past else None,
                **common,
            )
            regs.append(reg)
            if came and rng.random() < 0.45:
                feedback_for.add(id(reg))
    return regs, feedback_for


def _demo_worker(rows: list[Activity], regs: list[Registration], groups: list[InterestGroup], now: dt.datetime) -> int:
    """The demo worker: registered for two activities ahead, attended one last week (feedback still to give), and
    in one interest group."""
    worker = User.objects.filter(username="worker-demo").first()
    if worker is None:
        return 0
    taken_places: dict[int, int] = {}
    for r in regs:
        if r.status == RegistrationStatus.REGISTERED:
            taken_places[r.activity.pk] = taken_places.get(r.activity.pk, 0) + 1
    open_rows = [
        a
        for a in rows
        if a.audience == Audience.ALL_WORKERS
        and a.kind != ActivityKind.GROUP_MEETING
        and taken_places.get(a.pk, 0) < a.capacity
    ]
    # The demo's district admin (朝阳) can then check the worker in at the door.
    chaoyang = Organization.objects.filter(code="FED-110105").first()
    if chaoyang is not None and any(a.organiser.path.startswith(chaoyang.path) for a in open_rows):
        open_rows = [a for a in open_rows if a.organiser.path.startswith(chaoyang.path)]
    ahead = sorted((a for a in open_rows if a.starts_at > now), key=lambda a: a.starts_at)[:2]
    behind = sorted((a for a in open_rows if a.ends_at < now), key=lambda a: a.starts_at)[-1:]
    taken = set(
        Registration.objects.filter(user=worker, activity__in=[*ahead, *behind]).values_list("activity_id", flat=True)
    )
    mine = [
        Registration(activity=a, user=worker, status=RegistrationStatus.REGISTERED, is_member=True)
        for a in ahead
        if a.pk not in taken
    ]
    mine += [
        Registration(
            activity=a,
            user=worker,
            status=RegistrationStatus.REGISTERED,
            is_member=True,
            checked_in_at=a.starts_at,
            reminder_sent_at=a.starts_at - dt.timedelta(days=1),
        )
        for a in behind
        if a.pk not in taken
    ]
    Registration.objects.bulk_create(mine)
    if groups:
        GroupMember.objects.get_or_create(group=groups[0], user=worker, left_at=None)
    return len(mine)


def build(*, progress: Any = print) -> dict[str, int]:
    city = Organization.objects.get(code=CITY)
    return build_for(city=city, progress=progress)
