"""The ledger itself: joining earns the union's "joined" points once, and the database refuses to change or remove an
entry."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction
from django.test import TestCase

from zhijia.members import services as members
from zhijia.members.tests.membership_support import submitted
from zhijia.points.models import EarnEvent, Entry
from zhijia.points.selectors import balance_of
from zhijia.points.services import points_earn
from zhijia.points.tests.points_support import a_rule


def test_an_approved_application_earns_the_joined_points_once(world):
    # given a street rule of 20 points for joining, and a worker's application to union A
    a_rule(world.street_x, EarnEvent.JOINED, 20)
    application = submitted(world)

    # when a reviewer approves it
    with TestCase.captureOnCommitCallbacks(execute=True):
        membership = members.application_approve(actor=world.actor("union_a_staff"), application_id=application.pk)

    # then the worker has 20 points, for joining union A
    (entry,) = Entry.objects.filter(user=world.user("worker"))
    assert (entry.event, entry.amount, entry.source, entry.org) == (
        EarnEvent.JOINED,
        20,
        f"membership:{membership.pk}",
        world.union_a,
    )
    assert balance_of(user_id=world.user("worker").pk) == 20


def test_no_joined_rule_approves_all_the_same(world):
    application = submitted(world)

    with TestCase.captureOnCommitCallbacks(execute=True):
        members.application_approve(actor=world.actor("union_a_staff"), application_id=application.pk)

    assert not Entry.objects.exists()


def _refused(statement) -> None:
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        statement()


def test_the_database_refuses_to_change_an_entry(world):
    a_rule(world.street_x, EarnEvent.BOOKING_CHECKIN, 5)
    entry = points_earn(world.user("worker"), event=EarnEvent.BOOKING_CHECKIN, source="booking:1", node=world.union_a)
    assert entry is not None

    _refused(lambda: Entry.objects.filter(pk=entry.pk).update(amount=500))

    def raw_sql() -> None:
        with connection.cursor() as cursor:
            cursor.execute("UPDATE points_entry SET amount = 500, balance_after = 500 WHERE id = %s", [entry.pk])

    _refused(raw_sql)
    assert Entry.objects.get(pk=entry.pk).amount == 5


@pytest.mark.postgres
def test_postgresql_refuses_to_delete_an_entry(world):
    if connection.vendor != "postgresql":
        pytest.skip("DELETE is refused by trigger on PostgreSQL; SQLite's test flush deletes row by row")
    a_rule(world.street_x, EarnEvent.BOOKING_CHECKIN, 5)
    entry = points_earn(world.user("worker"), event=EarnEvent.BOOKING_CHECKIN, source="booking:1", node=world.union_a)
    assert entry is not None

    def raw_sql() -> None:
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM points_entry WHERE id = %s", [entry.pk])

    _refused(raw_sql)
    assert Entry.objects.filter(pk=entry.pk).exists()
