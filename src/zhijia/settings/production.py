"""Production: every secret from the environment, HTTPS only, PostgreSQL expected.

Required: ZHIJIA_SECRET_KEY, ZHIJIA_PII_ENCRYPTION_KEYS (comma-separated Fernet keys, newest first),
ZHIJIA_PII_BLIND_INDEX_KEY, ZHIJIA_CARD_SIGNING_KEY, ZHIJIA_ALLOWED_HOSTS, DATABASE_URL.
"""

import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import CACHES, DATABASES, REDIS_URL, SMS_GATEWAY, VAR_DIR


def _required(name: str) -> str:
    value = os.environ.get(name, "")
    if not value:
        raise ImproperlyConfigured(f"Set the environment variable {name}.")
    return value


DEBUG = False
SECRET_KEY = _required("ZHIJIA_SECRET_KEY")
PII_ENCRYPTION_KEYS = [k.strip() for k in _required("ZHIJIA_PII_ENCRYPTION_KEYS").split(",") if k.strip()]
PII_BLIND_INDEX_KEY = _required("ZHIJIA_PII_BLIND_INDEX_KEY")
CARD_SIGNING_KEY = _required("ZHIJIA_CARD_SIGNING_KEY")
ALLOWED_HOSTS = [h.strip() for h in _required("ZHIJIA_ALLOWED_HOSTS").split(",") if h.strip()]
CSRF_TRUSTED_ORIGINS = [f"https://{h}" for h in ALLOWED_HOSTS if not h.startswith(".")]

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = os.environ.get("ZHIJIA_SSL_REDIRECT", "1") == "1"
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True

# Persistent connections (CONN_MAX_AGE in base) without a `SELECT 1` before each request's first query: that
# health check costs a round trip and about a tenth of the CPU of a one-query API request. Without it, a worker
# whose connection broke (database restarted) fails one request and reconnects on the next. Turn it on
# (ZHIJIA_DB_HEALTH_CHECKS=1) where the database can move under the app servers, e.g. a failover to a replica.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = os.environ.get("ZHIJIA_DB_HEALTH_CHECKS", "0") == "1"

# The shared cache (see base): Redis, under its own key prefix (the task queue may use the same server). Short
# timeouts, so that a Redis that stops answering slows requests down by little: what is cached is also in the
# database, and the cache's users fall back to it. ZHIJIA_CACHE_URL=locmem:// keeps a cache in each process instead,
# for an installation without Redis; the API then looks every bearer token up in the database.
CACHE_URL = os.environ.get("ZHIJIA_CACHE_URL", REDIS_URL)
if CACHE_URL.startswith("locmem:"):
    CACHES["default"] = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "zhijia-default"}
    API_TOKEN_CACHE_SECONDS = 0
else:
    CACHES["default"] = {
        "BACKEND": "zhijia.core.cache.RedisCache",
        "LOCATION": CACHE_URL,
        "KEY_PREFIX": "zhijia",
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    }
    API_TOKEN_CACHE_SECONDS = int(os.environ.get("ZHIJIA_API_TOKEN_CACHE_SECONDS", "60"))

# Text messages: the SMS provider's gateway class (a dotted path, see zhijia.core.gateways.sms.SmsGateway). Without
# one, messages go to the local outbox file, which reaches no phone and keeps numbers and codes in the clear: the
# deploy check warns (zhijia.W001) until one is set.
SMS_GATEWAY = os.environ.get("ZHIJIA_SMS_GATEWAY", SMS_GATEWAY)

STATIC_ROOT = Path(os.environ.get("ZHIJIA_STATIC_ROOT", VAR_DIR / "static"))
MEDIA_ROOT = Path(os.environ.get("ZHIJIA_MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
