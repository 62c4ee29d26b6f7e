"""Settings shared by every environment; each value that varies comes from the environment (see ``env.py``)."""

from __future__ import annotations

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
]

MIDDLEWARE = [
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

# Database: PostgreSQL (>= 15) only. ``make demo`` and ``make test`` set DATABASE_URL (cms.core.localdb).
DATABASE_URL = env_str("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/tremplin")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 0))}
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


def storages_for(bucket: str) -> dict:
    """The STORAGES setting: S3 for media when ``bucket`` is set, the local filesystem otherwise."""
    default = (
        {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {"bucket_name": bucket}}
        if bucket
        else {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    )
    return {
        "default": default,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
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

# Headless front-end: where previews and canonical URLs point. Empty: the admin shows its built-in preview.
FRONTEND_URL = env_str("FRONTEND_URL", "")

# Search (see search/): the database backend is the embedded default.
SEARCH_BACKEND = env_choice("SEARCH_BACKEND", ("database", "elasticsearch"), "database")
ELASTICSEARCH_URL = env_str("ELASTICSEARCH_URL")
ELASTICSEARCH_INDEX_PREFIX = env_str("ELASTICSEARCH_INDEX_PREFIX", "tremplin")
#: An index update of at least this many ids (an import's) runs in the backend's bulk mode (search/indexing.py).
SEARCH_LARGE_UPDATE = env_int("SEARCH_LARGE_UPDATE", 5000)

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
GRAPHQL_CACHE_MAX_AGE = env_int("GRAPHQL_CACHE_MAX_AGE", 60)
PREVIEW_TOKEN_MAX_AGE = env_int("PREVIEW_TOKEN_MAX_AGE", 30 * 60)
# Rate limiting of /graphql/ per client (graphql_api/core/ratelimit.py): "requests/seconds", "off" to disable.
GRAPHQL_RATE_LIMIT = env_str("GRAPHQL_RATE_LIMIT", "300/60")
GRAPHQL_RATE_LIMIT_KEY_HEADER = env_str("GRAPHQL_RATE_LIMIT_KEY_HEADER", "X-Api-Key")
# Set only behind a trusted proxy that writes it (e.g. "X-Forwarded-For"); its last address is the client's.
GRAPHQL_RATE_LIMIT_IP_HEADER = env_str("GRAPHQL_RATE_LIMIT_IP_HEADER", "")
GRAPHQL_RATE_LIMIT_CACHE = env_str("GRAPHQL_RATE_LIMIT_CACHE", "default")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
