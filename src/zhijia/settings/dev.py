"""Local development and the demo: embedded SQLite, per-install secrets in var/, nothing to set by hand."""

from .base import *  # noqa: F403
from .base import STATIC_ROOT, VAR_DIR
from .local_secrets import load_or_create

_secrets = load_or_create(VAR_DIR)

DEBUG = True
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
SECRET_KEY = _secrets["SECRET_KEY"]
PII_ENCRYPTION_KEYS = [_secrets["PII_ENCRYPTION_KEY"]]
PII_BLIND_INDEX_KEY = _secrets["PII_BLIND_INDEX_KEY"]
CARD_SIGNING_KEY = _secrets["CARD_SIGNING_KEY"]

# Serve static files straight from the apps' folders (no collectstatic step for local use and tests).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
