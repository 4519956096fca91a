"""Staff set their unions' joining rules: auto-approval with its conditions, and the routing order of their
subtree; both logged, both refused outside the staff's own subtree."""

from __future__ import annotations

import pytest
from django.urls import reverse

from zhijia.audit.models import AuditEvent
from zhijia.core.errors import NotFound, ValidationFailed
from zhijia.members import services
from zhijia.members.models import ReviewPolicy, RoutingRule
from zhijia.members.routing import rule_order


def test_union_staff_switch_on_auto_approval_from_the_page(world, client_as):
    client = client_as(world.user("union_a_staff"))
    url = reverse("members:review_policy", args=[world.union_a.pk])

    shown = client.get(url)
    saved = client.post(url, {"auto_approve": "on", "require_phone_verified": "on"})

    assert shown.status_code == 200
    assert "自动审核通过" in shown.content.decode()
    assert saved.status_code == 302
    policy = ReviewPolicy.objects.get(union=world.union_a)
    assert (policy.auto_approve, policy.require_phone_verified, policy.require_employer_on_roster) == (
        True,
        True,
        False,
    )
    assert AuditEvent.objects.filter(action="review_policy.update").count() == 1


def test_another_district_cannot_change_union_a_s_policy(world):
    with pytest.raises(NotFound):
        services.review_policy_update(
            actor=world.user("district_y_staff"),
            union_id=world.union_a.pk,
            auto_approve=True,
            require_phone_verified=True,
            require_employer_on_roster=True,
        )
    assert not ReviewPolicy.objects.exists()


def test_a_district_reorders_routing_and_applications_under_it_follow(world, client_as):
    client = client_as(world.user("district_x_staff"))
    url = reverse("members:routing_rules", args=[world.district_x.pk])
    form = {
        "industry_federation__priority": 1,
        "industry_federation__active": "on",
        "community_or_street__priority": 2,
        "community_or_street__active": "on",
        "employer_union__priority": 3,
        "employer_union__active": "on",
        "street_joint_or_grid__priority": 4,
    }

    assert client.get(url).status_code == 200
    response = client.post(url, form)

    assert response.status_code == 302
    assert rule_order(world.street_x) == ["industry_federation", "community_or_street", "employer_union"]
    assert RoutingRule.objects.filter(owner=world.district_x).count() == 4
    assert AuditEvent.objects.filter(action="routing.rules_update").count() == 1


def test_routing_priorities_must_be_a_full_order(world, client_as):
    bad = [("employer_union", 1, True), ("street_joint_or_grid", 1, True)]
    with pytest.raises(ValidationFailed):
        services.routing_rules_update(actor=world.user("district_x_staff"), owner_id=world.district_x.pk, rules=bad)
    response = client_as(world.user("district_x_staff")).post(
        reverse("members:routing_rules", args=[world.district_x.pk]),
        {
            "employer_union__priority": 1,
            "street_joint_or_grid__priority": 1,
            "industry_federation__priority": 3,
            "community_or_street__priority": 4,
            "employer_union__active": "on",
        },
    )
    assert response.status_code == 200
    assert "不能重复" in response.content.decode()
    assert not RoutingRule.objects.filter(owner=world.district_x).exists()
