import pytest

from zhijia.audit.models import AuditEvent
from zhijia.core.errors import NotFound, PermissionDenied, ValidationFailed
from zhijia.organizations.models import Organization
from zhijia.organizations.services import org_update


def test_staff_update_a_node_of_their_subtree_and_the_change_is_audited(world):
    staff = world.actor("district_x_staff")

    org = org_update(actor=staff, org_id=world.union_a.pk, name="X甲公司工会委员会", contact_name="赵主席")

    fresh = Organization.objects.get(pk=world.union_a.pk)
    assert (fresh.name, fresh.contact_name) == ("X甲公司工会委员会", "赵主席")
    event = AuditEvent.objects.get(action="org.update", object_id=str(org.pk))
    assert event.actor == staff
    assert event.changes == {"name": ["X甲公司工会", "X甲公司工会委员会"], "contact_name": ["", "赵主席"]}


def test_an_update_that_changes_nothing_leaves_no_audit_row(world):
    org_update(actor=world.actor("district_x_staff"), org_id=world.union_a.pk, name="X甲公司工会")

    assert not AuditEvent.objects.filter(action="org.update").exists()


def test_the_code_and_the_place_in_the_tree_are_not_editable(world):
    for field, value in (("code", "T-ZZ"), ("path", "0001"), ("kind", "joint_union")):
        with pytest.raises(ValidationFailed) as refusal:
            org_update(actor=world.actor("district_x_staff"), org_id=world.union_a.pk, **{field: value})
        assert refusal.value.code == "org.field_not_editable"
        assert refusal.value.detail["field"] == field

    assert Organization.objects.get(pk=world.union_a.pk).code == "T-UA"


def test_a_blank_name_is_refused(world):
    with pytest.raises(ValidationFailed) as refusal:
        org_update(actor=world.actor("district_x_staff"), org_id=world.union_a.pk, name="   ")

    assert refusal.value.code == "org.missing_name_or_code"
    assert Organization.objects.get(pk=world.union_a.pk).name == "X甲公司工会"


def test_another_districts_staff_get_not_found_and_nothing_changes(world):
    with pytest.raises(NotFound):
        org_update(actor=world.actor("district_y_staff"), org_id=world.union_a.pk, name="被篡改")

    assert Organization.objects.get(pk=world.union_a.pk).name == "X甲公司工会"
    assert not AuditEvent.objects.filter(action="org.update").exists()


def test_read_only_staff_may_not_update(world):
    with pytest.raises(PermissionDenied):
        org_update(actor=world.actor("district_x_readonly"), org_id=world.union_a.pk, name="被篡改")

    assert Organization.objects.get(pk=world.union_a.pk).name == "X甲公司工会"


def test_the_api_patches_only_the_fields_sent(world, api_as):
    api = api_as(world.actor("district_x_staff"))

    response = api.patch(f"/orgs/{world.union_a.pk}", {"address": "X区甲路1号", "is_active": False})

    assert response.status_code == 200
    assert response.json()["address"] == "X区甲路1号"
    assert response.json()["is_active"] is False
    assert response.json()["name"] == "X甲公司工会"


def test_the_api_treats_null_as_not_sent_instead_of_failing(world, api_as):
    api = api_as(world.actor("district_x_staff"))

    response = api.patch(f"/orgs/{world.union_a.pk}", {"name": None, "is_active": None, "contact_name": "赵主席"})

    assert response.status_code == 200
    fresh = Organization.objects.get(pk=world.union_a.pk)
    assert (fresh.name, fresh.is_active, fresh.contact_name) == ("X甲公司工会", True, "赵主席")


def test_the_api_answers_404_to_another_district_and_changes_nothing(world, api_as):
    response = api_as(world.actor("district_y_staff")).patch(f"/orgs/{world.union_a.pk}", {"name": "被篡改"})

    assert response.status_code == 404
    assert Organization.objects.get(pk=world.union_a.pk).name == "X甲公司工会"
