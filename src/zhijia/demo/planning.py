"""The Beijing demo's ten-minute circle: where the demo's workers work, a worker-density layer as a delivery platform
would share it, and finished analyses, so that a planner opening the circle sees the gaps in the outer districts.

Placement follows the service network's demo (`demo.network`): every street or town has a centre, urban streets
near the district seat and towns spread outwards. Workers gather around the same centres but spread wider than the
stations do (a town's factories, farms and building sites lie well beyond its few stations), so the central
districts are covered and the outer towns are not. Deterministic and idempotent: nothing is added twice.
"""

from __future__ import annotations

import io
import math
import random
from collections import defaultdict
from typing import Any

from zhijia.members.models import Membership
from zhijia.network.coords import gcj02_to_wgs84
from zhijia.organizations.divisions import area_centroids
from zhijia.organizations.models import Organization, OrgKind
from zhijia.planning import services as planning
from zhijia.planning.models import AnalysisRun, DensityLayer, TravelMode, WorkerLocation

from .network import CENTRAL, DISTRICTS, KM_PER_DEGREE, _street_centres

LAYER_NAME = "网约配送员和快递员分布（平台数据）"
# Delivery riders and couriers per street, before the street's weight: what a platform might report.
RIDERS_PER_STREET = 600
CITY_RUN = "北京市十分钟服务圈（步行）"
DISTRICT_RUNS = {"110105": "朝阳区十分钟服务圈（步行）", "110116": "怀柔区十分钟服务圈（骑行）"}
# Chaoyang's run is drawn on H3 hexagons (resolution 9, edges of about 200 m), the others on squares.
H3_DISTRICTS = {"110105"}


def _spread_km(street: Organization, base: float) -> float:
    """Workers spread wider than stations, the more so in towns and townships."""
    if street.name.endswith("街道总工会"):
        return base * 1.4
    if street.name.endswith("乡总工会"):
        return base * 3.0
    return base * 2.4


def _street_places(city: Organization) -> dict[int, tuple[float, float, float, Organization]]:
    """Each street's centre (WGS-84) and how far its workers spread, in km."""
    seats = {code: gcj02_to_wgs84(*at) for code, at in area_centroids().items() if code in DISTRICTS}
    districts = {
        o.path: o for o in Organization.objects.filter(path__startswith=city.path, kind=OrgKind.DISTRICT_FEDERATION)
    }
    streets: dict[str, list[Organization]] = defaultdict(list)
    for street in Organization.objects.filter(path__startswith=city.path, kind=OrgKind.STREET_FEDERATION).order_by(
        "path"
    ):
        district = districts.get(street.path[: len(city.path) + Organization.steplen])
        if district is not None:
            streets[district.division_code].append(street)
    out: dict[int, tuple[float, float, float, Organization]] = {}
    for code, members in streets.items():
        if code not in seats:
            continue
        _stations, _homes, radius = DISTRICTS[code]
        for pk, (lng, lat, spread) in _street_centres(members, seats[code], radius, code in CENTRAL).items():
            street = next(s for s in members if s.pk == pk)
            out[pk] = (lng, lat, _spread_km(street, spread), street)
    return out


def _near(rng: random.Random, lng: float, lat: float, spread_km: float) -> tuple[float, float]:
    dx, dy = rng.gauss(0, spread_km), rng.gauss(0, spread_km)
    return (
        round(lng + dx / (KM_PER_DEGREE * math.cos(math.radians(lat))), 6),
        round(lat + dy / KM_PER_DEGREE, 6),
    )


def _worker_locations(city: Organization, places: dict[int, tuple[float, float, float, Organization]]) -> int:
    """A work location for every active demo member without one, around their union's street."""
    by_path = {street.path: pk for pk, (_x, _y, _s, street) in places.items()}
    street_len = len(city.path) + 2 * Organization.steplen
    rows: list[tuple[int, float, float]] = []
    missing = (
        Membership.objects.filter(status=Membership.Status.ACTIVE, union__path__startswith=city.path)
        .exclude(pk__in=WorkerLocation.objects.values("membership_id"))
        .values_list("pk", "member_no", "union__path")
    )
    for pk, member_no, path in missing.iterator(chunk_size=10_000):
        street = by_path.get(path[:street_len])
        if street is None:
            continue
        lng, lat, spread, _ = places[street]
        rows.append((pk, *_near(random.Random(f"work-{member_no}"), lng, lat, spread)))
    if not rows:
        return 0
    return planning.worker_locations_bulk_set(actor=None, rows=rows, org=city, source=WorkerLocation.Source.DEMO)


def _density_layer(city: Organization, places: dict[int, tuple[float, float, float, Organization]]) -> DensityLayer:
    layer = DensityLayer.objects.filter(owner=city, name=LAYER_NAME).first()
    if layer is not None:
        return layer
    out = io.StringIO()
    out.write("经度,纬度,人数,街道编码\n")
    for _pk, (lng, lat, spread, street) in sorted(places.items()):
        rng = random.Random(f"riders-{street.division_code}")
        urban = street.name.endswith("街道总工会")
        riders = int(RIDERS_PER_STREET * (1.0 if urban else 0.35) * rng.uniform(0.6, 1.4))
        spots = max(3, riders // 12)
        for _ in range(spots):
            x, y = _near(rng, lng, lat, spread)
            out.write(f"{x},{y},{max(1, int(rng.expovariate(spots / riders)))},{street.code}\n")
    return planning.density_layer_import(
        actor=None,
        owner_id=city.pk,
        name=LAYER_NAME,
        note="演示数据：按街道生成的外卖骑手、快递员活动热点及人数",
        content=out.getvalue().encode(),
    )


def build(*, progress: Any = print) -> dict[str, int]:
    city = Organization.objects.get(code="FED-11")
    places = _street_places(city)
    located = _worker_locations(city, places)
    layer = _density_layer(city, places)
    runs = 0
    plan = [(city, CITY_RUN, TravelMode.WALK, 20)]
    for code, title in DISTRICT_RUNS.items():
        district = Organization.objects.filter(path__startswith=city.path, division_code=code).first()
        if district is not None:
            plan.append((district, title, TravelMode.RIDE if "骑行" in title else TravelMode.WALK, 10))
    for area, title, mode, sites in plan:
        if AnalysisRun.objects.filter(area=area, title=title).exists():
            continue
        hexagons = area.division_code[:6] in H3_DISTRICTS and area != city
        planning.analysis_start(
            actor=None,
            area_id=area.pk,
            mode=mode,
            cell_m=500 if area == city else 250,
            grid_kind="h3" if hexagons else "square",
            h3_resolution=9 if hexagons else None,
            layer_ids=[layer.pk],
            sites_wanted=sites,
            title=title,
            background=False,
        )
        runs += 1
    progress(f"work locations: {located}, density layer: {layer.rows} rows, analyses: {runs}")
    return {"work_locations": located, "analyses": runs}
