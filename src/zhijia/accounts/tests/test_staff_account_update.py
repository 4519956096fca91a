import pytest

from zhijia.accounts.models import ApiToken, StaffAssignment, User
from zhijia.accounts.services import staff_account_update
from zhijia.audit.models import AuditEvent
from zhijia.core.errors import ValidationFailed
from zhijia.testing.api import JsonClient, api_login
from zhijia.testing.world import PASSWORD


def _state(user: User) -> tuple:
    fresh = User.objects.get(pk=user.pk)
    assignment = StaffAssignment.objects.get(user=fresh)
    return (
        fresh.display_name,
        fresh.is_active,
        assignment.org_id,
        sorted(assignment.roles.values_list("role", flat=True)),
    )


def test_district_staff_change_the_roles_of_an_account_below_them(world, api_as):
    staff, account = world.actor("district_x_staff"), world.actor("union_a_staff")

    response = api_as(staff).patch(f"/accounts/{account.pk}", {"roles": ["read_only"], "display_name": "甲工会只读"})

    assert response.status_code == 200
    assert response.json()["roles"] == ["read_only"]
    assert response.json()["display_name"] == "甲工会只读"
    event = AuditEvent.objects.get(action="account.update")
    assert event.actor == staff
    assert event.org_id == world.union_a.pk
    assert event.changes["roles"] == [["reviewer", "union_admin"], ["read_only"]]


def test_an_account_moves_to_another_node_of_the_subtree(world):
    account = world.actor("union_a_staff")

    staff_account_update(actor=world.actor("district_x_staff"), user_id=account.pk, org_id=world.street_x.pk)

    assert _state(account)[2] == world.street_x.pk


def test_deactivating_an_account_signs_it_out_everywhere(world):
    account = world.actor("union_a_staff")
    token = api_login("union_a_staff", PASSWORD).json()["token"]

    staff_account_update(actor=world.actor("district_x_staff"), user_id=account.pk, is_active=False)

    assert JsonClient(token=token).get("/auth/me").status_code == 401
    assert not ApiToken.objects.filter(user=account, revoked_at__isnull=True).exists()
    assert api_login("union_a_staff", PASSWORD).status_code == 401


@pytest.mark.parametrize("method", ["get", "patch"])
def test_another_districts_staff_get_404_and_nothing_changes(world, api_as, method):
    account = world.actor("union_a_staff")
    before = _state(account)
    api = api_as(world.actor("district_y_staff"))

    if method == "get":
        response = api.get(f"/accounts/{account.pk}")
    else:
        response = api.patch(f"/accounts/{account.pk}", {"roles": ["union_admin"], "is_active": False})

    assert response.status_code == 404
    assert response.json()["code"] == "account.not_found"
    assert "union_a_staff" not in response.content.decode()
    assert _state(account) == before
    assert not AuditEvent.objects.filter(action="account.update").exists()


def test_an_account_cannot_be_moved_outside_the_actors_subtree(world, api_as):
    account = world.actor("union_a_staff")
    before = _state(account)

    response = api_as(world.actor("district_x_staff")).patch(f"/accounts/{account.pk}", {"org_id": world.district_y.pk})

    assert response.status_code == 404
    assert response.json()["code"] == "org.not_found"
    assert _state(account) == before


def test_read_only_staff_see_an_account_but_may_not_change_it(world, api_as):
    account = world.actor("union_a_staff")
    before = _state(account)
    api = api_as(world.actor("district_x_readonly"))

    detail = api.get(f"/accounts/{account.pk}")
    patch = api.patch(f"/accounts/{account.pk}", {"is_active": False})

    assert detail.status_code == 200
    assert patch.status_code == 403
    assert _state(account) == before


def test_staff_may_not_change_their_own_roles_or_switch_themselves_off(world):
    staff = world.actor("district_x_staff")
    before = _state(staff)

    for change in ({"roles": ["read_only"]}, {"is_active": False}, {"org_id": world.street_x.pk}):
        with pytest.raises(ValidationFailed) as refusal:
            staff_account_update(actor=staff, user_id=staff.pk, **change)
        assert refusal.value.code == "account.self_change"

    assert _state(staff) == before


def test_staff_may_change_their_own_display_name(world):
    staff = world.actor("district_x_staff")

    staff_account_update(actor=staff, user_id=staff.pk, display_name="X区总工会 赵主席")

    assert _state(staff)[0] == "X区总工会 赵主席"


def test_an_update_that_changes_nothing_leaves_no_audit_row(world):
    account = world.actor("union_a_staff")

    staff_account_update(actor=world.actor("district_x_staff"), user_id=account.pk, roles=["union_admin", "reviewer"])

    assert not AuditEvent.objects.filter(action="account.update").exists()


def test_a_worker_account_is_not_a_staff_account(world, api_as):
    response = api_as(world.actor("city_staff")).get(f"/accounts/{world.actor('worker').pk}")

    assert response.status_code == 404
