"""Settings shared by every environment. Environment-specific files import from here."""

import os
from pathlib import Path
from typing import Any

import dj_database_url
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent.parent
PROJECT_DIR = PACKAGE_DIR.parent.parent
VAR_DIR = Path(os.environ.get("ZHIJIA_VAR_DIR", PROJECT_DIR / "var"))

DEBUG = False
ALLOWED_HOSTS: list[str] = []

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    "csp",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "ninja",
    "treebeard",
    "zhijia.core",
    "zhijia.audit",
    "zhijia.jobs",
    "zhijia.organizations",
    "zhijia.accounts",
    "zhijia.notifications",
    "zhijia.network",
    "zhijia.members",
    "zhijia.points",
    "zhijia.planning",
    "zhijia.bookings",
    "zhijia.activities",
    "zhijia.servicemenu",
    "zhijia.ratings",
    "zhijia.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "zhijia.core.middleware.ApiErrorFormatMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Django's messages and django-csp, except what API requests never use (see core/middleware.py).
    "zhijia.core.middleware.PageMessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "zhijia.core.middleware.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "zhijia.core.middleware.RequestContextMiddleware",
    # A page's query or form holding a NUL character is refused here (the API's parser refuses it for the API).
    "zhijia.core.middleware.PageNulCharacterMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "zhijia.urls"
WSGI_APPLICATION = "zhijia.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "zhijia.core.context_processors.platform",
            ],
        },
    },
]


def database_from_env(default_sqlite: Path) -> dict[str, Any]:
    """PostgreSQL (or any database) from DATABASE_URL; otherwise the embedded SQLite file."""
    url = os.environ.get("DATABASE_URL")
    if url:
        return {"default": dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)}
    return {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": default_sqlite,
            "OPTIONS": {
                # WAL lets readers and the task worker go on while one writer writes; IMMEDIATE takes the
                # write lock at BEGIN so two writers queue on the busy timeout instead of failing to upgrade.
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
                    " PRAGMA busy_timeout=20000;"
                ),
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
        }
    }


DATABASES = database_from_env(VAR_DIR / "zhijia.sqlite3")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "zhijia.accounts.backends.PhoneOrUsernameBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# Lockout: five wrong passwords for one account lock it for fifteen minutes, whatever the address.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
# Locking by address as well would let one bad actor behind a shared NAT (a factory, a campus) lock out
# everyone there, so lockout is per account only; axes warns about that choice.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_LOCKOUT_CALLABLE = "zhijia.accounts.lockout.locked_out_response"
AXES_USERNAME_CALLABLE = "zhijia.accounts.lockout.username_from_request"
# What axes copies of a failed sign-in's form into its table and its log lines is cleansed of these: the login box
# may hold a phone (axes' default names only username and ip_address; the API's JSON body never reaches it).
AXES_SENSITIVE_PARAMETERS = ["username", "login", "phone", "ip_address"]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 60 * 60 * 12
CSRF_COOKIE_HTTPONLY = False  # htmx reads it to send X-CSRFToken
X_FRAME_OPTIONS = "DENY"

# No inline scripts or styles anywhere: every page loads its JavaScript from static files.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    },
}
# django-csp's report-only policy (shaped like CONTENT_SECURITY_POLICY), sent beside the enforced one to try out a
# stricter policy; None sends none, and the API's JSON answers then carry their own fixed policy (core/middleware.py).
CONTENT_SECURITY_POLICY_REPORT_ONLY: dict[str, Any] | None = None

# Background work: Django's tasks API. The database backend needs nothing beyond the database; set
# ZHIJIA_TASKS_BACKEND=rq (with REDIS_URL) when the platform outgrows one machine.
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
if os.environ.get("ZHIJIA_TASKS_BACKEND", "database") == "rq":
    # django_rq holds the queues and the worker command (`zhijia rqworker --job-class django_tasks_rq.Job`).
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    RQ_QUEUES = {"default": {"URL": REDIS_URL}}
else:
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

# Gateways to the outside world. Each default works with no network.
SMS_GATEWAY = "zhijia.core.gateways.sms.ConsoleFileSmsGateway"
SMS_OUTBOX = VAR_DIR / "sms-outbox.jsonl"
SMS_CODE_TTL_SECONDS = 300
SMS_CODE_RESEND_SECONDS = 60

API_TOKEN_TTL_DAYS = 30

# Caches. "default" is shared by every process of an installation (Redis in production, see production.py): what it
# holds can be dropped everywhere at once. "local" is each process's own memory, for what every process may build for
# itself and keep for a short while (the anonymous home page).
CACHES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "zhijia-default"},
    "local": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "zhijia-local"},
}
# How long the API remembers which account a bearer token belongs to, in the "default" cache (0: it asks the database
# on every request). Revoking a token, and changing or deactivating its account, drop it at once, so this needs a
# cache every process shares; production turns it on with Redis.
API_TOKEN_CACHE_SECONDS = 0
# How long each process serves the anonymous home page it rendered, per language.
HOME_CACHE_SECONDS = 60
# How often (seconds) each process asks the database whether the service network changed, for the finder's in-memory
# index. A write made by this process is seen by its next search; one made by another process within this time.
NETWORK_INDEX_CHECK_SECONDS = 1.0

# The service network's finder: travel time is the straight-line distance stretched by the street network's detour
# factor, at walking or riding speed.
NETWORK_WALK_KMH = 4.8
NETWORK_RIDE_KMH = 15.0
NETWORK_DETOUR_FACTOR = 1.3
# The ten-minute service circle (planning): its minutes and the default grid cell; speeds and detour as above.
PLANNING_CIRCLE_MINUTES = 10
PLANNING_CELL_M = 250
# Member points: points earned in year Y stay valid through 31 December of year Y + this many years (None: never
# expire). The daily task `points.tasks.expire_points` writes what lapsed.
POINTS_EXPIRE_AFTER_YEARS: int | None = 1
# Activities: a place freed on a full activity is held for the first person on the waitlist this many minutes before it
# passes on to the next; the reminder goes out this many hours before the start.
ACTIVITIES_OFFER_HOLD_MINUTES = 15
ACTIVITIES_REMINDER_HOURS = 24
# Background jobs: a result file that holds personal data in full (a full roster export, an import's rejected rows)
# is deleted this many hours after it was made (`zhijia jobs_expire`, hourly); it can be made again.
JOBS_PERSONAL_FILE_HOURS = int(os.environ.get("ZHIJIA_JOBS_PERSONAL_FILE_HOURS", "24"))
# The service menu: an order still waiting on the staff after this many hours is shown as overdue.
SERVICEMENU_OVERDUE_HOURS = int(os.environ.get("ZHIJIA_SERVICEMENU_OVERDUE_HOURS", "48"))
# The default grid of a new analysis, "square" (cells of PLANNING_CELL_M) or "h3" (hexagons of this resolution, 6-10).
PLANNING_GRID = "square"
PLANNING_H3_RESOLUTION = 9
# Venue booking, when neither the venue nor a union above it says otherwise: a booking not checked in this many
# minutes after its start is released as a no-show; so many no-shows within the window suspend booking for some days;
# a waitlist offer is held this many minutes.
BOOKING_DEFAULTS = {
    "release_after_minutes": 15,
    "no_show_limit": 3,
    "no_show_window_days": 30,
    "suspension_days": 14,
    "offer_minutes": 15,
}
# Maps draw with no tile server by default (points on a plain longitude/latitude grid). A deployment with its own tile
# server sets the URL template ({z}/{x}/{y}) and the datum its tiles are drawn in ("wgs84", or "gcj02" for most
# Chinese map services); its origin is then allowed as an image source.
NETWORK_MAP_TILE_URL = os.environ.get("ZHIJIA_MAP_TILE_URL", "")
NETWORK_MAP_TILE_COORD = os.environ.get("ZHIJIA_MAP_TILE_COORD", "wgs84")
NETWORK_MAP_TILE_ATTRIBUTION = os.environ.get("ZHIJIA_MAP_TILE_ATTRIBUTION", "")
if NETWORK_MAP_TILE_URL:
    from urllib.parse import urlsplit

    _tiles = urlsplit(NETWORK_MAP_TILE_URL)
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"].append(f"{_tiles.scheme}://{_tiles.netloc.replace('{s}', '*')}")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": "INFO"},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
    },
}

PLATFORM_NAME = _("职工之家")
