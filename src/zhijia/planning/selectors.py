"""Reading the circle, always from the actor's subtree: runs by the area they analyse, layers and candidate lists
by their owner node. Missing and out of scope are the same 404. Also the loaders the analysis reads its inputs with."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from numpy.typing import NDArray

from zhijia.core.errors import NotFound
from zhijia.core.roles import Perm
from zhijia.core.scope import scope_for
from zhijia.members.models import Membership
from zhijia.members.selectors import my_membership
from zhijia.network.coords import gcj02_to_wgs84_many
from zhijia.network.models import PointStatus, ServicePoint
from zhijia.organizations.divisions import area_centroids
from zhijia.organizations.models import Organization, OrgLevel

from .models import (
    AnalysisRun,
    AreaCoverage,
    CandidateList,
    CandidateSite,
    DensityLayer,
    DensityPoint,
    SiteSuggestion,
    WorkerLocation,
)


def run_visible(*, actor: Any, perm: Perm = Perm.PLANNING_VIEW) -> QuerySet[AnalysisRun]:
    return AnalysisRun.objects.filter(scope_for(actor).subtree_q(perm, "area")).select_related("area")


def run_get(*, actor: Any, run_id: Any, perm: Perm = Perm.PLANNING_VIEW) -> AnalysisRun:
    try:
        return run_visible(actor=actor, perm=perm).get(pk=run_id)
    except (AnalysisRun.DoesNotExist, ValueError, TypeError, OverflowError):
        raise NotFound("planning_run") from None


def run_latest(*, actor: Any) -> AnalysisRun | None:
    """The newest finished run of the actor's own node, else the newest finished one anywhere in scope."""
    scope = scope_for(actor)
    done = run_visible(actor=actor).filter(status=AnalysisRun.Status.SUCCEEDED)
    own = done.filter(area_id=scope.org_id).first() if scope.org_id else None
    return own or done.first()


def area_rows(run: AnalysisRun, level: str) -> QuerySet[AreaCoverage]:
    return run.areas.filter(level=level).select_related("org").order_by("share", "org__name")


def run_cells(run: AnalysisRun) -> dict[str, Any]:
    grid = getattr(run, "grid", None)
    return dict(grid.cells) if grid is not None else {}


def suggestion_list(run: AnalysisRun) -> QuerySet[SiteSuggestion]:
    return run.suggestions.select_related("street", "district", "accepted_point").order_by("rank")


def suggestion_get(*, actor: Any, suggestion_id: Any, perm: Perm = Perm.PLANNING_VIEW) -> SiteSuggestion:
    try:
        return (
            SiteSuggestion.objects.filter(scope_for(actor).subtree_q(perm, "run__area"))
            .select_related("run", "run__area", "street")
            .get(pk=suggestion_id)
        )
    except (SiteSuggestion.DoesNotExist, ValueError, TypeError, OverflowError):
        raise NotFound("planning_suggestion") from None


def layer_visible(*, actor: Any, perm: Perm = Perm.PLANNING_VIEW) -> QuerySet[DensityLayer]:
    return DensityLayer.objects.filter(scope_for(actor).subtree_q(perm, "owner")).select_related("owner")


def layer_get(*, actor: Any, layer_id: Any, perm: Perm = Perm.PLANNING_VIEW) -> DensityLayer:
    try:
        return layer_visible(actor=actor, perm=perm).get(pk=layer_id)
    except (DensityLayer.DoesNotExist, ValueError, TypeError, OverflowError):
        raise NotFound("planning_layer") from None


def candidate_list_visible(*, actor: Any, perm: Perm = Perm.PLANNING_VIEW) -> QuerySet[CandidateList]:
    return CandidateList.objects.filter(scope_for(actor).subtree_q(perm, "owner")).select_related("owner")


def candidate_list_get(*, actor: Any, list_id: Any, perm: Perm = Perm.PLANNING_VIEW) -> CandidateList:
    try:
        return candidate_list_visible(actor=actor, perm=perm).get(pk=list_id)
    except (CandidateList.DoesNotExist, ValueError, TypeError, OverflowError):
        raise NotFound("planning_candidates") from None


def my_work_location(*, actor: Any) -> tuple[Membership, WorkerLocation | None]:
    """The actor's own active membership and its work location row (None when never set). Only the member reads
    their own position; staff see work locations only as counts in an analysis. Not a member: 404."""
    membership = my_membership(actor=actor)
    if membership is None:
        raise NotFound("membership", _("您还不是工会会员。"))
    return membership, WorkerLocation.objects.filter(membership=membership).first()


# ----------------------------------------------------------------------------------------------------------------
# The analysis's inputs, as arrays


@dataclass
class Places:
    """Streets and districts around a run's area: ids, paths, and the district of each street."""

    street_ids: list[int]
    street_paths: dict[str, int]  # path -> row in street_ids
    street_district: list[int]  # row in district_ids, or -1
    district_ids: list[int]
    district_paths: dict[str, int]
    district_centres: NDArray[np.float64]  # (d, 2) WGS-84 lng/lat, NaN where unknown
    names: dict[int, str]

    def street_of_path(self, path: str) -> int:
        for depth in self._street_lengths:
            row = self.street_paths.get(path[:depth])
            if row is not None:
                return row
        return -1

    def district_of_path(self, path: str) -> int:
        for depth in self._district_lengths:
            row = self.district_paths.get(path[:depth])
            if row is not None:
                return row
        return -1

    def __post_init__(self) -> None:
        self._street_lengths = sorted({len(p) for p in self.street_paths})
        self._district_lengths = sorted({len(p) for p in self.district_paths})


def places_for(area: Organization) -> Places:
    """The districts and streets of the city the area lies in (all of them: a location is placed against every
    street before the run keeps those in its own area), or of the area itself when it is above a city."""
    ancestors = [area.path[: i * Organization.steplen] for i in range(1, area.depth + 1)]
    city = (
        Organization.objects.filter(path__in=ancestors, level=OrgLevel.CITY).order_by("-depth").first()
        if area.level != OrgLevel.CITY
        else area
    )
    root = city or area
    nodes = Organization.objects.filter(level__in=[OrgLevel.DISTRICT, OrgLevel.STREET], path__startswith=root.path)
    rows = list(nodes.order_by("path").values_list("pk", "path", "level", "name", "division_code"))
    districts = [r for r in rows if r[2] == OrgLevel.DISTRICT]
    streets = [r for r in rows if r[2] == OrgLevel.STREET]
    district_paths = {r[1]: i for i, r in enumerate(districts)}
    centroids = area_centroids()
    centres = np.full((len(districts), 2), np.nan)
    for i, r in enumerate(districts):
        if r[4][:6] in centroids:
            centres[i] = centroids[r[4][:6]]
    known = ~np.isnan(centres[:, 0])
    if known.any():
        # The published centroids are GCJ-02; everything here is WGS-84.
        lng, lat = gcj02_to_wgs84_many(centres[known, 0], centres[known, 1])
        centres[known, 0], centres[known, 1] = lng, lat
    places = Places(
        street_ids=[r[0] for r in streets],
        street_paths={r[1]: i for i, r in enumerate(streets)},
        street_district=[],
        district_ids=[r[0] for r in districts],
        district_paths=district_paths,
        district_centres=centres,
        names={r[0]: r[3] for r in rows},
    )
    places.street_district = [places.district_of_path(r[1]) for r in streets]
    return places


@dataclass
class Demand:
    lng: NDArray[np.float64]
    lat: NDArray[np.float64]
    weight: NDArray[np.float64]
    street: NDArray[np.int64]  # row in Places.street_ids, -1 unknown
    district: NDArray[np.int64]  # row in Places.district_ids, -1 unknown
    members: int
    layer_workers: int


def demand_for(run: AnalysisRun, places: Places) -> Demand:
    """Members' work locations under the run's area (their street from their union), plus the run's layers."""
    lng: list[float] = []
    lat: list[float] = []
    weight: list[float] = []
    street: list[int] = []
    district: list[int] = []
    members = 0
    if run.include_members:
        # Positions are decrypted here, in the task, and leave it only as counts per cell, street and district.
        rows = (
            WorkerLocation.objects.filter(
                membership__status=Membership.Status.ACTIVE, membership__union__path__startswith=run.area.path
            )
            .exclude(position="")
            .values_list("position", "membership__union__path")
        )
        for position, path in rows.iterator(chunk_size=20_000):
            at = WorkerLocation.decode(position)
            if at is None:
                continue
            lng.append(at[0])
            lat.append(at[1])
            weight.append(1.0)
            s = places.street_of_path(path)
            street.append(s)
            district.append(places.street_district[s] if s >= 0 else places.district_of_path(path))
        members = len(lng)
    layer_workers = 0
    layer_ids = list(run.layers.values_list("pk", flat=True))
    if layer_ids:
        points = DensityPoint.objects.filter(layer_id__in=layer_ids, workers__gt=0).values_list(
            "lng", "lat", "workers", "area__path"
        )
        for x, y, n, path in points.iterator(chunk_size=20_000):
            lng.append(x)
            lat.append(y)
            weight.append(float(n))
            s = places.street_of_path(path) if path else -1
            street.append(s)
            district.append(places.street_district[s] if s >= 0 else (places.district_of_path(path) if path else -1))
            layer_workers += n
    return Demand(
        np.array(lng, dtype=float),
        np.array(lat, dtype=float),
        np.array(weight, dtype=float),
        np.array(street, dtype=np.int64),
        np.array(district, dtype=np.int64),
        members,
        layer_workers,
    )


def service_points(*, include_planned: bool) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Every open point (planned ones too when asked), whoever owns it: a point across a district border still
    serves the workers on this side."""
    statuses = [PointStatus.OPEN, PointStatus.PLANNED] if include_planned else [PointStatus.OPEN]
    rows = np.array(list(ServicePoint.objects.filter(status__in=statuses).values_list("lng", "lat")), dtype=float)
    rows = rows.reshape(-1, 2)
    return rows[:, 0], rows[:, 1]


def candidate_sites(candidates_id: int | None) -> list[tuple[int, str, float, float, str | None]]:
    if candidates_id is None:
        return []
    return list(
        CandidateSite.objects.filter(candidates_id=candidates_id).values_list("pk", "name", "lng", "lat", "area__path")
    )
