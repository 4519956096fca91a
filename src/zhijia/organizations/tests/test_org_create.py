import pytest

from zhijia.audit.models import AuditEvent
from zhijia.core.errors import NotFound, PermissionDenied, ValidationFailed
from zhijia.organizations import selectors
from zhijia.organizations.models import Organization, OrgKind, OrgLevel
from zhijia.organizations.services import org_create


def test_district_staff_adds_a_street_to_their_district(world):
    staff = world.actor("district_x_staff")

    street = org_create(
        actor=staff,
        parent_id=world.district_x.pk,
        code="T-XS2",
        name="  X第二街道总工会 ",
        kind=OrgKind.STREET_FEDERATION,
    )

    assert street.name == "X第二街道总工会"
    assert street.level == OrgLevel.STREET
    assert selectors.is_under(street, world.district_x)
    assert Organization.objects.get(pk=world.district_x.pk).numchild == 2
    event = AuditEvent.objects.get(action="org.create", object_id=str(street.pk))
    assert event.actor == staff
    assert event.org_id == street.pk
    assert event.changes["parent"]["id"] == world.district_x.pk


def test_a_street_under_a_community_is_refused_and_nothing_is_written(world):
    staff = world.actor("district_x_staff")
    nodes, events = Organization.objects.count(), AuditEvent.objects.count()

    with pytest.raises(ValidationFailed) as refusal:
        org_create(
            actor=staff, parent_id=world.community_x.pk, code="T-BAD", name="错位街道", kind=OrgKind.STREET_FEDERATION
        )

    assert refusal.value.code == "org.level_not_below_parent"
    assert refusal.value.detail["field"] == "parent"
    assert "X社区工会联合会" in refusal.value.message
    assert Organization.objects.count() == nodes
    assert AuditEvent.objects.count() == events
    assert Organization.objects.get(pk=world.community_x.pk).numchild == 1


def test_a_node_of_the_same_level_as_its_parent_is_refused(world):
    with pytest.raises(ValidationFailed) as refusal:
        org_create(
            actor=world.actor("city_staff"),
            parent_id=world.street_x.pk,
            code="T-XS-S",
            name="街道下的街道",
            kind=OrgKind.STREET_FEDERATION,
        )

    assert refusal.value.code == "org.level_not_below_parent"


def test_a_code_already_in_use_is_refused(world):
    with pytest.raises(ValidationFailed) as refusal:
        org_create(
            actor=world.actor("district_x_staff"),
            parent_id=world.street_x.pk,
            code="T-UB",
            name="重复编码工会",
            kind=OrgKind.ENTERPRISE_UNION,
        )

    assert refusal.value.code == "org.code_taken"
    assert refusal.value.detail["field"] == "code"
    assert not Organization.objects.filter(name="重复编码工会").exists()


def test_an_unknown_kind_is_refused(world):
    with pytest.raises(ValidationFailed) as refusal:
        org_create(actor=world.actor("city_staff"), parent_id=world.street_x.pk, code="T-Q", name="某某", kind="guild")

    assert refusal.value.code == "org.unknown_kind"


@pytest.mark.parametrize("name", ["district_y_staff", "union_a_staff", "worker", "anonymous"])
def test_who_cannot_see_the_parent_gets_not_found_and_nothing_is_written(world, name):
    nodes = Organization.objects.count()

    with pytest.raises(NotFound):
        org_create(
            actor=world.actor(name),
            parent_id=world.street_x.pk,
            code="T-NEW",
            name="新公司工会",
            kind=OrgKind.ENTERPRISE_UNION,
        )

    assert Organization.objects.count() == nodes


def test_read_only_staff_see_the_parent_but_may_not_add_to_it(world):
    nodes = Organization.objects.count()

    with pytest.raises(PermissionDenied) as refusal:
        org_create(
            actor=world.actor("district_x_readonly"),
            parent_id=world.street_x.pk,
            code="T-NEW",
            name="新公司工会",
            kind=OrgKind.ENTERPRISE_UNION,
        )

    assert refusal.value.status == 403
    assert Organization.objects.count() == nodes


def test_children_added_one_by_one_get_distinct_paths_after_a_bulk_load(world):
    staff = world.actor("district_x_staff")

    first = org_create(
        actor=staff, parent_id=world.street_x.pk, code="T-N1", name="新一公司工会", kind=OrgKind.ENTERPRISE_UNION
    )
    second = org_create(
        actor=staff, parent_id=world.street_x.pk, code="T-N2", name="新二公司工会", kind=OrgKind.ENTERPRISE_UNION
    )

    paths = list(selectors.subtree(world.street_x).values_list("path", flat=True))
    assert len(paths) == len(set(paths)) == 6
    assert first.path < second.path


def test_the_api_creates_a_node_and_answers_refusals_in_the_error_format(world, api_as):
    api = api_as(world.actor("district_x_staff"))

    created = api.post(
        "/orgs",
        {"parent_id": world.street_x.pk, "code": "T-UC", "name": "X丙公司工会", "kind": "enterprise_union"},
    )
    refused = api.post(
        "/orgs",
        {"parent_id": world.community_x.pk, "code": "T-S9", "name": "错位街道", "kind": "street_federation"},
    )
    hidden = api.post(
        "/orgs",
        {"parent_id": world.street_y.pk, "code": "T-UD", "name": "Y丁公司工会", "kind": "enterprise_union"},
    )

    assert created.status_code == 201
    assert created.json()["parent_id"] == world.street_x.pk
    assert created.json()["kind_label"] == "企业工会"
    assert refused.status_code == 400
    assert refused.json()["code"] == "org.level_not_below_parent"
    assert refused.json()["detail"] == {"field": "parent"}
    assert hidden.status_code == 404
    assert hidden.json()["code"] == "org.not_found"
    assert not Organization.objects.filter(code__in=["T-S9", "T-UD"]).exists()
