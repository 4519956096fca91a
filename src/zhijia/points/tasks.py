"""Background work of points: writing what expired. Idempotent, so a repeated or late run does no harm."""

from __future__ import annotations

from django_tasks import task

from . import services


@task()
def expire_points() -> int:
    return services.points_expire()
