"""Keeps the API token cache (token_cache) true: whatever changes a token or its account drops the cached entries."""

from typing import Any

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from . import token_cache
from .models import ApiToken, User

# Saving only these fields changes nothing a cached token entry holds (a sign-in stamps last_login).
_HARMLESS_FIELDS = frozenset({"last_login"})


@receiver(post_save, sender=ApiToken, dispatch_uid="zhijia.accounts.token_saved")
def _token_saved(sender: Any, instance: ApiToken, created: bool, **kwargs: Any) -> None:
    if not created:
        token_cache.forget([instance.key_hash])


@receiver(post_delete, sender=ApiToken, dispatch_uid="zhijia.accounts.token_deleted")
def _token_deleted(sender: Any, instance: ApiToken, **kwargs: Any) -> None:
    token_cache.forget([instance.key_hash])


@receiver(post_save, sender=User, dispatch_uid="zhijia.accounts.user_saved")
def _user_saved(sender: Any, instance: User, created: bool, update_fields: Any = None, **kwargs: Any) -> None:
    if created or (update_fields is not None and set(update_fields) <= _HARMLESS_FIELDS):
        return
    token_cache.forget_tokens_of(instance.pk)
