import pytest

from zhijia.accounts.services import api_token_issue, password_change
from zhijia.audit.models import AuditEvent
from zhijia.core.errors import ValidationFailed
from zhijia.testing.api import JsonClient, api_login
from zhijia.testing.world import PASSWORD

NEW_PASSWORD = "Xin-Mi-Ma-2026"


def test_a_new_password_replaces_the_old_one_and_signs_out_every_token(world):
    worker = world.actor("worker")
    _, raw = api_token_issue(user=worker)

    password_change(user=worker, old_password=PASSWORD, new_password=NEW_PASSWORD)

    assert JsonClient(token=raw).get("/auth/me").status_code == 401
    assert api_login("worker", PASSWORD).status_code == 401
    assert api_login("worker", NEW_PASSWORD).status_code == 200
    assert AuditEvent.objects.filter(action="auth.password_changed", actor=worker).count() == 1


def test_the_old_password_must_be_right(world):
    with pytest.raises(ValidationFailed) as refusal:
        password_change(user=world.actor("worker"), old_password="not-it", new_password=NEW_PASSWORD)

    assert refusal.value.code == "password.wrong"
    assert refusal.value.detail["field"] == "old_password"
    assert api_login("worker", PASSWORD).status_code == 200


def test_a_weak_new_password_is_refused(world):
    with pytest.raises(ValidationFailed) as refusal:
        password_change(user=world.actor("worker"), old_password=PASSWORD, new_password="12345678")

    assert refusal.value.code == "password.too_weak"
    assert refusal.value.detail["field"] == "password"
    assert api_login("worker", PASSWORD).status_code == 200
    assert not AuditEvent.objects.filter(action="auth.password_changed").exists()
