"""Tests: PostgreSQL (DATABASE_URL, set by ``make test``), fast hashing, no outgoing e-mail."""

from .base import *  # noqa: F403
from .base import CACHE_KEY_PREFIX, DATABASES, VAR_DIR, caches_for

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = VAR_DIR / "test-media"
WAGTAILADMIN_BASE_URL = "http://testserver"
# Memory caches whatever REDIS_URL says, so that counters never outlive a test run; Redis tests name it themselves.
CACHES = caches_for("", CACHE_KEY_PREFIX)
# No cached answers: tests change content inside transactions that never commit, so nothing would invalidate them.
# The tests of the cache turn it on (tests/graphql/test_answer_cache.py).
GRAPHQL_ANSWER_CACHE = ""
# Tracking writes each event at once, inside the test's transaction.
TRACKING_BATCH_SIZE = 0
# Test databases are thrown away: a commit need not wait until its WAL is on disk (migrations commit hundreds of
# times, committed_db tests at every write). A crash of the server can lose the last commits, never consistency.
_options = DATABASES["default"].setdefault("OPTIONS", {})
_options["options"] = f"{_options.get('options', '')} -c synchronous_commit=off".strip()
