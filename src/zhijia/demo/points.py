"""The Beijing demo's member points: the city's earning rules (and a district's own), caring merchants and canteens,
items to redeem, and a ledger for a share of the demo members (a thousand of the imported members get an account
and the entries of the past months: joining, check-ins, ratings, volunteering, redemptions), plus the demo worker.
Deterministic and idempotent (nothing is added twice), bulk-loaded: entries are only ever inserted, as the ledger
requires, with balances computed in order."""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from zhijia.accounts.models import User
from zhijia.members.models import Membership
from zhijia.organizations.models import Organization, OrgKind
from zhijia.points.models import (
    EarnEvent,
    EarningRule,
    Entry,
    EntryKind,
    ItemKind,
    Merchant,
    MerchantKind,
    PointAccount,
    Redemption,
    RewardItem,
)
from zhijia.points.services import CODE_ALPHABET, CODE_LENGTH, expires_on_for

CITY = "FED-11"
MEMBERS = 1000
MONTHS = 6
SEED = 20261121

CITY_RULES = [
    (EarnEvent.JOINED, 50, None),
    (EarnEvent.BOOKING_CHECKIN, 5, 20),
    (EarnEvent.ACTIVITY_CHECKIN, 10, 30),
    (EarnEvent.ORDER_RATED, 3, 9),
    (EarnEvent.RATING_WRITTEN, 5, 10),
    (EarnEvent.VOLUNTEER_HOURS, 10, None),
]
CITY_ITEMS = [
    ("职工之家保温杯", ItemKind.GOODS, 120, 200, "印有职工之家标志的不锈钢保温杯，到任一职工之家领取。"),
    ("折叠雨伞", ItemKind.GOODS, 80, 300, "晴雨两用折叠伞。"),
    ("职工电影票（两张）", ItemKind.GOODS, 150, 100, "工人文化宫影院通用，周末可用。"),
    ("职工体检套餐", ItemKind.GOODS, 400, 30, "指定医院基础体检一次。"),
    ("工会书屋借阅卡", ItemKind.GOODS, 30, None, "全市职工书屋通借通还。"),
]
MERCHANTS = [
    ("暖心面馆", MerchantKind.CARING, "牛肉面八折"),
    ("快剪理发", MerchantKind.CARING, "理发立减 10 元"),
    ("便民修车铺", MerchantKind.CARING, "电动车检修免工时费"),
    ("街道职工食堂", MerchantKind.CANTEEN, "午餐立减 5 元"),
    ("爱心药房", MerchantKind.CARING, "常用药九折"),
]
EARN_MIX = [
    (EarnEvent.BOOKING_CHECKIN, "羽毛球场签到", 40),
    (EarnEvent.ACTIVITY_CHECKIN, "参加工会活动签到", 25),
    (EarnEvent.ORDER_RATED, "评价点单服务", 15),
    (EarnEvent.RATING_WRITTEN, "评价职工之家", 10),
    (EarnEvent.VOLUNTEER_HOURS, "驿站志愿值守 2 小时", 10),
]


def _code(rng: random.Random) -> str:
    return "".join(rng.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def _rules(city: Organization) -> int:
    added = 0
    for event, points, cap in CITY_RULES:
        _, created = EarningRule.objects.get_or_create(
            org=city, event=event, defaults={"points": points, "daily_cap": cap}
        )
        added += created
    # One district rewards activities more, to show that a lower union's rule wins in its subtree.
    chaoyang = Organization.objects.filter(code="FED-110105").first()
    if chaoyang is not None:
        _, created = EarningRule.objects.get_or_create(
            org=chaoyang, event=EarnEvent.ACTIVITY_CHECKIN, defaults={"points": 15, "daily_cap": 45}
        )
        added += created
    return added


def _shelf(city: Organization, rng: random.Random) -> tuple[int, list[RewardItem]]:
    if RewardItem.objects.filter(owner=city).exists():
        return 0, list(RewardItem.objects.filter(owner__path__startswith=city.path, is_active=True))
    items = [
        RewardItem(owner=city, name=name, kind=kind, cost=cost, stock=stock, description=text, per_member_limit=2)
        for name, kind, cost, stock, text in CITY_ITEMS
    ]
    districts = list(
        Organization.objects.filter(path__startswith=city.path, kind=OrgKind.DISTRICT_FEDERATION).order_by("path")
    )
    streets_by_district: dict[int, list[Organization]] = defaultdict(list)
    for street in Organization.objects.filter(path__startswith=city.path, kind=OrgKind.STREET_FEDERATION).order_by(
        "path"
    ):
        for d in districts:
            if street.path.startswith(d.path):
                streets_by_district[d.pk].append(street)
    merchants = []
    for d in districts:
        streets = streets_by_district.get(d.pk) or [d]
        for name, kind, _ in MERCHANTS:
            street = rng.choice(streets)
            merchants.append(
                Merchant(
                    owner=d,
                    name=f"{street.name.removesuffix('总工会')}{name}",
                    kind=kind,
                    address=f"{street.name.removesuffix('总工会')}{rng.randint(1, 199)}号",
                    contact=f"010-{rng.randint(60000000, 89999999)}",
                )
            )
    Merchant.objects.bulk_create(merchants)
    benefit = {name: text for name, _, text in MERCHANTS}
    for m in Merchant.objects.filter(owner__path__startswith=city.path).select_related("owner"):
        base = next(name for name, _, _ in MERCHANTS if m.name.endswith(name))
        items.append(
            RewardItem(
                owner=m.owner,
                merchant=m,
                kind=ItemKind.CANTEEN_DISCOUNT if m.kind == MerchantKind.CANTEEN else ItemKind.MERCHANT_BENEFIT,
                name=f"{m.name}：{benefit[base]}",
                cost=rng.choice([20, 30, 40, 50]),
                stock=rng.choice([None, 50, 100]),
                per_member_limit=4,
            )
        )
    RewardItem.objects.bulk_create(items)
    return len(items) + len(merchants), list(RewardItem.objects.filter(owner__path__startswith=city.path))


def _holders(city: Organization, members: int) -> list[tuple[User, Membership]]:
    """A thousand imported members (every so many, so all districts have some) with an account each, and the demo
    worker."""
    linked = list(Membership.objects.filter(user__username__startswith="pt-demo-").select_related("user", "union"))
    if not linked:
        pool = Membership.objects.filter(
            union__path__startswith=city.path, status=Membership.Status.ACTIVE, user__isnull=True
        ).order_by("pk")
        total = pool.count()
        step = max(1, total // members)
        chosen = list(pool.values_list("pk", "name"))[::step][:members]
        unusable = make_password(None)
        User.objects.bulk_create(
            [
                User(username=f"pt-demo-{pk}", display_name=name, kind=User.Kind.WORKER, password=unusable)
                for pk, name in chosen
            ],
            ignore_conflicts=True,
        )
        users = dict(User.objects.filter(username__startswith="pt-demo-").values_list("username", "pk"))
        rows = Membership.objects.filter(pk__in=[pk for pk, _ in chosen])
        for m in rows:
            m.user_id = users[f"pt-demo-{m.pk}"]
        Membership.objects.bulk_update(rows, ["user"], batch_size=500)
        linked = list(Membership.objects.filter(user__username__startswith="pt-demo-").select_related("user", "union"))
    worker = Membership.objects.filter(user__username="worker-demo", status=Membership.Status.ACTIVE).select_related(
        "user", "union"
    )
    return [(m.user, m) for m in [*worker, *linked] if m.user is not None]


def _ledger(
    city: Organization, holders: list[tuple[User, Membership]], items: list[RewardItem], rng: random.Random
) -> int:
    """The past months of each holder, in time order: joining, earning, a redemption now and then."""
    have = set(PointAccount.objects.filter(pk__in=[u.pk for u, _ in holders]).values_list("pk", flat=True))
    fresh = [(u, m) for u, m in holders if u.pk not in have]
    if not fresh:
        return 0
    rules = {r.event: r for r in EarningRule.objects.filter(org=city)}
    now = timezone.now()
    entries: list[Entry] = []
    redemptions: list[Redemption] = []
    balances: dict[int, int] = {}
    taken: dict[int, int] = defaultdict(int)
    for user, membership in fresh:
        member_items = [i for i in items if membership.union.path.startswith(i.owner.path)]
        start = max(membership.joined_at, now - dt.timedelta(days=30 * MONTHS))
        if now - start < dt.timedelta(days=1):  # joined just now (the demo worker): show a fortnight all the same
            start = now - dt.timedelta(days=14)
        moments = sorted(
            start + dt.timedelta(seconds=rng.randint(3600, int((now - start).total_seconds()) or 3600))
            for _ in range(rng.randint(2, 14))
        )
        balance = 0
        joined = rules.get(EarnEvent.JOINED)
        timeline: list[tuple[dt.datetime, str, Any]] = [(start, "joined", None)] if joined else []
        timeline += [(t, "earn", rng.choices(EARN_MIX, weights=[w for *_, w in EARN_MIX])[0]) for t in moments]
        if member_items and rng.random() < 0.35:
            timeline.append((now - dt.timedelta(days=rng.randint(0, 20), hours=rng.randint(0, 12)), "redeem", None))
        timeline.sort(key=lambda x: x[0])
        for n, (at, what, detail) in enumerate(timeline):
            if what == "joined" and joined is not None:
                amount, event, reason, source = (
                    joined.points,
                    EarnEvent.JOINED,
                    f"加入工会 · {membership.union.name}",
                    (f"membership:{membership.pk}"),
                )
            elif what == "earn":
                event, reason, _ = detail
                rule = rules.get(event)
                if rule is None:
                    continue
                amount = rule.points * (2 if event == EarnEvent.VOLUNTEER_HOURS else 1)
                source = f"demo:{user.pk}:{n}"
            else:
                affordable = [
                    i for i in member_items if i.cost <= balance and (i.stock is None or i.stock > taken[i.pk])
                ]
                if not affordable:
                    continue
                item = rng.choice(affordable)
                taken[item.pk] += 1
                balance -= item.cost
                used = rng.random() < 0.6
                redemptions.append(
                    Redemption(
                        user=user,
                        item=item,
                        cost=item.cost,
                        code=_code(rng),
                        status=Redemption.Status.USED if used else Redemption.Status.ISSUED,
                        created_at=at,
                        used_at=at + dt.timedelta(hours=rng.randint(1, 48)) if used else None,
                        idempotency_key=f"demo-{user.pk}-{n}",
                    )
                )
                entries.append(
                    Entry(
                        user=user,
                        kind=EntryKind.REDEEM,
                        source=f"demo-redemption:{user.pk}:{n}",
                        amount=-item.cost,
                        org=item.owner,
                        reason=f"兑换：{item.name}",
                        balance_after=balance,
                        created_at=at,
                    )
                )
                continue
            balance += amount
            entries.append(
                Entry(
                    user=user,
                    kind=EntryKind.EARN,
                    event=event,
                    source=source,
                    amount=amount,
                    org=membership.union,
                    rule=rules[event],
                    reason=reason if what == "joined" else f"{reason} · {membership.union.name}",
                    expires_on=expires_on_for(at),
                    balance_after=balance,
                    created_at=at,
                )
            )
        balances[user.pk] = balance
    with transaction.atomic():
        Redemption.objects.bulk_create(redemptions, batch_size=1000)
        Entry.objects.bulk_create(entries, batch_size=2000)
        PointAccount.objects.bulk_create(
            [PointAccount(user_id=pk, balance=b, updated_at=now) for pk, b in balances.items()], batch_size=2000
        )
        for item_id, n in taken.items():
            item = RewardItem.objects.get(pk=item_id)
            if item.stock is not None:
                RewardItem.objects.filter(pk=item_id).update(stock=max(0, item.stock - n))
    return len(entries)


def build(*, progress: Any = print) -> dict[str, int]:
    return build_for(city=Organization.objects.get(code=CITY), members=MEMBERS, progress=progress)


def build_for(*, city: Organization, members: int, progress: Any = print) -> dict[str, int]:
    rng = random.Random(SEED)
    rules = _rules(city)
    shelf, items = _shelf(city, rng)
    holders = _holders(city, members)
    entries = _ledger(city, holders, items, rng)
    progress(f"points: {rules} rules, {shelf} merchants and items, {entries} ledger entries for {len(holders)} members")
    return {"points_rules": rules, "points_shelf": shelf, "points_entries": entries}
