from datetime import timedelta

from django.utils import timezone

from zhijia.accounts.models import ApiToken
from zhijia.accounts.services import api_token_issue, api_token_revoke
from zhijia.audit.models import AuditEvent
from zhijia.testing.api import JsonClient, api_login
from zhijia.testing.world import PASSWORD


def test_signing_out_revokes_the_token_that_was_used(world):
    token = api_login("union_a_staff", PASSWORD).json()["token"]
    other = api_login("union_a_staff", PASSWORD).json()["token"]
    api = JsonClient(token=token)

    response = api.post("/auth/logout")

    assert response.status_code == 200
    assert api.get("/auth/me").status_code == 401
    assert JsonClient(token=other).get("/auth/me").status_code == 200  # the other device stays signed in
    event = AuditEvent.objects.get(action="auth.token_revoked")
    assert event.actor == world.actor("union_a_staff")
    assert event.org_id == world.union_a.pk


def test_revoking_someone_elses_token_does_nothing(world):
    _, raw = api_token_issue(user=world.actor("worker"))

    api_token_revoke(user=world.actor("other_worker"), raw=raw)

    assert JsonClient(token=raw).get("/auth/me").status_code == 200
    assert not AuditEvent.objects.filter(action="auth.token_revoked").exists()


def test_an_expired_token_is_refused(world):
    token, raw = api_token_issue(user=world.actor("worker"))
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))

    response = JsonClient(token=raw).get("/auth/me")

    assert response.status_code == 401
    assert response.json()["code"] == "auth.required"


def test_a_token_records_when_it_was_last_used(world):
    token, raw = api_token_issue(user=world.actor("worker"))
    assert token.last_used_at is None

    JsonClient(token=raw).get("/auth/me")

    assert ApiToken.objects.get(pk=token.pk).last_used_at is not None
