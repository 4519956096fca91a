"""Members rate homes they really visited: one rating per person, home and period; staff neither rate nor change
ratings; replies are public, logged, and reach the member."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from zhijia.audit.models import AuditEvent
from zhijia.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from zhijia.notifications.models import Notification
from zhijia.points.models import EarnEvent, EarningRule, Entry
from zhijia.ratings import selectors, services
from zhijia.ratings.models import HomeRating, RatingReply, RatingScore
from zhijia.ratings.tests.ratings_support import ALL_FIVE, ALL_THREE, visit, x_home, y_home


def test_a_worker_who_visited_rates_the_home_and_its_average_changes(world):
    home = x_home(world)
    visit(world, home)
    assert selectors.rating_summaries([home.pk])[home.pk].count == 0

    rating = services.rating_submit(
        actor=world.user("worker"), point_id=home.pk, stars={**ALL_FIVE, "staff": 4}, comment="很干净"
    )

    assert rating.average == Decimal("4.80")
    assert rating.visit == "order"
    assert rating.period == str(timezone.localdate().year)
    assert RatingScore.objects.filter(rating=rating).count() == 5
    summary = selectors.rating_summaries([home.pk])[home.pk]
    assert (summary.average, summary.count) == (Decimal("4.8"), 1)
    assert AuditEvent.objects.filter(action="rating.submit", object_id=str(rating.pk)).exists()


def test_a_rating_without_a_visit_is_refused(world):
    home = x_home(world)
    other = x_home(world, name="X街道另一家")
    visit(world, other)  # a visit elsewhere does not count here

    with pytest.raises(PermissionDenied) as refused:
        services.rating_submit(actor=world.user("worker"), point_id=home.pk, stars=ALL_FIVE)

    assert refused.value.code == "rating.no_visit"
    assert not HomeRating.objects.exists()


def test_a_visit_older_than_the_citys_window_does_not_count(world):
    home = x_home(world)
    visit(world, home)
    later = timezone.now() + dt.timedelta(days=91)

    with pytest.raises(PermissionDenied):
        services.rating_submit(actor=world.user("worker"), point_id=home.pk, stars=ALL_FIVE, now=later)

    # the city widens the window to 120 days: now the visit counts
    services.rules_set(actor=world.user("city_staff"), org_id=world.city.pk, visit_days=120, period="year")
    services.rating_submit(actor=world.user("worker"), point_id=home.pk, stars=ALL_FIVE, now=later)
    assert HomeRating.objects.count() == 1


def test_writing_a_rating_earns_the_points_the_unions_rule_gives_once(world):
    EarningRule.objects.create(org=world.district_x, event=EarnEvent.RATING_WRITTEN, points=5)
    home = x_home(world)
    visit(world, home)

    rating = services.rating_submit(actor=world.user("worker"), point_id=home.pk, stars=ALL_FIVE)

    entry = Entry.objects.get(user=world.user("worker"), event=EarnEvent.RATING_WRITTEN)
    assert (entry.source, entry.amount) == (f"rating:{rating.pk}", 5)


def test_one_rating_per_person_per_home_per_period(world):
    home = x_home(world)
    visit(world, home)
    services.rating_submit(actor=world.user("worker"), point_id=home.pk, stars=ALL_FIVE)

    with pytest.raises(Conflict):
        services.rating_submit(actor=world.user("worker"), point_id=home.pk, stars=ALL_THREE)

    assert HomeRating.objects.count() == 1


def test_a_monthly_period_lets_the_member_rate_again_next_month(world):
    services.rules_set(actor=world.user("city_staff"), org_id=world.city.pk, visit_days=90, period="month")
    home = x_home(world)
    visit(world, home)
    now = timezone.now()
    services.rating_submit(actor=world.user("worker"), point_id=home.pk, stars=ALL_FIVE, now=now)

    services.rating_submit(
        actor=world.user("worker"), point_id=home.pk, stars=ALL_THREE, now=now + dt.timedelta(days=32)
    )

    assert HomeRating.objects.filter(user=world.user("worker"), point=home).count() == 2


@pytest.mark.parametrize("stars", [{**ALL_FIVE, "staff": 6}, {**ALL_FIVE, "staff": 0}, {"environment": 5}])
def test_stars_must_cover_every_criterion_from_one_to_five(world, stars):
    home = x_home(world)
    visit(world, home)
    with pytest.raises(ValidationFailed):
        services.rating_submit(actor=world.user("worker"), point_id=home.pk, stars=stars)
    assert not HomeRating.objects.exists()


def test_a_city_changes_the_criteria_for_its_homes(world):
    services.criteria_set(
        actor=world.user("city_staff"), org_id=world.city.pk, criteria=[("clean", "整洁"), ("warm", "温馨")]
    )
    home = x_home(world)
    visit(world, home)

    with pytest.raises(ValidationFailed):
        services.rating_submit(actor=world.user("worker"), point_id=home.pk, stars=ALL_FIVE)
    rating = services.rating_submit(actor=world.user("worker"), point_id=home.pk, stars={"clean": 4, "warm": 5})

    assert rating.average == Decimal("4.50")
    assert [c.code for c in selectors.criteria_for(home.owner.path)] == ["clean", "warm"]


@pytest.mark.parametrize("staff", ["district_x_staff", "district_y_staff", "city_staff", "superuser"])
def test_staff_accounts_do_not_rate_homes_of_any_district(world, staff):
    home = x_home(world)
    with pytest.raises(PermissionDenied):
        services.rating_submit(actor=world.user(staff), point_id=home.pk, stars=ALL_FIVE)
    assert not HomeRating.objects.exists()


def test_staff_reply_in_public_the_reply_is_logged_and_the_member_is_told(world):
    home = x_home(world)
    visit(world, home)
    rating = services.rating_submit(actor=world.user("worker"), point_id=home.pk, stars=ALL_THREE, comment="太吵")

    reply = services.rating_reply(actor=world.user("district_x_staff"), rating_id=rating.pk, body="已加装隔音门")

    assert [r.body for r in selectors.point_ratings_public(home.pk)[0].replies.all()] == ["已加装隔音门"]
    assert AuditEvent.objects.filter(action="rating.reply", object_id=str(reply.pk)).exists()
    assert Notification.objects.filter(user=world.user("worker"), kind="rating.reply").exists()
    assert selectors.my_ratings(actor=world.user("worker"))[0].replies.get().body == "已加装隔音门"


def test_staff_of_another_district_cannot_reply_or_see_the_rating(world):
    home = x_home(world)
    visit(world, home)
    rating = services.rating_submit(actor=world.user("worker"), point_id=home.pk, stars=ALL_THREE)

    with pytest.raises(NotFound):
        services.rating_reply(actor=world.user("district_y_staff"), rating_id=rating.pk, body="越权")
    with pytest.raises(PermissionDenied):
        services.rating_reply(actor=world.user("district_x_readonly"), rating_id=rating.pk, body="只读")

    assert not selectors.rating_list(actor=world.user("district_y_staff")).exists()
    assert selectors.rating_list(actor=world.user("district_x_staff")).get() == rating
    assert not RatingReply.objects.exists()


def test_no_service_edits_or_deletes_a_rating():
    names = [
        n
        for n, f in vars(services).items()
        if n.startswith("rating_") and getattr(f, "__module__", "") == services.__name__
    ]
    assert sorted(names) == ["rating_reply", "rating_submit"]


def test_a_y_home_is_rated_by_a_worker_who_visited_it(world):
    home = y_home(world)
    visit(world, home, who="other_worker")
    services.rating_submit(actor=world.user("other_worker"), point_id=home.pk, stars=ALL_FIVE)
    assert selectors.rating_list(actor=world.user("district_y_staff")).count() == 1
    assert selectors.rating_list(actor=world.user("district_x_staff")).count() == 0
