"""Settings shared by every environment; each value that varies comes from the environment (see ``env.py``)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import dj_database_url

from .env import env_bool, env_choice, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

SECRET_KEY = env_str("SECRET_KEY", "insecure-dev-key-change-me")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "cms.core",
    "cms.taxonomy",
    "cms.organisations",
    "cms.missions",
    "cms.offers",
    "cms.pages",
    "cms.partners_api",
    "cms.cards",
    "cms.syndication",
    "cms.tracking",
    "importers",
    "search",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "corsheaders",
    "storages",
    "graphql_api",
    "strawberry_django",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "axes",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    # First: load balancers' probes are answered before host checks, HTTPS redirects, sessions (cms/core/health.py).
    "cms.core.health.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

# django-axes comes first so that a locked-out account or address is refused before its password is even checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "cms.urls"
WSGI_APPLICATION = "cms.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "cms" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# Cache: Redis when REDIS_URL is set (shared by every process: rate-limit counters), else memory
# local to each process, which is only right for a single process (the demo, tests).
REDIS_URL = env_str("REDIS_URL")
CACHE_KEY_PREFIX = env_str("CACHE_KEY_PREFIX", "tremplin")


def caches_for(redis_url: str, key_prefix: str) -> dict:
    """The CACHES setting: Django's Redis cache at ``redis_url`` when set, a per-process memory cache otherwise.

    ``tracking`` holds the duplicate window of tracking events: the same Redis (shared by every process), or a memory
    cache large enough not to forget a visitor within the window under load (memory caches cull at 300 by default).
    """
    if not redis_url:
        memory = "django.core.cache.backends.locmem.LocMemCache"
        return {
            "default": {"BACKEND": memory, "KEY_PREFIX": key_prefix},
            "tracking": {
                "BACKEND": memory,
                "LOCATION": "tracking",
                "KEY_PREFIX": key_prefix,
                "OPTIONS": {"MAX_ENTRIES": 500_000, "CULL_FREQUENCY": 10},
            },
        }
    redis = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": redis_url,
        "KEY_PREFIX": key_prefix,
        # A Redis that does not answer must not hold a request for long (the rate limit then lets it through).
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }
    return {"default": redis, "tracking": redis}


CACHES = caches_for(REDIS_URL, CACHE_KEY_PREFIX)
# Sessions: in the shared cache and written through to the database when Redis is there (any web process reads any
# session, and a Redis restart signs nobody out); in the database otherwise.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db" if REDIS_URL else "django.contrib.sessions.backends.db"

# The client's address, for the API rate limit and the admin sign-in throttle alike (cms/core/clients.py). Set only
# behind a trusted proxy that writes it (e.g. "X-Forwarded-For"): its last address is the client's.
# GRAPHQL_RATE_LIMIT_IP_HEADER is the former name of this variable.
CLIENT_IP_HEADER = env_str("CLIENT_IP_HEADER", env_str("GRAPHQL_RATE_LIMIT_IP_HEADER", ""))

# Admin sign-in throttling (django-axes): after ADMIN_LOGIN_FAILURE_LIMIT failures, the account and the address are each
# refused for ADMIN_LOGIN_COOLOFF_MINUTES, whichever other address or account they try next; failures are kept in
# the database, shared by every process.
AXES_FAILURE_LIMIT = env_int("ADMIN_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = dt.timedelta(minutes=env_int("ADMIN_LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_CLIENT_IP_CALLABLE = "cms.core.clients.client_ip"
AXES_LOCKOUT_CALLABLE = "cms.core.signin.lockout_response"

# Database: PostgreSQL (>= 15) only. ``make demo`` and ``make test`` set DATABASE_URL (cms.core.localdb).
DATABASE_URL = env_str("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/tremplin")


def database_for(url: str, *, conn_max_age: int = 0, pool: dict | None = None, connect_timeout: int = 0) -> dict:
    """One entry of DATABASES: persistent connections checked before reuse (``conn_max_age``), or psycopg's
    connection pool (``pool``: its options, e.g. ``{"min_size": 2, "max_size": 8, "timeout": 10}``), not both."""
    config = dj_database_url.parse(url, conn_max_age=0 if pool else conn_max_age, conn_health_checks=conn_max_age > 0)
    options = config.setdefault("OPTIONS", {})
    if pool:
        options["pool"] = pool
    if connect_timeout:
        options["connect_timeout"] = connect_timeout
    return config


DATABASES = {"default": database_for(DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 0))}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français")]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(VAR_DIR / "static")))
MEDIA_URL = env_str("MEDIA_URL", "/media/")
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))

# Storage: the filesystem by default; S3 (or any S3-compatible store: Scaleway, OVH, MinIO) when a bucket is named.
AWS_STORAGE_BUCKET_NAME = env_str("AWS_STORAGE_BUCKET_NAME")
AWS_S3_ENDPOINT_URL = env_str("AWS_S3_ENDPOINT_URL") or None
AWS_S3_REGION_NAME = env_str("AWS_S3_REGION_NAME") or None
AWS_S3_CUSTOM_DOMAIN = env_str("AWS_S3_CUSTOM_DOMAIN") or None
AWS_QUERYSTRING_AUTH = env_bool("AWS_QUERYSTRING_AUTH", False)
AWS_S3_FILE_OVERWRITE = False
AWS_DEFAULT_ACL = None
AWS_LOCATION = env_str("AWS_LOCATION", "media")


def storages_for(bucket: str, static: str = "django.contrib.staticfiles.storage.StaticFilesStorage") -> dict:
    """The STORAGES setting: S3 for media when ``bucket`` is set, the local filesystem otherwise; static files stay
    local, in ``static`` (production: WhiteNoise's compressed, hashed storage)."""
    default = (
        {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {"bucket_name": bucket}}
        if bucket
        else {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    )
    return {
        "default": default,
        "staticfiles": {"BACKEND": static},
    }


STORAGES = storages_for(AWS_STORAGE_BUCKET_NAME)

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# Wagtail
WAGTAIL_SITE_NAME = "Tremplin"
# Where this server is reached from outside: absolute URLs of media and documents in API answers, links in e-mails.
# BASE_URL is the documented name; WAGTAILADMIN_BASE_URL (Wagtail's own) is read when BASE_URL is not set.
WAGTAILADMIN_BASE_URL = env_str("BASE_URL") or env_str("WAGTAILADMIN_BASE_URL", "http://localhost:8000")
WAGTAIL_I18N_ENABLED = False
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "pdf", "txt", "xlsx", "odt", "docx"]
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp", "avif", "svg"]
WAGTAIL_MODERATION_ENABLED = True
WAGTAIL_WORKFLOW_ENABLED = True
# Accounts are created without a password and invited to choose one (cms/core/invitations.py); "Mot de passe
# oublié ?" sends a fresh invitation to accounts that never chose theirs.
WAGTAILUSERS_PASSWORD_REQUIRED = False
WAGTAILADMIN_USER_PASSWORD_RESET_FORM = "cms.core.invitations.InvitingPasswordResetForm"  # noqa: S105
WAGTAILADMIN_USER_LOGIN_FORM = "cms.core.forms.LoginForm"
INVITATION_TIMEOUT_DAYS = env_int("INVITATION_TIMEOUT_DAYS", 7)

# E-mail (invitations, password resets): SMTP in production, the console in dev, memory in tests.
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Tremplin <ne-pas-repondre@tremplin.example>")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)

# Headless front-end: where previews and canonical URLs point. Empty: the admin shows its built-in preview.
FRONTEND_URL = env_str("FRONTEND_URL", "")

# Search (see search/): the database backend is the embedded default.
SEARCH_BACKEND = env_choice("SEARCH_BACKEND", ("database", "elasticsearch"), "database")
ELASTICSEARCH_URL = env_str("ELASTICSEARCH_URL")
ELASTICSEARCH_INDEX_PREFIX = env_str("ELASTICSEARCH_INDEX_PREFIX", "tremplin")
#: Security is on by default since Elasticsearch 8: an API key (the base64 "encoded" value the API returns), the CA
#: that signed the cluster's certificate (a PEM file; the system's CAs when empty) and whether to verify it at all.
ELASTICSEARCH_API_KEY = env_str("ELASTICSEARCH_API_KEY")
ELASTICSEARCH_CA_CERTS = env_str("ELASTICSEARCH_CA_CERTS")
ELASTICSEARCH_VERIFY_CERTS = env_bool("ELASTICSEARCH_VERIFY_CERTS", True)
#: Replicas of each index: 1 on a cluster of several nodes; 0 on a single node, which cannot place replicas and
#: would otherwise stay yellow.
ELASTICSEARCH_REPLICAS = env_int("ELASTICSEARCH_REPLICAS", 1)
#: An index update of at least this many ids (an import's) runs in the backend's bulk mode (search/indexing.py).
SEARCH_LARGE_UPDATE = env_int("SEARCH_LARGE_UPDATE", 5000)
SEARCH_PLANNER_HINTS = env_bool("SEARCH_PLANNER_HINTS", True)

# Importers: the geocoder for addresses without coordinates (French national address API), download limits.
GEOCODER_URL = env_str("GEOCODER_URL", "https://api-adresse.data.gouv.fr/search/")
IMPORT_HTTP_TIMEOUT = env_int("IMPORT_HTTP_TIMEOUT", 30)
IMPORT_MAX_BYTES = env_int("IMPORT_MAX_BYTES", 500 * 2**20)

# CORS: one entry per allowed front-end origin.
CORS_ALLOWED_ORIGINS = env_list("CORS_ALLOWED_ORIGINS", [])
CORS_URLS_REGEX = r"^/graphql/?.*$"

# GraphQL API (graphql_api/): limits that refuse hostile queries before they run, previews, HTTP caching.
STRAWBERRY_DJANGO = {
    "PAGINATION_DEFAULT_LIMIT": 20,
    "PAGINATION_MAX_LIMIT": 100,
}
GRAPHQL_MAX_PAGE_SIZE = 100
GRAPHQL_MAX_DEPTH = env_int("GRAPHQL_MAX_DEPTH", 12)
GRAPHQL_MAX_ALIASES = env_int("GRAPHQL_MAX_ALIASES", 20)
GRAPHQL_MAX_TOKENS = env_int("GRAPHQL_MAX_TOKENS", 3000)
GRAPHQL_MAX_COST = env_int("GRAPHQL_MAX_COST", 50_000)
# Variables sent beside a query (graphql_api/core/inputs.py): total size, length of each list, nesting depth.
GRAPHQL_MAX_VARIABLES_BYTES = env_int("GRAPHQL_MAX_VARIABLES_BYTES", 256 * 1024)
GRAPHQL_MAX_LIST_LENGTH = env_int("GRAPHQL_MAX_LIST_LENGTH", 500)
GRAPHQL_MAX_VARIABLES_DEPTH = env_int("GRAPHQL_MAX_VARIABLES_DEPTH", 10)
# The GraphQL performance layer (graphql_api/core/execution.py); off leaves strawberry-django's stock optimizer.
GRAPHQL_FAST_PATH = env_bool("GRAPHQL_FAST_PATH", True)
# HTTP caching of public GET answers (Cache-Control): browsers' max-age, shared caches' (CDNs) s-maxage.
GRAPHQL_CACHE_MAX_AGE = env_int("GRAPHQL_CACHE_MAX_AGE", 60)
GRAPHQL_CACHE_SHARED_MAX_AGE = env_int("GRAPHQL_CACHE_SHARED_MAX_AGE", GRAPHQL_CACHE_MAX_AGE)
# Public answers kept in this cache alias (graphql_api/core/answers.py), invalidated on publish; empty turns it off.
# Off by default without Redis: a per-process memory cache would not hear of changes made by other processes.
GRAPHQL_ANSWER_CACHE = env_str("GRAPHQL_ANSWER_CACHE", "default" if REDIS_URL else "")
# Edits are announced and drop answers at once; what changes with time alone (an offer's validity ending, a mission
# over, a banner's dates) is not announced, so an answer lives no longer than HTTP caches may keep it.
GRAPHQL_ANSWER_CACHE_TIMEOUT = env_int("GRAPHQL_ANSWER_CACHE_TIMEOUT", GRAPHQL_CACHE_SHARED_MAX_AGE)
# Anonymous clients (no API key, no signed-in user) may only run the operations of frontend_contract/operations/.
GRAPHQL_PERSISTED_ONLY = env_bool("GRAPHQL_PERSISTED_ONLY", False)
PREVIEW_TOKEN_MAX_AGE = env_int("PREVIEW_TOKEN_MAX_AGE", 30 * 60)
# Rate limiting of /graphql/ per client (graphql_api/core/ratelimit.py): "requests/seconds", "off" to disable.
GRAPHQL_RATE_LIMIT = env_str("GRAPHQL_RATE_LIMIT", "300/60")
# The alias in CACHES holding the counters; it must exist (checked at start-up).
GRAPHQL_RATE_LIMIT_CACHE = env_str("GRAPHQL_RATE_LIMIT_CACHE", "default")
# Seconds a rendered partner feed is kept (and may be cached by browsers and CDNs): cms/syndication/feeds.py.
SYNDICATION_FEED_MAX_AGE = env_int("SYNDICATION_FEED_MAX_AGE", 60)
# Whether the schema answers introspection (__schema, __type): on by default, off by default in production.
GRAPHQL_INTROSPECTION = env_bool("GRAPHQL_INTROSPECTION", True)

# Background work (index updates, geocoding, e-mails; Wagtail's own tasks) goes through Django's task API
# (django-tasks). "immediate" runs each task in the process that enqueues it (dev, demo, tests); "database" stores it
# in PostgreSQL for `manage.py db_worker` (django-tasks-db), the production default. A failed task is tried again
# TASK_MAX_ATTEMPTS times in all, after TASK_RETRY_DELAY seconds doubled each time (cms/core/background.py).
TASK_BACKENDS = {
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
    "database": "django_tasks_db.DatabaseBackend",
}


def tasks_for(backend: str) -> dict:
    """The TASKS setting for ``backend`` (a key of ``TASK_BACKENDS``)."""
    return {"default": {"BACKEND": TASK_BACKENDS[backend]}}


TASKS = tasks_for(env_choice("TASKS_BACKEND", tuple(TASK_BACKENDS), "immediate"))
TASK_MAX_ATTEMPTS = env_int("TASK_MAX_ATTEMPTS", 5)
TASK_RETRY_DELAY = env_int("TASK_RETRY_DELAY", 30)

# Readiness (/readyz, cms/core/health.py): name → function raising when that dependency does not answer in time.
HEALTH_CHECKS = {
    "database": "cms.core.health.check_database",
    "cache": "cms.core.health.check_cache",
    "search": "search.health.check_search",
}
HEALTH_CHECK_TIMEOUT = env_int("HEALTH_CHECK_TIMEOUT", 2)

# Tracking (cms/tracking): the salt of anonymous visitors' daily hashes (defaults to SECRET_KEY), the window in which
# a repeated event is dropped, and the batching of writes (0: each event written at once, in the request).
TRACKING_SALT = env_str("TRACKING_SALT", SECRET_KEY)
TRACKING_DEDUP_SECONDS = env_int("TRACKING_DEDUP_SECONDS", 5 * 60)
TRACKING_BATCH_SIZE = env_int("TRACKING_BATCH_SIZE", 200)
TRACKING_FLUSH_MS = env_int("TRACKING_FLUSH_MS", 1000)
# Public statistics: the goal of applications generated, and the smallest count published (smaller ones are hidden).
APPLICATIONS_GOAL = env_int("APPLICATIONS_GOAL", 2000)
STATS_MIN_COUNT = env_int("STATS_MIN_COUNT", 10)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# Carte jeune engagé (cms/cards/): the card's public, its grace period, sign-in codes and tokens, activations.
CARDS_MIN_AGE = env_int("CARDS_MIN_AGE", 18)
CARDS_MAX_AGE = env_int("CARDS_MAX_AGE", 25)
#: Days a card stays valid after the end of its holder's programme.
CARDS_GRACE_DAYS = env_int("CARDS_GRACE_DAYS", 30)
CARDS_SIGNIN_CODE_MINUTES = env_int("CARDS_SIGNIN_CODE_MINUTES", 10)
CARDS_SIGNIN_MAX_ATTEMPTS = env_int("CARDS_SIGNIN_MAX_ATTEMPTS", 5)
#: Sign-in code requests allowed per contact and per address, "requests/seconds" (as GRAPHQL_RATE_LIMIT).
CARDS_SIGNIN_RATE_PER_CONTACT = env_str("CARDS_SIGNIN_RATE_PER_CONTACT", "3/900")
CARDS_SIGNIN_RATE_PER_IP = env_str("CARDS_SIGNIN_RATE_PER_IP", "20/900")
CARDS_TOKEN_DAYS = env_int("CARDS_TOKEN_DAYS", 30)
#: Seconds a card's QR payload can be checked at a till after it was shown.
CARDS_QR_SECONDS = env_int("CARDS_QR_SECONDS", 120)
#: Dotted path of the SMS sender (cms/cards/sms.py): the console one prints messages.
CARDS_SMS_SENDER = env_str("CARDS_SMS_SENDER", "cms.cards.sms.ConsoleSmsSender")
#: A partner is warned by e-mail when an offer has this many unassigned codes left.
CARDS_LOW_STOCK_THRESHOLD = env_int("CARDS_LOW_STOCK_THRESHOLD", 10)
#: Largest saving (euros) a young person may declare for one use of an offer.
CARDS_MAX_DECLARED_SAVING = env_int("CARDS_MAX_DECLARED_SAVING", 500)
