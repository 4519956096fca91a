import pytest
from django.test import Client

from zhijia.accounts.models import ApiToken, User
from zhijia.audit.models import AuditEvent
from zhijia.testing.api import JsonClient, api_login
from zhijia.testing.world import PASSWORD


def _me(token: str) -> dict:
    response = JsonClient(token=token).get("/auth/me")
    assert response.status_code == 200, response.json()
    return response.json()


@pytest.mark.parametrize("login", ["13800000001", "+86 138 0000 0001", "worker"])
def test_a_worker_signs_in_by_phone_or_username_and_the_token_opens_the_api(world, login):
    response = api_login(login, PASSWORD)

    assert response.status_code == 200
    me = _me(response.json()["token"])
    assert (me["username"], me["display_name"], me["kind"]) == ("worker", "王师傅", "worker")
    assert me["phone"] == "138****0001"
    assert me["org"] is None
    assert me["roles"] == []


def test_staff_sign_in_by_username_and_see_their_node_and_roles(world):
    token = api_login("union_a_staff", PASSWORD).json()["token"]

    me = _me(token)

    assert me["org"] == {"id": world.union_a.pk, "code": "T-UA", "name": "X甲公司工会"}
    assert me["roles"] == ["reviewer", "union_admin"]


def test_only_the_tokens_hash_is_kept_and_its_issue_is_audited(world):
    token = api_login("union_a_staff", PASSWORD).json()["token"]

    stored = ApiToken.objects.get(user=world.actor("union_a_staff"))
    assert token not in stored.key_hash
    assert token[3:11] == stored.prefix
    event = AuditEvent.objects.get(action="auth.token_issued")
    assert event.actor == world.actor("union_a_staff")
    assert event.org_id == world.union_a.pk


@pytest.mark.parametrize(
    ("login", "password"), [("worker", "wrong-password"), ("nobody", PASSWORD), ("13999999999", "x")]
)
def test_wrong_credentials_are_refused_alike(world, login, password):
    response = api_login(login, password)

    assert response.status_code == 401
    assert response.json()["code"] == "auth.invalid_credentials"
    assert not ApiToken.objects.exists()


def test_five_wrong_passwords_lock_the_account_even_against_the_right_one(world):
    client = Client()
    for attempt in range(1, 5):
        response = api_login("worker", f"wrong-{attempt}", client)
        assert response.status_code == 401, attempt

    fifth = api_login("worker", "wrong-5", client)
    right = api_login("worker", PASSWORD, client)
    by_phone = api_login("+86 13800000001", PASSWORD, Client())

    assert fifth.status_code == 429
    assert right.status_code == 429
    assert right.json()["code"] == "auth.locked_out"
    assert right.json()["message"] == "登录失败次数过多，账户已暂时锁定，请 15 分钟后再试。"
    assert by_phone.status_code == 429  # the same account, however its phone is typed, from another client
    assert not ApiToken.objects.exists()


def test_a_locked_account_does_not_lock_anyone_else(world):
    for attempt in range(5):
        api_login("worker", f"wrong-{attempt}")

    assert api_login("other_worker", PASSWORD).status_code == 200


def test_a_successful_sign_in_clears_earlier_failures(world):
    for attempt in range(4):
        api_login("worker", f"wrong-{attempt}")
    assert api_login("worker", PASSWORD).status_code == 200

    for attempt in range(4):
        api_login("worker", f"wrong-again-{attempt}")

    assert api_login("worker", PASSWORD).status_code == 200


def test_a_deactivated_account_cannot_sign_in(world):
    User.objects.filter(username="worker").update(is_active=False)

    response = api_login("worker", PASSWORD)

    assert response.status_code == 401


def test_the_api_without_credentials_or_with_a_bad_token_asks_to_sign_in(world):
    for client in (JsonClient(), JsonClient(token="zj_not-a-token")):
        response = client.get("/auth/me")
        assert response.status_code == 401
        assert response.json()["code"] == "auth.required"
