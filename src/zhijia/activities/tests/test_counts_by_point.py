"""The counts other apps ask of activities: per point over a span, the published activities that start in it and
the registrations checked in during it (the annual evaluation's activities and attendance)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from zhijia.activities import selectors, services
from zhijia.members.services import card_token_issue
from zhijia.network.tests.network_support import a_point

from .activities_support import make_activity, make_member

pytestmark = pytest.mark.django_db

DAY = dt.timedelta(days=1)


def test_published_activities_are_counted_per_point_by_their_start(world):
    # given at the first point an activity in an hour, one in ten days and a cancelled one; the second point has none
    first, second = a_point(world), a_point(world, name="第二职工之家")
    make_activity(world, starts_in=dt.timedelta(hours=1), point_id=first.pk)
    make_activity(world, starts_in=10 * DAY, point_id=first.pk)
    cancelled = make_activity(world, starts_in=dt.timedelta(hours=2), point_id=first.pk)
    services.activity_cancel(actor=world.user("superuser"), activity_id=cancelled.pk)
    now = timezone.now()

    def count(start: dt.datetime, end: dt.datetime) -> dict[int, int]:
        return selectors.published_activities_by_point(point_ids=[first.pk, second.pk], start=start, end=end)

    # then only the published ones starting within the span count, at their own point
    assert count(now, now + DAY) == {first.pk: 1}
    assert count(now, now + 30 * DAY) == {first.pk: 2}
    assert count(now - 30 * DAY, now) == {}


def test_checked_in_registrations_are_counted_per_point_by_the_check_in(world):
    # given two members registered for an activity at the first point, one of them checked in at the door
    first, second = a_point(world), a_point(world, name="第二职工之家")
    activity = make_activity(world, starts_in=dt.timedelta(hours=1), point_id=first.pk)
    came = make_member(world, world.user("other_worker"))
    stayed_away = make_member(world, world.user("worker"))
    for membership in (came, stayed_away):
        services.registration_create(actor=membership.user, activity_id=activity.pk)
    before = timezone.now()
    services.registration_check_in(
        actor=world.user("district_x_staff"), activity_id=activity.pk, token=card_token_issue(membership=came)
    )
    after = timezone.now()

    def count(start: dt.datetime, end: dt.datetime) -> dict[int, int]:
        return selectors.checked_in_registrations_by_point(point_ids=[first.pk, second.pk], start=start, end=end)

    # then the one check-in counts, at the activity's point, within the span only
    assert count(before, after + DAY) == {first.pk: 1}
    assert count(after + dt.timedelta(seconds=1), after + DAY) == {}
    assert count(before - DAY, before) == {}
