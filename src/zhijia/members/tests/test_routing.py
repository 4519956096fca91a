"""Routing: each rule in the default order, and a city that changes the order."""

from zhijia.members.models import IndustryRoute, JobGroup, RouteRule, RoutingRule
from zhijia.members.routing import route_application, rule_order
from zhijia.organizations.models import Employer, OrgKind
from zhijia.organizations.services import OrgSpec, org_append_children


def _route(world, **overrides):
    data = {
        "employer": None,
        "no_employer": False,
        "job_group": JobGroup.OTHER,
        "work_street": world.street_x,
        "work_community": None,
    }
    data.update(overrides)
    return route_application(**data)


def _small_firm(world):
    return Employer.objects.create(
        name="X小店", credit_code="92TESTXSHOP00001X", headcount=5, located_in=world.street_x, union=None
    )


def _couriers_union(world):
    (federation,), _ = org_append_children(
        actor=None, parent=world.district_x, specs=[OrgSpec("T-XIND", "X区快递物流行业工会联合会", OrgKind.INDUSTRY)]
    )
    IndustryRoute.objects.create(federation=federation, job_group=JobGroup.COURIER)
    return federation


def test_an_employer_with_a_union_takes_the_application(world):
    route = _route(world, employer=world.employer_a)
    assert (route.union, route.rule) == (world.union_a, RouteRule.EMPLOYER_UNION)


def test_a_small_employer_without_a_union_goes_to_the_streets_joint_union(world):
    route = _route(world, employer=_small_firm(world), work_community=world.community_x)
    assert (route.union, route.rule) == (world.joint_x, RouteRule.STREET_JOINT_OR_GRID)
    assert "X社区联合工会" in route.reason


def test_a_courier_with_no_employer_goes_to_the_industry_federation_covering_the_area(world):
    federation = _couriers_union(world)
    route = _route(world, no_employer=True, job_group=JobGroup.COURIER)
    assert (route.union, route.rule) == (federation, RouteRule.INDUSTRY_FEDERATION)


def test_an_industry_federation_of_another_district_does_not_cover_this_one(world):
    _couriers_union(world)
    route = _route(world, no_employer=True, job_group=JobGroup.COURIER, work_street=world.street_y)
    assert (route.union, route.rule) == (world.street_y, RouteRule.COMMUNITY_OR_STREET)


def test_someone_with_no_employer_and_no_industry_union_goes_to_the_community(world):
    route = _route(world, no_employer=True, work_community=world.community_x)
    assert (route.union, route.rule) == (world.community_x, RouteRule.COMMUNITY_OR_STREET)


def test_a_city_can_change_the_order(world):
    # given a city that sends every application to the community or street first
    RoutingRule.objects.create(owner=world.city, rule=RouteRule.COMMUNITY_OR_STREET, priority=1)
    RoutingRule.objects.create(owner=world.city, rule=RouteRule.EMPLOYER_UNION, priority=2)
    assert rule_order(world.street_x) == [RouteRule.COMMUNITY_OR_STREET, RouteRule.EMPLOYER_UNION]
    route = _route(world, employer=world.employer_a)
    assert (route.union, route.rule) == (world.street_x, RouteRule.COMMUNITY_OR_STREET)


def test_the_nearest_federation_with_rules_wins(world):
    RoutingRule.objects.create(owner=world.city, rule=RouteRule.COMMUNITY_OR_STREET, priority=1)
    RoutingRule.objects.create(owner=world.district_x, rule=RouteRule.EMPLOYER_UNION, priority=1)
    RoutingRule.objects.create(owner=world.district_x, rule=RouteRule.COMMUNITY_OR_STREET, priority=2)
    assert rule_order(world.street_x) == [RouteRule.EMPLOYER_UNION, RouteRule.COMMUNITY_OR_STREET]
    assert rule_order(world.street_y) == [RouteRule.COMMUNITY_OR_STREET]
