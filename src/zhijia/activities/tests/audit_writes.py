"""Activities' rows of the audit guard (`audit/tests/test_audit_record.py`): each write service, who acts, what it does
on a fresh world, and the action it records."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.utils import timezone

from zhijia.activities import services
from zhijia.activities.models import Registration
from zhijia.members.services import card_token_issue
from zhijia.testing.world import World

from .activities_support import make_activity, make_member, shift

# The sweeps compose audited writes (each lapsed offer and each reminder records its own row).
NOT_AUDITED = {"offers_expire_due", "reminders_due"}


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


def _offered(w: World) -> Registration:
    a = make_activity(w, capacity=1)
    held = services.registration_create(actor=w.user("other_worker"), activity_id=a.pk)
    offered = services.registration_create(actor=w.user("worker"), activity_id=a.pk)
    services.registration_cancel(actor=w.user("other_worker"), registration_id=held.pk)
    offered.refresh_from_db()
    return offered


def _checked_in(w: World) -> Registration:
    a = make_activity(w, starts_in=dt.timedelta(hours=1))
    reg = services.registration_create(actor=w.user("worker"), activity_id=a.pk)
    services.registration_check_in_by_hand(actor=w.user("district_x_staff"), registration_id=reg.pk)
    shift(a, -dt.timedelta(hours=2))
    return reg


def _card_check_in(w: World) -> Any:
    member = make_member(w, w.user("other_worker"))
    a = make_activity(w, starts_in=dt.timedelta(hours=1))
    services.registration_create(actor=member.user, activity_id=a.pk)
    return services.registration_check_in(
        actor=w.user("district_x_staff"), activity_id=a.pk, token=card_token_issue(membership=member)
    )


def _reminder(w: World) -> bool:
    a = make_activity(w, starts_in=dt.timedelta(hours=5))
    reg = services.registration_create(actor=w.user("worker"), activity_id=a.pk)
    return services.reminder_send(registration_id=reg.pk)


def _group(w: World) -> Any:
    return services.group_create(
        actor=w.user("district_x_staff"), owner_id=w.street_x.pk, name="X街道摄影小组", audience="all_workers"
    )


def _after_the_offer_window() -> dt.datetime:
    return timezone.now() + dt.timedelta(minutes=settings.ACTIVITIES_OFFER_HOLD_MINUTES + 1)


WRITES: list[tuple[str, str | None, Callable[[World], object], str]] = [
    ("activity_create", "superuser", lambda w: make_activity(w), "activity.create"),
    (
        "activity_update",
        "district_x_staff",
        lambda w: services.activity_update(
            actor=w.user("district_x_staff"), activity_id=(a := make_activity(w)).pk, fields=_fields(a, capacity=20)
        ),
        "activity.update",
    ),
    (
        "activity_cancel",
        "district_x_staff",
        lambda w: services.activity_cancel(actor=w.user("district_x_staff"), activity_id=make_activity(w).pk),
        "activity.cancel",
    ),
    (
        "registration_create",
        "worker",
        lambda w: services.registration_create(actor=w.user("worker"), activity_id=make_activity(w).pk),
        "activity.register",
    ),
    (
        "registration_cancel",
        "worker",
        lambda w: services.registration_cancel(
            actor=w.user("worker"),
            registration_id=services.registration_create(actor=w.user("worker"), activity_id=make_activity(w).pk).pk,
        ),
        "activity.registration_cancel",
    ),
    (
        "offer_accept",
        "worker",
        lambda w: services.offer_accept(actor=w.user("worker"), registration_id=_offered(w).pk),
        "activity.offer_accept",
    ),
    (
        "offer_expire",
        None,
        lambda w: services.offer_expire(registration_id=_offered(w).pk, now=_after_the_offer_window()),
        "activity.offer_expire",
    ),
    ("reminder_send", None, _reminder, "activity.reminder"),
    ("registration_check_in", "district_x_staff", _card_check_in, "activity.checkin"),
    ("registration_check_in_by_hand", "district_x_staff", _checked_in, "activity.checkin"),
    (
        "feedback_submit",
        "worker",
        lambda w: services.feedback_submit(actor=w.user("worker"), registration_id=_checked_in(w).pk, stars=5),
        "activity.feedback",
    ),
    ("group_create", "district_x_staff", _group, "group.create"),
    (
        "group_join",
        "worker",
        lambda w: services.group_join(actor=w.user("worker"), group_id=_group(w).pk),
        "group.join",
    ),
    (
        "group_leave",
        "worker",
        lambda w: services.group_leave(
            actor=w.user("worker"), group_id=services.group_join(actor=w.user("worker"), group_id=_group(w).pk).group_id
        ),
        "group.leave",
    ),
]
