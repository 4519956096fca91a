import pytest

from zhijia.accounts.models import StaffAssignment, User
from zhijia.accounts.services import staff_account_create
from zhijia.audit.models import AuditEvent
from zhijia.core.errors import NotFound, PermissionDenied, ValidationFailed
from zhijia.core.roles import Role
from zhijia.testing.api import api_login

NEW_PASSWORD = "Jie-Dao-2026"


def _payload(org, **extra) -> dict:
    return {
        "org_id": org.pk,
        "username": "xs-reviewer",
        "display_name": "X街道审核员",
        "password": NEW_PASSWORD,
        "roles": ["reviewer"],
        "phone": "13700000001",
        **extra,
    }


def test_district_staff_create_an_account_for_a_street_of_their_district(world, api_as):
    staff = world.actor("district_x_staff")

    response = api_as(staff).post("/accounts", _payload(world.street_x, title="审核员"))

    assert response.status_code == 201
    body = response.json()
    assert body["org"] == {"id": world.street_x.pk, "code": "T-XS", "name": "X街道总工会"}
    assert body["roles"] == ["reviewer"]
    assert body["phone"] == "137****0001"
    assert body["title"] == "审核员"
    assert api_login("xs-reviewer", NEW_PASSWORD).status_code == 200
    event = AuditEvent.objects.get(action="account.create")
    assert (event.actor, event.org_id, event.object_id) == (staff, world.street_x.pk, str(body["id"]))
    assert event.changes["roles"] == ["reviewer"]


def test_another_districts_node_is_not_found_and_no_account_is_created(world, api_as):
    users = User.objects.count()

    response = api_as(world.actor("district_y_staff")).post("/accounts", _payload(world.street_x))

    assert response.status_code == 404
    assert response.json()["code"] == "org.not_found"
    assert User.objects.count() == users
    assert not AuditEvent.objects.filter(action="account.create").exists()


def test_read_only_staff_list_accounts_but_may_not_create_one(world, api_as):
    api = api_as(world.actor("district_x_readonly"))
    users = User.objects.count()

    listing = api.get("/accounts")
    created = api.post("/accounts", _payload(world.street_x))

    assert listing.status_code == 200
    assert {a["username"] for a in listing.json()["items"]} == {
        "district_x_staff",
        "district_x_readonly",
        "case_handler",
        "union_a_staff",
    }
    assert created.status_code == 403
    assert created.json()["code"] == "permission.denied"
    assert User.objects.count() == users


@pytest.mark.parametrize(
    ("change", "code", "field"),
    [
        ({"username": "union_a_staff"}, "account.username_taken", "username"),
        ({"phone": "13900000001"}, "user.phone_taken", "phone"),
        ({"phone": "12345"}, "phone.invalid", "phone"),
        ({"password": "12345678"}, "password.too_weak", "password"),
        ({"display_name": "  "}, "user.name_required", "display_name"),
        ({"roles": []}, "account.no_role", "roles"),
        ({"roles": ["union_admin", "dictator"]}, "account.unknown_role", "roles"),
        ({"roles": [Role.CASE_HANDLER]}, "account.handler_kind_required", "handler_kind"),
    ],
)
def test_invalid_accounts_are_refused_with_the_field_to_fix(world, change, code, field):
    users = User.objects.count()
    fields = {**_payload(world.street_x), **change}
    fields.pop("org_id")

    with pytest.raises(ValidationFailed) as refusal:
        staff_account_create(actor=world.actor("district_x_staff"), org_id=world.street_x.pk, **fields)

    assert refusal.value.code == code
    assert refusal.value.detail["field"] == field
    assert User.objects.count() == users


def test_a_case_handler_is_created_with_their_kind(world):
    user = staff_account_create(
        actor=world.actor("district_x_staff"),
        org_id=world.district_x.pk,
        username="mediator-x",
        display_name="X区调解员",
        password=NEW_PASSWORD,
        roles=[Role.CASE_HANDLER],
        handler_kind="mediator",
    )

    assert StaffAssignment.objects.get(user=user).handler_kind == "mediator"
    assert user.scope.roles == frozenset({Role.CASE_HANDLER})


@pytest.mark.parametrize("name", ["worker", "anonymous", "union_a_staff"])
def test_who_cannot_see_the_node_gets_not_found(world, name):
    with pytest.raises(NotFound):
        staff_account_create(
            actor=world.actor(name),
            org_id=world.street_x.pk,
            username="sneaky",
            display_name="不速之客",
            password=NEW_PASSWORD,
            roles=[Role.UNION_ADMIN],
        )

    assert not User.objects.filter(username="sneaky").exists()


def test_a_reviewer_may_not_create_accounts(world):
    reviewer = staff_account_create(
        actor=world.actor("district_x_staff"),
        org_id=world.street_x.pk,
        username="xs-reviewer",
        display_name="X街道审核员",
        password=NEW_PASSWORD,
        roles=[Role.REVIEWER],
    )

    with pytest.raises(PermissionDenied):
        staff_account_create(
            actor=reviewer,
            org_id=world.street_x.pk,
            username="xs-second",
            display_name="第二人",
            password=NEW_PASSWORD,
            roles=[Role.UNION_ADMIN],
        )

    assert not User.objects.filter(username="xs-second").exists()
