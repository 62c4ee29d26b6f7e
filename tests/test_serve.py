"""``make serve``'s stack for real: gunicorn with the production settings, WhiteNoise serving the collected static
files under hashed, compressed names, and psycopg's connection pool behind the readiness probe."""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
import urllib.error
import urllib.request
from unittest.mock import ANY

import pytest
from django.db import connection

from cms.core.localdb import database_url
from tests.servers import ROOT, gunicorn_server

pytestmark = pytest.mark.slow

#: A static file every install has (Wagtail's admin), looked up in the manifest under its hashed name.
STATIC_FILE = "wagtailadmin/js/core.js"


def production_env(static_root, database: dict) -> dict[str, str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "REDIS_", "DB_", "TASKS_"))}
    return {
        **clean,
        "DJANGO_SETTINGS_MODULE": "cms.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": database_url(database),
        "STATIC_ROOT": str(static_root),
        "LOG_LEVEL": "WARNING",
    }


@pytest.fixture(scope="module")
def served(django_db_setup, django_db_blocker, tmp_path_factory):
    """collectstatic as ``make serve`` runs it, then gunicorn on the test database; yields (base URL, static root)."""
    static_root = tmp_path_factory.mktemp("static")
    with django_db_blocker.unblock():
        env = production_env(static_root, connection.settings_dict)
    subprocess.run(  # noqa: S603 - our own interpreter and manage.py
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=600,
    )
    with gunicorn_server(env, workers=1, threads=2) as url:
        yield url, static_root


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
