"""The Beijing demo's service menu (点单式服务): every cultural palace and a few hundred homes and service stations
publish services from the catalogue, and demo workers have placed a few hundred orders over the past weeks, in every
state (waiting, some of them overdue; accepted; scheduled; completed; rated; declined; cancelled), each with its
history. Deterministic and idempotent (orders carry keys), bulk-loaded through the service menu's services.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from zhijia.accounts.models import User
from zhijia.network.models import PointKind, PointStatus, ServicePoint
from zhijia.organizations.models import Organization
from zhijia.servicemenu import services
from zhijia.servicemenu.models import (
    Audience,
    Availability,
    Offering,
    Order,
    OrderStatus,
    Pricing,
    ServiceType,
)

HOMES = 300
ORDERS = 600
WORKERS = 150
WEEKS = 8
SEED = 20261121

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
GIVEN = ["师傅", "大姐", "阿姨", "大哥", "小妹", "师兄"]
NOTES = [
    "",
    "",
    "电动车刹车不灵",
    "想咨询劳动合同的问题",
    "工作服袖口开线了",
    "最近睡眠不好，想聊聊",
    "孩子的电饭煲坏了",
    "量量血压",
    "想学电工证",
    "下班后才有空",
]
DECLINE_REASONS = ["师傅本周休假", "该时段已约满，请改约其他时间", "设备送修中", "该问题需到区法律援助中心办理"]
COMMENTS = ["师傅很耐心", "很方便，下班顺路就办了", "", "服务很好，谢谢工会", "等得有点久", "解决了大问题"]
# Palaces offer most of the catalogue; a home or station a few services that suit it.
PALACE_SERVICES = ["legal", "counselling", "skills_training", "health_check", "job_referral", "haircut", "tailoring"]
HOME_SERVICES = ["haircut", "bike_repair", "tailoring", "appliance_repair", "phone_repair", "health_check", "legal"]
# How the demo's orders stand: (status, share).
STATES = [
    (OrderStatus.REQUESTED, 10),
    (OrderStatus.ACCEPTED, 6),
    (OrderStatus.SCHEDULED, 8),
    (OrderStatus.COMPLETED, 10),
    (OrderStatus.CONFIRMED, 46),
    (OrderStatus.DECLINED, 8),
    (OrderStatus.CANCELLED, 12),
]


def _menu(point: ServicePoint, types: dict[str, ServiceType], rng: random.Random) -> list[Offering]:
    palace = point.kind == PointKind.CULTURAL_PALACE
    codes = PALACE_SERVICES if palace else rng.sample(HOME_SERVICES, rng.randint(2, 4))
    out = []
    for code in codes:
        if code not in types:
            continue
        appointment = code in ("counselling", "legal") and rng.random() < 0.5
        paid = code in ("haircut", "skills_training", "appliance_repair") and rng.random() < 0.5
        member_price = rng.choice([500, 1000, 2000]) if paid else 0
        start = rng.choice([9 * 60, 9 * 60 + 30, 13 * 60 + 30, 14 * 60])
        out.append(
            Offering(
                point=point,
                service_type=types[code],
                availability=Availability.APPOINTMENT if appointment else Availability.WEEKLY,
                weekdays=rng.choice([0b0011111, 0b0010101, 0b1100000, 0b0001010, 0b1111111]),
                starts_minute=start,
                ends_minute=min(start + rng.choice([180, 240, 480]), 21 * 60),
                daily_capacity=rng.choice([None, 5, 8, 10, 20]),
                audience=Audience.MEMBERS if paid or rng.random() < 0.3 else Audience.ALL_WORKERS,
                pricing=Pricing.MEMBER_PRICE if paid else Pricing.FREE,
                member_price_fen=member_price,
                list_price_fen=member_price * 3 if paid else 0,
                note="每月最后一个周五暂停" if rng.random() < 0.1 else "",
            )
        )
    return out


def _workers() -> list[User]:
    """Demo workers who order services (no password: they exist for their orders)."""
    have = set(User.objects.filter(username__startswith="sm-demo-").values_list("username", flat=True))
    unusable = make_password(None)
    new = [
        User(
            username=f"sm-demo-{i:03d}",
            display_name=SURNAMES[i % len(SURNAMES)] + GIVEN[i % len(GIVEN)],
            kind=User.Kind.WORKER,
            password=unusable,
        )
        for i in range(WORKERS)
        if f"sm-demo-{i:03d}" not in have
    ]
    User.objects.bulk_create(new)
    worker_demo = list(User.objects.filter(username="worker-demo"))
    return worker_demo + list(User.objects.filter(username__startswith="sm-demo-").order_by("username"))


def _order(
    i: int, offering: Offering, user: User, staff_id: int | None, now: dt.datetime, rng: random.Random
) -> services.OrderSeed:
    status = rng.choices([s for s, _ in STATES], weights=[w for _, w in STATES])[0]
    # Open orders are recent (a few overdue); closed ones spread over the past weeks.
    if status in (OrderStatus.REQUESTED, OrderStatus.ACCEPTED, OrderStatus.SCHEDULED):
        created = now - dt.timedelta(hours=rng.choice([1, 3, 6, 20, 30, 50, 70, 100, 150]) + rng.random())
    else:
        created = now - dt.timedelta(days=rng.uniform(1, 7 * WEEKS - 1))
    note = rng.choice(NOTES)
    order = Order(
        offering=offering,
        point_id=offering.point_id,
        user=user,
        status=status,
        service_date=timezone.localdate(created),
        note=note,
        price_fen=offering.member_price_fen,
        is_member=True,
        idempotency_key=f"demo-sm-{i:05d}",
        created_at=created,
    )
    steps: list[tuple[str, int | None, dt.datetime, str]] = [(OrderStatus.REQUESTED, user.pk, created, note)]
    at = created
    if status == OrderStatus.CANCELLED:
        order.closed_at = created + dt.timedelta(hours=rng.uniform(1, 30))
        steps.append((OrderStatus.CANCELLED, user.pk, order.closed_at, "临时有事"))
    if status == OrderStatus.DECLINED:
        order.closed_at = created + dt.timedelta(hours=rng.uniform(1, 48))
        order.decline_reason = rng.choice(DECLINE_REASONS)
        steps.append((OrderStatus.DECLINED, staff_id, order.closed_at, order.decline_reason))
    if status in (OrderStatus.ACCEPTED, OrderStatus.SCHEDULED, OrderStatus.COMPLETED, OrderStatus.CONFIRMED):
        at = min(created + dt.timedelta(hours=rng.uniform(0.5, 30)), now)
        order.accepted_at = at
        steps.append((OrderStatus.ACCEPTED, staff_id, at, ""))
    if status in (OrderStatus.SCHEDULED, OrderStatus.COMPLETED, OrderStatus.CONFIRMED):
        when = at + dt.timedelta(days=rng.randint(0, 4), hours=rng.randint(1, 6))
        if status == OrderStatus.SCHEDULED:
            when = max(when, now + dt.timedelta(hours=rng.randint(2, 72)))
        order.scheduled_at = when.replace(minute=0, second=0, microsecond=0)
        stamp = min(at + dt.timedelta(minutes=10), now)
        steps.append(
            (OrderStatus.SCHEDULED, staff_id, stamp, timezone.localtime(order.scheduled_at).strftime("%Y-%m-%d %H:%M"))
        )
    done = now
    if status in (OrderStatus.COMPLETED, OrderStatus.CONFIRMED):
        done = min(max(order.scheduled_at or at, at) + dt.timedelta(hours=1), now - dt.timedelta(minutes=5))
        order.completed_at = done
        order.service_date = timezone.localdate(done)
        steps.append((OrderStatus.COMPLETED, staff_id, done, ""))
    if status == OrderStatus.CONFIRMED:
        order.stars = rng.choices([5, 4, 3, 2, 1], weights=[55, 28, 10, 4, 3])[0]
        order.comment = rng.choice(COMMENTS)
        closed = min(done + dt.timedelta(hours=rng.uniform(1, 48)), now)
        order.closed_at = closed
        steps.append((OrderStatus.CONFIRMED, user.pk, closed, f"{order.stars}★ {order.comment}".strip()))
    return services.OrderSeed(order, steps)


def build_for(
    *, city: Organization, admin: User, homes: int = HOMES, orders: int = ORDERS, progress: Any = print
) -> dict[str, int]:
    rng = random.Random(SEED)
    types = {t.code: t for t in ServiceType.objects.filter(owner__isnull=True, is_active=True)}
    open_points = ServicePoint.objects.filter(owner__path__startswith=city.path, status=PointStatus.OPEN)
    palaces = list(open_points.filter(kind=PointKind.CULTURAL_PALACE).order_by("code"))
    home_kinds = [PointKind.ENTERPRISE_HOME, PointKind.SHARED_HOME, PointKind.SERVICE_STATION]
    candidates = list(open_points.filter(kind__in=home_kinds).order_by("code").values_list("pk", flat=True))
    chosen = set(rng.sample(candidates, min(homes, len(candidates))))
    points = palaces + list(ServicePoint.objects.filter(pk__in=chosen).order_by("code"))
    menus = [o for p in points for o in _menu(p, types, rng)]
    added = services.offerings_bulk_create(actor=admin, offerings=menus, org=city) if menus else 0

    offerings = list(
        Offering.objects.filter(point__in=points, is_active=True).select_related("point").order_by("point__code", "pk")
    )
    workers = _workers()
    loaded = 0
    if offerings and workers:
        now = timezone.now()
        staff_id = admin.pk
        # Palaces are busier than homes.
        weights = [5 if o.point.kind == PointKind.CULTURAL_PALACE else 1 for o in offerings]
        picks = rng.choices(offerings, weights=weights, k=orders)
        seeds = [_order(i, o, workers[i % len(workers)], staff_id, now, rng) for i, o in enumerate(picks)]
        loaded = services.orders_bulk_load(actor=admin, seeds=seeds, org=city)
    progress(f"service menu: {added} services at {len(points)} points, {loaded} orders")
    return {"menu_services": added, "service_orders": loaded}


def build(*, progress: Any = print) -> dict[str, int]:
    city = Organization.objects.get(code="FED-11")
    admin = User.objects.get(username="bj-city")
    return build_for(city=city, admin=admin, progress=progress)
