"""Expiry (oldest points first, idempotent), volunteering credit, and the staff's rules within their subtree."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone

from zhijia.core.errors import NotFound, PermissionDenied, ValidationFailed
from zhijia.points.models import EarnEvent, Entry, EntryKind
from zhijia.points.selectors import balance_of, expiring_of
from zhijia.points.services import points_earn, points_expire, points_redeem, rule_set, volunteer_credit
from zhijia.points.tests.points_support import a_member_with_points, a_rule, an_item, give


def test_points_lapse_at_the_end_of_their_year_less_what_was_spent(world, settings):
    settings.POINTS_EXPIRE_AFTER_YEARS = 0  # valid through the end of the year they were earned
    a_member_with_points(world, 0)
    worker = world.user("worker")
    give(worker, 30, world.union_a)
    points_redeem(actor=worker, item_id=an_item(world.street_x, cost=12).pk)
    end_of_year = dt.date(timezone.localdate().year, 12, 31)

    # before the year is out nothing lapses; the member is told what will
    assert points_expire(today=end_of_year) == 0
    expiring = expiring_of(user_id=worker.pk)
    assert expiring is not None
    assert expiring.amount == 18

    # the day after, what was not spent expires, once
    assert points_expire(today=end_of_year + dt.timedelta(days=1)) == 1
    assert points_expire(today=end_of_year + dt.timedelta(days=1)) == 0
    assert points_expire(today=end_of_year + dt.timedelta(days=2)) == 0
    (expiry,) = Entry.objects.filter(user=worker, kind=EntryKind.EXPIRE)
    assert expiry.amount == -18
    assert balance_of(user_id=worker.pk) == 0


def test_newer_points_outlive_older_ones(world, settings):
    settings.POINTS_EXPIRE_AFTER_YEARS = 0
    a_member_with_points(world, 0)
    worker = world.user("worker")
    give(worker, 10, world.union_a)
    settings.POINTS_EXPIRE_AFTER_YEARS = 1
    give(worker, 7, world.union_a)
    end_of_year = dt.date(timezone.localdate().year, 12, 31)

    points_expire(today=end_of_year + dt.timedelta(days=1))

    assert balance_of(user_id=worker.pk) == 7


def test_the_command_runs_the_expiry(world, settings, capsys):
    settings.POINTS_EXPIRE_AFTER_YEARS = 0
    a_member_with_points(world, 10)
    next_year = dt.date(timezone.localdate().year + 1, 1, 1)

    call_command("points_expire", today=next_year)

    assert "1 account" in capsys.readouterr().out
    assert balance_of(user_id=world.user("worker").pk) == 0


def test_volunteering_earns_per_hour_by_the_rule(world):
    membership = a_member_with_points(world, 0)
    a_rule(world.district_x, EarnEvent.VOLUNTEER_HOURS, 10)

    record, entry = volunteer_credit(
        actor=world.user("district_x_staff"),
        membership_id=membership.pk,
        hours=Decimal("2.5"),
        served_on=timezone.localdate(),
        note="驿站值守",
    )

    assert entry is not None
    assert (entry.amount, entry.source, entry.actor) == (25, f"volunteer:{record.pk}", world.user("district_x_staff"))
    assert "驿站值守" in entry.reason


def test_volunteering_outside_ones_subtree_is_not_found(world):
    membership = a_member_with_points(world, 0)

    with pytest.raises(NotFound):
        volunteer_credit(
            actor=world.user("district_y_staff"),
            membership_id=membership.pk,
            hours=Decimal(1),
            served_on=timezone.localdate(),
            note="x",
        )


@pytest.mark.parametrize("hours", [Decimal(0), Decimal("24.5"), Decimal("1.25")])
def test_impossible_hours_are_refused(world, hours):
    membership = a_member_with_points(world, 0)

    with pytest.raises(ValidationFailed) as refused:
        volunteer_credit(
            actor=world.user("district_x_staff"),
            membership_id=membership.pk,
            hours=hours,
            served_on=timezone.localdate(),
            note="x",
        )
    assert refused.value.code == "points.hours_invalid"


def test_a_rule_set_again_is_changed_not_doubled(world):
    admin = world.user("district_x_staff")

    rule_set(actor=admin, org_id=world.street_x.pk, event=EarnEvent.BOOKING_CHECKIN, points=5)
    rule = rule_set(actor=admin, org_id=world.street_x.pk, event=EarnEvent.BOOKING_CHECKIN, points=3, daily_cap=6)

    assert (rule.points, rule.daily_cap) == (3, 6)
    entry = points_earn(world.user("worker"), event=EarnEvent.BOOKING_CHECKIN, source="booking:1", node=world.union_a)
    assert entry is not None
    assert entry.amount == 3


def test_rules_are_set_only_within_ones_subtree_and_role(world):
    with pytest.raises(NotFound):
        rule_set(actor=world.user("district_y_staff"), org_id=world.street_x.pk, event="joined", points=5)
    with pytest.raises(PermissionDenied):
        rule_set(actor=world.user("district_x_readonly"), org_id=world.street_x.pk, event="joined", points=5)
