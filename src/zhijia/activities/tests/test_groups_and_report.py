"""Interest groups (join, leave, meetings) and the staff's report by month and kind."""

from __future__ import annotations

import datetime as dt

import pytest

from zhijia.activities import selectors, services
from zhijia.activities.models import Audience, GroupMember
from zhijia.core.errors import Conflict, NotFound

from .activities_support import make_activity, make_member, shift

pytestmark = pytest.mark.django_db


def _group(world, audience=Audience.MEMBERS):
    return services.group_create(
        actor=world.user("district_x_staff"), owner_id=world.street_x.pk, name="X街道书法小组", audience=audience
    )


def test_a_member_joins_and_leaves_a_group_and_sees_its_meetings(world):
    group = _group(world)
    member = make_member(world, world.user("other_worker"))
    meeting = make_activity(world, kind="group_meeting", group_id=group.pk, title="书法小组周三活动")

    services.group_join(actor=member.user, group_id=group.pk)
    with pytest.raises(Conflict):
        services.group_join(actor=member.user, group_id=group.pk)
    seen = selectors.group_get_public(actor=member.user, group_id=group.pk)
    services.group_leave(actor=member.user, group_id=group.pk)
    services.group_join(actor=member.user, group_id=group.pk)  # joining again is a new membership

    assert seen.member_count == 1  # type: ignore[attr-defined]
    assert list(selectors.group_meetings(group=group)) == [meeting]
    assert GroupMember.objects.filter(group=group, user=member.user).count() == 2
    assert GroupMember.objects.filter(group=group, user=member.user, left_at__isnull=True).count() == 1


def test_a_members_only_group_is_hidden_from_others(world):
    group = _group(world)

    with pytest.raises(NotFound):
        services.group_join(actor=world.user("worker"), group_id=group.pk)
    assert list(selectors.group_open_list(actor=world.user("worker"))) == []


def test_a_group_meeting_needs_its_group(world):
    from zhijia.core.errors import ValidationFailed

    with pytest.raises(ValidationFailed) as refused:
        make_activity(world, kind="group_meeting")

    assert refused.value.code == "activity.group_required"


def test_the_report_counts_activities_registrations_and_attendance_by_month_and_kind(world):
    # given two trainings and a film of street X this month, and a training of district Y
    trainings = [make_activity(world, starts_in=dt.timedelta(hours=1)) for _ in range(2)]
    make_activity(world, kind="film", starts_in=dt.timedelta(hours=1))
    make_activity(world, organiser=world.district_y)
    people = [world.user("worker"), world.user("other_worker")]
    regs = [services.registration_create(actor=p, activity_id=trainings[0].pk) for p in people]
    services.registration_check_in_by_hand(actor=world.user("district_x_staff"), registration_id=regs[0].pk)
    shift(trainings[0], -dt.timedelta(hours=2))

    rows = selectors.activity_report(actor=world.user("district_x_staff"))

    by_kind = {r.kind: r for r in rows}
    assert set(by_kind) == {"training", "film"}  # district Y's training is not in district X's report
    assert (by_kind["training"].activities, by_kind["training"].registered, by_kind["training"].attended) == (2, 2, 1)
    assert by_kind["training"].rate == 0.5
    assert by_kind["film"].rate is None
