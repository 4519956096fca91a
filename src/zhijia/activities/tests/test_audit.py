"""Every write service of activities leaves its row in the audit log; a function that is not a write of its own says
so here."""

from __future__ import annotations

import datetime as dt
import inspect
from collections.abc import Callable
from typing import Any

import pytest
from django.conf import settings
from django.utils import timezone

from zhijia.activities import services
from zhijia.activities.models import Registration
from zhijia.audit.models import AuditEvent
from zhijia.members.services import card_token_issue

from .activities_support import make_activity, make_member, shift

pytestmark = pytest.mark.django_db

# The sweeps compose audited writes (each lapsed offer and each reminder records its own row).
NOT_AUDITED_HERE = {"offers_expire_due", "reminders_due"}


def _fields(a: Any, **changes: Any) -> services.ActivityFields:
    base = {
        "title": a.title,
        "kind": a.kind,
        "starts_at": a.starts_at,
        "ends_at": a.ends_at,
        "capacity": a.capacity,
        "audience": a.audience,
        "address": a.address,
        "registration_opens_at": a.registration_opens_at,
        "registration_closes_at": a.registration_closes_at,
    }
    return services.ActivityFields(**{**base, **changes})


def _offered(w: Any) -> Registration:
    a = make_activity(w, capacity=1)
    held = services.registration_create(actor=w.user("other_worker"), activity_id=a.pk)
    offered = services.registration_create(actor=w.user("worker"), activity_id=a.pk)
    services.registration_cancel(actor=w.user("other_worker"), registration_id=held.pk)
    offered.refresh_from_db()
    return offered


def _checked_in(w: Any) -> Registration:
    a = make_activity(w, starts_in=dt.timedelta(hours=1))
    reg = services.registration_create(actor=w.user("worker"), activity_id=a.pk)
    services.registration_check_in_by_hand(actor=w.user("district_x_staff"), registration_id=reg.pk)
    shift(a, -dt.timedelta(hours=2))
    return reg


def _card_check_in(w: Any) -> Any:
    member = make_member(w, w.user("other_worker"))
    a = make_activity(w, starts_in=dt.timedelta(hours=1))
    services.registration_create(actor=member.user, activity_id=a.pk)
    return services.registration_check_in(
        actor=w.user("district_x_staff"), activity_id=a.pk, token=card_token_issue(membership=member)
    )


def _reminder(w: Any) -> bool:
    a = make_activity(w, starts_in=dt.timedelta(hours=5))
    reg = services.registration_create(actor=w.user("worker"), activity_id=a.pk)
    return services.reminder_send(registration_id=reg.pk)


def _group(w: Any) -> Any:
    return services.group_create(
        actor=w.user("district_x_staff"), owner_id=w.street_x.pk, name="X街道摄影小组", audience="all_workers"
    )


WRITES: dict[str, tuple[str, Callable[[Any], Any]]] = {
    "activity_create": ("activity.create", lambda w: make_activity(w)),
    "activity_update": (
        "activity.update",
        lambda w: services.activity_update(
            actor=w.user("district_x_staff"), activity_id=(a := make_activity(w)).pk, fields=_fields(a, capacity=20)
        ),
    ),
    "activity_cancel": (
        "activity.cancel",
        lambda w: services.activity_cancel(actor=w.user("district_x_staff"), activity_id=make_activity(w).pk),
    ),
    "registration_create": (
        "activity.register",
        lambda w: services.registration_create(actor=w.user("worker"), activity_id=make_activity(w).pk),
    ),
    "registration_cancel": (
        "activity.registration_cancel",
        lambda w: services.registration_cancel(
            actor=w.user("worker"),
            registration_id=services.registration_create(actor=w.user("worker"), activity_id=make_activity(w).pk).pk,
        ),
    ),
    "offer_accept": (
        "activity.offer_accept",
        lambda w: services.offer_accept(actor=w.user("worker"), registration_id=_offered(w).pk),
    ),
    "offer_expire": (
        "activity.offer_expire",
        lambda w: services.offer_expire(
            registration_id=_offered(w).pk,
            now=timezone.now() + dt.timedelta(minutes=settings.ACTIVITIES_OFFER_HOLD_MINUTES + 1),
        ),
    ),
    "reminder_send": ("activity.reminder", _reminder),
    "registration_check_in": ("activity.checkin", _card_check_in),
    "registration_check_in_by_hand": ("activity.checkin", lambda w: _checked_in(w)),
    "feedback_submit": (
        "activity.feedback",
        lambda w: services.feedback_submit(actor=w.user("worker"), registration_id=_checked_in(w).pk, stars=5),
    ),
    "group_create": ("group.create", _group),
    "group_join": ("group.join", lambda w: services.group_join(actor=w.user("worker"), group_id=_group(w).pk)),
    "group_leave": (
        "group.leave",
        lambda w: services.group_leave(
            actor=w.user("worker"), group_id=services.group_join(actor=w.user("worker"), group_id=_group(w).pk).group_id
        ),
    ),
}


@pytest.mark.parametrize("name", sorted(WRITES))
def test_every_write_service_leaves_its_audit_row(world, sms_outbox, name):
    action, write = WRITES[name]

    write(world)

    event = AuditEvent.objects.filter(action=action).order_by("-pk").first()
    assert event is not None, f"{name} recorded no {action}"
    assert all((event.object_type, event.object_id, event.object_repr))


def test_no_service_function_escapes_the_audit_table():
    public = {
        n
        for n, fn in inspect.getmembers(services, inspect.isfunction)
        if fn.__module__ == services.__name__ and not n.startswith("_")
    }

    assert public - set(WRITES) - NOT_AUDITED_HERE == set()
