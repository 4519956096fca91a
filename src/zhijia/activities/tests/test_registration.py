"""Registering, the waitlist and its offers, cancelling, and who may register."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from zhijia.activities import services
from zhijia.activities.models import Audience, Registration, RegistrationKey, RegistrationStatus
from zhijia.activities.selectors import waitlist_position
from zhijia.core.errors import Conflict, NotFound, PermissionDenied
from zhijia.notifications.models import Notification

from .activities_support import make_activity, make_member, new_worker, shift

pytestmark = pytest.mark.django_db


def _register(user, activity, key=""):
    return services.registration_create(actor=user, activity_id=activity.pk, idempotency_key=key)


def test_places_then_waitlist_then_refused(world):
    # given an activity with 2 places and a waitlist of 1
    activity = make_activity(world, capacity=2, waitlist_size=1)
    people = [new_worker(i) for i in range(4)]

    # when four people register
    first, second, third = (_register(p, activity) for p in people[:3])
    with pytest.raises(Conflict) as refused:
        _register(people[3], activity)

    # then two have places, one waits first in line, and the fourth is told it is full
    assert [first.status, second.status, third.status] == ["registered", "registered", "waitlisted"]
    assert waitlist_position(third) == 1
    assert refused.value.code == "activity.full"
    assert Registration.objects.filter(activity=activity).count() == 3


def test_without_a_waitlist_the_rest_are_refused(world):
    activity = make_activity(world, capacity=1, waitlist_size=0)
    _register(new_worker(1), activity)

    with pytest.raises(Conflict) as refused:
        _register(new_worker(2), activity)

    assert refused.value.code == "activity.full"


def test_the_same_key_registers_once(world):
    activity = make_activity(world, capacity=5)
    worker = world.user("worker")

    first = _register(worker, activity, key="tap-1")
    again = _register(worker, activity, key="tap-1")

    assert again.pk == first.pk
    assert Registration.objects.filter(activity=activity, user=worker).count() == 1
    assert RegistrationKey.objects.filter(user=worker).count() == 1


def test_registering_twice_without_a_key_is_refused(world):
    activity = make_activity(world)
    _register(world.user("worker"), activity)

    with pytest.raises(Conflict) as refused:
        _register(world.user("worker"), activity)

    assert refused.value.code == "activity.already_registered"


def test_a_cancelled_place_is_offered_to_the_first_in_line(world, sms_outbox, settings):
    # given a full activity with two people waiting, and offers held for half an hour
    settings.ACTIVITIES_OFFER_HOLD_MINUTES = 30
    activity = make_activity(world, capacity=1)
    holder, first, second = new_worker(1), new_worker(2), new_worker(3)
    held = _register(holder, activity)
    in_line = _register(first, activity)
    _register(second, activity)

    # when the holder cancels
    services.registration_cancel(actor=holder, registration_id=held.pk, idempotency_key="c-1")

    # then the first in line holds the place for the offer window and is told (inbox and SMS); the second still waits
    in_line.refresh_from_db()
    assert in_line.status == RegistrationStatus.OFFERED
    assert in_line.offer_expires_at == in_line.offered_at + dt.timedelta(minutes=30)
    offer = Notification.objects.get(user=first, kind="activity.offer")
    assert offer.sms
    assert Registration.objects.get(activity=activity, user=second).status == RegistrationStatus.WAITLISTED


def test_an_offer_taken_up_in_time_becomes_a_place(world):
    activity = make_activity(world, capacity=1)
    holder, waiting = new_worker(1), new_worker(2)
    held = _register(holder, activity)
    reg = _register(waiting, activity)
    services.registration_cancel(actor=holder, registration_id=held.pk)

    accepted = services.offer_accept(actor=waiting, registration_id=reg.pk)

    assert accepted.status == RegistrationStatus.REGISTERED
    assert accepted.offer_expires_at is None


def test_an_offer_not_taken_up_passes_to_the_next_when_its_window_closes(world):
    # given a place offered to the first in line, with a second person waiting
    activity = make_activity(world, capacity=1)
    holder, first, second = new_worker(1), new_worker(2), new_worker(3)
    held = _register(holder, activity)
    offered = _register(first, activity)
    next_in_line = _register(second, activity)
    services.registration_cancel(actor=holder, registration_id=held.pk)
    offered.refresh_from_db()

    # when the deferred check runs before the window closes, nothing happens
    assert (
        services.offer_expire(registration_id=offered.pk, now=offered.offer_expires_at - dt.timedelta(seconds=1))
        is False
    )
    offered.refresh_from_db()
    assert offered.status == RegistrationStatus.OFFERED

    # when it runs after the window, the offer lapses and the next in line gets it; running it again changes nothing
    later = offered.offer_expires_at + dt.timedelta(seconds=1)
    assert services.offer_expire(registration_id=offered.pk, now=later) is True
    assert services.offer_expire(registration_id=offered.pk, now=later) is False

    offered.refresh_from_db()
    next_in_line.refresh_from_db()
    assert offered.status == RegistrationStatus.EXPIRED
    assert next_in_line.status == RegistrationStatus.OFFERED
    assert Registration.objects.filter(activity=activity, status__in=["registered", "offered"]).count() == 1


def test_accepting_after_the_window_is_refused_and_passes_the_place_on(world):
    activity = make_activity(world, capacity=1)
    holder, first, second = new_worker(1), new_worker(2), new_worker(3)
    held = _register(holder, activity)
    late = _register(first, activity)
    _register(second, activity)
    services.registration_cancel(actor=holder, registration_id=held.pk)
    Registration.objects.filter(pk=late.pk).update(offer_expires_at=timezone.now() - dt.timedelta(minutes=1))

    with pytest.raises(Conflict) as refused:
        services.offer_accept(actor=first, registration_id=late.pk)

    assert refused.value.code == "registration.offer_expired"
    assert Registration.objects.get(pk=late.pk).status == RegistrationStatus.EXPIRED
    assert Registration.objects.get(activity=activity, user=second).status == RegistrationStatus.OFFERED


def test_the_sweep_expires_every_lapsed_offer_once(world, settings):
    activity = make_activity(world, capacity=2)
    a, b, c, d = (new_worker(i) for i in range(4))
    held = [_register(a, activity), _register(b, activity)]
    _register(c, activity)
    _register(d, activity)
    for reg, user in zip(held, (a, b), strict=True):
        services.registration_cancel(actor=user, registration_id=reg.pk)
    later = timezone.now() + dt.timedelta(minutes=settings.ACTIVITIES_OFFER_HOLD_MINUTES + 1)

    assert services.offers_expire_due(now=later) == 2
    assert services.offers_expire_due(now=later) == 0
    assert set(Registration.objects.filter(activity=activity).values_list("status", flat=True)) == {
        "cancelled",
        "expired",
    }


def test_members_only_activities_refuse_others(world):
    # given an activity of street X for its members; the other worker is a member of union A (below street X)
    activity = make_activity(world, audience=Audience.MEMBERS)
    make_member(world, world.user("other_worker"))

    # then a member registers, and a worker who is not a member cannot even see it
    assert _register(world.user("other_worker"), activity).status == "registered"
    with pytest.raises(NotFound):
        _register(world.user("worker"), activity)


def test_staff_who_see_an_activity_but_are_not_members_are_refused(world):
    activity = make_activity(world, audience=Audience.MEMBERS)

    with pytest.raises(PermissionDenied) as refused:
        _register(world.user("district_x_staff"), activity)

    assert refused.value.code == "activity.members_only"


def test_registration_window(world):
    activity = make_activity(
        world, registration_opens_at=timezone.now() + dt.timedelta(days=1), starts_in=dt.timedelta(days=5)
    )
    with pytest.raises(Conflict) as early:
        _register(world.user("worker"), activity)
    shift(activity, -dt.timedelta(days=5, hours=1))  # now it started an hour ago, past the close of registration

    with pytest.raises(Conflict) as late:
        _register(world.user("worker"), activity)

    assert early.value.code == "activity.registration_not_open"
    assert late.value.code == "activity.registration_closed"


def test_film_screening_charges_members_the_member_price(world):
    activity = make_activity(world, kind="film", member_price_fen=1000, price_fen=3000)
    make_member(world, world.user("other_worker"))

    member = _register(world.user("other_worker"), activity)
    other = _register(world.user("worker"), activity)

    assert (member.is_member, member.price_fen) == (True, 1000)
    assert (other.is_member, other.price_fen) == (False, 3000)


def test_cancelling_after_the_start_is_refused(world):
    activity = make_activity(world)
    reg = _register(world.user("worker"), activity)
    shift(activity, -dt.timedelta(days=3, hours=1))

    with pytest.raises(Conflict) as refused:
        services.registration_cancel(actor=world.user("worker"), registration_id=reg.pk)

    assert refused.value.code == "registration.too_late_to_cancel"


def test_a_repeated_cancel_key_answers_with_the_first_cancellation(world):
    activity = make_activity(world)
    reg = _register(world.user("worker"), activity)

    first = services.registration_cancel(actor=world.user("worker"), registration_id=reg.pk, idempotency_key="k")
    again = services.registration_cancel(actor=world.user("worker"), registration_id=reg.pk, idempotency_key="k")

    assert first.pk == again.pk
    assert again.status == RegistrationStatus.CANCELLED


def test_cancelling_an_activity_tells_everyone_registered(world, sms_outbox):
    activity = make_activity(world, capacity=1)
    a, b = new_worker(1), new_worker(2)
    _register(a, activity)
    _register(b, activity)

    services.activity_cancel(actor=world.user("district_x_staff"), activity_id=activity.pk, reason="场地维修")

    assert set(Registration.objects.filter(activity=activity).values_list("status", flat=True)) == {"cancelled"}
    assert Notification.objects.filter(kind="activity.cancelled").count() == 2


def test_raising_capacity_offers_the_new_places(world):
    activity = make_activity(world, capacity=1)
    _register(new_worker(1), activity)
    waiting = _register(new_worker(2), activity)
    fields = services.ActivityFields(
        title=activity.title,
        kind=activity.kind,
        starts_at=activity.starts_at,
        ends_at=activity.ends_at,
        capacity=2,
        audience=activity.audience,
        address=activity.address,
        registration_opens_at=activity.registration_opens_at,
        registration_closes_at=activity.registration_closes_at,
    )

    services.activity_update(actor=world.user("district_x_staff"), activity_id=activity.pk, fields=fields)

    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.OFFERED


def test_another_districts_staff_cannot_edit(world):
    activity = make_activity(world)

    with pytest.raises(NotFound):
        services.activity_cancel(actor=world.user("district_y_staff"), activity_id=activity.pk)
    with pytest.raises(PermissionDenied):
        services.activity_cancel(actor=world.user("district_x_readonly"), activity_id=activity.pk)


def test_a_key_sent_again_for_another_activity_is_refused(world):
    first, second = make_activity(world), make_activity(world, title="另一个活动")
    _register(world.user("worker"), first, key="same")

    with pytest.raises(Conflict) as refused:
        _register(world.user("worker"), second, key="same")

    assert refused.value.code == "registration.key_reused"
    assert not Registration.objects.filter(activity=second).exists()
