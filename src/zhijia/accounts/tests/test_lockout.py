"""What django-axes keeps of a failed sign-in: an account's username, or a keyed hash of what was typed, never a
phone number or anything else a person typed in the clear (its tables are shown in the admin)."""

import logging

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.test import Client

from zhijia.core.pii import phone_index
from zhijia.testing.api import api_login

UNKNOWN_PHONE = "13812345678"
ID_NUMBER = "11010519491231002X"


def _stored_text() -> str:
    rows = [
        *AccessAttempt.objects.values_list("username", "get_data", "post_data", "path_info"),
        *AccessLog.objects.values_list("username", "path_info"),
        *AccessFailureLog.objects.values_list("username", "path_info"),
    ]
    return "\n".join(str(value) for row in rows for value in row)


def test_a_failed_sign_in_as_an_unknown_phone_keeps_only_its_blind_index(db, caplog):
    # when someone fails to sign in with a phone no account has, on the page and through the API, written two ways
    with caplog.at_level(logging.DEBUG):
        Client().post("/accounts/login/", {"username": UNKNOWN_PHONE, "password": "wrong"})
        api_login("+86 139 1234 5678", "wrong")

    # then the lockout table names each phone by its blind index only, and neither is in the logs
    assert set(AccessAttempt.objects.values_list("username", flat=True)) == {
        f"phone:{phone_index(UNKNOWN_PHONE)}",
        f"phone:{phone_index('13912345678')}",
    }
    for digits in (UNKNOWN_PHONE, "13912345678", "139 1234 5678", "12345678"):
        assert digits not in _stored_text()
        assert digits not in caplog.text


def test_an_id_number_typed_as_the_login_is_not_kept_either(db, caplog):
    with caplog.at_level(logging.DEBUG):
        api_login(ID_NUMBER, "wrong")
        Client().post("/accounts/login/", {"username": ID_NUMBER, "password": "wrong"})

    (attempt,) = AccessAttempt.objects.filter(username__startswith="login:")
    assert ID_NUMBER not in _stored_text()
    assert ID_NUMBER[6:14] not in _stored_text()
    assert ID_NUMBER not in caplog.text
    assert attempt.failures_since_start == 2  # the same login, counted together


def test_an_accounts_username_is_kept_as_it_is(world):
    api_login("worker", "wrong")
    api_login("+86 138 0000 0001", "wrong")  # the worker's phone: the same account

    (attempt,) = AccessAttempt.objects.all()
    assert attempt.username == "worker"
    assert attempt.failures_since_start == 2


@pytest.mark.parametrize("last", ["13812345678", "+86 138 1234 5678"])
def test_an_unknown_phone_however_written_locks_out_after_five_failures(db, last):
    written = ["13812345678", "+86 13812345678", "138 1234 5678", "8613812345678", "138-1234-5678"]
    for attempt, login in enumerate(written[:4]):
        assert api_login(login, f"wrong-{attempt}", Client()).status_code == 401, login

    fifth = Client().post("/accounts/login/", {"username": written[4], "password": "wrong-5"})
    after = api_login(last, "wrong-6", Client())

    assert fifth.status_code == 429
    assert after.status_code == 429
    assert after.json()["code"] == "auth.locked_out"
