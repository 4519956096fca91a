"""Deferred work of venue booking. Each task re-checks the state before it acts, so a task that runs late, twice or
never is harmless: the sweep (`zhijia bookings_sweep`, or the `sweep` task) catches whatever a timer missed."""

from __future__ import annotations

from django_tasks import task

from . import services


@task()
def release_if_absent(booking_id: int) -> None:
    services.booking_release(booking_id=booking_id)


@task()
def lapse_offer(booking_id: int) -> None:
    services.offer_lapse(booking_id=booking_id)


@task()
def sweep() -> None:
    services.bookings_sweep()
