"""Deferred work of activities: each task re-checks the state when it runs, so a late, early or repeated run does
no harm. An offer's expiry runs when its window closes; a reminder runs a day before the start."""

from __future__ import annotations

from django_tasks import task

from . import services


@task()
def expire_offer(registration_id: int) -> bool:
    return services.offer_expire(registration_id=registration_id)


@task()
def sweep() -> dict[str, int]:
    return {"lapsed": services.offers_expire_due(), "reminded": services.reminders_due()}


@task()
def send_reminder(registration_id: int) -> bool:
    return services.reminder_send(registration_id=registration_id)
