"""Settings, read from the environment (12-factor). Every variable is listed in .env.example.

Defaults give the quick start: a SQLite file beside the code and Celery tasks run in
process. Production (DEBUG off, the default) refuses to start without SECRET_KEY and is
clean under `manage.py check --deploy`.
"""

from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

DEBUG = env.bool("DEBUG", default=False)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off (see .env.example).")
    SECRET_KEY = "insecure-development-key-only-used-with-DEBUG-on"  # noqa: S105
# Key of the keyed hashes (HMAC-SHA256, kindness.tokens; SPEC sections 8 and 10). Empty:
# derived from SECRET_KEY. Rotating it voids what was kept as such a hash.
TOKEN_KEY = env.str("TOKEN_KEY", default="")

# Keyed hashes of tracking secrets and survey link tokens (kindness.tokens, SPEC section 8).
# Default: derived from SECRET_KEY. Rotating it voids every outstanding secret and link.
TOKEN_KEY = env.str("TOKEN_KEY", default="") or "kindness-token-key:" + SECRET_KEY

# Keyed hashes of tracking secrets and survey link tokens (kindness.tokens, SPEC section 8).
# Default: derived from SECRET_KEY. Rotating it voids every outstanding secret and link.
TOKEN_KEY = env.str("TOKEN_KEY", default="") or "kindness-token-key:" + SECRET_KEY

# Keyed hashes of tracking secrets and survey link tokens (kindness.tokens, SPEC section 8).
# Default: derived from SECRET_KEY. Rotating it voids every outstanding secret and link.
TOKEN_KEY = env.str("TOKEN_KEY", default="") or "kindness-token-key:" + SECRET_KEY

ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

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
    "rest_framework",
    "kindness",
    "complaints",
    "surveys",
    "scoring",
    "programme",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Before anything reads the body (CSRF reads POST later, in process_view).
    "kindness.middleware.RequestSizeLimitMiddleware",
    # After authentication: staff pages are never stored by a browser or a proxy.
    "kindness.middleware.PersonalDataNoStoreMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Axes last: it reads the outcome of authentication to throttle logins.
    "axes.middleware.AxesMiddleware",
    # Turns django-ratelimit's Ratelimited (a PermissionDenied) into a 429 page.
    "django_ratelimit.middleware.RatelimitMiddleware",
]

ROOT_URLCONF = "kindness.urls"
WSGI_APPLICATION = "kindness.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "kindness.context_processors.roles",
            ],
        },
    },
]

# Database: a SQLite file by default; DATABASE_URL switches to PostgreSQL
# (postgres://user:pass@host:5432/name) with no code change.
DATABASES = {"default": env.db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("OPTIONS", {})
    if env.bool("DATABASE_POOL", default=False):
        # psycopg's pool replaces persistent connections; the two exclude each other.
        DATABASES["default"]["OPTIONS"]["pool"] = True
    else:
        DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
        DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
else:
    # SQLite: wait for a writer instead of failing at once with "database is locked", and
    # take the write lock when a transaction begins, so that concurrent transactions queue
    # up instead of failing when they upgrade a read lock (receipt numbers, imports).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE"}
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

AUTHENTICATION_BACKENDS = [
    "kindness.ratelimit.AddressLoginLimitBackend",
    "axes.backends.AxesStandaloneBackend",
    "kindness.auth.RoleBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "staff-home"
LOGOUT_REDIRECT_URL = "home"

# Login throttling (django-axes): lock a username + address pair after repeated failures,
# and an address after LOGIN_ADDRESS_FAILURE_LIMIT failures on any accounts within the
# cool-off time (password spraying; kindness.ratelimit).
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.25)  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
LOGIN_ADDRESS_FAILURE_LIMIT = env.int("LOGIN_ADDRESS_FAILURE_LIMIT", default=20)
# Trusted reverse proxies in front of the app: the client address is read from
# X-Forwarded-For by kindness.clientaddr, for login throttling, rate limits and the log.
PROXY_COUNT = env.int("PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "kindness.clientaddr.client_address"

# Internationalisation: Korean by default, English switchable from every page.
LANGUAGE_CODE = "ko"
LANGUAGES = [("ko", _("Korean")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Seoul"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedStaticFilesStorage",
    },
}

# Uploads: imports of a city's roster or survey files stay well under this.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
IMPORT_MAX_BYTES = env.int("IMPORT_MAX_BYTES", default=20 * 1024 * 1024)
# Request bodies larger than these are refused (413) before they are read (SPEC section
# 7): the report form and Open311 take three 5 MB attachments, import uploads a 20 MB file.
REQUEST_MAX_BYTES = env.int("REQUEST_MAX_BYTES", default=1 * 1024 * 1024)
REQUEST_MAX_BYTES_REPORT = env.int("REQUEST_MAX_BYTES_REPORT", default=16 * 1024 * 1024)
REQUEST_MAX_BYTES_IMPORT = env.int("REQUEST_MAX_BYTES_IMPORT", default=20 * 1024 * 1024)
REQUEST_MAX_BYTES_BY_PATH = {
    "/reports/new/": REQUEST_MAX_BYTES_REPORT,
    "/open311/": REQUEST_MAX_BYTES_REPORT,
    "/staff/imports/": REQUEST_MAX_BYTES_IMPORT,
}
# An XLSX file is a zip: caps on what it expands to and on its rows (SPEC section 7).
IMPORT_XLSX_MAX_UNCOMPRESSED_BYTES = env.int(
    "IMPORT_XLSX_MAX_UNCOMPRESSED_BYTES", default=100 * 1024 * 1024
)
IMPORT_XLSX_MAX_ROWS = env.int("IMPORT_XLSX_MAX_ROWS", default=200_000)

# Mail: console in development; EMAIL_URL (smtp://user:pass@host:587) in production.
EMAIL_CONFIG = env.email_url(
    "EMAIL_URL",
    default="consolemail://" if DEBUG else "smtp://localhost:25",
)
vars().update(EMAIL_CONFIG)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="kindness@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# SMS (kindness.sms, SPEC section 4): console:// (the default with DEBUG on), file:///DIR,
# or http(s)://[user:pass@]host/path for a gateway taking a JSON POST. Without it and with
# DEBUG off no survey link goes by SMS, and `check --deploy` warns.
SMS_URL = env.str("SMS_URL", default="console://" if DEBUG else "")
SMS_TIMEOUT = env.float("SMS_TIMEOUT", default=10.0)
# The public base address, for links made outside a request (survey links by SMS, e-mail,
# letter), e.g. https://kindness.example.go.kr
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
# The outbox retries a message with growing pauses for this many hours before it marks it
# failed and shows it to staff (SPEC section 4: at least 3 days).
OUTBOX_GIVE_UP_HOURS = env.int("OUTBOX_GIVE_UP_HOURS", default=72)
# Failed lookups of survey links per address (django-ratelimit syntax).
SURVEY_LINK_RATE = env.str("SURVEY_LINK_RATE", default="20/h")

# Security. In production the defaults satisfy `manage.py check --deploy`.
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_COOKIES = env.bool("SECURE_COOKIES", default=not DEBUG)
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
SESSION_COOKIE_HTTPONLY = True
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (django-csp, SPEC section 8): scripts and styles from our own
# static files only, never inline; no plugins, no framing, forms post to us only.
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
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
# Public pages that show a resident's own personal data or what they typed (receipt and
# secret, tracking, consultations, survey links): sent with Cache-Control: no-store, as is
# every page shown to a signed-in user (kindness.middleware.PersonalDataNoStoreMiddleware).
NO_STORE_PATHS = ["/reports/new/", "/reports/track/", "/consultations/", "/s/"]
# Staff sessions last a working day from sign-in, then the sign-in is asked again.
STAFF_SESSION_SECONDS = env.int("STAFF_SESSION_SECONDS", default=9 * 3600)
SESSION_COOKIE_AGE = STAFF_SESSION_SECONDS
if env.bool("USE_X_FORWARDED_PROTO", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# /healthz answers load balancers over plain HTTP inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

RATELIMIT_ENABLE = env.bool("RATELIMIT_ENABLE", default=True)
RATELIMIT_VIEW = "kindness.views.public.rate_limited"
RATELIMIT_IP_META_KEY = "kindness.clientaddr.client_address"
# Public report form: submissions per address (django-ratelimit syntax).
REPORT_RATE = env.str("REPORT_RATE", default="5/h")
TRACK_RATE = env.str("TRACK_RATE", default="30/h")

CACHES = {
    "default": env.cache_url("CACHE_URL", default="locmemcache://"),
    # Rendered parts of public pages (kindness.fragments): always this process's own memory,
    # whatever CACHE_URL says. Least recently used first out when full (a cull of one).
    "fragments": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "kindness-fragments",
        "TIMEOUT": None,
        "OPTIONS": {"MAX_ENTRIES": 512, "CULL_FREQUENCY": 512},
    },
    # Kept pages of searches (the praise board's, kindness.fragments.SEARCHES): apart from
    # the fragments above, so that many different searches never push those out.
    "searches": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "kindness-searches",
        "TIMEOUT": None,
        "OPTIONS": {"MAX_ENTRIES": 256, "CULL_FREQUENCY": 256},
    },
}

# Open311 GeoReport v2 (complaints/open311). The jurisdiction_id clients may send; empty:
# the site's host name, as the standard suggests.
OPEN311_JURISDICTION_ID = env.str("OPEN311_JURISDICTION_ID", default="")
# Reports filed per API key (N/s, N/m, N/h, N/d), counted in the cache.
OPEN311_KEY_RATE = env.str("OPEN311_KEY_RATE", default="60/h")
# GET requests per client address (N/s, N/m, N/h, N/d), counted in the cache.
OPEN311_READ_RATE = env.str("OPEN311_READ_RATE", default="120/m")
# Who answers developers, shown in the discovery document. Empty: DEFAULT_FROM_EMAIL.
OPEN311_CONTACT = env.str("OPEN311_CONTACT", default="")

# Django REST framework serves only the Open311 API, whose views state their own
# authentication (API keys), renderers and errors. The defaults below add nothing to any
# other view: no session or basic authentication, no permission, no throttle.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_THROTTLE_CLASSES": [],
    "DEFAULT_THROTTLE_RATES": {"open311_key": OPEN311_KEY_RATE, "open311_read": OPEN311_READ_RATE},
    "UNICODE_JSON": True,
}

# Celery. Without CELERY_BROKER_URL tasks run in process (eagerly), so the quick start
# needs nothing but Python. With a broker, work is acknowledged only after it is done
# and a task whose worker dies is handed to another worker.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=540)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=600)
CELERY_TIMEZONE = TIME_ZONE
CELERY_ENABLE_UTC = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Redis redelivers an unacknowledged task after this; it must exceed the longest task.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
# The beat schedule lives in code; run exactly one `celery beat` per deployment.
# A table, one entry per line: name, task, schedule.
# fmt: off
CELERY_BEAT_SCHEDULE = {
    name: {"task": task, "schedule": schedule}
    for name, task, schedule in (
        ("report-follow-up-reminders", "complaints.tasks.follow_up_overdue", crontab(hour=8, minute=30)),
        # Every retention rule of SPEC section 8, as `manage.py erase_personal_data` runs them.
        ("erase-personal-data", "kindness.tasks.erase_personal_data", crontab(hour=3, minute=15)),
        ("deliver-outbox", "kindness.tasks.deliver_outbox", 60.0),
        ("build-call-queue", "surveys.tasks.build_call_queue", crontab(hour=6, minute=30)),
        ("send-survey-links", "surveys.tasks.send_survey_links", crontab(hour=6, minute=45)),
        ("apply-queued-imports", "kindness.tasks.apply_pending_imports", crontab(minute="*/10")),
        ("recompute-open-periods", "scoring.tasks.recompute_open_periods", crontab(hour=2, minute=30)),
        ("recover-ranking-runs", "scoring.tasks.recover_runs", crontab(minute="*/5")),
    )
}
# fmt: on

# Scoring. A run with no sign of life for this long lost its worker (longer than any task
# may run, see CELERY_TASK_TIME_LIMIT): it is marked failed and rerun.
SCORING_STALE_AFTER_S = env.int("SCORING_STALE_AFTER_S", default=900)
# Fault injection for the worker-loss test only: seconds to wait inside the write of a run.
SCORING_WRITE_PAUSE_S = env.float("SCORING_WRITE_PAUSE_S", default=0.0)
# PostgreSQL work_mem for a ranking run's read (SET LOCAL, that transaction only): room for
# the officials' grouping in memory instead of a sort spilled to disk.
SCORING_WORK_MEM = env.str("SCORING_WORK_MEM", default="64MB")
# A run reads its three survey tables at the same time on three more connections sharing
# one snapshot (PostgreSQL); off: one after the other on the task's connection.
SCORING_PARALLEL_READ = env.bool("SCORING_PARALLEL_READ", default=True)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}
