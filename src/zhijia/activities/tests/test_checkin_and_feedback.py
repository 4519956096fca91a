"""At the door: staff scan the member card's QR code and the registrant is checked in once, earning points once;
afterwards attendees give feedback once. Elsewhere the platform asks whether someone really came to a point."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from zhijia.activities import selectors, services
from zhijia.activities.models import Feedback, Registration
from zhijia.core.errors import Conflict, NotFound, ValidationFailed
from zhijia.members.services import card_token_issue
from zhijia.network.tests.network_support import a_point
from zhijia.points.models import EarningRule, Entry

from .activities_support import make_activity, make_member, shift

pytestmark = pytest.mark.django_db

SOON = dt.timedelta(hours=1)


@pytest.fixture
def member(world):
    return make_member(world, world.user("other_worker"))


@pytest.fixture
def rule(world):
    return EarningRule.objects.create(org=world.district_x, event="activity_checkin", points=10)


def test_scanning_the_card_checks_in_once_and_earns_points_once(world, member, rule):
    # given a member registered for an activity of street X that starts within the hour
    activity = make_activity(world, starts_in=SOON)
    reg = services.registration_create(actor=member.user, activity_id=activity.pk)
    token = card_token_issue(membership=member)
    staff = world.user("district_x_staff")

    # when staff at the door scan the card, twice
    first = services.registration_check_in(
        actor=staff, activity_id=activity.pk, token=f"https://x/verify?token={token}"
    )
    again = services.registration_check_in(actor=staff, activity_id=activity.pk, token=token)

    # then the registrant is checked in once, the second scan says so, and points were earned once
    reg.refresh_from_db()
    assert (first.newly, again.newly) == (True, False)
    assert reg.checked_in_at is not None
    assert reg.checked_in_by == staff
    entry = Entry.objects.get(user=member.user, event="activity_checkin")
    assert (entry.amount, entry.source) == (10, f"activity:{reg.pk}")


def test_a_member_who_did_not_register_is_refused(world, member, rule):
    activity = make_activity(world, starts_in=SOON)

    with pytest.raises(Conflict) as refused:
        services.registration_check_in(
            actor=world.user("district_x_staff"), activity_id=activity.pk, token=card_token_issue(membership=member)
        )

    assert refused.value.code == "activity.not_registered"
    assert not Entry.objects.exists()


def test_a_forged_card_is_refused(world, member):
    activity = make_activity(world, starts_in=SOON)
    services.registration_create(actor=member.user, activity_id=activity.pk)

    with pytest.raises(ValidationFailed) as refused:
        services.registration_check_in(
            actor=world.user("district_x_staff"), activity_id=activity.pk, token=member.member_no + ":forged:sig"
        )

    assert refused.value.code == "activity.card_invalid"
    assert not Registration.objects.filter(checked_in_at__isnull=False).exists()


def test_the_door_opens_two_hours_before_the_start(world, member):
    activity = make_activity(world, starts_in=dt.timedelta(hours=5))
    services.registration_create(actor=member.user, activity_id=activity.pk)

    with pytest.raises(Conflict) as refused:
        services.registration_check_in(
            actor=world.user("district_x_staff"), activity_id=activity.pk, token=card_token_issue(membership=member)
        )

    assert refused.value.code == "activity.checkin_not_open"


def test_staff_of_another_district_cannot_check_in(world, member):
    activity = make_activity(world, starts_in=SOON)
    services.registration_create(actor=member.user, activity_id=activity.pk)

    with pytest.raises(NotFound):
        services.registration_check_in(
            actor=world.user("district_y_staff"), activity_id=activity.pk, token=card_token_issue(membership=member)
        )


def test_a_case_handler_staffing_the_door_checks_in_by_hand(world, rule):
    activity = make_activity(world, starts_in=SOON)
    reg = services.registration_create(actor=world.user("worker"), activity_id=activity.pk)

    done = services.registration_check_in_by_hand(actor=world.user("case_handler"), registration_id=reg.pk)

    assert done.newly
    assert Entry.objects.filter(user=world.user("worker"), source=f"activity:{reg.pk}").count() == 1


def test_feedback_once_after_attending(world, member):
    activity = make_activity(world, starts_in=SOON)
    reg = services.registration_create(actor=member.user, activity_id=activity.pk)
    with pytest.raises(Conflict) as not_yet:
        services.feedback_submit(actor=member.user, registration_id=reg.pk, stars=5)
    services.registration_check_in(
        actor=world.user("district_x_staff"), activity_id=activity.pk, token=card_token_issue(membership=member)
    )
    shift(activity, -SOON - dt.timedelta(minutes=30))  # the activity is under way

    services.feedback_submit(actor=member.user, registration_id=reg.pk, stars=4, comment="老师讲得好")
    with pytest.raises(Conflict) as twice:
        services.feedback_submit(actor=member.user, registration_id=reg.pk, stars=1)

    assert not_yet.value.code == "feedback.not_attended"
    assert twice.value.code == "feedback.already_given"
    summary = selectors.feedback_summary(activity=activity)
    assert (summary.count, summary.average, summary.by_stars[4], summary.attended) == (1, 4.0, 1, 1)
    assert Feedback.objects.get().comment == "老师讲得好"


def test_someone_elses_registration_cannot_be_rated(world, member):
    activity = make_activity(world, starts_in=SOON)
    reg = services.registration_create(actor=member.user, activity_id=activity.pk)

    with pytest.raises(NotFound):
        services.feedback_submit(actor=world.user("worker"), registration_id=reg.pk, stars=5)


def test_checkins_at_a_point(world, member):
    point = a_point(world)
    activity = make_activity(world, starts_in=SOON, point_id=point.pk)
    reg = services.registration_create(actor=member.user, activity_id=activity.pk)
    since = timezone.now() - dt.timedelta(days=30)
    assert selectors.checkins_at(point.pk, member.user.pk, since) is False

    services.registration_check_in(
        actor=world.user("district_x_staff"), activity_id=activity.pk, token=card_token_issue(membership=member)
    )

    assert selectors.checkins_at(point.pk, member.user.pk, since) is True
    assert selectors.checkins_at(point.pk, member.user.pk, timezone.now() + dt.timedelta(minutes=1)) is False
    assert selectors.checkins_at(point.pk, world.user("worker").pk, since) is False
    assert Registration.objects.get(pk=reg.pk).checked_in_at is not None
