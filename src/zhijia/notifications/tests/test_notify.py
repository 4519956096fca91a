"""Sending a message: one inbox row, an SMS only when asked and only after the sender's transaction commits, and a
keyed message written once however often it is sent."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.test import TestCase

from zhijia.audit.models import AuditEvent
from zhijia.core.errors import ValidationFailed
from zhijia.core.gateways.sms import outbox_messages
from zhijia.notifications.models import Notification
from zhijia.notifications.services import notify
from zhijia.testing.world import make_user


def test_a_message_lands_in_the_inbox_unread(world):
    worker = world.user("worker")

    n = notify(worker, kind="booking.confirmed", title="预约成功", body="羽毛球场 周六 10:00", link="/bookings/1/")

    assert (n.user, n.kind, n.title, n.link, n.read_at, n.sms) == (
        worker,
        "booking.confirmed",
        "预约成功",
        "/bookings/1/",
        None,
        False,
    )
    assert AuditEvent.objects.filter(action="notification.send", object_id=str(n.pk)).exists()


def test_the_same_dedupe_key_writes_once_and_texts_once(world, sms_outbox):
    worker = world.user("worker")

    with TestCase.captureOnCommitCallbacks(execute=True):
        first = notify(worker, kind="activity.reminder", title="明天的活动", sms=True, dedupe_key="activity:7:remind")
        second = notify(worker, kind="activity.reminder", title="明天的活动", sms=True, dedupe_key="activity:7:remind")

    assert first.pk == second.pk
    assert Notification.objects.filter(user=worker).count() == 1
    assert len(outbox_messages(worker.phone)) == 1


def test_the_same_key_for_another_person_is_another_message(world):
    notify(world.user("worker"), kind="k", title="t", dedupe_key="same")
    notify(world.user("other_worker"), kind="k", title="t", dedupe_key="same")

    assert Notification.objects.filter(dedupe_key="same").count() == 2


def test_without_a_key_every_call_is_a_new_message(world):
    worker = world.user("worker")

    notify(worker, kind="k", title="一")
    notify(worker, kind="k", title="一")

    assert Notification.objects.filter(user=worker).count() == 2


def test_sms_goes_to_the_accounts_phone_after_commit(world, sms_outbox):
    worker = world.user("worker")

    with TestCase.captureOnCommitCallbacks(execute=False) as callbacks:
        n = notify(worker, kind="waitlist.offer", title="候补到位，请在 15 分钟内确认", sms=True)
    assert outbox_messages(worker.phone) == []  # nothing leaves before the sender's transaction commits
    for callback in callbacks:
        callback()

    (sms,) = outbox_messages(worker.phone)
    assert n.sms is True
    assert sms["template"] == "notify.waitlist.offer"
    assert sms["params"] == {"title": "候补到位，请在 15 分钟内确认"}


def test_a_rolled_back_sender_leaves_no_message_and_no_sms(world, sms_outbox):
    worker = world.user("worker")

    def book_then_fail() -> None:
        with transaction.atomic():
            notify(worker, kind="k", title="取消了", sms=True)
            raise RuntimeError("the booking failed")

    with TestCase.captureOnCommitCallbacks(execute=True), pytest.raises(RuntimeError):
        book_then_fail()

    assert not Notification.objects.filter(user=worker).exists()
    assert outbox_messages(worker.phone) == []


def test_no_sms_without_a_phone(world, sms_outbox):
    staff = make_user("no_phone_clerk", kind="staff")

    with TestCase.captureOnCommitCallbacks(execute=True):
        n = notify(staff, kind="k", title="无手机号", sms=True)

    assert n.sms is False
    assert outbox_messages() == []


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"kind": "", "title": "t"}, "notification.kind_invalid"),
        ({"kind": "k", "title": "  "}, "notification.title_required"),
        ({"kind": "k", "title": "t", "link": "https://evil.example/"}, "notification.link_invalid"),
        ({"kind": "k", "title": "t", "link": "//evil.example/"}, "notification.link_invalid"),
    ],
)
def test_a_malformed_message_is_refused(world, fields, code):
    with pytest.raises(ValidationFailed) as refused:
        notify(world.user("worker"), **fields)

    assert refused.value.code == code
    assert not Notification.objects.exists()
