"""Helpers for the activities tests: members with cards, and activities placed in the shared test world."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from django.utils import timezone

from zhijia.accounts.models import User
from zhijia.activities import services
from zhijia.activities.models import Activity, ActivityKind, Audience
from zhijia.members.idnumber import check_character
from zhijia.members.models import Membership
from zhijia.members.services import application_approve, application_submit
from zhijia.testing.world import World, make_user

_seq = itertools.count(100)


def id_number(seq: int) -> str:
    first17 = f"11010519900101{seq % 1000:03d}"
    return first17 + check_character(first17)


def make_member(world: World, user: User, *, name: str = "", street: Any = None, employer: Any = None) -> Membership:
    """`user` applies with their own phone and is approved: an active member with a card."""
    application = application_submit(
        actor=user,
        name=name or user.display_name,
        id_number=id_number(next(_seq)),
        phone=user.phone,
        job_group="courier",
        work_street_id=(street or world.street_x).pk,
        employer_id=(employer or world.employer_a).pk,
        consent=True,
    )
    return application_approve(actor=world.user("superuser"), application_id=application.pk)


def new_worker(n: int, *, prefix: str = "w") -> User:
    return make_user(f"{prefix}{n}", display_name=f"职工{n}", phone=f"135{n:08d}")


def make_activity(
    world: World,
    *,
    organiser: Any = None,
    capacity: int = 10,
    waitlist_size: int = 20,
    audience: str = Audience.ALL_WORKERS,
    starts_in: dt.timedelta = dt.timedelta(days=3),
    hours: int = 2,
    kind: str = ActivityKind.TRAINING,
    title: str = "职工技能培训",
    **extra: Any,
) -> Activity:
    starts = timezone.now() + starts_in
    fields = services.ActivityFields(
        title=title,
        kind=kind,
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=hours),
        capacity=capacity,
        waitlist_size=waitlist_size,
        audience=audience,
        address="X区人民路 1 号职工之家",
        registration_opens_at=extra.pop("registration_opens_at", timezone.now() - dt.timedelta(days=10)),
        registration_closes_at=extra.pop("registration_closes_at", starts + dt.timedelta(minutes=30)),
        **extra,
    )
    return services.activity_create(
        actor=world.user("superuser"), organiser_id=(organiser or world.street_x).pk, fields=fields
    )


def shift(activity: Activity, delta: dt.timedelta) -> Activity:
    """Move an activity and its registration window in time (as if the clock had moved the other way)."""
    Activity.objects.filter(pk=activity.pk).update(
        starts_at=activity.starts_at + delta,
        ends_at=activity.ends_at + delta,
        registration_opens_at=activity.registration_opens_at + delta,
        registration_closes_at=activity.registration_closes_at + delta,
    )
    activity.refresh_from_db()
    return activity
