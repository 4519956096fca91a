"""The Beijing demo's members: at least 50,000 by default, spread over the generated grassroots unions and the
industry federations, with job groups that fit where they work (couriers and riders in the industry federations and
logistics firms, shop staff in the joint unions of small firms), a few needy workers and model workers, valid ID
numbers of Beijing districts with birth dates from 1960 to 2004, and phones. Loaded through the roster import's
bulk path; deterministic (person i is always the same person), so running the demo again adds nothing.

The demo worker (13800138000) joins online and is approved, so they have a card; the industry federations get their
routing data (which job groups each takes in).
"""

from __future__ import annotations

import csv
import datetime as dt
import random
import tempfile
from pathlib import Path
from typing import Any

from zhijia.accounts.models import User
from zhijia.members.idnumber import check_character
from zhijia.members.models import JobGroup, Membership
from zhijia.members.roster_files import header_labels
from zhijia.members.selectors import id_index
from zhijia.members.services import application_approve, application_submit
from zhijia.members.services.industry_routes import industry_route_add
from zhijia.members.services.roster_import import roster_import_run
from zhijia.organizations.models import Employer, Organization, OrgKind

CITY = "FED-11"
DEFAULT_MEMBERS = 50_000
# Beijing's districts (GB/T 2260): the area code an ID number starts with.
AREAS = [
    "110101", "110102", "110105", "110106", "110107", "110108", "110109", "110111",
    "110112", "110113", "110114", "110115", "110116", "110117", "110118", "110119",
]  # fmt: skip
BIRTH_DAYS = (dt.date(2004, 12, 31) - dt.date(1960, 1, 1)).days + 1
INDUSTRY_GROUPS = {
    "快递物流": JobGroup.COURIER,
    "网约配送": JobGroup.DELIVERY_RIDER,
    "货车司机": JobGroup.TRUCK_DRIVER,
    "家政服务": JobGroup.DOMESTIC_WORKER,
}
# Job groups by the trade of an enterprise (Employer.industry); the rest are its ordinary staff.
TRADE_GROUPS: dict[str, list[tuple[str, int]]] = {
    "交通运输": [(JobGroup.TRUCK_DRIVER, 40), (JobGroup.COURIER, 20)],
    "快递": [(JobGroup.COURIER, 70)],
    "物业服务": [(JobGroup.SECURITY_GUARD, 35)],
    "商务服务": [(JobGroup.SECURITY_GUARD, 50)],
    "住宿餐饮": [(JobGroup.DELIVERY_RIDER, 20)],
    "居民服务": [(JobGroup.DOMESTIC_WORKER, 55), (JobGroup.CARE_WORKER, 10)],
    "医药": [(JobGroup.CARE_WORKER, 30)],
    "批发零售": [(JobGroup.MALL_STAFF, 35)],
    "房地产": [(JobGroup.ESTATE_AGENT, 60)],
    "建筑业": [(JobGroup.MIGRANT_WORKER, 60)],
}
JOINT_GROUPS: list[tuple[str, int]] = [
    (JobGroup.MALL_STAFF, 25),
    (JobGroup.DELIVERY_RIDER, 15),
    (JobGroup.MIGRANT_WORKER, 20),
    (JobGroup.COURIER, 10),
    (JobGroup.DOMESTIC_WORKER, 8),
    (JobGroup.SECURITY_GUARD, 7),
    (JobGroup.ESTATE_AGENT, 5),
    (JobGroup.OTHER, 10),
]
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡"
    "余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯"
    "龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
GIVEN = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国玉兰红梅文斌宇浩凯鹏辉宁欣悦"
    "晨阳晓东雪峰海燕春亮林佳思雨婷俊飞志新立"
)
LABELS = {value: str(label) for value, label in JobGroup.choices}
DEMO_WORKER_ID = "110105199003071239"


def id_number(i: int) -> str:
    """The i-th demo person's ID number: distinct for every i below 262 million."""
    area = AREAS[i % len(AREAS)]
    rest = i // len(AREAS)
    born = dt.date(1960, 1, 1) + dt.timedelta(days=(rest * 7919) % BIRTH_DAYS)  # spread births over the years
    first17 = f"{area}{born:%Y%m%d}{(rest // BIRTH_DAYS) % 999 + 1:03d}"
    return first17 + check_character(first17)


def phone(i: int) -> str:
    return f"1{'35789'[i % 5]}{(i * 7_654_321 + 12_345_678) % 1_000_000_000:09d}"


def _pick(rng: random.Random, weighted: list[tuple[str, int]]) -> str:
    total = sum(w for _, w in weighted)
    other = max(0, 100 - total)
    roll = rng.uniform(0, total + other)
    for value, weight in weighted:
        if roll < weight:
            return value
        roll -= weight
    return JobGroup.FACTORY_WORKER if rng.random() < 0.85 else JobGroup.OTHER


def _places(city: Organization) -> list[tuple[str, str, list[tuple[str, int]], list[str]]]:
    """Where members go: (union code, weight, job group weights, employer names)."""
    employers: dict[int, list[tuple[str, str]]] = {}
    for union_id, name, trade in Employer.objects.filter(union__path__startswith=city.path).values_list(
        "union_id", "name", "industry"
    ):
        employers.setdefault(union_id, []).append((name, trade))
    places = []
    for pk, code, kind, name in (
        Organization.objects.filter(
            path__startswith=city.path, kind__in=[OrgKind.ENTERPRISE_UNION, OrgKind.JOINT_UNION, OrgKind.INDUSTRY]
        )
        .order_by("path")
        .values_list("pk", "code", "kind", "name")
    ):
        firms = employers.get(pk, [])
        if kind == OrgKind.ENTERPRISE_UNION:
            trade = firms[0][1] if firms else ""
            places.append((code, "enterprise", TRADE_GROUPS.get(trade, []), [f for f, _ in firms]))
        elif kind == OrgKind.JOINT_UNION:
            places.append((code, "joint", JOINT_GROUPS, [f for f, _ in firms]))
        else:
            group = next((g for word, g in INDUSTRY_GROUPS.items() if word in name), None)
            if group is not None:
                places.append((code, "industry", [(str(group), 100)], []))
    return places


WEIGHTS = {"enterprise": 6, "joint": 3, "industry": 40}


def _rows(start: int, stop: int, places: list[Any]) -> list[list[str]]:
    weights = [WEIGHTS[p[1]] for p in places]
    rows = []
    for i in range(start, stop):
        rng = random.Random(i)
        code, _kind, groups, firms = rng.choices(places, weights)[0]
        group = _pick(rng, groups)
        roll = rng.random()
        needy = "相对困难" if roll < 0.010 else "深度困难" if roll < 0.013 else "意外致困" if roll < 0.015 else "否"
        model = rng.random()
        model_worker = (
            "全国劳模" if model < 0.0001 else "省部级劳模" if model < 0.0005 else "市级劳模" if model < 0.003 else "否"
        )
        born = int(id_number(i)[6:10])
        joined = dt.date(max(born + 18, 2000 + rng.randrange(26)), 1 + rng.randrange(12), 1 + rng.randrange(28))
        rows.append(
            [
                SURNAMES[rng.randrange(len(SURNAMES))] + "".join(rng.choices(GIVEN, k=rng.choice((1, 2)))),
                id_number(i),
                phone(i),
                code,
                rng.choice(firms) if firms else "",
                LABELS[group],
                needy,
                model_worker,
                min(joined, dt.date(2025, 12, 31)).isoformat(),
            ]
        )
    return rows


def build_routes() -> int:
    """Each generated industry federation takes in its job group."""
    added = 0
    for pk, name in Organization.objects.filter(kind=OrgKind.INDUSTRY).values_list("pk", "name"):
        for word, group in INDUSTRY_GROUPS.items():
            if word in name:
                added += industry_route_add(actor=None, federation_id=pk, job_group=group)[1]
    return added


def build_worker_card() -> bool:
    """The demo worker applies online (a courier in 朝外街道) and is approved: a member with a card."""
    worker = User.objects.filter(username="worker-demo").first()
    if worker is None or Membership.objects.filter(user=worker, status=Membership.Status.ACTIVE).exists():
        return False
    if Membership.objects.filter(id_index=id_index(DEMO_WORKER_ID), status=Membership.Status.ACTIVE).exists():
        return False
    chaoyang = Organization.objects.get(code="FED-110105")
    street = (
        Organization.objects.filter(path__startswith=chaoyang.path, name__startswith="朝外街道").first()
        or Organization.objects.filter(path__startswith=chaoyang.path, kind=OrgKind.STREET_FEDERATION).first()
    )
    assert street is not None
    employer = Employer.objects.filter(located_in__path__startswith=street.path, union__isnull=False).first()
    application = application_submit(
        actor=worker,
        name="张师傅",
        id_number=DEMO_WORKER_ID,
        phone="13800138000",
        job_group=JobGroup.COURIER,
        work_street_id=street.pk,
        consent=True,
        employer_id=employer.pk if employer else None,
        employer_name="" if employer else "北京顺捷快递服务有限公司",
    )
    if application.membership_id is None:
        admin = User.objects.filter(is_superuser=True).order_by("pk").first()
        application_approve(actor=admin, application_id=application.pk)
    return True


def build(*, members: int = DEFAULT_MEMBERS, progress: Any = print) -> dict[str, int]:
    city = Organization.objects.get(code=CITY)
    routes = build_routes()
    carded = build_worker_card()
    have = Membership.objects.filter(source=Membership.Source.IMPORT, union__path__startswith=city.path).count()
    added = 0
    if have < members:
        places = _places(city)
        with tempfile.TemporaryDirectory(prefix="zhijia-demo-") as scratch:
            path = Path(scratch) / "members.csv"
            with path.open("w", encoding="utf-8", newline="") as f:
                writer = csv.writer(f)
                writer.writerow(header_labels())
                writer.writerows(_rows(have, members, places))
            result = roster_import_run(actor=None, path=path, union_code=CITY, filename="demo-members.csv")
        added = result.written
        progress(f"members: {added} added ({result.rejected} rows rejected), {have + added} in all")
    else:
        progress(f"members: {have} already")
    return {"members": added, "industry_routes": routes, "worker_card": int(carded)}
