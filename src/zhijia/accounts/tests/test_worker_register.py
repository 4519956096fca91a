from datetime import timedelta

import pytest
from django.db.models import F

from zhijia.accounts.models import PhoneVerification, User
from zhijia.accounts.services import MAX_CODE_ATTEMPTS, sms_code_send, worker_register
from zhijia.audit.models import AuditEvent
from zhijia.core.errors import ValidationFailed
from zhijia.testing.api import api_login
from zhijia.testing.sms import last_code

PHONE = "13912345678"
GOOD_PASSWORD = "Lao-Wang-2026"


@pytest.fixture
def code(db, sms_outbox, django_capture_on_commit_callbacks) -> str:
    """A registration code sent to PHONE, as read from the phone."""
    with django_capture_on_commit_callbacks(execute=True):
        sms_code_send(phone=PHONE, purpose="register")
    return last_code(PHONE)


def _wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


def test_a_worker_registers_with_the_code_and_signs_in_with_the_phone(world, code, api_as):
    response = api_as(None).post(
        "/auth/register", {"phone": PHONE, "code": code, "password": GOOD_PASSWORD, "display_name": "张师傅"}
    )

    assert response.status_code == 201
    body = response.json()
    assert (body["display_name"], body["kind"], body["phone"]) == ("张师傅", "worker", "139****5678")
    assert body["org"] is None
    assert api_login(PHONE, GOOD_PASSWORD).status_code == 200
    user = User.objects.get(pk=body["id"])
    assert AuditEvent.objects.filter(action="user.register", actor=user).exists()


def test_a_wrong_code_is_counted_and_refused(db, code):
    with pytest.raises(ValidationFailed) as refusal:
        worker_register(phone=PHONE, code=_wrong(code), password=GOOD_PASSWORD, display_name="张师傅")

    assert refusal.value.code == "sms.code_wrong"
    assert refusal.value.detail["field"] == "code"
    assert PhoneVerification.objects.get().attempts == 1
    assert not User.objects.filter(display_name="张师傅").exists()
    # the right code still works after one slip
    assert worker_register(phone=PHONE, code=code, password=GOOD_PASSWORD, display_name="张师傅").pk


def test_after_five_wrong_guesses_even_the_right_code_is_refused(db, code):
    for _ in range(MAX_CODE_ATTEMPTS):
        with pytest.raises(ValidationFailed):
            worker_register(phone=PHONE, code=_wrong(code), password=GOOD_PASSWORD, display_name="张师傅")

    with pytest.raises(ValidationFailed) as refusal:
        worker_register(phone=PHONE, code=code, password=GOOD_PASSWORD, display_name="张师傅")

    assert refusal.value.code == "sms.code_expired"
    assert not User.objects.filter(display_name="张师傅").exists()


def test_a_code_older_than_five_minutes_is_refused(db, code):
    # five minutes and a second pass
    PhoneVerification.objects.update(expires_at=F("expires_at") - timedelta(minutes=5, seconds=1))

    with pytest.raises(ValidationFailed) as refusal:
        worker_register(phone=PHONE, code=code, password=GOOD_PASSWORD, display_name="张师傅")

    assert refusal.value.code == "sms.code_expired"


def test_a_code_works_only_once(db, code):
    worker_register(phone=PHONE, code=code, password=GOOD_PASSWORD, display_name="张师傅")

    with pytest.raises(ValidationFailed) as refusal:
        worker_register(phone="13912345679", code=code, password=GOOD_PASSWORD, display_name="李师傅")

    assert refusal.value.code == "sms.code_expired"


def test_a_phone_already_registered_is_refused_and_the_code_is_spent(
    world, sms_outbox, django_capture_on_commit_callbacks
):
    taken = "13800000001"  # the world's worker
    with django_capture_on_commit_callbacks(execute=True):
        sms_code_send(phone=taken, purpose="register")
    users = User.objects.count()

    with pytest.raises(ValidationFailed) as refusal:
        worker_register(phone=taken, code=last_code(taken), password=GOOD_PASSWORD, display_name="冒名者")

    assert refusal.value.code == "user.phone_taken"
    assert refusal.value.detail["field"] == "phone"
    assert User.objects.count() == users
    assert PhoneVerification.objects.get().used_at is not None


@pytest.mark.parametrize("password", ["12345678", "password", "short1!", "qwertyuiop"])
def test_a_weak_password_is_refused_with_its_field(db, code, api_as, password):
    response = api_as(None).post(
        "/auth/register", {"phone": PHONE, "code": code, "password": password, "display_name": "张师傅"}
    )

    assert response.status_code == 400
    assert response.json()["code"] == "password.too_weak"
    assert response.json()["detail"]["field"] == "password"
    assert response.json()["message"]
    assert not User.objects.filter(display_name="张师傅").exists()


def test_a_blank_name_is_refused_before_the_code_is_spent(db, code):
    with pytest.raises(ValidationFailed) as refusal:
        worker_register(phone=PHONE, code=code, password=GOOD_PASSWORD, display_name="   ")

    assert refusal.value.code == "user.name_required"
    assert PhoneVerification.objects.get().used_at is None
