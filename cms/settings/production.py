"""Production: every secret comes from the environment and the defaults that are only safe locally are refused."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import (
    AWS_STORAGE_BUCKET_NAME,
    DATABASE_URL,
    MIDDLEWARE,
    SECRET_KEY,
    TASK_BACKENDS,
    database_for,
    storages_for,
    tasks_for,
)
from .env import env_bool, env_choice, env_int
from .web import WEB_THREADS

DEBUG = False
if not SECRET_KEY or SECRET_KEY.startswith("insecure-") or len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("SECRET_KEY must be set to a random value of at least 50 characters in production")

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

# The schema is public in frontend_contract/; a production server need not hand it to whoever asks.
GRAPHQL_INTROSPECTION = env_bool("GRAPHQL_INTROSPECTION", False)
# Anonymous clients run only the published operations (frontend_contract/operations/), by hash or by text.
GRAPHQL_PERSISTED_ONLY = env_bool("GRAPHQL_PERSISTED_ONLY", True)

# Database: psycopg's connection pool, one per web process, with a connection per thread (plus two) by default;
# DB_POOL=false falls back to DB_CONN_MAX_AGE (persistent connections, checked before reuse). PostgreSQL must accept
# WEB_CONCURRENCY × DB_POOL_MAX_SIZE connections from the web processes, plus the worker's and the cron jobs'.
if env_bool("DB_POOL", True):
    _pool = {
        "min_size": env_int("DB_POOL_MIN_SIZE", 2),
        # One per thread, and two for the readiness probe's checks (cms/core/health.py), which run beside requests.
        "max_size": env_int("DB_POOL_MAX_SIZE", WEB_THREADS + 2),
        # Seconds a request waits for a free connection before failing.
        "timeout": env_int("DB_POOL_TIMEOUT", 10),
    }
    DATABASES = {"default": database_for(DATABASE_URL, pool=_pool, connect_timeout=env_int("DB_CONNECT_TIMEOUT", 5))}
else:
    DATABASES = {
        "default": database_for(
            DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 60), connect_timeout=env_int("DB_CONNECT_TIMEOUT", 5)
        )
    }

# Static files: collected (`manage.py collectstatic`, part of `make serve`) under hashed, compressed names and
# served by WhiteNoise with far-future cache headers; media stay on S3 when a bucket is named.
STORAGES = storages_for(AWS_STORAGE_BUCKET_NAME, static="whitenoise.storage.CompressedManifestStaticFilesStorage")
MIDDLEWARE = [*MIDDLEWARE]
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1, "whitenoise.middleware.WhiteNoiseMiddleware"
)

# Background tasks are stored in PostgreSQL and run by `manage.py db_worker` unless TASKS_BACKEND says otherwise.
TASKS = tasks_for(env_choice("TASKS_BACKEND", tuple(TASK_BACKENDS), "database"))
