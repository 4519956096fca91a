"""The personal-data helpers: masking never shows the middle, encryption round-trips and survives key rotation,
blind indexes find equal values without correlating across purposes."""

import pytest
from cryptography.fernet import Fernet
from hypothesis import given
from hypothesis import strategies as st

from zhijia.core import pii

mobiles = st.from_regex(r"\A1[3-9][0-9]{9}\Z")
id_numbers = st.from_regex(r"\A[1-9][0-9]{16}[0-9X]\Z")


@given(mobiles)
def test_a_masked_phone_keeps_the_first_three_and_last_four_digits(phone):
    masked = pii.mask_phone(phone)

    assert masked == phone[:3] + "****" + phone[-4:]


@given(st.text(max_size=6))
def test_a_too_short_phone_is_masked_entirely(value):
    assert pii.mask_phone(value) == "*" * len(value)


@given(id_numbers)
def test_a_masked_id_number_keeps_only_the_region_and_the_last_four(number):
    masked = pii.mask_id_number(number)

    assert len(masked) == len(number) == 18
    assert masked[:6] == number[:6]
    assert masked[6:14] == "*" * 8  # the date of birth never shows
    assert masked[-4:] == number[-4:]


@given(st.text(min_size=10))
def test_masking_never_changes_the_length(value):
    assert len(pii.mask_id_number(value)) == len(value)
    assert len(pii.mask_phone(value)) == 11


@given(st.text(min_size=1))
def test_encryption_round_trips_and_never_shows_the_value(value):
    token = pii.encrypt(value)

    assert pii.decrypt(token) == value
    assert token != value
    assert pii.encrypt(value) != token  # a fresh nonce each time: equal values do not look equal at rest


def test_old_rows_still_decrypt_after_the_key_is_rotated(settings):
    old_key = settings.PII_ENCRYPTION_KEYS[0]
    token = pii.encrypt("13800000001")

    settings.PII_ENCRYPTION_KEYS = [Fernet.generate_key().decode(), old_key]

    assert pii.decrypt(token) == "13800000001"
    assert pii.decrypt(pii.encrypt("13800000002")) == "13800000002"


def test_a_lost_key_is_refused_rather_than_guessed(settings):
    token = pii.encrypt("13800000001")

    settings.PII_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]

    with pytest.raises(ValueError, match="could not be decrypted"):
        pii.decrypt(token)


@given(st.text(), st.text())
def test_a_blind_index_is_stable_and_separates_purposes(value, other):
    assert pii.blind_index(value, purpose="phone") == pii.blind_index(value, purpose="phone")
    assert pii.blind_index(value, purpose="phone") != pii.blind_index(value, purpose="id_number")
    if value != other:
        assert pii.blind_index(value, purpose="phone") != pii.blind_index(other, purpose="phone")


def test_a_blind_index_depends_on_the_secret_key(settings):
    before = pii.blind_index("13800000001", purpose="phone")

    settings.PII_BLIND_INDEX_KEY = "another-key"

    assert pii.blind_index("13800000001", purpose="phone") != before


@given(mobiles)
def test_the_ways_people_write_a_phone_share_one_index(phone):
    spaced = f"+86 {phone[:3]} {phone[3:7]} {phone[7:]}"

    assert pii.normalize_phone(spaced) == phone
    assert pii.phone_index(spaced) == pii.phone_index(phone)
    assert pii.is_mainland_mobile(phone)


@given(st.text(alphabet="0123456789", min_size=0, max_size=15))
def test_only_eleven_digit_numbers_starting_1_3_to_1_9_are_mainland_mobiles(digits):
    expected = len(digits) == 11 and digits[0] == "1" and digits[1] in "3456789"

    assert pii.is_mainland_mobile(digits) == expected


@pytest.mark.parametrize("phone", ["1380000²009", "13800000٠09", "１３８０００００００９", "1380000 009²"])
def test_digits_of_other_scripts_make_no_mainland_mobile(phone):
    assert not pii.is_mainland_mobile(pii.normalize_phone(phone))


@given(st.text(min_size=2))
def test_a_masked_name_keeps_only_the_first_character(name):
    masked = pii.mask_name(name)

    assert masked[0] == name[0]
    assert masked[1:] == "*" * (len(name) - 1)
