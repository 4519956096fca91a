"""A worker applies online; the application is routed, reviewed, and the card is ready on approval."""

import pytest

from zhijia.core.errors import Conflict, ValidationFailed
from zhijia.members import services
from zhijia.members.models import Application, Membership, RouteRule
from zhijia.members.selectors import member_list, transfers_out

VALID_ID = "11010519491231002X"


def _apply(world, actor, **overrides):
    data = {
        "actor": actor,
        "name": "王师傅",
        "id_number": VALID_ID,
        "phone": actor.phone,
        "job_group": "factory_worker",
        "work_street_id": world.street_x.pk,
        "consent": True,
        "employer_id": world.employer_a.pk,
    }
    data.update(overrides)
    return services.application_submit(**data)


def test_application_goes_to_the_employers_union_and_approval_issues_a_card(world):
    worker = world.actor("worker")
    application = _apply(world, worker)
    assert application.union == world.union_a
    assert application.route_rule == RouteRule.EMPLOYER_UNION
    assert "X甲公司工会" in application.route_reason

    membership = services.application_approve(actor=world.actor("union_a_staff"), application_id=application.pk)

    assert membership.member_no.startswith("ZJ")
    assert membership.union == world.union_a
    application.refresh_from_db()
    assert application.status == Application.Status.APPROVED
    carded, status = services.card_token_member(services.card_token_issue(membership=membership))
    assert status == "valid"
    assert carded == membership


def test_a_member_applying_again_is_told_which_union_holds_the_membership(world):
    worker = world.actor("worker")
    services.application_approve(actor=world.actor("union_a_staff"), application_id=_apply(world, worker).pk)
    with pytest.raises(ValidationFailed) as refused:
        _apply(world, worker, employer_id=world.employer_b.pk)
    assert refused.value.code == "membership.already_member"
    assert "X甲公司工会" in refused.value.message


def test_a_second_open_application_is_refused(world):
    worker = world.actor("worker")
    _apply(world, worker)
    with pytest.raises(Conflict) as refused:
        _apply(world, worker)
    assert refused.value.code == "application.already_open"
    assert Application.objects.count() == 1


def test_a_flexible_worker_with_no_employer_goes_to_the_community(world):
    worker = world.actor("worker")
    application = _apply(world, worker, employer_id=None, no_employer=True, work_community_id=world.community_x.pk)
    assert application.union == world.community_x
    assert application.route_rule == RouteRule.COMMUNITY_OR_STREET


def test_transfer_keeps_the_number_and_both_unions_see_it(world):
    worker = world.actor("worker")
    membership = services.application_approve(
        actor=world.actor("union_a_staff"), application_id=_apply(world, worker).pk
    )
    moved = services.membership_transfer(
        actor=world.actor("city_staff"), membership_id=membership.pk, new_union_id=world.union_b.pk
    )
    assert moved.member_no == membership.member_no
    assert Membership.objects.get(pk=membership.pk).union == world.union_b
    assert [t.to_union for t in transfers_out(actor=world.actor("district_x_staff"))] == [world.union_b]
    assert list(member_list(actor=world.actor("district_y_staff"))) == [moved]
    assert list(member_list(actor=world.actor("district_x_staff"))) == []
