"""Tests: PostgreSQL by default (the production engine), fast hashing, no outgoing e-mail."""

from .base import *  # noqa: F403
from .base import CACHE_KEY_PREFIX, VAR_DIR, caches_for
from .env import env_str

import dj_database_url  # isort: skip

DATABASE_URL = env_str("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/tremplin")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL)}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = VAR_DIR / "test-media"
WAGTAILADMIN_BASE_URL = "http://testserver"
# Memory caches whatever REDIS_URL says, so that counters never outlive a test run; Redis tests name it themselves.
CACHES = caches_for("", CACHE_KEY_PREFIX)
