"""Star-rated homes: the composite of members, own unit and higher union, with its stars, from a worked example."""

from __future__ import annotations

from decimal import Decimal

import pytest

from zhijia.core.errors import NotFound, PermissionDenied, ValidationFailed
from zhijia.ratings import scoring, selectors, services
from zhijia.ratings.models import StarAssessment
from zhijia.ratings.tests.ratings_support import visit, x_home, y_home

D = Decimal
CRITERIA = ["environment", "facilities", "services", "staff", "activities"]


def test_worked_example_by_hand():
    # members: mean stars 4.5, 4, 5, 4, 3.5 -> ×20 = 90, 80, 100, 80, 70 -> mean 84
    # own unit: 90, 85, 95, 90, 90 -> 90; higher union: 80, 75, 85, 80, 80 -> 80
    # 2018 weights 50/25/25: 0.5×84 + 0.25×90 + 0.25×80 = 42 + 22.5 + 20 = 84.50 -> 3 stars (80 ≤ 84.5 < 88)
    members = dict(zip(CRITERIA, [D("4.5"), D(4), D(5), D(4), D("3.5")], strict=True))
    unit = dict(zip(CRITERIA, [D(90), D(85), D(95), D(90), D(90)], strict=True))
    higher = dict(zip(CRITERIA, [D(80), D(75), D(85), D(80), D(80)], strict=True))
    thresholds = [D(60), D(70), D(80), D(88), D(95)]

    result = scoring.composite(
        criteria=CRITERIA,
        members=members,
        unit=unit,
        higher=higher,
        weights=(D(50), D(25), D(25)),
        thresholds=thresholds,
    )

    assert [p.score for p in result.parts] == [D("84.00"), D("90.00"), D("80.00")]
    assert [p.weighted for p in result.parts] == [D("42.00"), D("22.50"), D("20.00")]
    assert result.composite == D("84.50")
    assert result.stars == 3
    # the same home under 2017's 40/30/30: 33.6 + 27 + 24 = 84.60, still 3 stars
    earlier = scoring.composite(
        criteria=CRITERIA,
        members=members,
        unit=unit,
        higher=higher,
        weights=(D(40), D(30), D(30)),
        thresholds=thresholds,
    )
    assert earlier.composite == D("84.60")


def test_a_missing_part_gives_no_composite_and_says_which():
    result = scoring.composite(
        criteria=CRITERIA,
        members={},
        unit=dict.fromkeys(CRITERIA, D(90)),
        higher={},
        weights=(D(50), D(25), D(25)),
        thresholds=[D(60), D(70), D(80), D(88), D(95)],
    )
    assert result.composite is None
    assert result.stars is None
    assert result.missing == ("members", "higher")


def _rate(world, home, who, stars):
    visit(world, home, who)
    services.rating_submit(actor=world.user(who), point_id=home.pk, stars=dict(zip(CRITERIA, stars, strict=True)))


def test_a_home_gets_its_stars_from_members_its_unit_and_the_higher_union(world):
    home = x_home(world, owner=world.union_a)
    year = 2026
    _rate(world, home, "worker", [5, 4, 5, 4, 4])
    _rate(world, home, "other_worker", [4, 4, 5, 4, 3])
    services.star_scheme_set(
        actor=world.user("city_staff"),
        org_id=world.city.pk,
        year=year,
        weights=[50, 25, 25],
        thresholds=[60, 70, 80, 88, 95],
    )
    services.assessment_submit(
        actor=world.user("union_a_staff"),
        point_id=home.pk,
        year=year,
        source="unit",
        scores=dict(zip(CRITERIA, [90, 85, 95, 90, 90], strict=True)),
    )
    services.assessment_submit(
        actor=world.user("district_x_staff"),
        point_id=home.pk,
        year=year,
        source="higher",
        scores=dict(zip(CRITERIA, [80, 75, 85, 80, 80], strict=True)),
    )

    (result,) = selectors.star_results([home], year)

    assert result.raters == 2
    assert result.result.composite == D("84.50")
    assert result.result.stars == 3
    assert [h.year for h in selectors.star_history(home)] == [year]


def test_the_unit_assessment_is_the_owner_unions_and_the_higher_one_comes_from_above(world):
    home = x_home(world, owner=world.union_a)
    scores = dict.fromkeys(CRITERIA, 90)
    with pytest.raises(PermissionDenied):
        services.assessment_submit(
            actor=world.user("district_x_staff"), point_id=home.pk, year=2026, source="unit", scores=scores
        )
    with pytest.raises(PermissionDenied):
        services.assessment_submit(
            actor=world.user("union_a_staff"), point_id=home.pk, year=2026, source="higher", scores=scores
        )
    with pytest.raises(ValidationFailed):
        services.assessment_submit(
            actor=world.user("district_x_staff"),
            point_id=home.pk,
            year=2026,
            source="higher",
            scores={**scores, "staff": 101},
        )
    assert not StarAssessment.objects.exists()


@pytest.mark.parametrize("staff", ["district_y_staff", "worker"])
def test_staff_of_another_district_cannot_assess_a_home(world, staff):
    home = x_home(world)
    with pytest.raises(NotFound):
        services.assessment_submit(
            actor=world.user(staff), point_id=home.pk, year=2026, source="higher", scores=dict.fromkeys(CRITERIA, 90)
        )
    assert not StarAssessment.objects.exists()
    assert selectors.home_list(actor=world.user("district_y_staff")).filter(pk=home.pk).count() == 0


def test_stars_by_district_counts_homes_per_star(world):
    xh, yh = x_home(world), y_home(world)
    for home in (xh, yh):
        _rate(world, home, "worker", [5, 5, 5, 5, 5])
    # street X's own unit is the street; no street account exists, so the superuser enters it for the test
    for home in (xh, yh):
        services.assessment_submit(
            actor=world.user("superuser"),
            point_id=home.pk,
            year=2026,
            source="unit",
            scores=dict.fromkeys(CRITERIA, 100),
        )
        services.assessment_submit(
            actor=world.user("city_staff"),
            point_id=home.pk,
            year=2026,
            source="higher",
            scores=dict.fromkeys(CRITERIA, 20 if home == yh else 100),
        )
    results = selectors.star_results(list(selectors.home_list(actor=world.user("city_staff"))), 2026)
    chart = selectors.stars_by_district(results)
    assert chart["categories"] == ["X区总工会", "Y区总工会"]
    assert chart["series"][5] == [1, 0]  # X: 100 → five stars
    assert chart["series"][4] == [0, 0]
    assert chart["series"][3] == [0, 1]  # Y: 50 + 25 + 5 = 80 → three stars
