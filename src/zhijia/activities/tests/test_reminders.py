"""Reminders before an activity: a task deferred to a day before the start, which looks again when it runs and sends
(inbox and SMS) once, only to people still registered."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from zhijia.activities import services, tasks
from zhijia.activities.models import Registration
from zhijia.core.gateways.sms import outbox_messages
from zhijia.notifications.models import Notification
from zhijia.testing.worker import run_task_worker

from .activities_support import make_activity, shift

pytestmark = pytest.mark.django_db(transaction=True)  # the worker runs what committed transactions enqueued

REMINDER = "zhijia.activities.tasks.send_reminder"


def _time_passes(activity, *, until: dt.datetime):
    """Bring `until` to now: the activity and every queued task move earlier by the same amount. (The worker is run
    for real, so the clock cannot be frozen around it; moving the data is the same thing seen from the data.)"""
    delta = until - timezone.now()
    for task in DBTaskResult.objects.all():
        DBTaskResult.objects.filter(pk=task.pk).update(run_after=task.run_after - delta)
    return shift(activity, -delta)


def test_registering_defers_a_reminder_that_the_worker_sends_once(world, sms_outbox, settings):
    # given a worker registered for an activity three days ahead
    activity = make_activity(world)
    worker = world.user("worker")
    reg = services.registration_create(actor=worker, activity_id=activity.pk)

    # then a reminder task waits for a day before the start
    queued = DBTaskResult.objects.get(task_path=REMINDER)
    assert queued.run_after == activity.starts_at - dt.timedelta(hours=settings.ACTIVITIES_REMINDER_HOURS)
    assert queued.args_kwargs["args"] == [reg.pk]

    # when the worker runs now, the reminder is not due and nothing is sent
    run_task_worker()
    assert not Notification.objects.filter(kind="activity.reminder").exists()

    # when the day before comes and the worker runs, the reminder goes out, in the inbox and by SMS
    _time_passes(activity, until=queued.run_after + dt.timedelta(minutes=1))
    run_task_worker()
    # and a second run of the same task (a retry, a duplicate enqueue) sends nothing more
    tasks.send_reminder.enqueue(reg.pk)
    run_task_worker()
    notes = Notification.objects.filter(user=worker, kind="activity.reminder")
    assert notes.count() == 1
    assert activity.title in notes.get().title
    assert len(outbox_messages(worker.phone)) == 1
    reg.refresh_from_db()
    assert reg.reminder_sent_at is not None


def test_no_reminder_for_someone_who_cancelled(world, sms_outbox):
    activity = make_activity(world)
    worker = world.user("worker")
    reg = services.registration_create(actor=worker, activity_id=activity.pk)
    services.registration_cancel(actor=worker, registration_id=reg.pk)

    _time_passes(activity, until=activity.starts_at - dt.timedelta(hours=12))
    run_task_worker()

    assert not Notification.objects.filter(kind="activity.reminder").exists()
    assert outbox_messages(worker.phone) == []


def test_a_task_that_runs_early_for_a_moved_activity_leaves_it_to_the_new_one(world, sms_outbox, settings):
    # given a registration whose activity was then moved a week later
    activity = make_activity(world)
    worker = world.user("worker")
    reg = services.registration_create(actor=worker, activity_id=activity.pk)
    later = activity.starts_at + dt.timedelta(days=7)
    services.activity_update(
        actor=world.user("district_x_staff"),
        activity_id=activity.pk,
        fields=services.ActivityFields(
            title=activity.title,
            kind=activity.kind,
            starts_at=later,
            ends_at=later + dt.timedelta(hours=2),
            capacity=activity.capacity,
            audience=activity.audience,
            address=activity.address,
            registration_opens_at=activity.registration_opens_at,
            registration_closes_at=later,
        ),
    )
    runs = sorted(DBTaskResult.objects.filter(task_path=REMINDER).values_list("run_after", flat=True))

    # when the first task's time comes, nothing is sent; at the new time, the reminder goes out once
    lead = dt.timedelta(hours=settings.ACTIVITIES_REMINDER_HOURS)
    assert runs == [activity.starts_at - lead, later - lead]
    activity.refresh_from_db()
    activity = _time_passes(activity, until=runs[0] + dt.timedelta(minutes=1))
    run_task_worker()
    assert not Notification.objects.filter(kind="activity.reminder").exists()
    _time_passes(activity, until=runs[1] - runs[0] + timezone.now())
    run_task_worker()
    assert Notification.objects.filter(kind="activity.reminder", user=worker).count() == 1
    assert Registration.objects.get(pk=reg.pk).reminder_sent_at is not None


def test_an_offer_lapses_on_the_worker_when_its_window_closes(world, sms_outbox):
    # given a place offered to the first in line, a second person waiting
    activity = make_activity(world, capacity=1)
    holder, first, second = world.user("worker"), world.user("other_worker"), world.user("district_x_staff")
    held = services.registration_create(actor=holder, activity_id=activity.pk)
    offered = services.registration_create(actor=first, activity_id=activity.pk)
    waiting = services.registration_create(actor=second, activity_id=activity.pk)
    services.registration_cancel(actor=holder, registration_id=held.pk)
    offered.refresh_from_db()
    queued = DBTaskResult.objects.get(task_path="zhijia.activities.tasks.expire_offer")
    assert queued.run_after == offered.offer_expires_at

    # when the worker runs after the window closed
    delta = offered.offer_expires_at + dt.timedelta(seconds=5) - timezone.now()
    _time_passes(activity, until=timezone.now() + delta)
    Registration.objects.filter(pk=offered.pk).update(offer_expires_at=offered.offer_expires_at - delta)
    run_task_worker()

    # then the offer lapsed and the next in line holds the place, told by SMS
    offered.refresh_from_db()
    waiting.refresh_from_db()
    assert (offered.status, waiting.status) == ("expired", "offered")
    assert Notification.objects.filter(user=second, kind="activity.offer").count() == 1


def test_the_sweep_sends_a_reminder_whose_task_was_lost_once(world, sms_outbox):
    # given a registration whose reminder task never ran, and an activity now less than a day ahead
    activity = make_activity(world)
    worker = world.user("worker")
    services.registration_create(actor=worker, activity_id=activity.pk)
    DBTaskResult.objects.all().delete()
    shift(activity, -dt.timedelta(days=2, hours=12))

    # when the sweep runs twice (the command cron runs)
    call_command("activities_sweep", stdout=io.StringIO())
    out = io.StringIO()
    call_command("activities_sweep", stdout=out)

    # then the reminder went out once
    assert Notification.objects.filter(user=worker, kind="activity.reminder").count() == 1
    assert len(outbox_messages(worker.phone)) == 1
    assert "reminders sent 0" in out.getvalue()
