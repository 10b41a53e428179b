"""Settings of the green marketplace, all read from the environment (README lists every name).

With nothing set, the project runs on an embedded default: a SQLite file, tasks in-process, a
local-memory cache and the database claim backend. ``DEBUG=0`` is production mode, which requires
``SECRET_KEY`` and turns on secure cookies, HSTS and the SSL redirect.
"""

from __future__ import annotations

import sys
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

from marketplace.core.env import (
    ImproperlyConfiguredEnv,
    env_bool,
    env_choice,
    env_int,
    env_list,
    env_rate,
    env_str,
    redis_url_with_db,
)

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", True)
TESTING = "pytest" in sys.modules or env_bool("TESTING", False)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfiguredEnv("SECRET_KEY must be set when DEBUG=0 (production mode)")
    SECRET_KEY = "django-insecure-development-only-key-never-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "csp",
    "marketplace.core.apps.CoreConfig",
    "marketplace.accounts",
    "marketplace.catalog",
    "marketplace.orders",
    "merchants",
    "merchants.alliance.apps.AllianceConfig",
    "green_venue",
    "vouchers",
    "carbon",
    "marketplace.demo.apps.DemoConfig",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
]

ROOT_URLCONF = "marketplace.urls"
WSGI_APPLICATION = "marketplace.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- database -------------------------------------------------------------------------------------
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL,
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60, minimum=0),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Wait for the writer instead of failing with "database is locked" under the dev server.
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

# --- Redis: cache and rate limits (db 0), broker (db 1), voucher claims (db 2) ----------------------
REDIS_URL = env_str("REDIS_URL")
CACHE_KEY_PREFIX = env_str("CACHE_KEY_PREFIX", "gm")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": CACHE_KEY_PREFIX,
            "OPTIONS": {
                # A cache outage degrades to a miss: pages still render.
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": env_int("REDIS_CONNECT_TIMEOUT_MS", 500, minimum=1) / 1000,
                "SOCKET_TIMEOUT": env_int("REDIS_TIMEOUT_MS", 500, minimum=1) / 1000,
            },
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "green-marketplace",
            "KEY_PREFIX": CACHE_KEY_PREFIX,
        }
    }
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True

VOUCHER_REDIS_URL = env_str("VOUCHER_REDIS_URL", redis_url_with_db(REDIS_URL, 2) if REDIS_URL else "")
VOUCHER_CLAIM_BACKEND = env_choice("VOUCHER_CLAIM_BACKEND", "database", ("database", "redis"))
if VOUCHER_CLAIM_BACKEND == "redis" and not VOUCHER_REDIS_URL:
    raise ImproperlyConfiguredEnv("VOUCHER_CLAIM_BACKEND=redis needs VOUCHER_REDIS_URL or REDIS_URL")
# Rows each new allocation's budget is split into, so parallel claims do not queue on one row lock.
VOUCHER_BUDGET_BUCKETS = env_int("VOUCHER_BUDGET_BUCKETS", 16, minimum=1, maximum=1024)
CLAIM_RATE_LIMIT = env_rate("CLAIM_RATE_LIMIT", "10/m")
CLAIM_RATE_LIMIT_PER_IP = env_rate("CLAIM_RATE_LIMIT_PER_IP", "120/m")

# --- Celery ---------------------------------------------------------------------------------------
CELERY_BROKER_URL = env_str(
    "CELERY_BROKER_URL", redis_url_with_db(REDIS_URL, 1) if REDIS_URL else "memory://"
)
# In-process tasks unless a real broker is configured (the embedded default).
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", CELERY_BROKER_URL == "memory://")
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_VISIBILITY_TIMEOUT = env_int("CELERY_VISIBILITY_TIMEOUT", 3600, minimum=1)
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": CELERY_VISIBILITY_TIMEOUT}
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = env_str("TIME_ZONE", "Asia/Shanghai")
# Periodic tasks: one entry per task, the interval read from the environment where it matters.
CELERY_BEAT_SCHEDULE: dict[str, dict[str, object]] = {}

# --- domain limits --------------------------------------------------------------------------------
PAYMENT_TIMEOUT_MINUTES = env_int("PAYMENT_TIMEOUT_MINUTES", 30, minimum=1)
LAST_MILE_KM = env_int("LAST_MILE_KM", 15, minimum=1)

# --- carbon: label computation and recomputation (carbon app) -----------------------------------
# Orders per background task when a new factor set is published (and per sweep batch).
CARBON_BATCH_SIZE = env_int("CARBON_BATCH_SIZE", 200, minimum=1, maximum=10_000)
# Beat sweep for paid orders still without a label: how often, how long after payment, how many per run.
CARBON_SWEEP_SECONDS = env_int("CARBON_SWEEP_SECONDS", 300, minimum=10)
CARBON_SWEEP_GRACE_SECONDS = env_int("CARBON_SWEEP_GRACE_SECONDS", 120, minimum=0)
CARBON_SWEEP_LIMIT = env_int("CARBON_SWEEP_LIMIT", 5000, minimum=1)
# A task whose worker died is redelivered once CELERY_VISIBILITY_TIMEOUT has passed; this is how often (in
# seconds) the workers look for such tasks (kombu's default scans only every 10th tick of 10 s).
CELERY_UNACKED_RESTORE_SECONDS = env_int("CELERY_UNACKED_RESTORE_SECONDS", 10, minimum=1)
CELERY_BROKER_TRANSPORT_OPTIONS["unacked_restore_interval"] = CELERY_UNACKED_RESTORE_SECONDS
CELERY_BROKER_TRANSPORT_OPTIONS["unacked_restore_throttle"] = 1
CELERY_BEAT_SCHEDULE["carbon-sweep-unlabelled"] = {
    "task": "carbon.sweep_unlabelled",
    "schedule": float(CARBON_SWEEP_SECONDS),
}
# Products' stored footprint estimates (venue grade facet, footprint ordering) are refreshed this often.
CARBON_PRODUCT_REFRESH_SECONDS = env_int("CARBON_PRODUCT_REFRESH_SECONDS", 300, minimum=10)
CELERY_BEAT_SCHEDULE["carbon-product-footprints-refresh"] = {
    "task": "carbon.product_footprints_refresh",
    "schedule": float(CARBON_PRODUCT_REFRESH_SECONDS),
}
API_PAGE_SIZE = env_int("API_PAGE_SIZE", 20, minimum=1, maximum=1000)
API_MAX_PAGE_SIZE = env_int("API_MAX_PAGE_SIZE", 100, minimum=1, maximum=1000)
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 2_621_440, minimum=1024)

# --- orders: cart, checkout, payments ---------------------------------------------------------------
# Dotted path of the payment provider class (marketplace.orders.payments.PaymentProvider interface).
PAYMENT_PROVIDER = env_str("PAYMENT_PROVIDER", "marketplace.orders.payments.DemoPaymentProvider")
# A shipped order counts as delivered this many days after shipping unless the shopper confirms earlier.
ORDER_AUTO_DELIVER_DAYS = env_int("ORDER_AUTO_DELIVER_DAYS", 15, minimum=1)
# Most units of one product in a cart, and most different products in a cart.
CART_MAX_QUANTITY = env_int("CART_MAX_QUANTITY", 99, minimum=1, maximum=100_000)
CART_MAX_ITEMS = env_int("CART_MAX_ITEMS", 50, minimum=1, maximum=1000)
CELERY_BEAT_SCHEDULE["orders-cancel-unpaid-expired"] = {
    "task": "orders.cancel_unpaid_expired",
    "schedule": 60.0,
}
CELERY_BEAT_SCHEDULE["orders-deliver-after-shipping"] = {
    "task": "orders.deliver_after_shipping",
    "schedule": 24 * 60 * 60.0,
}

# --- vouchers: claim backend, journal, expiry (vouchers app) ---------------------------------------
# Socket timeouts of the claims Redis: an unreachable server answers 503 fast instead of hanging workers.
VOUCHER_REDIS_TIMEOUT_MS = env_int("VOUCHER_REDIS_TIMEOUT_MS", 500, minimum=10)
VOUCHER_REDIS_PREFIX = env_str("VOUCHER_REDIS_PREFIX", "gv:")
# How long one process may hold the recovery lock (journal -> ledger, counters from ledger, reopen).
VOUCHER_RECOVERY_LOCK_SECONDS = env_int("VOUCHER_RECOVERY_LOCK_SECONDS", 120, minimum=5)
# How long a claim waits for another process's recovery before answering 503.
VOUCHER_RECOVERY_WAIT_MS = env_int("VOUCHER_RECOVERY_WAIT_MS", 2000, minimum=0)
# An Idempotency-Key on a claim answers the same for this long (24 h; docs/domain.md, "Idempotency").
IDEMPOTENCY_TTL_SECONDS = env_int("IDEMPOTENCY_TTL_SECONDS", 86_400, minimum=60)
VOUCHER_JOURNAL_DRAIN_SECONDS = env_int("VOUCHER_JOURNAL_DRAIN_SECONDS", 5, minimum=1)
VOUCHER_EXPIRY_SECONDS = env_int("VOUCHER_EXPIRY_SECONDS", 300, minimum=10)
# The claim's fast path (vouchers app): a token-authenticated claim is answered right after the
# security and static-file middleware (no URL resolver, sessions, CSRF, messages, auth, CSP middleware),
# and a claim by a token the claims Redis knows in front of Django's handler (vouchers.wsgi).
# VOUCHER_CLAIM_FAST_PATH=0 sends claims through the whole stack (the same answers, slower).
VOUCHER_CLAIM_FAST_PATH = env_bool("VOUCHER_CLAIM_FAST_PATH", True)
if VOUCHER_CLAIM_FAST_PATH:
    MIDDLEWARE.insert(
        MIDDLEWARE.index("whitenoise.middleware.WhiteNoiseMiddleware") + 1,
        "vouchers.middleware.ClaimFastPathMiddleware",
    )
CELERY_BEAT_SCHEDULE["vouchers-journal-drain"] = {
    "task": "vouchers.journal_drain",
    "schedule": float(VOUCHER_JOURNAL_DRAIN_SECONDS),
}
CELERY_BEAT_SCHEDULE["vouchers-expire-due"] = {
    "task": "vouchers.expire_due",
    "schedule": float(VOUCHER_EXPIRY_SECONDS),
}

# --- green venue: certificate evidence --------------------------------------------------------------
# Evidence files are private (never under MEDIA_ROOT, never served statically); the API streams them to
# the owning merchant and staff only.
EVIDENCE_ROOT = Path(env_str("EVIDENCE_ROOT", str(BASE_DIR / "private" / "evidence")))
EVIDENCE_MAX_BYTES = env_int("EVIDENCE_MAX_BYTES", 10 * 1024 * 1024, minimum=1024)
# Days before valid_until at which the merchant gets an "expires soon" notice.
CERTIFICATE_EXPIRY_WARNING_DAYS = env_int("CERTIFICATE_EXPIRY_WARNING_DAYS", 30, minimum=1)
# Venue answers (listing pages with facets) are cached under a version every relevant write bumps;
# this bounds any staleness left (e.g. a bump lost while the cache was down). 0 turns caching off, the
# default without Redis: a per-process local-memory cache would not see other processes' bumps.
VENUE_CACHE_SECONDS = env_int("VENUE_CACHE_SECONDS", 300 if REDIS_URL else 0, minimum=0)
# Daily at 00:05 in TIME_ZONE (CELERY_TIMEZONE): expire certificates, write 30-day expiry notices.
CELERY_BEAT_SCHEDULE["green-venue-certificates-daily"] = {
    "task": "green_venue.certificates_daily",
    "schedule": crontab(hour=0, minute=5),
}

# --- merchants.alliance: the green merchant alliance ------------------------------------------------
# Hard criteria the platform checks on an application (and again at approval).
ALLIANCE_MIN_CERTIFIED_PRODUCTS = env_int("ALLIANCE_MIN_CERTIFIED_PRODUCTS", 3, minimum=0)
ALLIANCE_REVOCATION_LOOKBACK_DAYS = env_int("ALLIANCE_REVOCATION_LOOKBACK_DAYS", 365, minimum=0)
# Day of the month (and hour, in TIME_ZONE) the platform measures last month's KPIs.
ALLIANCE_MEASURE_DAY_OF_MONTH = env_int("ALLIANCE_MEASURE_DAY_OF_MONTH", 1, minimum=1, maximum=28)
ALLIANCE_MEASURE_HOUR = env_int("ALLIANCE_MEASURE_HOUR", 3, minimum=0, maximum=23)
CELERY_BEAT_SCHEDULE["alliance-measure-progress"] = {
    "task": "alliance.measure_progress",
    "schedule": crontab(minute=0, hour=ALLIANCE_MEASURE_HOUR, day_of_month=ALLIANCE_MEASURE_DAY_OF_MONTH),
}

# --- demo data: manage.py load_demo_data (marketplace.demo) ------------------------------------
# Rows per INSERT/COPY batch of load_demo_data; with --scale each batch is committed on its own.
DEMO_BATCH_SIZE = env_int("DEMO_BATCH_SIZE", 2000, minimum=1, maximum=100_000)

# --- internationalisation -------------------------------------------------------------------------
LANGUAGE_CODE = env_str("LANGUAGE_CODE", "en")
LANGUAGES = [("en", _("English")), ("zh-hans", _("Simplified Chinese"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env_str("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

# --- static and media -----------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG or TESTING
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# --- storefront pages (marketplace.catalog / orders / merchants views) ----------------------------
STOREFRONT_PAGE_SIZE = env_int("STOREFRONT_PAGE_SIZE", 24, minimum=1, maximum=200)

# --- accounts: login page throttling (failed attempts; the API token endpoint uses LOGIN_RATE_LIMIT) ---
# Failed page logins per username, and per client address, in a fixed window; over it the page answers 429.
LOGIN_PAGE_RATE_LIMIT = env_rate("LOGIN_PAGE_RATE_LIMIT", "10/h")
LOGIN_PAGE_RATE_LIMIT_PER_IP = env_rate("LOGIN_PAGE_RATE_LIMIT_PER_IP", "50/h")

LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- API ------------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    # Token first, so anonymous API callers get 401 with a WWW-Authenticate header.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "marketplace.accounts.authentication.CachedTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_PAGINATION_CLASS": "marketplace.core.pagination.PageNumberPagination",
    "PAGE_SIZE": API_PAGE_SIZE,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    # drf-spectacular's, describing the apps' paginated list APIViews as paginated (core.schema).
    "DEFAULT_SCHEMA_CLASS": "marketplace.core.schema.AutoSchema",
    "EXCEPTION_HANDLER": "marketplace.core.errors.api_exception_handler",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"]
    + (["rest_framework.renderers.BrowsableAPIRenderer"] if DEBUG and not TESTING else []),
    "COERCE_DECIMAL_TO_STRING": True,
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    "DEFAULT_THROTTLE_RATES": {
        "login": env_str("LOGIN_RATE_LIMIT", "20/min"),
        "register": env_str("REGISTER_RATE_LIMIT", "20/hour"),
    },
}
TOKEN_CACHE_SECONDS = env_int("TOKEN_CACHE_SECONDS", 60, minimum=0)
SPECTACULAR_SETTINGS = {
    "TITLE": "Green marketplace API",
    "DESCRIPTION": "Green venue, green vouchers, merchant alliance and carbon labels.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    # Stable, readable names for choice sets that share a field name across components.
    "ENUM_NAME_OVERRIDES": {
        "OrderStatusEnum": "marketplace.orders.models.OrderStatus",
        "ShipmentStatusEnum": "marketplace.orders.models.ShipmentStatus",
        "PaymentStatusEnum": "marketplace.orders.models.PaymentStatus",
        "PackagingEnum": "marketplace.orders.models.Packaging",
        "CertificateStatusEnum": "green_venue.models.CertificateStatus",
        "CampaignStatusEnum": "vouchers.models.CampaignStatus",
        "VoucherStatusEnum": "vouchers.models.VoucherStatus",
        "MembershipStatusEnum": "merchants.alliance.models.MembershipStatus",
        "MerchantStatusEnum": "merchants.models.MerchantStatus",
    },
}

# --- security -------------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # htmx reads it to send X-CSRFToken
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # The health check is probed over plain HTTP inside the compose network.
    SECURE_REDIRECT_EXEMPT = [r"^healthz/$"]
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "style-src": ["'self'"],
        "script-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.request": {"level": "ERROR"}},
}
