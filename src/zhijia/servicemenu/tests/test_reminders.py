"""A reminder shortly before a scheduled service: a task deferred to two hours before, which looks at the order
again when it runs and sends (inbox and SMS) once per scheduled time, only while the order is still scheduled."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.test import TestCase
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from zhijia.audit.models import AuditEvent
from zhijia.core.gateways.sms import outbox_messages
from zhijia.notifications.models import Notification
from zhijia.servicemenu import services
from zhijia.servicemenu.models import Order
from zhijia.servicemenu.tests.servicemenu_support import an_offering, an_order, handled_to, soon
from zhijia.testing.worker import run_task_worker

REMINDER = "zhijia.servicemenu.tasks.remind_order"


def _scheduled(world, at: dt.datetime) -> Order:
    order = handled_to(world, an_order(world, an_offering(world)), "accepted")
    with TestCase.captureOnCommitCallbacks(execute=True):
        return services.order_schedule(actor=world.user("district_x_staff"), order_id=order.pk, scheduled_at=at)


def test_scheduling_defers_a_reminder_to_two_hours_before(world):
    at = soon(24)

    order = _scheduled(world, at)

    queued = DBTaskResult.objects.get(task_path=REMINDER)
    assert queued.run_after == at - services.REMINDER_LEAD
    assert queued.args_kwargs["args"] == [order.pk]


def test_the_reminder_goes_out_once_when_due(world, sms_outbox):
    at = soon(24)
    order = _scheduled(world, at)
    worker = world.user("worker")

    with TestCase.captureOnCommitCallbacks(execute=True):  # the SMS leaves once the reminder is committed
        early = services.order_remind(order_id=order.pk, now=at - dt.timedelta(hours=5))
        due = services.order_remind(order_id=order.pk, now=at - dt.timedelta(hours=1, minutes=59))
        again = services.order_remind(order_id=order.pk, now=at - dt.timedelta(hours=1))

    assert (early, due, again) == (False, True, False)
    (note,) = Notification.objects.filter(user=worker, kind="order.reminder")
    assert "理发" in note.title
    assert len([m for m in outbox_messages(worker.phone) if m["template"] == "notify.order.reminder"]) == 1
    assert AuditEvent.objects.filter(action="order.remind", object_id=str(order.pk)).count() == 1


def test_a_moved_time_is_reminded_of_anew_and_the_old_reminder_does_nothing(world, sms_outbox):
    first = soon(24)
    order = _scheduled(world, first)
    services.order_remind(order_id=order.pk, now=first - dt.timedelta(hours=1))
    later = first + dt.timedelta(days=1)
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.order_schedule(actor=world.user("district_x_staff"), order_id=order.pk, scheduled_at=later)

    stale = services.order_remind(order_id=order.pk, now=first - dt.timedelta(hours=1))
    fresh = services.order_remind(order_id=order.pk, now=later - dt.timedelta(hours=1))

    assert (stale, fresh) == (False, True)
    assert Notification.objects.filter(kind="order.reminder").count() == 2


def test_no_reminder_for_an_order_completed_or_cancelled_meanwhile(world, sms_outbox):
    at = soon(24)
    done = _scheduled(world, at)
    services.order_complete(actor=world.user("district_x_staff"), order_id=done.pk)

    assert services.order_remind(order_id=done.pk, now=at - dt.timedelta(hours=1)) is False
    assert not Notification.objects.filter(kind="order.reminder").exists()


def test_the_sweep_sends_a_reminder_whose_task_was_lost_once(world, sms_outbox):
    # given orders scheduled tomorrow whose reminder tasks never ran (nothing was committed, so nothing was queued):
    # one now an hour away, one still four hours away, one an hour away but completed meanwhile
    worker = world.user("worker")
    lost, later, done = (_scheduled_without_task(world, soon(24)) for _ in range(3))
    services.order_complete(actor=world.user("district_x_staff"), order_id=done.pk)
    Order.objects.filter(pk__in=[lost.pk, done.pk]).update(scheduled_at=soon(1))
    Order.objects.filter(pk=later.pk).update(scheduled_at=soon(4))

    # when the sweep runs twice (the timer's command)
    with TestCase.captureOnCommitCallbacks(execute=True):  # the SMS leaves once the reminder is committed
        call_command("servicemenu_sweep", stdout=io.StringIO())
    out = io.StringIO()
    call_command("servicemenu_sweep", stdout=out)

    # then only the order an hour away was reminded, once
    assert Notification.objects.filter(user=worker, kind="order.reminder").count() == 1
    assert Order.objects.get(pk=lost.pk).reminded_for == Order.objects.get(pk=lost.pk).scheduled_at
    assert len([m for m in outbox_messages(worker.phone) if m["template"] == "notify.order.reminder"]) == 1
    assert "reminders sent 0" in out.getvalue()
    assert list(AuditEvent.objects.filter(action="order.remind").values_list("object_id", flat=True)) == [str(lost.pk)]


def _scheduled_without_task(world, at: dt.datetime) -> Order:
    order = handled_to(world, an_order(world, an_offering(world)), "accepted")
    return services.order_schedule(actor=world.user("district_x_staff"), order_id=order.pk, scheduled_at=at)


@pytest.mark.django_db(transaction=True)
def test_the_task_worker_sends_the_reminder_when_its_time_comes(world, sms_outbox):
    from zhijia.servicemenu.models import ServiceType

    ServiceType.objects.get_or_create(code="haircut", defaults={"name": "理发"})
    at = timezone.now() + dt.timedelta(hours=3)
    order = handled_to(world, an_order(world, an_offering(world)), "accepted")
    services.order_schedule(actor=world.user("district_x_staff"), order_id=order.pk, scheduled_at=at)

    run_task_worker()
    assert not Notification.objects.filter(kind="order.reminder").exists()
    # an hour passes: the queued task is due now (the worker runs for real, so the queue is moved, not the clock)
    queued = DBTaskResult.objects.get(task_path=REMINDER)
    DBTaskResult.objects.filter(pk=queued.pk).update(run_after=timezone.now() - dt.timedelta(seconds=1))
    Order.objects.filter(pk=order.pk).update(scheduled_at=timezone.now() + dt.timedelta(hours=1, minutes=59))
    run_task_worker()

    assert Notification.objects.filter(user=world.user("worker"), kind="order.reminder").count() == 1
