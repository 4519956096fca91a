"""Which account a bearer token belongs to, remembered for API_TOKEN_CACHE_SECONDS in the shared cache, so that an API
request signed with a token costs no database query.

What is kept: the token's expiry and the few account fields a request needs (never the password hash or the phone;
other fields load from the database if something asks for them). A revoked token must stop working at once, so every
change that could end or alter a token's access drops its entry: revoking a token (`api_token_revoke`, and any save
or delete of an `ApiToken`), and any save of its account (deactivation, a new name) or its deletion. The accounts
services that revoke tokens in bulk call `forget_tokens_of` themselves: a queryset `update()` sends no signal.

A dropped entry becomes a tombstone rather than a gap: a request that read the database just before the revocation
committed cannot put its stale answer back, because it only ever *adds* (and adding over a tombstone does nothing).
The tombstone lives twice as long as an entry, then the token is looked up in the database again.

When the cache cannot be reached, requests fall back to the database (and are not remembered): slower, never wrong.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, transaction
from django.db.models import Q
from django.utils import timezone

from .models import ApiToken, User

logger = logging.getLogger(__name__)

KEY = "apitoken:%s"
TOMBSTONE = "revoked"
# The account fields kept with a token: what authentication, the scope and the audit log read. Not the password hash
# nor the phone (personal data stays in the database, encrypted).
_KEPT = {"id", "username", "kind", "display_name", "is_active", "is_staff", "is_superuser"}
# In the model's order, as Model.from_db wants the values.
USER_FIELDS = tuple(f.attname for f in User._meta.concrete_fields if f.attname in _KEPT)


_now = time.time  # the wall clock the cached expiry is checked against


def seconds() -> int:
    return int(settings.API_TOKEN_CACHE_SECONDS)


def lookup(key_hash: str) -> tuple[Any, bool]:
    """(the cached account or None, whether the cache may be filled afterwards). A token whose cached expiry has
    passed answers (None, False): refused without asking the database."""
    try:
        entry = cache.get(KEY % key_hash)
    except Exception:  # the cache is down: the database answers
        logger.warning("token cache unreachable; looking the token up in the database", exc_info=True)
        return None, False
    if entry is None:
        return None, True
    if entry == TOMBSTONE or not isinstance(entry, tuple):
        return None, False
    values, expires = entry
    if expires <= _now():
        return None, False
    user = User.from_db(DEFAULT_DB_ALIAS, list(USER_FIELDS), list(values))
    return user, False


def remember(key_hash: str, user: User, expires_at: Any) -> None:
    """Keep a token's account, unless a revocation left a tombstone since (add never overwrites)."""
    ttl = min(seconds(), int((expires_at - timezone.now()).total_seconds()))
    if ttl <= 0:
        return
    values = tuple(getattr(user, f) for f in USER_FIELDS)
    try:
        cache.add(KEY % key_hash, (values, expires_at.timestamp()), timeout=ttl)
    except Exception:
        logger.warning("token cache unreachable; the token was not remembered", exc_info=True)


def forget(hashes: Iterable[str]) -> None:
    """Drop these tokens' entries now and again when the transaction commits (a lookup that read the database in
    between cannot bring them back: see the module's docstring)."""
    keys = [KEY % h for h in hashes]
    if not keys or seconds() <= 0:
        return
    _tombstone(keys)
    transaction.on_commit(lambda: _tombstone(keys))


def forget_tokens_of(user_id: int) -> None:
    """Drop the cached entries of every live token of one account (before a bulk revocation, or when the account
    changed)."""
    if seconds() <= 0:
        return
    now = timezone.now()
    # Tokens revoked a moment ago too: a cached entry of theirs would still be alive.
    recent = Q(revoked_at__isnull=True) | Q(revoked_at__gt=now - timedelta(seconds=2 * seconds()))
    hashes = ApiToken.objects.filter(recent, user_id=user_id, expires_at__gt=now).values_list("key_hash", flat=True)
    forget(list(hashes))


def _tombstone(keys: list[str]) -> None:
    try:
        cache.set_many(dict.fromkeys(keys, TOMBSTONE), timeout=2 * seconds() + 5)
    except Exception:
        # Unreachable now means unreachable for the lookups too, which then ask the database; entries written before
        # the outage expire within API_TOKEN_CACHE_SECONDS.
        logger.error("token cache unreachable; %d revoked token(s) not dropped from it", len(keys), exc_info=True)
