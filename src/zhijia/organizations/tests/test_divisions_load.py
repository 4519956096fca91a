import pytest

from zhijia.core.errors import ValidationFailed
from zhijia.organizations import selectors
from zhijia.organizations.models import Organization, OrgKind
from zhijia.organizations.services import divisions_load


def _beijing_by_kind() -> dict[str, int]:
    city = Organization.objects.get(code="FED-11")
    counts = {"city": 1}
    for kind in (OrgKind.DISTRICT_FEDERATION, OrgKind.STREET_FEDERATION, OrgKind.COMMUNITY, OrgKind.VILLAGE):
        counts[kind] = selectors.subtree(city).filter(kind=kind).count()
    return counts


def test_beijing_loads_its_real_divisions_once(db):
    # when Beijing's divisions are loaded into an empty tree
    added = divisions_load(actor=None, province_code="11")

    # then the city federation sits under the national one with 16 districts, 349 streets and towns and
    # 7,535 communities and villages, each at its level
    city = Organization.objects.get(code="FED-11")
    assert Organization.objects.get_parent(city).code == "FED-CN"
    assert city.kind == OrgKind.CITY_FEDERATION
    by_kind = _beijing_by_kind()
    assert by_kind[OrgKind.DISTRICT_FEDERATION] == 16
    assert by_kind[OrgKind.STREET_FEDERATION] == 349
    assert by_kind[OrgKind.COMMUNITY] + by_kind[OrgKind.VILLAGE] == 7535
    assert selectors.count_under(city) == 16 + 349 + 7535
    assert added == {"national": 1, "city": 1, "district": 16, "street": 349, "community": 7535}
    chaoyang = Organization.objects.get(division_code="110105")
    assert chaoyang.name == "朝阳区总工会"
    assert Organization.objects.get_parent(chaoyang) == city

    # and loading again adds nothing
    nodes = Organization.objects.count()
    again = divisions_load(actor=None, province_code="11")
    assert set(again.values()) == {0}
    assert Organization.objects.count() == nodes
    assert _beijing_by_kind() == by_kind


def test_an_unknown_province_is_refused(db):
    with pytest.raises(ValidationFailed) as refusal:
        divisions_load(actor=None, province_code="99")

    assert refusal.value.code == "divisions.unknown_province"
    assert not Organization.objects.exists()
