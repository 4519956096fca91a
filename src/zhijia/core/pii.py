"""Personal data helpers: encryption at rest, blind indexes for lookups, and masking for display.

Values are encrypted with Fernet (AES-128-CBC + HMAC) under MultiFernet so keys can be rotated: the first key
encrypts, every listed key decrypts. Lookups (login by phone, one membership per ID number) go through a keyed
HMAC blind index, so the database never holds the plain value and equal values can still be found.
"""

from __future__ import annotations

import hashlib
import hmac
from functools import cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.signals import setting_changed
from django.db import models


@cache
def _fernet() -> MultiFernet:
    return MultiFernet([Fernet(k.encode() if isinstance(k, str) else k) for k in settings.PII_ENCRYPTION_KEYS])


def _reset(**_: Any) -> None:
    _fernet.cache_clear()


setting_changed.connect(_reset)


def encrypt(value: str) -> str:
    return _fernet().encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken as exc:  # a key was lost or the row was tampered with: never guess
        raise ValueError("personal data could not be decrypted with the configured keys") from exc


def blind_index(value: str, *, purpose: str) -> str:
    """A keyed hash for equality lookups. `purpose` separates domains so two indexes never correlate."""
    key = settings.PII_BLIND_INDEX_KEY.encode()
    return hmac.new(key, f"{purpose}:{value}".encode(), hashlib.sha256).hexdigest()


def normalize_phone(value: str) -> str:
    digits = "".join(ch for ch in value if ch.isdigit())
    if len(digits) == 13 and digits.startswith("86"):
        digits = digits[2:]
    return digits


def is_mainland_mobile(value: str) -> bool:
    return len(value) == 11 and value.startswith("1") and value[1] in "3456789" and value.isdigit()


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
