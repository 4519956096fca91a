"""The test suite: SQLite in memory unless DATABASE_URL names PostgreSQL."""

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
