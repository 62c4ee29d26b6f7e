"""Settings: production passes Django's deployment checks, refuses unsafe secrets, and env values are validated.

Settings modules read the environment once at import, so each environment is tried in a fresh interpreter.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from cms.settings.base import storages_for
from cms.settings.env import env_bool, env_choice, env_int, env_list
from graphql_api.core.ratelimit import check_configuration as check_rate_limits

ROOT = Path(__file__).resolve().parent.parent
REDIS = "redis://cache.tremplin.example:6379/1"
PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "cms.settings.production",
    "SECRET_KEY": secrets.token_urlsafe(64),
    "ALLOWED_HOSTS": "api.tremplin.example",
    "DATABASE_URL": "postgres://tremplin@db.tremplin.example:5432/tremplin",
}


def run(args: list[str], **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "DJANGO_", "SECRET_KEY", "DEBUG"))}
    return subprocess.run(  # noqa: S603 - our own interpreter and manage.py
        [sys.executable, *args], cwd=ROOT, env={**clean, **env}, capture_output=True, text=True, timeout=120
    )


def settings_value(module: str, expression: str, **env: str) -> subprocess.CompletedProcess:
    return run(["-c", f"import {module} as s; print({expression})"], **env)


@pytest.mark.slow
def test_check_deploy_passes_without_warnings_in_production():
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], **PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_the_default_secret_key():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "SECRET_KEY"}
    result = settings_value("cms.settings.production", "s.DEBUG", **env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set to a random value" in result.stderr


def test_production_refuses_a_short_secret_key():
    result = settings_value("cms.settings.production", "s.DEBUG", **{**PRODUCTION_ENV, "SECRET_KEY": "court"})
    assert "SECRET_KEY must be set to a random value" in result.stderr


def test_production_forces_debug_off_whatever_the_environment_says():
    result = settings_value("cms.settings.production", "s.DEBUG", **{**PRODUCTION_ENV, "DEBUG": "true"})
    assert result.stdout.strip() == "False"


def test_production_reads_allowed_hosts_from_the_environment():
    result = settings_value("cms.settings.production", "s.ALLOWED_HOSTS", **PRODUCTION_ENV)
    assert result.stdout.strip() == "['api.tremplin.example']"


def test_production_restricts_anonymous_clients_to_persisted_queries():
    result = settings_value("cms.settings.production", "s.GRAPHQL_PERSISTED_ONLY", **PRODUCTION_ENV)
    assert result.stdout.strip() == "True"


@pytest.mark.parametrize(("redis_url", "alias"), [("", ""), ("redis://127.0.0.1:6379/0", "default")])
def test_graphql_answers_are_cached_by_default_only_in_a_shared_cache(redis_url, alias):
    result = settings_value("cms.settings.production", "s.GRAPHQL_ANSWER_CACHE", **PRODUCTION_ENV, REDIS_URL=redis_url)
    assert result.stdout.strip() == alias


def test_media_go_to_s3_when_a_bucket_is_named_in_the_environment():
    result = settings_value(
        "cms.settings.base",
        "s.STORAGES['default']['BACKEND'], s.STORAGES['default']['OPTIONS']['bucket_name'], s.AWS_S3_ENDPOINT_URL",
        AWS_STORAGE_BUCKET_NAME="tremplin-media",
        AWS_S3_ENDPOINT_URL="https://s3.fr-par.scw.cloud",
    )
    assert result.stdout.split() == ["storages.backends.s3.S3Storage", "tremplin-media", "https://s3.fr-par.scw.cloud"]


def test_media_stay_on_the_filesystem_without_a_bucket():
    result = settings_value("cms.settings.base", "s.STORAGES['default']['BACKEND']")
    assert result.stdout.strip() == "django.core.files.storage.FileSystemStorage"


def test_storages_for_keeps_static_files_local_with_s3_media():
    storages = storages_for("tremplin-media")
    assert storages["staticfiles"]["BACKEND"] == "django.contrib.staticfiles.storage.StaticFilesStorage"


def test_a_malformed_boolean_stops_start_up_with_the_variable_name():
    result = settings_value("cms.settings.dev", "s.DEBUG", DEBUG="peut-être")
    assert "DEBUG must be a boolean" in result.stderr


def test_env_bool_accepts_french_yes_and_no(monkeypatch):
    monkeypatch.setenv("TREMPLIN_FLAG", "Oui")
    assert env_bool("TREMPLIN_FLAG") is True
    monkeypatch.setenv("TREMPLIN_FLAG", "non")
    assert env_bool("TREMPLIN_FLAG", True) is False


def test_env_bool_rejects_an_unknown_word(monkeypatch):
    monkeypatch.setenv("TREMPLIN_FLAG", "peut-être")
    with pytest.raises(ImproperlyConfigured, match="TREMPLIN_FLAG must be a boolean"):
        env_bool("TREMPLIN_FLAG")


def test_env_int_rejects_a_non_integer(monkeypatch):
    monkeypatch.setenv("TREMPLIN_COUNT", "12 secondes")
    with pytest.raises(ImproperlyConfigured, match="TREMPLIN_COUNT must be an integer"):
        env_int("TREMPLIN_COUNT", 0)


def test_env_int_uses_the_default_when_blank(monkeypatch):
    monkeypatch.setenv("TREMPLIN_COUNT", "  ")
    assert env_int("TREMPLIN_COUNT", 7) == 7


def test_env_choice_rejects_a_value_outside_the_choices(monkeypatch):
    monkeypatch.setenv("TREMPLIN_BACKEND", "solr")
    with pytest.raises(ImproperlyConfigured, match="TREMPLIN_BACKEND must be one of database, elasticsearch"):
        env_choice("TREMPLIN_BACKEND", ("database", "elasticsearch"), "database")


def test_env_list_drops_blank_items(monkeypatch):
    monkeypatch.setenv("TREMPLIN_HOSTS", " a.example, ,b.example,")
    assert env_list("TREMPLIN_HOSTS") == ["a.example", "b.example"]


def test_redis_url_makes_the_default_cache_django_s_redis_cache():
    result = settings_value(
        "cms.settings.base",
        "s.CACHES['default']['BACKEND'], s.CACHES['default']['LOCATION'], s.CACHES['default']['KEY_PREFIX']",
        REDIS_URL="redis://cache.tremplin.example:6379/1",
        CACHE_KEY_PREFIX="tremplin-prod",
    )
    assert result.stdout.split() == [
        "django.core.cache.backends.redis.RedisCache",
        "redis://cache.tremplin.example:6379/1",
        "tremplin-prod",
    ]


def test_without_redis_url_the_cache_is_the_process_memory():
    result = settings_value("cms.settings.base", "s.CACHES['default']['BACKEND']", REDIS_URL="")
    assert result.stdout.strip() == "django.core.cache.backends.locmem.LocMemCache"


def test_tests_keep_the_memory_cache_even_when_redis_url_is_set():
    result = settings_value("cms.settings.test", "s.CACHES['default']['BACKEND']", REDIS_URL="redis://127.0.0.1:6379/0")
    assert result.stdout.strip() == "django.core.cache.backends.locmem.LocMemCache"


def test_a_rate_limit_cache_that_does_not_exist_is_refused_with_its_name(settings):
    settings.GRAPHQL_RATE_LIMIT_CACHE = "redis"
    with pytest.raises(ImproperlyConfigured, match="GRAPHQL_RATE_LIMIT_CACHE nomme le cache 'redis', absent de CACHES"):
        check_rate_limits()


def test_a_malformed_rate_limit_stops_start_up():
    """``check_configuration()``, whose other refusals are tested in-process around this test, runs when the
    application starts (``graphql_api.apps``): a real start-up is refused."""
    result = run(["manage.py", "check"], DJANGO_SETTINGS_MODULE="cms.settings.test", GRAPHQL_RATE_LIMIT="300")
    assert result.returncode != 0
    assert "GRAPHQL_RATE_LIMIT doit s'écrire" in result.stderr


def test_a_malformed_sign_in_rate_is_refused_with_its_name(settings):
    settings.CARDS_SIGNIN_RATE_PER_IP = "vingt"
    with pytest.raises(ImproperlyConfigured, match="CARDS_SIGNIN_RATE_PER_IP doit s'écrire"):
        check_rate_limits()


def test_introspection_is_off_by_default_in_production():
    result = settings_value("cms.settings.production", "s.GRAPHQL_INTROSPECTION", **PRODUCTION_ENV)
    assert result.stdout.strip() == "False"


def test_introspection_can_be_switched_on_in_production():
    result = settings_value(
        "cms.settings.production", "s.GRAPHQL_INTROSPECTION", **{**PRODUCTION_ENV, "GRAPHQL_INTROSPECTION": "true"}
    )
    assert result.stdout.strip() == "True"


def test_introspection_is_on_by_default_in_development():
    result = settings_value("cms.settings.dev", "s.GRAPHQL_INTROSPECTION")
    assert result.stdout.strip() == "True"


def test_the_former_rate_limit_ip_header_variable_still_names_the_client_ip_header():
    result = settings_value("cms.settings.base", "s.CLIENT_IP_HEADER", GRAPHQL_RATE_LIMIT_IP_HEADER="X-Forwarded-For")
    assert result.stdout.strip() == "X-Forwarded-For"


def test_admin_sign_in_limit_and_cool_off_come_from_the_environment():
    result = settings_value(
        "cms.settings.base",
        "s.AXES_FAILURE_LIMIT, s.AXES_COOLOFF_TIME.total_seconds()",
        ADMIN_LOGIN_FAILURE_LIMIT="10",
        ADMIN_LOGIN_COOLOFF_MINUTES="30",
    )
    assert result.stdout.split() == ["10", "1800.0"]


def test_production_pools_database_connections_one_per_thread_and_two_for_the_probe_by_default():
    result = settings_value("cms.settings.production", "s.DATABASES['default']['OPTIONS']['pool']", **PRODUCTION_ENV)
    assert result.stdout.strip() == "{'min_size': 2, 'max_size': 10, 'timeout': 10}", result.stderr


def test_production_sizes_the_pool_for_the_threads_of_each_web_process():
    expression = "s.DATABASES['default']['OPTIONS']['pool']['max_size']"
    result = settings_value("cms.settings.production", expression, WEB_THREADS="12", **PRODUCTION_ENV)
    assert result.stdout.strip() == "14", result.stderr


def test_without_the_pool_production_keeps_checked_persistent_connections():
    expression = "(s.DATABASES['default']['CONN_MAX_AGE'], s.DATABASES['default']['CONN_HEALTH_CHECKS'], "
    expression += "'pool' in s.DATABASES['default']['OPTIONS'])"
    result = settings_value("cms.settings.production", expression, DB_POOL="false", **PRODUCTION_ENV)
    assert result.stdout.strip() == "(60, True, False)", result.stderr


def test_production_serves_static_files_with_whitenoise_under_hashed_names():
    expression = "(s.STORAGES['staticfiles']['BACKEND'], s.MIDDLEWARE[2])"
    result = settings_value("cms.settings.production", expression, **PRODUCTION_ENV)
    assert result.stdout.strip() == str(
        ("whitenoise.storage.CompressedManifestStaticFilesStorage", "whitenoise.middleware.WhiteNoiseMiddleware")
    ), result.stderr


def test_sessions_live_in_the_shared_cache_when_redis_url_is_set():
    result = settings_value("cms.settings.production", "s.SESSION_ENGINE", REDIS_URL=REDIS, **PRODUCTION_ENV)
    assert result.stdout.strip() == "django.contrib.sessions.backends.cached_db", result.stderr


def test_production_runs_background_tasks_on_the_database_worker_and_dev_runs_them_at_once():
    production = settings_value("cms.settings.production", "s.TASKS['default']['BACKEND']", **PRODUCTION_ENV)
    dev = settings_value("cms.settings.dev", "s.TASKS['default']['BACKEND']")
    assert (production.stdout.strip(), dev.stdout.strip()) == (
        "django_tasks_db.DatabaseBackend",
        "django_tasks.backends.immediate.ImmediateBackend",
    )
