"""Personal data helpers: encryption at rest, blind indexes for lookups, and masking for display.

Values are encrypted with AES-256-GCM (authenticated encryption, a fresh 96-bit nonce per value). A stored value
reads `a1.<key id>.<base64 of nonce + ciphertext + tag>`: the key id names which of `PII_ENCRYPTION_KEYS` sealed it,
so keys rotate (the first key encrypts, every listed key decrypts) and rows can be re-encrypted lazily. Values written
before the switch are Fernet tokens and still decrypt with the same keys. Lookups (login by phone, one membership per
ID number) go through a keyed HMAC blind index, so the database never holds the plain value and equal values can still
be found.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from dataclasses import dataclass
from functools import cache
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.signals import setting_changed
from django.db import models

# The format tag of AES-GCM values. Fernet tokens start with "gAAAAA" (base64 of the version byte), never with it.
AESGCM_TAG = "a1"
_NONCE_BYTES = 12


@dataclass(frozen=True)
class _Key:
    kid: str
    aead: AESGCM
    aad: bytes


def _key_material(configured: str | bytes) -> bytes:
    return configured.encode() if isinstance(configured, str) else configured


def _derive(configured: str | bytes) -> _Key:
    """The AES-256 key of one configured key. The setting holds Fernet keys (32 random bytes, base64), so the same
    list serves old Fernet values and new ones; HKDF keeps the two uses of the material apart."""
    raw = base64.urlsafe_b64decode(_key_material(configured))
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"zhijia.pii.aes-gcm.v1").derive(raw)
    kid = hashlib.sha256(b"zhijia.pii.key-id:" + key).hexdigest()[:8]
    # The key id and format are bound to the ciphertext: a value cannot be moved under another key's id.
    return _Key(kid=kid, aead=AESGCM(key), aad=f"{AESGCM_TAG}.{kid}".encode())


@cache
def _keyring() -> tuple[_Key, dict[str, _Key]]:
    keys = [_derive(k) for k in settings.PII_ENCRYPTION_KEYS]
    return keys[0], {k.kid: k for k in keys}


@cache
def _fernet() -> MultiFernet:
    return MultiFernet([Fernet(_key_material(k)) for k in settings.PII_ENCRYPTION_KEYS])


@cache
def _blind_base(purpose: str) -> Any:
    # HMAC state with the key and the purpose already absorbed; each value copies it (cheaper than re-keying).
    return hmac.new(settings.PII_BLIND_INDEX_KEY.encode(), f"{purpose}:".encode(), hashlib.sha256)


def _reset(**_: Any) -> None:
    _keyring.cache_clear()
    _fernet.cache_clear()
    _blind_base.cache_clear()


setting_changed.connect(_reset)


def encrypt(value: str) -> str:
    key = _keyring()[0]
    nonce = os.urandom(_NONCE_BYTES)
    sealed = key.aead.encrypt(nonce, value.encode(), key.aad)
    return f"{AESGCM_TAG}.{key.kid}.{base64.urlsafe_b64encode(nonce + sealed).decode()}"


def decrypt(token: str) -> str:
    if token.startswith(AESGCM_TAG + "."):
        _tag, kid, body = token.split(".", 2)
        key = _keyring()[1].get(kid)
        if key is None:
            raise ValueError("personal data could not be decrypted with the configured keys")
        try:
            blob = base64.urlsafe_b64decode(body)
            return key.aead.decrypt(blob[:_NONCE_BYTES], blob[_NONCE_BYTES:], key.aad).decode()
        except (InvalidTag, ValueError) as exc:  # tampered with, or cut short: never guess
            raise ValueError("personal data could not be decrypted with the configured keys") from exc
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken as exc:  # a key was lost or the row was tampered with: never guess
        raise ValueError("personal data could not be decrypted with the configured keys") from exc


class BulkSealer:
    """`encrypt()` and `blind_index()` for many values in a row (a roster import seals millions): the key and the
    HMAC states looked up once, nonces drawn from the system's random source in blocks rather than one call per
    value. The output is exactly what `encrypt()` and `blind_index()` give. Make a new one for each batch and never
    share one across a fork, so that two processes never hold the same block of nonces."""

    _BLOCK = 4096

    def __init__(self) -> None:
        key = _keyring()[0]
        self._seal = key.aead.encrypt
        self._aad = key.aad
        self._prefix = f"{AESGCM_TAG}.{key.kid}."
        self._nonces = b""
        self._at = 0
        self._id_base = _blind_base("id_number")
        self._phone_base = _blind_base("phone")

    def encrypt(self, value: str) -> str:
        at = self._at
        if at + _NONCE_BYTES > len(self._nonces):
            self._nonces, at = os.urandom(_NONCE_BYTES * self._BLOCK), 0
        nonce = self._nonces[at : at + _NONCE_BYTES]
        self._at = at + _NONCE_BYTES
        blob = nonce + self._seal(nonce, value.encode(), self._aad)
        return self._prefix + base64.urlsafe_b64encode(blob).decode()

    def id_index(self, value: str) -> str:
        """The blind index of a normalised ID number (upper-case X), as `members.selectors.id_index`."""
        mac = self._id_base.copy()
        mac.update(value.encode())
        return str(mac.hexdigest())

    def phone_index(self, digits: str) -> str:
        """The blind index of a normalised phone number, as `phone_index`."""
        mac = self._phone_base.copy()
        mac.update(digits.encode())
        return str(mac.hexdigest())


def blind_index(value: str, *, purpose: str) -> str:
    """A keyed hash for equality lookups. `purpose` separates domains so two indexes never correlate."""
    mac = _blind_base(purpose).copy()
    mac.update(value.encode())
    return str(mac.hexdigest())


def normalize_phone(value: str) -> str:
    # Most values are digits already (a roster import normalises millions): skip the character walk for them.
    # Other digits ("²", "３": str.isdigit takes them) are kept, for `is_mainland_mobile` to refuse.
    digits = value if value.isdigit() and value.isascii() else "".join(ch for ch in value if ch.isdigit())
    if len(digits) == 13 and digits.startswith("86"):
        digits = digits[2:]
    return digits


def is_mainland_mobile(value: str) -> bool:
    """Eleven ASCII digits starting 13-19 (str.isdigit alone would take "1380000²009")."""
    return len(value) == 11 and value.startswith("1") and value[1] in "3456789" and value.isascii() and value.isdigit()


def phone_index(value: str) -> str:
    return blind_index(normalize_phone(value), purpose="phone")


def mask_phone(value: str) -> str:
    if len(value) < 7:
        return "*" * len(value)
    return f"{value[:3]}****{value[-4:]}"


def mask_id_number(value: str) -> str:
    if len(value) < 10:
        return "*" * len(value)
    return f"{value[:6]}{'*' * (len(value) - 10)}{value[-4:]}"


def mask_name(value: str) -> str:
    if len(value) <= 1:
        return value
    return value[0] + "*" * (len(value) - 1)


class BlindIndexField(models.CharField):
    """A blind index (`blind_index()`: 64 hex characters, or empty). On PostgreSQL it is compared byte by byte
    (collation "C") rather than by the database's locale: nobody reads these in order, and under a locale every
    comparison goes through its rules, which made building the roster's blind-index indexes twice as slow (2.65
    million rows: 3.8 s against 1.8 s). SQLite compares bytes already."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("editable", False)
        super().__init__(*args, **kwargs)

    def db_parameters(self, connection: Any) -> dict[str, Any]:
        parameters = super().db_parameters(connection)
        if connection.vendor == "postgresql":
            parameters["collation"] = "C"
        return parameters


class EncryptedTextField(models.TextField):
    """Stores a string encrypted; reads give the plain string. Never filter on it: use a blind index."""

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> str | None:
        if value is None or value == "":
            return value
        return decrypt(value)

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt(str(value))
