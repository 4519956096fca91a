import re
from datetime import timedelta

import pytest
from django.db.models import F

from zhijia.accounts.models import PhoneVerification
from zhijia.accounts.services import sms_code_send
from zhijia.core.errors import ValidationFailed, ZhijiaError
from zhijia.core.gateways.sms import outbox_messages
from zhijia.testing.sms import last_code

PHONE = "13912345678"


def test_the_code_reaches_the_phone_and_only_its_hash_is_stored(db, sms_outbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        verification = sms_code_send(phone="+86 139 1234 5678", purpose="register")

    (message,) = outbox_messages(PHONE)
    code = last_code(PHONE)
    assert re.fullmatch(r"\d{6}", code)
    assert message["template"] == "verify.register"
    assert code not in verification.code_hash
    assert verification.expires_at - verification.created_at == pytest.approx(
        timedelta(minutes=5), abs=timedelta(seconds=1)
    )


def test_nothing_is_sent_before_the_code_is_committed(db, sms_outbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as pending:
        sms_code_send(phone=PHONE, purpose="register")

    assert outbox_messages(PHONE) == []
    assert len(pending) == 1


def test_a_second_code_within_a_minute_is_refused(world, sms_outbox, api_as, django_capture_on_commit_callbacks):
    api = api_as(None)
    with django_capture_on_commit_callbacks(execute=True):
        first = api.post("/auth/sms-code", {"phone": PHONE})
        again = api.post("/auth/sms-code", {"phone": PHONE})

    assert first.status_code == 200
    assert first.json()["sent"] is True
    assert again.status_code == 429
    assert again.json()["code"] == "sms.too_soon"
    assert again.json()["detail"] == {"field": "phone"}
    assert len(outbox_messages(PHONE)) == 1
    assert PhoneVerification.objects.count() == 1


def test_a_new_code_may_be_sent_once_the_minute_has_passed(db, sms_outbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        sms_code_send(phone=PHONE, purpose="register")
    # a minute and a second later
    PhoneVerification.objects.update(created_at=F("created_at") - timedelta(seconds=61))

    with django_capture_on_commit_callbacks(execute=True):
        sms_code_send(phone=PHONE, purpose="register")

    assert len(outbox_messages(PHONE)) == 2
    assert PhoneVerification.objects.count() == 2


def test_the_resend_limit_is_per_purpose(db, sms_outbox):
    sms_code_send(phone=PHONE, purpose="register")

    sms_code_send(phone=PHONE, purpose="reset_password")

    with pytest.raises(ZhijiaError) as refusal:
        sms_code_send(phone=PHONE, purpose="reset_password")
    assert refusal.value.code == "sms.too_soon"
    assert refusal.value.status == 429


@pytest.mark.parametrize("phone", ["12345", "23912345678", "1391234567x", "139123456789"])
def test_a_number_that_is_not_a_mainland_mobile_is_refused(db, sms_outbox, phone):
    with pytest.raises(ValidationFailed) as refusal:
        sms_code_send(phone=phone, purpose="register")

    assert refusal.value.code == "phone.invalid"
    assert refusal.value.detail["field"] == "phone"
    assert not PhoneVerification.objects.exists()


def test_an_unknown_purpose_is_refused_by_the_api(db, api_as):
    response = api_as(None).post("/auth/sms-code", {"phone": PHONE, "purpose": "lottery"})

    assert response.status_code == 422
    assert response.json()["code"] == "request.invalid"
    assert response.json()["detail"]["field"] == "body.payload.purpose"
