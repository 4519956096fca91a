import pytest

from zhijia.audit.models import AuditEvent
from zhijia.core.errors import ValidationFailed
from zhijia.organizations import selectors
from zhijia.organizations.models import Organization, OrgKind, OrgLevel
from zhijia.organizations.services import OrgSpec, org_append_children, org_create

UNIONS = [
    OrgSpec("T-B1", "X一号公司工会", OrgKind.ENTERPRISE_UNION),
    OrgSpec("T-B2", "X二号公司工会", OrgKind.ENTERPRISE_UNION),
    OrgSpec("T-B3", "X三号联合工会", OrgKind.JOINT_UNION),
]


def test_children_are_appended_after_the_existing_ones(world):
    nodes, added = org_append_children(actor=None, parent=world.street_x, specs=UNIONS)

    assert added == 3
    assert [n.code for n in nodes] == ["T-B1", "T-B2", "T-B3"]
    assert [n.level for n in nodes] == [OrgLevel.GRASSROOTS] * 3
    assert all(Organization.objects.get_parent(n) == world.street_x for n in nodes)
    assert Organization.objects.get(pk=world.street_x.pk).numchild == 5
    assert [c.code for c in selectors.org_list(actor=world.actor("city_staff"), parent_id=world.street_x.pk)] == [
        "T-XC",
        "T-UA",
        "T-B1",
        "T-B2",
        "T-B3",
    ]
    event = AuditEvent.objects.filter(action="org.bulk_create", object_id=str(world.street_x.pk)).latest("id")
    assert event.changes == {"children_added": 3, "first": "T-B1", "last": "T-B3"}


def test_appending_the_same_children_twice_adds_nothing_the_second_time(world):
    first, _ = org_append_children(actor=None, parent=world.street_x, specs=UNIONS)
    nodes, events = Organization.objects.count(), AuditEvent.objects.count()

    again, added = org_append_children(actor=None, parent=world.street_x, specs=UNIONS)

    assert added == 0
    assert [n.pk for n in again] == [n.pk for n in first]
    assert Organization.objects.count() == nodes
    assert Organization.objects.get(pk=world.street_x.pk).numchild == 5
    assert AuditEvent.objects.count() == events


def test_only_the_missing_children_of_a_partly_loaded_list_are_added(world):
    org_append_children(actor=None, parent=world.street_x, specs=UNIONS[:1])

    nodes, added = org_append_children(actor=None, parent=world.street_x, specs=UNIONS)

    assert added == 2
    assert [n.code for n in nodes] == ["T-B1", "T-B2", "T-B3"]
    assert Organization.objects.get(pk=world.street_x.pk).numchild == 5


def test_bulk_and_one_by_one_additions_never_collide_on_a_path(world):
    org_append_children(actor=None, parent=world.street_x, specs=UNIONS[:1])
    org_create(
        actor=world.actor("district_x_staff"),
        parent_id=world.street_x.pk,
        code="T-ONE",
        name="单独新建工会",
        kind=OrgKind.ENTERPRISE_UNION,
    )
    org_append_children(actor=None, parent=world.street_x, specs=UNIONS[1:])

    paths = list(selectors.subtree(world.street_x).values_list("path", flat=True))
    assert len(paths) == len(set(paths)) == 8
    assert Organization.objects.get(pk=world.street_x.pk).numchild == 6


def test_a_child_that_breaks_the_level_rule_refuses_the_whole_batch(world):
    nodes = Organization.objects.count()
    specs = [*UNIONS[:1], OrgSpec("T-BAD", "社区下的街道", OrgKind.STREET_FEDERATION)]

    with pytest.raises(ValidationFailed) as refusal:
        org_append_children(actor=None, parent=world.community_x, specs=specs)

    assert refusal.value.code == "org.level_not_below_parent"
    assert Organization.objects.count() == nodes
    assert Organization.objects.get(pk=world.community_x.pk).numchild == 1
