"""The annual evaluation: indicators collected for the homes under a union, the budget shared to the fen, corrected
figures logged, the result exported; award lists for benchmark and candidate enterprise unions."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from zhijia.audit.models import AuditEvent
from zhijia.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from zhijia.ratings import exports, selectors, services
from zhijia.ratings.models import AwardEntry, Evaluation, EvaluationHome
from zhijia.ratings.tests.ratings_support import ALL_FIVE, visit, x_home, y_home

WEIGHTS = {"area": 50, "orders": 0, "checkins": 0, "activities": 0, "attendance": 0, "rating": 25, "satisfaction": 25}


def _evaluation(world, actor="district_x_staff", budget=1_000_000, **kw):
    return services.evaluation_create(
        actor=world.user(actor),
        owner_id=world.district_x.pk,
        year=2026,
        title="2026年度共享职工之家考评",
        budget_fen=budget,
        weights=kw.pop("weights", WEIGHTS),
        **kw,
    )


def test_the_budget_is_shared_to_the_fen_by_the_indicators(world):
    big = x_home(world, name="X大家", area_m2=1500)
    small = x_home(world, name="X小家", area_m2=500)
    x_home(world, name="X驿站", kind="rest_station", home_subtype="")  # not a home: not evaluated
    y_home(world, area_m2=9999)  # another district: not in X's evaluation
    visit(world, small)
    services.rating_submit(actor=world.user("worker"), point_id=small.pk, stars=ALL_FIVE)

    evaluation = _evaluation(world)

    homes = {h.point_id: h for h in evaluation.homes.all()}
    assert set(homes) == {big.pk, small.pk}
    assert homes[small.pk].rating == 5
    assert homes[small.pk].satisfaction == 100
    # big: 50×1 = 50; small: 50×(500/1500) + 25 + 25 = 66.6667; 1,000,000 fen × 50/116.6667 = 428571.43 …
    assert homes[big.pk].amount_fen + homes[small.pk].amount_fen == 1_000_000
    assert homes[big.pk].amount_fen == 428_571
    assert homes[small.pk].amount_fen == 571_429
    assert homes[small.pk].breakdown["extra_fen"] == 1
    assert evaluation.unallocated_fen == 0
    assert AuditEvent.objects.filter(action="evaluation.create", object_id=str(evaluation.pk)).exists()


def test_a_cap_and_a_corrected_figure_share_the_budget_again(world):
    big = x_home(world, name="X大家", area_m2=1500)
    x_home(world, name="X小家", area_m2=500)
    evaluation = _evaluation(world, weights={"area": 100}, cap_fen=600_000)
    assert dict(evaluation.homes.values_list("point_id", "amount_fen"))[big.pk] == 600_000

    home = evaluation.homes.get(point=big)
    services.evaluation_home_update(actor=world.user("district_x_staff"), home_id=home.pk, values={"area": 500})

    amounts = sorted(EvaluationHome.objects.filter(evaluation=evaluation).values_list("amount_fen", flat=True))
    assert amounts == [500_000, 500_000]
    home.refresh_from_db()
    assert home.sources["area"] == "entered"
    assert AuditEvent.objects.filter(action="evaluation.home_update").get().changes["area"] == ["1500", "500"]


def test_weights_must_sum_to_100_and_a_final_evaluation_is_locked(world):
    x_home(world, area_m2=100)
    with pytest.raises(ValidationFailed):
        _evaluation(world, weights={"area": 60})
    evaluation = _evaluation(world, weights={"area": 100})
    services.evaluation_finalise(actor=world.user("district_x_staff"), evaluation_id=evaluation.pk)
    home = evaluation.homes.get()
    with pytest.raises(Conflict):
        services.evaluation_home_update(actor=world.user("district_x_staff"), home_id=home.pk, values={"area": 1})


def test_staff_of_another_district_neither_evaluate_nor_see_x(world):
    x_home(world, area_m2=100)
    with pytest.raises(NotFound):
        _evaluation(world, actor="district_y_staff")
    with pytest.raises(PermissionDenied):
        _evaluation(world, actor="district_x_readonly")
    evaluation = _evaluation(world, weights={"area": 100})
    assert not selectors.evaluation_list(actor=world.user("district_y_staff")).exists()
    with pytest.raises(NotFound):
        selectors.evaluation_get(actor=world.user("district_y_staff"), evaluation_id=evaluation.pk)
    assert Evaluation.objects.count() == 1


def test_the_export_shows_every_home_its_formula_and_the_total(world):
    x_home(world, name="X大家", area_m2=1500)
    x_home(world, name="X小家", area_m2=500)
    evaluation = _evaluation(world, budget=100_001, weights={"area": 100})

    book = load_workbook(io.BytesIO(exports.evaluation_xlsx(evaluation)))

    sheet = book["拨补经费"]
    rows = list(sheet.iter_rows(values_only=True))
    names = [r[1] for r in rows if r and r[1] in ("X大家", "X小家")]
    assert names == ["X大家", "X小家"]
    assert any(r and r[0] == "合计" and r[-2] == 100_001 for r in rows)
    assert "公式" in book.sheetnames


def test_award_lists_name_enterprise_unions_with_their_amounts(world):
    award_list = services.award_list_create(
        actor=world.user("district_x_staff"),
        owner_id=world.district_x.pk,
        year=2026,
        title="以奖代补",
        benchmark_fen=2_000_000,
        candidate_fen=1_000_000,
    )
    entry = services.award_entry_add(
        actor=world.user("district_x_staff"), award_list_id=award_list.pk, union_id=world.union_a.pk, level="benchmark"
    )
    assert entry.amount_fen == 2_000_000
    with pytest.raises(ValidationFailed):
        services.award_entry_add(
            actor=world.user("district_x_staff"),
            award_list_id=award_list.pk,
            union_id=world.street_x.pk,
            level="candidate",
        )
    with pytest.raises(NotFound):
        services.award_entry_add(
            actor=world.user("district_x_staff"),
            award_list_id=award_list.pk,
            union_id=world.union_b.pk,
            level="candidate",
        )
    book = load_workbook(io.BytesIO(exports.award_list_xlsx(award_list)))
    assert any("X甲公司工会" in (r[1] or "") for r in book.active.iter_rows(values_only=True) if r)
    assert AwardEntry.objects.count() == 1
