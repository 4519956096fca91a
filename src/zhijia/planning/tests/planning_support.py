"""Workers with work locations, service points and finished jobs for the planning tests, in the test world."""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
from django.db.models import Max
from django.utils import timezone

from zhijia.core.pii import encrypt
from zhijia.jobs.models import Job
from zhijia.jobs.services import job_run
from zhijia.members.models import Membership
from zhijia.members.selectors import id_index
from zhijia.network.models import PointKind, ServicePoint
from zhijia.network.services import point_create
from zhijia.planning import tasks
from zhijia.planning.algorithms.projection import LocalProjection
from zhijia.planning.models import WorkerLocation
from zhijia.testing.world import World

X_CENTRE = (116.40, 39.90)
PROJ = LocalProjection(*X_CENTRE)


def lnglat(east_m: float, north_m: float) -> tuple[float, float]:
    lng, lat = PROJ.inverse([[east_m, north_m]])
    return float(lng[0]), float(lat[0])


def workers_at(union: Any, offsets: list[tuple[float, float]]) -> list[WorkerLocation]:
    """Active members of `union` working at the given offsets (metres east, north of X's centre)."""
    start = (Membership.objects.aggregate(n=Max("pk"))["n"] or 0) + 1
    people = []
    for i in range(len(offsets)):
        number = f"P{start + i:08d}"
        people.append(
            Membership(
                name=f"职工{start + i}",
                id_number=encrypt(number),
                id_index=id_index(number),
                member_no=number,
                union=union,
                source=Membership.Source.IMPORT,
                joined_at=timezone.now() - dt.timedelta(days=30),
            )
        )
    people = Membership.objects.bulk_create(people)
    return WorkerLocation.objects.bulk_create(
        WorkerLocation(membership=m, position=WorkerLocation.encode(*lnglat(*o)), source=WorkerLocation.Source.IMPORT)
        for m, o in zip(people, offsets, strict=True)
    )


def point_at(world: World, east_m: float, north_m: float, **fields: Any) -> ServicePoint:
    lng, lat = lnglat(east_m, north_m)
    fields.setdefault("kind", PointKind.REST_STATION)
    return point_create(
        actor=world.user("superuser"), owner_id=world.street_x.pk, name="X驿站", lng=lng, lat=lat, **fields
    )


def finish(job: Job) -> Job:
    """Run a job's task work here and now, as the worker would."""
    work = {
        "planning.analysis": tasks.analysis_work,
        "planning.layer_import": tasks.density_import_work,
        "planning.candidates_import": tasks.candidates_import_work,
        "planning.locations_import": tasks.locations_import_work,
    }[job.kind]
    job_run(str(job.pk), work)
    job.refresh_from_db()
    return job


def ring(n: int, radius_m: float, *, east: float = 0, north: float = 0, seed: int = 0) -> list[tuple[float, float]]:
    rng = np.random.default_rng(seed)
    angles = rng.uniform(0, 2 * np.pi, n)
    r = radius_m * np.sqrt(rng.uniform(0, 1, n))
    return [(east + float(a), north + float(b)) for a, b in zip(r * np.cos(angles), r * np.sin(angles), strict=True)]


def a_suggestion(world: World) -> Any:
    """A finished analysis of district X whose one member works where nothing serves them: one site suggestion."""
    from zhijia.planning import services

    workers_at(world.union_a, [(0.0, 0.0)])
    run = services.analysis_start(
        actor=world.user("superuser"), area_id=world.district_x.pk, sites_wanted=1, background=False
    )
    return run.suggestions.get()


def member_user(world: World, who: str = "worker") -> Any:
    """Make the world's account `who` an active member of union A (with no work location yet); returns the account."""
    (location,) = workers_at(world.union_a, [(0.0, 0.0)])
    membership = location.membership
    location.delete()
    membership.user = world.user(who)
    membership.save(update_fields=["user"])
    return world.user(who)
