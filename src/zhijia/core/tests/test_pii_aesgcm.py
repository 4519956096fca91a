"""The AES-GCM format of encrypted personal data: a key id names the sealing key, tampering is refused, and values
written in the older Fernet format still read."""

import pytest
from cryptography.fernet import Fernet

from zhijia.core import pii


def test_a_value_is_sealed_with_aes_gcm_under_the_first_keys_id():
    token = pii.encrypt("11010519491231002X")

    tag, kid, _body = token.split(".", 2)
    assert (tag, len(kid)) == ("a1", 8)
    assert "11010519491231002X" not in token
    assert pii.decrypt(token) == "11010519491231002X"


def test_values_written_with_fernet_before_the_switch_still_decrypt(settings):
    legacy = Fernet(settings.PII_ENCRYPTION_KEYS[0].encode()).encrypt(b"13800000001").decode()

    assert pii.decrypt(legacy) == "13800000001"


def test_a_rotated_key_keeps_old_values_readable_and_seals_new_ones_under_its_own_id(settings):
    old_token = pii.encrypt("13800000001")
    old_kid = old_token.split(".")[1]

    settings.PII_ENCRYPTION_KEYS = [Fernet.generate_key().decode(), settings.PII_ENCRYPTION_KEYS[0]]
    new_token = pii.encrypt("13800000002")

    assert new_token.split(".")[1] != old_kid
    assert pii.decrypt(old_token) == "13800000001"
    assert pii.decrypt(new_token) == "13800000002"


@pytest.mark.parametrize("where", [-2, 20, 12])
def test_a_tampered_value_is_refused(where):
    token = pii.encrypt("13800000001")
    flipped = token[:where] + ("A" if token[where] != "A" else "B") + token[where + 1 :]

    with pytest.raises(ValueError, match="could not be decrypted"):
        pii.decrypt(flipped)


def test_a_value_cannot_be_passed_off_under_another_keys_id(settings):
    token = pii.encrypt("13800000001")
    settings.PII_ENCRYPTION_KEYS = [*settings.PII_ENCRYPTION_KEYS, Fernet.generate_key().decode()]
    other_kid = pii._keyring()[1].keys() - {token.split(".")[1]}

    relabelled = ".".join(["a1", other_kid.pop(), token.split(".", 2)[2]])

    with pytest.raises(ValueError, match="could not be decrypted"):
        pii.decrypt(relabelled)
