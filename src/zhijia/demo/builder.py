"""The Beijing demo city: the real federation tree down to its 7,535 communities and villages, generated
grassroots unions with their employers, and one login for each kind of user. Idempotent by codes and names."""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from zhijia.accounts.models import User
from zhijia.accounts.services import staff_account_create
from zhijia.core.roles import HandlerKind, Role
from zhijia.organizations.models import Employer, Organization, OrgKind
from zhijia.organizations.services import OrgSpec, divisions_load, employer_bulk_create, org_append_children

BEIJING = "11"
DEMO_PASSWORD = "Zhijia@2026"

FIRM_WORDS = [
    "华信",
    "京能",
    "首创",
    "燕山",
    "金隅",
    "同仁",
    "长城",
    "天坛",
    "京城",
    "北辰",
    "鼎盛",
    "恒通",
    "安泰",
    "博远",
    "中科",
    "和谐",
    "众诚",
    "嘉禾",
    "瑞丰",
    "汇达",
    "云帆",
    "星河",
    "东方",
    "永安",
    "宏图",
    "鑫源",
]
FIRM_TRADES = [
    ("科技有限公司", "信息技术"),
    ("物流有限公司", "交通运输"),
    ("物业管理有限公司", "物业服务"),
    ("餐饮管理有限公司", "住宿餐饮"),
    ("建设工程有限公司", "建筑业"),
    ("商贸有限公司", "批发零售"),
    ("家政服务有限公司", "居民服务"),
    ("保安服务有限公司", "商务服务"),
    ("医药有限公司", "医药"),
    ("房地产经纪有限公司", "房地产"),
    ("快递服务有限公司", "快递"),
    ("汽车服务有限公司", "机动车维修"),
]
SMALL_TRADES = [
    ("便利店", "批发零售"),
    ("餐馆", "住宿餐饮"),
    ("理发店", "居民服务"),
    ("维修部", "居民服务"),
    ("花店", "批发零售"),
    ("洗衣店", "居民服务"),
    ("文印店", "商务服务"),
    ("水果店", "批发零售"),
]
INDUSTRY_FEDERATIONS = [
    "快递物流行业工会联合会",
    "网约配送行业工会联合会",
    "货车司机工会联合会",
    "家政服务业工会联合会",
]


@dataclass(frozen=True)
class DemoLogin:
    role: str
    username: str
    org: str


def build_tree(*, progress: Any = print) -> dict[str, int]:
    added = divisions_load(actor=None, province_code=BEIJING)
    progress(f"divisions: {added}")
    city = Organization.objects.get(code="FED-11")
    districts = list(
        Organization.objects.filter(path__startswith=city.path, kind=OrgKind.DISTRICT_FEDERATION).order_by("path")
    )
    industry = 0
    for district in districts:
        specs = [
            OrgSpec(
                f"{district.code}-IND{i + 1}",
                f"{district.name.removesuffix('总工会')}{name}",
                OrgKind.INDUSTRY,
            )
            for i, name in enumerate(INDUSTRY_FEDERATIONS)
        ]
        industry += org_append_children(actor=None, parent=district, specs=specs)[1]
    added["industry"] = industry
    unions = employers = 0
    streets = Organization.objects.filter(path__startswith=city.path, kind=OrgKind.STREET_FEDERATION).order_by("path")
    for street in streets:
        u, e = _grassroots_for_street(street)
        unions += u
        employers += e
    added["grassroots"] = unions
    added["employers"] = employers
    progress(f"grassroots unions: {unions}, employers: {employers}")
    return added


@transaction.atomic
def _grassroots_for_street(street: Organization) -> tuple[int, int]:
    rng = random.Random(street.division_code)
    place = street.name.removesuffix("总工会").removesuffix("街道").removesuffix("地区").removesuffix("镇")
    communities = list(
        Organization.objects.filter(
            path__startswith=street.path,
            depth=street.depth + 1,
            kind__in=[OrgKind.COMMUNITY, OrgKind.VILLAGE],
        ).order_by("path")
    )
    firm_specs: list[tuple[OrgSpec, str, int]] = []
    for i in range(rng.randint(6, 14)):
        word = rng.choice(FIRM_WORDS)
        suffix, trade = rng.choice(FIRM_TRADES)
        firm = f"北京{word}{place}{suffix}" if i % 3 else f"北京{place}{word}{suffix}"
        headcount = rng.choice([20, 35, 60, 120, 240, 480, 900, 2000])
        code = f"U-{street.division_code}-E{i + 1:02d}"
        firm_specs.append((OrgSpec(code, f"{firm}工会委员会", OrgKind.ENTERPRISE_UNION), trade, headcount))
    enterprise_nodes, new_unions = org_append_children(actor=None, parent=street, specs=[s for s, _, _ in firm_specs])
    rows: list[Employer] = []
    for seq, ((spec, trade, headcount), node) in enumerate(zip(firm_specs, enterprise_nodes, strict=True), start=1):
        rows.append(
            Employer(
                name=spec.name.removesuffix("工会委员会"),
                credit_code=f"91{street.division_code}MA{seq:04d}X",
                headcount=headcount + rng.randint(0, 19),
                industry=trade,
                located_in=street,
                union=node,
            )
        )
    seq = len(rows)
    for j, community in enumerate(communities[: rng.randint(1, 3)]):
        stem = community.name.removesuffix("工会联合会")
        (joint,), n = org_append_children(
            actor=None,
            parent=community,
            specs=[OrgSpec(f"U-{street.division_code}-J{j + 1:02d}", f"{stem}小微企业联合工会", OrgKind.JOINT_UNION)],
        )
        new_unions += n
        for _k in range(rng.randint(5, 12)):
            seq += 1
            shop, trade = rng.choice(SMALL_TRADES)
            rows.append(
                Employer(
                    name=f"{stem.removesuffix('社区').removesuffix('村')}{rng.choice(FIRM_WORDS)}{shop}",
                    credit_code=f"92{street.division_code}MA{seq:04d}X",
                    headcount=rng.randint(2, 19),
                    industry=trade,
                    located_in=community,
                    union=joint,
                )
            )
    new_employers = employer_bulk_create(actor=None, employers=rows, org=street)
    return new_unions, new_employers


def build_logins() -> list[DemoLogin]:
    """One login per role, created once. The city admin creates the others, as it would in real life."""
    city = Organization.objects.get(code="FED-11")
    admin = User.objects.filter(username="admin").first()
    if admin is None:
        admin = User.objects.create_superuser("admin", DEMO_PASSWORD, display_name="平台管理员")
    chaoyang = Organization.objects.get(code="FED-110105")
    chaowai = (
        Organization.objects.filter(path__startswith=chaoyang.path, name__startswith="朝外街道").first()
        or Organization.objects.filter(path__startswith=chaoyang.path, kind=OrgKind.STREET_FEDERATION)
        .order_by("path")
        .first()
    )
    assert chaowai is not None
    grassroots = (
        Organization.objects.filter(path__startswith=chaowai.path, kind=OrgKind.ENTERPRISE_UNION)
        .order_by("path")
        .first()
    )
    assert grassroots is not None
    plan = [
        ("city", "bj-city", "北京市总工会管理员", city, [Role.UNION_ADMIN], ""),
        ("district", "bj-chaoyang", "朝阳区总工会管理员", chaoyang, [Role.UNION_ADMIN], ""),
        ("street", "bj-chaowai", "朝外街道总工会管理员", chaowai, [Role.UNION_ADMIN, Role.REVIEWER], ""),
        ("grassroots reviewer", "union-reviewer", "基层工会审核员", grassroots, [Role.REVIEWER], ""),
        ("planner", "bj-planner", "市总规划员", city, [Role.PLANNER], ""),
        (
            "case handler (lawyer)",
            "lawyer-chaoyang",
            "朝阳区工会律师",
            chaoyang,
            [Role.CASE_HANDLER],
            HandlerKind.LAWYER,
        ),
    ]
    logins = [DemoLogin("superuser (Django admin)", "admin", "—")]
    for i, (role, username, name, org, roles, handler) in enumerate(plan):
        if not User.objects.filter(username=username).exists():
            staff_account_create(
                actor=admin,
                org_id=org.pk,
                username=username,
                display_name=name,
                password=DEMO_PASSWORD,
                roles=roles,
                handler_kind=handler,
                phone=f"1391000{i:04d}",
                title=name,
            )
        logins.append(DemoLogin(role, username, org.name))
    worker_phone = "13800138000"
    if not User.objects.filter(username="worker-demo").exists():
        worker = User(username="worker-demo", display_name="张师傅", kind=User.Kind.WORKER)
        worker.set_phone(worker_phone)
        worker.set_password(DEMO_PASSWORD)
        worker.save()
    logins.insert(1, DemoLogin("worker (sign in with phone)", worker_phone, "—"))
    return logins


def build_network(*, progress: Any = print) -> dict[str, int]:
    """The service network of the demo city (after the logins: the city admin records the inspections)."""
    from .network import build

    return build(progress=progress)


def build_servicemenu(*, progress: Any = print) -> dict[str, int]:
    """The service menu (after the network and the logins): menus on palaces and homes, past orders in every state."""
    from .servicemenu import build

    return build(progress=progress)


def build_planning(*, progress: Any = print) -> dict[str, int]:
    """The ten-minute circle (after the network and the members): work locations, a density layer, analyses."""
    from .planning import build

    return build(progress=progress)


def build_members(*, members: int = 50_000, progress: Any = print) -> dict[str, int]:
    """The demo's members, through the roster import (after the logins: the demo worker joins and gets a card)."""
    from .members import build

    return build(members=members, progress=progress)


def build_activities(*, progress: Any = print) -> dict[str, int]:
    """Activities and interest groups (after the network, the members and the logins): a few hundred activities over
    the weeks around today, with registrations, attendance and feedback."""
    from .activities import build

    return build(progress=progress)


def build_bookings(*, progress: Any = print) -> dict[str, int]:
    """Venue booking (after the network and the logins): courts, rooms and gyms at palaces and a few hundred homes,
    with a week of bookings, check-ins and no-shows."""
    from .bookings import build

    return build(progress=progress)


def build_points(*, progress: Any = print) -> dict[str, int]:
    """Member points (after the members and the logins): the city's earning rules, merchants and items, and the past
    months' ledger of a thousand members and the demo worker."""
    from .points import build

    return build(progress=progress)


def build_ratings(*, progress: Any = print) -> dict[str, int]:
    """Member ratings (after the service menu: a rating needs a completed order there): ratings and replies, opinions,
    the city's star scheme and assessments, an evaluation that shares a district's budget, an award list."""
    from .ratings import build

    return build(progress=progress)
