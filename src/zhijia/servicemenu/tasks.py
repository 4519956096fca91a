"""Deferred work of the service menu: a reminder shortly before a scheduled service. The task re-checks the order
when it runs, so a late, early or repeated run does no harm."""

from __future__ import annotations

from django_tasks import task

from . import services


@task()
def remind_order(order_id: int) -> bool:
    return services.order_remind(order_id=order_id)
