"""The API's token cache: a token used once is answered without the database, and whatever ends or changes its
access (signing out, revoking, deactivating the account, a new password, a new name) takes effect at the very next
request."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from zhijia.accounts import token_cache
from zhijia.accounts.models import ApiToken, User
from zhijia.accounts.services import (
    _hash_token,
    api_token_issue,
    api_token_revoke,
    api_token_user,
    password_change,
    staff_account_update,
)
from zhijia.testing.api import JsonClient, api_login
from zhijia.testing.world import PASSWORD


@pytest.fixture
def cached(settings):
    settings.API_TOKEN_CACHE_SECONDS = 60


def _me(raw):
    return JsonClient(token=raw).get("/auth/me")


def test_a_token_used_once_costs_no_query_to_recognise(world, cached):
    _, raw = api_token_issue(user=world.user("worker"))
    assert api_token_user(raw) == world.user("worker")

    with CaptureQueriesContext(connection) as queries:
        user = api_token_user(raw)

    assert user == world.user("worker")
    assert user is not None
    assert len(queries) == 0
    assert (user.username, user.display_name, user.kind, user.is_active) == ("worker", "王师傅", "worker", True)
    assert user.is_authenticated


def test_fields_not_kept_load_from_the_database_when_asked_for(world, cached):
    _, raw = api_token_issue(user=world.user("worker"))
    api_token_user(raw)

    response = _me(raw)  # the masked phone is read from the account itself

    assert response.status_code == 200
    assert response.json()["phone"] == "138****0001"


def test_the_cache_keeps_neither_the_password_nor_the_phone(world, cached):
    _, raw = api_token_issue(user=world.user("worker"))
    api_token_user(raw)

    entry = token_cache.cache.get(token_cache.KEY % _hash_token(raw))

    values, _expires = entry
    kept = dict(zip(token_cache.USER_FIELDS, values, strict=True))
    assert set(kept) == {"id", "username", "kind", "display_name", "is_active", "is_staff", "is_superuser"}
    assert world.user("worker").password not in repr(entry)
    assert "13800000001" not in repr(entry)


def test_signing_out_refuses_the_token_at_the_next_request(world, cached):
    token = api_login("worker", PASSWORD).json()["token"]
    assert _me(token).status_code == 200  # now cached

    assert JsonClient(token=token).post("/auth/logout").status_code == 200

    assert _me(token).status_code == 401


def test_a_revoked_token_is_refused_and_the_others_stay_valid(world, cached):
    _, revoked = api_token_issue(user=world.user("worker"))
    _, kept = api_token_issue(user=world.user("worker"))
    _, someone_elses = api_token_issue(user=world.user("other_worker"))
    for raw in (revoked, kept, someone_elses):
        assert _me(raw).status_code == 200

    api_token_revoke(user=world.user("worker"), raw=revoked)

    assert _me(revoked).status_code == 401
    assert _me(kept).status_code == 200
    assert _me(someone_elses).status_code == 200


def test_deactivating_a_staff_account_refuses_its_tokens_at_once(world, cached):
    account = world.user("union_a_staff")
    _, raw = api_token_issue(user=account)
    assert _me(raw).status_code == 200

    staff_account_update(actor=world.actor("district_x_staff"), user_id=account.pk, is_active=False)

    assert _me(raw).status_code == 401


def test_an_account_deactivated_by_saving_it_is_refused_at_once(world, cached):
    """Saving the account (the admin site does) drops its tokens from the cache even without revoking them."""
    account = world.user("worker")
    _, raw = api_token_issue(user=account)
    assert _me(raw).status_code == 200

    account.is_active = False
    account.save()

    assert _me(raw).status_code == 401


def test_a_new_password_refuses_every_token_of_the_account(world, cached):
    account = world.user("worker")
    _, first = api_token_issue(user=account)
    _, second = api_token_issue(user=account)
    assert _me(first).status_code == _me(second).status_code == 200

    password_change(user=account, old_password=PASSWORD, new_password="Another-pass-2027")

    assert _me(first).status_code == 401
    assert _me(second).status_code == 401


def test_a_new_name_shows_at_the_next_request(world, cached):
    account = world.user("worker")
    _, raw = api_token_issue(user=account)
    assert _me(raw).json()["display_name"] == "王师傅"

    account.display_name = "王建国"
    account.save(update_fields=["display_name"])

    assert _me(raw).json()["display_name"] == "王建国"


def test_a_deleted_account_is_refused(world, cached):
    account = User.objects.create_user("leaving", PASSWORD, display_name="临时工")
    _, raw = api_token_issue(user=account)
    assert _me(raw).status_code == 200

    account.delete()

    assert _me(raw).status_code == 401


def test_a_lookup_that_read_the_database_before_a_revocation_cannot_bring_the_token_back(world, cached):
    """The race the tombstones close: a request read the live token, the revocation commits and drops the entry,
    then that request tries to remember what it read."""
    token, raw = api_token_issue(user=world.user("worker"))
    read_before = ApiToken.objects.select_related("user").get(pk=token.pk)

    api_token_revoke(user=world.user("worker"), raw=raw)
    token_cache.remember(_hash_token(raw), read_before.user, read_before.expires_at)

    assert api_token_user(raw) is None
    assert _me(raw).status_code == 401


def test_a_cached_token_is_not_served_past_its_expiry(world, cached, monkeypatch):
    token, raw = api_token_issue(user=world.user("worker"))
    assert _me(raw).status_code == 200
    assert token_cache.lookup(_hash_token(raw))[0] == world.user("worker")

    monkeypatch.setattr(token_cache, "_now", lambda: token.expires_at.timestamp() + 1)

    assert token_cache.lookup(_hash_token(raw)) == (None, False)  # the database decides, and is not overruled


def test_without_a_reachable_cache_tokens_are_checked_in_the_database(world, settings):
    settings.API_TOKEN_CACHE_SECONDS = 60
    settings.CACHES = {
        **settings.CACHES,
        # Nothing listens on port 1: every cache call fails at once.
        "default": {"BACKEND": "zhijia.core.cache.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"},
    }
    _, raw = api_token_issue(user=world.user("worker"))

    assert _me(raw).status_code == 200
    assert JsonClient(token=raw).post("/auth/logout").status_code == 200
    assert _me(raw).status_code == 401


def test_with_the_cache_off_nothing_is_kept(world, settings):
    settings.API_TOKEN_CACHE_SECONDS = 0
    _, raw = api_token_issue(user=world.user("worker"))

    assert _me(raw).status_code == 200
    assert token_cache.cache.get(token_cache.KEY % _hash_token(raw)) is None
