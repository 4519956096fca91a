"""The national criteria are in every database: after the migrations and again after a flush (which the teardown of
every transactional test runs), put there by a post_migrate handler; reading the criteria never writes them."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.sql import emit_post_migrate_signal

from zhijia.ratings import selectors, services
from zhijia.ratings.models import RatingCriterion
from zhijia.ratings.national_criteria import NATIONAL_CRITERIA
from zhijia.ratings.tests.ratings_support import ALL_FIVE, visit, x_home
from zhijia.testing.world import build_world


def _national() -> list[tuple[str, str, int, bool]]:
    return list(
        RatingCriterion.objects.filter(owner__isnull=True)
        .order_by("position", "pk")
        .values_list("code", "label", "position", "is_active")
    )


EXPECTED = [(code, label, position, True) for position, (code, label) in enumerate(NATIONAL_CRITERIA)]


@pytest.mark.django_db(transaction=True)
def test_a_flushed_database_has_the_national_criteria_again_and_homes_can_be_rated():
    # given a database emptied by flush, as a transactional test's teardown leaves it for the next test
    call_command("flush", interactive=False, verbosity=0)

    # then the national list is back, once and in order
    assert _national() == EXPECTED
    # and a home can be rated on it
    world = build_world()
    home = x_home(world)
    visit(world, home)
    rating = services.rating_submit(actor=world.user("worker"), point_id=home.pk, stars=ALL_FIVE)
    assert rating.scores.count() == len(NATIONAL_CRITERIA)


def test_the_migrations_leave_the_national_criteria(db):
    assert _national() == EXPECTED


def test_the_handler_adds_only_what_is_missing(db):
    # given a national criterion gone and another one switched off and relabelled
    national = RatingCriterion.objects.filter(owner__isnull=True)
    national.filter(code="staff").delete()
    national.filter(code="environment").update(is_active=False, label="环境卫生")

    # when post_migrate is sent, twice (as by two migrates)
    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")
    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")

    # then the missing one is back, once, and the changed one is left as it was
    assert national.count() == len(NATIONAL_CRITERIA)
    assert national.filter(code="staff").count() == 1
    assert national.filter(code="environment", is_active=False, label="环境卫生").exists()


def test_reading_the_criteria_writes_nothing(db, django_assert_num_queries: Any):
    # given a database with no criteria at all
    RatingCriterion.objects.all().delete()

    # when the criteria of a home are read, then one query answers: none, and nothing is written
    with django_assert_num_queries(1):
        assert selectors.criteria_for("0001") == []
    assert not RatingCriterion.objects.exists()
