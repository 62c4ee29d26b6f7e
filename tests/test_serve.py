"""``make serve``'s stack for real: gunicorn with the production settings, WhiteNoise serving the collected static
files under hashed, compressed names, and psycopg's connection pool behind the readiness probe."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from unittest.mock import ANY

import pytest
from django.db import connection

from cms.core.localdb import database_url
from tests.servers import free_port, gunicorn_server, production_env

pytestmark = pytest.mark.slow

#: A static file every install has (Wagtail's admin), looked up in the manifest under its hashed name.
STATIC_FILE = "wagtailadmin/js/core.js"


@pytest.fixture(scope="module")
def served(django_db_setup, django_db_blocker, collected_static):
    """gunicorn on the test database, with the static files collected as ``make serve`` does; yields (base URL,
    static root)."""
    with django_db_blocker.unblock():
        env = production_env(database_url(connection.settings_dict), STATIC_ROOT=str(collected_static))
    with gunicorn_server(env, workers=1, threads=2) as url:
        yield url, collected_static


def fetch(url: str, **headers: str):
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=30) as response:  # noqa: S310
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def hashed_name(static_root, name: str) -> str:
    return json.loads((static_root / "staticfiles.json").read_text())["paths"][name]


def test_a_collected_static_file_is_served_under_its_hashed_name_for_a_year(served):
    url, static_root = served
    hashed = hashed_name(static_root, STATIC_FILE)

    status, headers, body = fetch(f"{url}/static/{hashed}")

    assert hashed != STATIC_FILE
    assert status == 200
    assert "immutable" in headers["Cache-Control"]
    assert body == (static_root / hashed).read_bytes()


def test_static_files_are_sent_compressed_to_clients_that_accept_it(served):
    url, static_root = served

    status, headers, _ = fetch(f"{url}/static/{hashed_name(static_root, STATIC_FILE)}", **{"Accept-Encoding": "gzip"})

    assert (status, headers.get("Content-Encoding")) == (200, "gzip")


def test_gunicorn_with_the_pool_is_ready(served):
    url, _ = served

    status, headers, body = fetch(f"{url}/readyz")

    assert (status, json.loads(body), headers["Cache-Control"]) == (200, {"status": "ok", "checks": ANY}, "no-store")


def test_a_database_that_does_not_answer_makes_readyz_fail_within_its_timeout_and_healthz_still_pass():
    env = production_env(f"postgres://postgres@127.0.0.1:{free_port()}/nothing", HEALTH_CHECK_TIMEOUT="1")
    with gunicorn_server(env, workers=1, threads=2) as url:
        alive = fetch(f"{url}/healthz")[0]
        started = time.monotonic()
        status, _, body = fetch(f"{url}/readyz")
        elapsed = time.monotonic() - started

    assert (alive, status, json.loads(body)["checks"]["database"]["status"]) == (200, 503, "error")
    assert elapsed < 5
