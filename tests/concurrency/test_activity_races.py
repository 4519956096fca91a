"""Fifty people pressing "register" for an activity at the same instant: never more registrations than places."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest

from zhijia.accounts.models import User
from zhijia.activities import services
from zhijia.activities.models import Registration, RegistrationStatus
from zhijia.activities.tests.activities_support import make_activity, new_worker
from zhijia.core.errors import Conflict

pytestmark = pytest.mark.postgres

THREADS = 50


def _register(user_pk: int, activity_pk: int, key: str = "") -> Registration:
    return services.registration_create(
        actor=User.objects.get(pk=user_pk), activity_id=activity_pk, idempotency_key=key
    )


def test_fifty_people_for_the_last_place_one_gets_it(world: Any, together: Callable[..., Any]) -> None:
    # given an activity with ten places, nine taken, and no waitlist
    activity = make_activity(world, capacity=10, waitlist_size=0)
    for i in range(9):
        _register(new_worker(900 + i).pk, activity.pk)
    people = [new_worker(i).pk for i in range(THREADS)]

    # when fifty people register at the same instant
    outcomes = together(THREADS, lambda i: _register(people[i], activity.pk))

    # then exactly one got the last place and the other 49 were told it is full
    assert Registration.objects.filter(activity=activity, status=RegistrationStatus.REGISTERED).count() == 10
    assert sum(1 for o in outcomes if o.ok) == 1
    refused = [o.error for o in outcomes if not o.ok]
    assert len(refused) == THREADS - 1
    assert all(isinstance(e, Conflict) and e.code == "activity.full" for e in refused)


def test_fifty_at_once_fill_the_places_then_the_waitlist_in_order(world: Any, together: Callable[..., Any]) -> None:
    activity = make_activity(world, capacity=5, waitlist_size=10)
    people = [new_worker(i).pk for i in range(THREADS)]

    outcomes = together(THREADS, lambda i: _register(people[i], activity.pk))

    statuses = Counter(o.value.status for o in outcomes if o.ok)
    assert statuses == {"registered": 5, "waitlisted": 10}
    assert all(isinstance(o.error, Conflict) and o.error.code == "activity.full" for o in outcomes if not o.ok)
    assert Registration.objects.filter(activity=activity).count() == 15
    # the waitlist has a strict order: no two people share a place in line
    waiting = Registration.objects.filter(activity=activity, status="waitlisted").order_by("waitlisted_at", "pk")
    assert len({(r.waitlisted_at, r.pk) for r in waiting}) == 10


def test_one_key_sent_fifty_times_at_once_registers_once(world: Any, together: Callable[..., Any]) -> None:
    # given one worker's phone retrying the same request (same idempotency key) fifty times at once
    activity = make_activity(world, capacity=3)
    worker = world.user("worker")

    outcomes = together(THREADS, lambda i: _register(worker.pk, activity.pk, key="retry-7f3a"))

    # then one registration exists and every answer names it
    assert all(o.ok for o in outcomes), [o.error for o in outcomes if not o.ok][:3]
    assert Registration.objects.filter(activity=activity).count() == 1
    assert {o.value.pk for o in outcomes} == {Registration.objects.get(activity=activity).pk}


def test_cancellations_and_registrations_at_once_never_overfill(world: Any, together: Callable[..., Any]) -> None:
    # given a full activity of 10 with a waitlist of 20; 10 holders cancel while 40 newcomers register
    activity = make_activity(world, capacity=10, waitlist_size=20)
    holders = [new_worker(700 + i) for i in range(10)]
    held = [_register(h.pk, activity.pk) for h in holders]
    newcomers = [new_worker(i).pk for i in range(40)]

    def work(i: int) -> Any:
        if i < 10:
            return services.registration_cancel(actor=User.objects.get(pk=holders[i].pk), registration_id=held[i].pk)
        return _register(newcomers[i - 10], activity.pk)

    together(THREADS, work)

    taken = Registration.objects.filter(activity=activity, status__in=["registered", "offered"]).count()
    assert taken <= 10
    waiting = Registration.objects.filter(activity=activity, status="waitlisted").count()
    # every freed place went to someone (registered directly, or offered to the first in line)
    assert taken == 10 or waiting == 0
    assert waiting <= 20
