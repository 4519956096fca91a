"""The test suite: SQLite in memory unless DATABASE_URL names PostgreSQL."""

import os

from .base import *  # noqa: F403
from .base import STATIC_ROOT, VAR_DIR
from .local_secrets import load_or_create

_secrets = load_or_create(VAR_DIR)

DEBUG = False
ALLOWED_HOSTS = ["*"]
SECRET_KEY = _secrets["SECRET_KEY"]
PII_ENCRYPTION_KEYS = [_secrets["PII_ENCRYPTION_KEY"]]
PII_BLIND_INDEX_KEY = _secrets["PII_BLIND_INDEX_KEY"]
CARD_SIGNING_KEY = _secrets["CARD_SIGNING_KEY"]
PASSWORD_HASHERS = ["zhijia.testing.hashers.CheapArgon2PasswordHasher"]
# The API's token cache on, as in production (one process: its memory is shared by everything the test runs).
API_TOKEN_CACHE_SECONDS = 60
# The finder reads the network's version before every search: the database is rolled back between tests, the
# index must follow at once. (Tests of the time between reads set it themselves.)
NETWORK_INDEX_CHECK_SECONDS = 0.0
SMS_OUTBOX = VAR_DIR / "test-sms-outbox.jsonl"
MEDIA_ROOT = VAR_DIR / "test-media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Serve static files straight from the apps' folders (no collectstatic step for local use and tests).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
STATIC_ROOT.mkdir(parents=True, exist_ok=True)

# Each test run gets its own PostgreSQL test database, so runs from several checkouts (or people) on one server
# never drop each other's database halfway through.
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":  # noqa: F405
    DATABASES["default"].setdefault("TEST", {})["NAME"] = f"test_zhijia_{os.getpid()}"  # noqa: F405
