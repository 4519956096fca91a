from django.db import connection

from zhijia.accounts.models import User
from zhijia.accounts.selectors import staff_account_list
from zhijia.accounts.services import user_phone_reveal
from zhijia.audit.models import AuditEvent


def test_revealing_a_phone_shows_it_in_full_and_is_audited(world, api_as):
    staff, account = world.actor("district_x_staff"), world.actor("union_a_staff")

    response = api_as(staff).post(f"/accounts/{account.pk}/reveal-phone")

    assert response.status_code == 200
    assert response.json() == {"phone": "13900000001"}
    event = AuditEvent.objects.get(action="pii.reveal")
    assert (event.actor, event.object_id, event.org_id) == (staff, str(account.pk), world.union_a.pk)
    assert event.changes == {"field": "phone"}


def test_every_reveal_leaves_its_own_row(world):
    staff, account = world.actor("district_x_staff"), world.actor("union_a_staff")

    user_phone_reveal(actor=staff, user_id=account.pk)
    user_phone_reveal(actor=staff, user_id=account.pk)

    assert AuditEvent.objects.filter(action="pii.reveal", object_id=str(account.pk)).count() == 2


def test_read_only_staff_may_not_reveal_and_no_row_is_written(world, api_as):
    response = api_as(world.actor("district_x_readonly")).post(
        f"/accounts/{world.actor('union_a_staff').pk}/reveal-phone"
    )

    assert response.status_code == 403
    assert "13900000001" not in response.content.decode()
    assert not AuditEvent.objects.filter(action="pii.reveal").exists()


def test_another_districts_staff_get_404_and_no_row_is_written(world, api_as):
    response = api_as(world.actor("district_y_staff")).post(f"/accounts/{world.actor('union_a_staff').pk}/reveal-phone")

    assert response.status_code == 404
    assert not AuditEvent.objects.filter(action="pii.reveal").exists()


def test_the_phone_is_encrypted_at_rest(world):
    account = world.actor("union_a_staff")

    with connection.cursor() as cursor:
        cursor.execute("SELECT phone, phone_index FROM accounts_user WHERE id = %s", [account.pk])
        stored_phone, stored_index = cursor.fetchone()

    assert stored_phone
    assert "13900000001" not in stored_phone
    assert "0000001" not in stored_phone
    assert "13900000001" not in stored_index
    assert User.objects.get(pk=account.pk).phone == "13900000001"


def test_the_phone_is_masked_wherever_the_api_shows_an_account(world, api_as):
    api = api_as(world.actor("district_x_staff"))
    account = world.actor("union_a_staff")

    listing = api.get("/accounts")
    detail = api.get(f"/accounts/{account.pk}")
    me = api.get("/auth/me")

    assert {a["username"]: a["phone"] for a in listing.json()["items"]}["union_a_staff"] == "139****0001"
    assert detail.json()["phone"] == "139****0001"
    assert me.json()["phone"] == "139****0002"
    for response in (listing, detail, me):
        assert "13900000001" not in response.content.decode()
        assert "13900000002" not in response.content.decode()


def test_staff_find_an_account_by_its_full_phone_through_the_blind_index(world):
    found = staff_account_list(actor=world.actor("district_x_staff"), search="139 0000 0001")
    elsewhere = staff_account_list(actor=world.actor("district_y_staff"), search="13900000001")

    assert [u.username for u in found] == ["union_a_staff"]
    assert list(elsewhere) == []
