"""The Beijing demo's service network: about 9,000 rest stations, 300 workers' homes, mobile homes touring building
sites, workers' libraries, service stations and cultural palaces, with their hours and past inspections.

Placement: the shipped district centres (GCJ-02 as published, converted to WGS-84) anchor each district; every
street or town gets a centre of its own, urban streets near the district seat and towns spread outwards away from
the city centre; points cluster around those centres. The central districts are dense, the outer ones sparse, so a
planner sees real gaps. Each point is owned by the street federation, a community federation or a grassroots union
of the street it sits in. Deterministic and idempotent (codes), bulk-loaded through the network's services.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections import defaultdict
from typing import Any

from django.utils import timezone

from zhijia.accounts.models import User
from zhijia.network import services as network
from zhijia.network.coords import gcj02_to_wgs84
from zhijia.network.models import HomeSubtype, MobileStop, PointKind, PointStatus, ServicePoint, Standard, StopRepeat
from zhijia.network.routes import weekday_mask
from zhijia.organizations.divisions import area_centroids
from zhijia.organizations.models import Organization, OrgKind

# district code: (rest stations, workers' homes, radius in km of where its streets and towns lie)
DISTRICTS: dict[str, tuple[int, int, float]] = {
    "110101": (700, 26, 2.6),  # 东城
    "110102": (750, 26, 3.0),  # 西城
    "110105": (1900, 58, 8.5),  # 朝阳
    "110106": (1000, 30, 7.0),  # 丰台
    "110107": (350, 12, 4.0),  # 石景山
    "110108": (1600, 50, 9.0),  # 海淀
    "110109": (100, 6, 16.0),  # 门头沟
    "110111": (300, 12, 20.0),  # 房山
    "110112": (550, 20, 13.0),  # 通州
    "110113": (400, 14, 14.0),  # 顺义
    "110114": (550, 18, 17.0),  # 昌平
    "110115": (500, 16, 14.0),  # 大兴
    "110116": (90, 4, 20.0),  # 怀柔
    "110117": (80, 3, 13.0),  # 平谷
    "110118": (80, 3, 20.0),  # 密云
    "110119": (50, 2, 18.0),  # 延庆
}
CENTRAL = {"110101", "110102"}
CITY_CENTRE = (116.3913, 39.9075)
KM_PER_DEGREE = 111.32

# Hosts of rest stations (不求所有，但求所用): estate agents, banks, petrol stations, chain shops, post offices.
HOSTS: list[tuple[str, str, str]] = [
    ("链家", "店", "agent"),
    ("我爱我家", "店", "agent"),
    ("中国工商银行", "支行", "bank"),
    ("中国建设银行", "支行", "bank"),
    ("中国农业银行", "支行", "bank"),
    ("北京银行", "支行", "bank"),
    ("北京农商银行", "支行", "bank"),
    ("中国石化", "加油站", "fuel"),
    ("中国石油", "加油站", "fuel"),
    ("物美超市", "店", "shop"),
    ("超市发", "店", "shop"),
    ("便利蜂", "店", "shop"),
    ("中国邮政", "邮政所", "post"),
    ("顺丰速运", "营业点", "courier"),
    ("京东物流", "站点", "courier"),
    ("社区党群服务中心", "", "community"),
]
EXTRAS = ["microwave", "hot_meals", "toilet", "sewing_kit", "first_aid_kit", "air_conditioning", "wifi", "umbrella"]
HOME_FACILITIES = [
    "reading_room",
    "chess_room",
    "gym",
    "badminton",
    "table_tennis",
    "dance_room",
    "parent_child_room",
    "mothers_room",
    "counselling_room",
    "training_room",
    "legal_aid",
]
SHARED_SUBTYPES = [
    (HomeSubtype.COMMUNITY, "社区"),
    (HomeSubtype.PARK, "园区"),
    (HomeSubtype.BUILDING, "楼宇"),
    (HomeSubtype.BUSINESS_DISTRICT, "商圈"),
    (HomeSubtype.INDUSTRY, "行业"),
    (HomeSubtype.COMPREHENSIVE, "综合"),
]
# Mobile homes: the district federation that runs each, and the building sites of its weekly round.
MOBILE = [
    ("110115", "京A·G0615", ["亦庄新城工地", "大兴机场临空区工地", "黄村安置房工地"]),
    ("110112", "京A·G0722", ["城市副中心站工地", "宋庄文化区工地", "台湖演艺小镇工地"]),
    ("110105", "京A·G0831", ["东坝安置房工地", "金盏国际合作区工地", "CBD东扩区工地"]),
    ("110106", "京A·G0907", ["丽泽金融商务区工地", "南苑森林湿地公园工地", "卢沟桥西区工地"]),
]

Span = tuple[int, int]


def _hours(kind: str, rng: random.Random) -> tuple[dict[int, list[Span]], bool]:
    """Weekly hours and whether they follow the holiday calendar, by the kind of host."""
    every_day = lambda span: {d: [span] for d in range(7)}  # noqa: E731
    if kind == "fuel":
        return every_day((0, 1440)), False
    if kind in ("shop", "agent"):
        return every_day((rng.choice([480, 510, 540]), rng.choice([1200, 1260, 1320]))), False
    if kind == "bank":
        return {**{d: [(540, 1020)] for d in range(5)}, 5: [(540, 960)]}, True
    if kind == "post":
        return {d: [(510, 1050)] for d in range(6)}, True
    if kind == "courier":
        return every_day((420, 1260)), False
    return {**{d: [(540, 720), (810, 1080)] for d in range(5)}, 7: [(540, 720)]}, True


def _street_centres(
    streets: list[Organization], seat: tuple[float, float], radius_km: float, central: bool
) -> dict[int, tuple[float, float, float]]:
    """(lng, lat, spread in km) for each street: urban streets near the seat, towns spread outwards."""
    bearing = math.atan2(seat[1] - CITY_CENTRE[1], (seat[0] - CITY_CENTRE[0]) * math.cos(math.radians(seat[1])))
    out = {}
    for street in streets:
        rng = random.Random(f"centre-{street.division_code}")
        urban = street.name.endswith("街道总工会")
        if central:
            angle, r, spread = rng.uniform(0, 2 * math.pi), radius_km * math.sqrt(rng.random()), 0.7
        elif urban:
            angle, r, spread = rng.uniform(0, 2 * math.pi), radius_km * 0.3 * math.sqrt(rng.random()), 0.9
        else:
            # Towns lie away from the city centre: within ±110° of the bearing from the centre to the seat.
            angle = bearing + rng.uniform(-1.9, 1.9)
            r, spread = radius_km * rng.uniform(0.3, 1.0), 1.2
        lng = seat[0] + r * math.cos(angle) / (KM_PER_DEGREE * math.cos(math.radians(seat[1])))
        lat = seat[1] + r * math.sin(angle) / KM_PER_DEGREE
        out[street.pk] = (lng, lat, spread)
    return out


def _weight(street: Organization) -> float:
    name = street.name
    if name.endswith("街道总工会"):
        return 3.0
    if name.endswith("地区总工会"):
        return 2.0
    if name.endswith("乡总工会"):
        return 0.4
    return 1.0


def _near(rng: random.Random, centre: tuple[float, float, float]) -> tuple[float, float]:
    lng, lat, spread = centre
    dx, dy = rng.gauss(0, spread), rng.gauss(0, spread)
    return (
        round(lng + dx / (KM_PER_DEGREE * math.cos(math.radians(lat))), 6),
        round(lat + dy / KM_PER_DEGREE, 6),
    )


def _split(total: int, weights: list[float]) -> list[int]:
    """`total` shared out in proportion to the weights (largest remainders), so the counts add up exactly."""
    whole = sum(weights) or 1.0
    raw = [total * w / whole for w in weights]
    counts = [int(r) for r in raw]
    for i in sorted(range(len(raw)), key=lambda i: raw[i] - counts[i], reverse=True)[: total - sum(counts)]:
        counts[i] += 1
    return counts


def _place(street: Organization) -> str:
    name = street.name.removesuffix("总工会")
    for tail in ("街道", "地区", "镇", "乡"):
        name = name.removesuffix(tail)
    return name


def _seeds_for_district(
    district: Organization, streets: list[Organization], below: dict[str, dict[str, list[int]]], seat: Any
) -> list[network.PointSeed]:
    code = district.division_code
    stations, homes, radius = DISTRICTS[code]
    centres = _street_centres(streets, seat, radius, code in CENTRAL)
    seeds: list[network.PointSeed] = []
    station_counts = _split(stations, [_weight(s) for s in streets])
    home_counts = _split(homes, [_weight(s) for s in streets])
    for street, n_stations, n_homes in zip(streets, station_counts, home_counts, strict=True):
        rng = random.Random(f"points-{street.division_code}")
        place = _place(street)
        kids = below.get(street.path, {})
        communities, unions = kids.get("community", []), kids.get("union", [])
        for i in range(n_stations):
            host, suffix, host_kind = rng.choice(HOSTS)
            roll = rng.random()
            owner = (
                rng.choice(communities)
                if roll < 0.45 and communities
                else (rng.choice(unions) if roll < 0.6 and unions else street.pk)
            )
            lng, lat = _near(rng, centres[street.pk])
            weekly, follows = _hours(host_kind, rng)
            point = ServicePoint(
                code=f"BJ-RS-{street.division_code}-{i + 1:03d}",
                name=f"{host}{place}{suffix}暖心驿站" if suffix else f"{place}{host}暖心驿站",
                kind=PointKind.REST_STATION,
                owner_id=owner,
                address=f"北京市{district.name.removesuffix('总工会')}{place}{rng.randint(1, 199)}号",
                lng=lng,
                lat=lat,
                status=PointStatus.OPEN if rng.random() > 0.02 else PointStatus.SUSPENDED,
                area_m2=rng.choice([None, 15, 20, 30, 40, 60]),
                follows_holidays=follows,
            )
            facilities = ["water", "rest_seats", "phone_charging", *rng.sample(EXTRAS, rng.randint(2, 6))]
            seeds.append(network.PointSeed(point, facilities, weekly))
        for j in range(n_homes):
            lng, lat = _near(rng, centres[street.pk])
            if rng.random() < 0.5 and unions:
                point = ServicePoint(
                    code=f"BJ-EH-{street.division_code}-{j + 1:02d}",
                    name=f"{place}{rng.choice(['华信', '京能', '首创', '燕山', '金隅', '长城'])}公司职工之家",
                    kind=PointKind.ENTERPRISE_HOME,
                    owner_id=rng.choice(unions),
                    lng=lng,
                    lat=lat,
                    area_m2=rng.choice([120, 200, 300, 500]),
                    follows_holidays=True,
                )
                weekly = {d: [(720, 810), (1050, 1260)] for d in range(5)}
            else:
                subtype, word = rng.choice(SHARED_SUBTYPES)
                point = ServicePoint(
                    code=f"BJ-SH-{street.division_code}-{j + 1:02d}",
                    name=f"{place}{word}共享职工之家",
                    kind=PointKind.SHARED_HOME,
                    home_subtype=subtype,
                    owner_id=rng.choice(communities) if communities else street.pk,
                    lng=lng,
                    lat=lat,
                    area_m2=rng.choice([300, 600, 1000, 1500]),
                    contact_name="工会专干",
                    contact_phone=f"010-6{rng.randint(1000000, 9999999)}",
                    follows_holidays=True,
                )
                weekly = {**{d: [(540, 1260)] for d in range(7)}, 7: [(540, 1020)]}
            seeds.append(network.PointSeed(point, [*rng.sample(HOME_FACILITIES, rng.randint(4, 8)), "water"], weekly))
        # Every fourth street has a workers' library, every sixth a service station of the street federation.
        number = int(street.division_code[-3:])
        if number % 4 == 1:
            lng, lat = _near(rng, centres[street.pk])
            library = ServicePoint(
                code=f"BJ-LB-{street.division_code}",
                name=f"{place}职工书屋",
                kind=PointKind.LIBRARY,
                owner_id=street.pk,
                lng=lng,
                lat=lat,
                area_m2=80,
            )
            weekly = {d: [(540, 1140)] for d in range(6)}
            seeds.append(network.PointSeed(library, ["reading_room", "water", "wifi"], weekly))
        if number % 6 == 1:
            lng, lat = _near(rng, centres[street.pk])
            station = ServicePoint(
                code=f"BJ-SS-{street.division_code}",
                name=f"{place}职工服务站",
                kind=PointKind.SERVICE_STATION,
                owner_id=street.pk,
                lng=lng,
                lat=lat,
                area_m2=150,
            )
            weekly = {d: [(540, 1050)] for d in range(5)}
            seeds.append(network.PointSeed(station, ["legal_aid", "counselling_room", "water", "toilet"], weekly))
    palace = ServicePoint(
        code=f"BJ-CP-{code}",
        name=f"{district.name.removesuffix('总工会')}工人文化宫",
        kind=PointKind.CULTURAL_PALACE,
        owner_id=district.pk,
        lng=round(seat[0] + 0.004, 6),
        lat=round(seat[1] - 0.003, 6),
        area_m2=8000,
    )
    weekly = {**{d: [(540, 1260)] for d in range(7)}, 7: [(540, 1080)]}
    seeds.append(
        network.PointSeed(palace, ["reading_room", "gym", "dance_room", "table_tennis", "toilet", "water"], weekly)
    )
    return seeds


def _mobile_seeds(districts: dict[str, Organization], seats: dict[str, tuple[float, float]]) -> list[network.PointSeed]:
    today = timezone.localdate()
    season = (today - dt.timedelta(days=today.weekday()), today + dt.timedelta(days=180))
    seeds = []
    for n, (code, plate, sites) in enumerate(MOBILE, start=1):
        district = districts[code]
        rng = random.Random(f"mobile-{code}")
        seat = seats[code]
        home = ServicePoint(
            code=f"BJ-MH-{code}",
            name=f"{district.name.removesuffix('总工会')}流动职工之家{n}号车",
            kind=PointKind.SHARED_HOME,
            home_subtype=HomeSubtype.MOBILE,
            owner_id=district.pk,
            lng=seat[0],
            lat=seat[1],
            area_m2=30,
            vehicle_plate=plate,
            description="房车改造：职工书屋、棋牌室、职工影吧、健身器材，在重点项目工地循环服务。",
        )
        stops = []
        # Monday/Thursday, Tuesday/Friday and Wednesday/Saturday at the three sites, 10:00-16:00.
        for i, site in enumerate(sites):
            angle = rng.uniform(0, 2 * math.pi)
            r = rng.uniform(4, 12)
            lng = seat[0] + r * math.cos(angle) / (KM_PER_DEGREE * math.cos(math.radians(seat[1])))
            lat = seat[1] + r * math.sin(angle) / KM_PER_DEGREE
            stops.append(
                MobileStop(
                    site=site,
                    address=f"北京市{district.name.removesuffix('总工会')}{site}",
                    lng=round(lng, 6),
                    lat=round(lat, 6),
                    repeat=StopRepeat.WEEKLY,
                    weekdays=weekday_mask([i, i + 3]),
                    starts_on=season[0],
                    ends_on=season[1],
                    arrives_minute=600,
                    leaves_minute=960,
                )
            )
        seeds.append(network.PointSeed(home, ["reading_room", "chess_room", "gym", "water"], {}, stops))
    return seeds


def _first_due(seeds: list[network.PointSeed]) -> None:
    """Points not (yet) inspected are due some time around now, a few weeks either side; an inspection loaded
    afterwards sets its own next date."""
    today = timezone.localdate()
    for seed in seeds:
        seed.point.next_inspection_due = today + dt.timedelta(
            days=random.Random(f"due-{seed.point.code}").randint(-60, 30)
        )


def _beijing_standard(city: Organization, admin: User) -> None:
    if not Standard.objects.filter(code="BJ-SHARED-HOME").exists():
        network.standard_create(
            actor=admin,
            owner_id=city.pk,
            code="BJ-SHARED-HOME",
            name="北京市共享职工之家建设标准",
            applies_to=PointKind.SHARED_HOME,
            items=["有固定场所", "有统一标识", "有服务设施", "有专人管理", "有服务项目", "有活动记录"],
            inspection_interval_days=365,
        )


def _inspections(admin: User, city: Organization) -> int:
    """Past inspections of 85% of the points (some failing an item or two); the rest are due or overdue."""
    now = timezone.now()
    rows = ServicePoint.objects.filter(
        code__startswith="BJ-",
        latest_inspection__isnull=True,
        kind__in=["rest_station", "enterprise_home", "shared_home"],
    ).values_list("pk", "code", "kind")
    seeds = []
    failing = {"rest_station": ["publicity", "results", "rules"], "enterprise_home": ["performance", "rules"]}
    for pk, code, kind in rows:
        rng = random.Random(f"inspect-{code}")
        if rng.random() > 0.85:
            continue
        failed = frozenset(rng.sample(failing.get(kind, ["i5"]), 1)) if rng.random() < 0.1 else frozenset()
        when = now - dt.timedelta(days=rng.randint(5, 240), hours=rng.randint(0, 8))
        seeds.append(network.InspectionSeed(pk, admin.pk, when, failed, "现场检查" if not failed else "需整改"))
    return network.inspections_bulk_record(actor=admin, seeds=seeds, org=city) if seeds else 0


def build(*, progress: Any = print) -> dict[str, int]:
    city = Organization.objects.get(code="FED-11")
    admin = User.objects.get(username="bj-city")
    _beijing_standard(city, admin)
    districts = {
        o.division_code: o
        for o in Organization.objects.filter(path__startswith=city.path, kind=OrgKind.DISTRICT_FEDERATION)
    }
    seats = {code: gcj02_to_wgs84(*at) for code, at in area_centroids().items() if code in DISTRICTS}
    streets: dict[str, list[Organization]] = defaultdict(list)
    street_rows = Organization.objects.filter(path__startswith=city.path, kind=OrgKind.STREET_FEDERATION).order_by(
        "path"
    )
    district_of = {d.path: code for code, d in districts.items()}
    for street in street_rows:
        code = district_of.get(street.path[: len(city.path) + Organization.steplen])
        if code:
            streets[code].append(street)
    # The community federations and grassroots unions under each street, by the street's path.
    below: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    street_len = len(city.path) + 2 * Organization.steplen
    kinds = {OrgKind.COMMUNITY: "community", OrgKind.VILLAGE: "community"}
    for pk, path, kind in Organization.objects.filter(
        path__startswith=city.path,
        kind__in=[OrgKind.COMMUNITY, OrgKind.VILLAGE, OrgKind.ENTERPRISE_UNION, OrgKind.JOINT_UNION],
    ).values_list("pk", "path", "kind"):
        below[path[:street_len]][kinds.get(kind, "union")].append(pk)
    added = 0
    existing = set(ServicePoint.objects.filter(code__startswith="BJ-").values_list("code", flat=True))
    for code in sorted(DISTRICTS):
        if code not in districts or code not in seats:
            continue
        seeds = _seeds_for_district(districts[code], streets[code], below, seats[code])
        seeds = [s for s in seeds if s.point.code not in existing]
        _first_due(seeds)
        if seeds:
            added += network.points_bulk_create(actor=admin, seeds=seeds, org=districts[code])
    mobile = [s for s in _mobile_seeds(districts, seats) if s.point.code not in existing]
    _first_due(mobile)
    if mobile:
        added += network.points_bulk_create(actor=admin, seeds=mobile, org=city)
    inspected = _inspections(admin, city)
    progress(f"service points: {added}, inspections: {inspected}")
    return {"points": added, "inspections": inspected}
