"""The demo's members on a small Beijing-shaped tree: spread over the unions with fitting job groups, rare flags,
valid Beijing ID numbers, the demo worker with a card, routing data for the industry federations; idempotent."""

from __future__ import annotations

from collections import Counter

import pytest

from zhijia.demo import members as demo_members
from zhijia.members.idnumber import parse_id_number
from zhijia.members.models import IndustryRoute, Membership
from zhijia.members.services import card_token_issue, card_token_member
from zhijia.organizations.models import Employer, OrgKind
from zhijia.organizations.services import OrgSpec, org_append_children
from zhijia.testing.world import make_user


def _one(parent, code, name, kind):
    (node,), _ = org_append_children(actor=None, parent=parent, specs=[OrgSpec(code, name, kind)])
    return node


@pytest.fixture
def beijing(db):
    """The city and one district of the demo, with an enterprise union, a joint union and two industry federations."""
    national = _one(None, "FED-CN", "中华全国总工会", OrgKind.NATIONAL_FEDERATION)
    city = _one(national, "FED-11", "北京市总工会", OrgKind.CITY_FEDERATION)
    chaoyang = _one(city, "FED-110105", "朝阳区总工会", OrgKind.DISTRICT_FEDERATION)
    street = _one(chaoyang, "FED-110105001", "朝外街道总工会", OrgKind.STREET_FEDERATION)
    community = _one(street, "FED-110105001001", "吉祥里社区工会联合会", OrgKind.COMMUNITY)
    firm = _one(street, "U-110105001-E01", "北京华信朝外物流有限公司工会委员会", OrgKind.ENTERPRISE_UNION)
    joint = _one(community, "U-110105001-J01", "吉祥里小微企业联合工会", OrgKind.JOINT_UNION)
    couriers = _one(chaoyang, "FED-110105-IND1", "朝阳区快递物流行业工会联合会", OrgKind.INDUSTRY)
    riders = _one(chaoyang, "FED-110105-IND2", "朝阳区网约配送行业工会联合会", OrgKind.INDUSTRY)
    Employer.objects.create(
        name="北京华信朝外物流有限公司", credit_code="91110105MA0001X", headcount=240, industry="交通运输",
        located_in=street, union=firm,
    )  # fmt: skip
    Employer.objects.create(
        name="吉祥里便利店", credit_code="92110105MA0002X", headcount=6, industry="批发零售",
        located_in=community, union=joint,
    )  # fmt: skip
    make_user("admin", is_superuser=True)
    make_user("worker-demo", display_name="张师傅", phone="13800138000")
    return {"city": city, "firm": firm, "joint": joint, "couriers": couriers, "riders": riders}


def test_the_demo_members_are_spread_with_fitting_job_groups_and_rare_flags(beijing):
    added = demo_members.build(members=3000, progress=lambda m: None)

    assert added["members"] == 3000
    imported = Membership.objects.filter(source=Membership.Source.IMPORT)
    assert imported.count() == 3000
    by_union = Counter(imported.values_list("union__code", flat=True))
    assert set(by_union) == {"U-110105001-E01", "U-110105001-J01", "FED-110105-IND1", "FED-110105-IND2"}
    assert set(imported.filter(union=beijing["couriers"]).values_list("job_group", flat=True)) == {"courier"}
    assert set(imported.filter(union=beijing["riders"]).values_list("job_group", flat=True)) == {"delivery_rider"}
    groups = Counter(imported.values_list("job_group", flat=True))
    assert len(groups) >= 6  # many of the eight groups, and ordinary staff
    needy = imported.exclude(needy_level="none").count()
    model = imported.exclude(model_worker_level="none").count()
    assert 0 < needy < 0.04 * 3000
    assert model < 0.01 * 3000
    for m in imported.order_by("?")[:200]:
        number = parse_id_number(m.id_number)
        assert number.value[:6] in demo_members.AREAS
        assert 1960 <= number.birth_date.year <= 2004
        assert len(m.phone) == 11


def test_running_the_demo_again_adds_nothing_and_more_members_can_be_asked_for(beijing):
    demo_members.build(members=500, progress=lambda m: None)
    counts = (Membership.objects.count(), IndustryRoute.objects.count())

    assert demo_members.build(members=500, progress=lambda m: None) == {
        "members": 0,
        "industry_routes": 0,
        "worker_card": 0,
    }
    assert (Membership.objects.count(), IndustryRoute.objects.count()) == counts

    assert demo_members.build(members=800, progress=lambda m: None)["members"] == 300


def test_the_demo_worker_has_a_card_and_the_industry_federations_their_routes(beijing):
    demo_members.build(members=10, progress=lambda m: None)

    membership = Membership.objects.get(user__username="worker-demo")
    assert membership.status == Membership.Status.ACTIVE
    assert membership.phone == "13800138000"
    assert card_token_member(card_token_issue(membership=membership)) == (membership, "valid")
    routes = set(IndustryRoute.objects.values_list("federation__code", "job_group"))
    assert routes == {("FED-110105-IND1", "courier"), ("FED-110105-IND2", "delivery_rider")}
