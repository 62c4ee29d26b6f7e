"""/healthz and /readyz: cheap, never cached, JSON with each check's state and time, 503 when a dependency fails."""

from __future__ import annotations

import subprocess
import sys

import pytest
from django.test import override_settings

from cms.settings.base import caches_for
from tests.servers import free_port

pytestmark = pytest.mark.django_db

ALL_OK = {"database": "ok", "cache": "ok", "search": "ok"}


def states(body: dict) -> dict[str, str]:
    return {name: check["status"] for name, check in body["checks"].items()}


def test_healthz_answers_ok_without_touching_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")

    assert (response.status_code, response.json()) == (200, {"status": "ok"})


def test_probes_are_never_cached(client):
    assert [client.get(path)["Cache-Control"] for path in ("/healthz", "/readyz")] == ["no-store", "no-store"]


def test_readyz_reports_each_check_with_its_time_in_milliseconds(client):
    response = client.get("/readyz")

    body = response.json()
    assert (response.status_code, body["status"]) == (200, "ok")
    assert states(body) == ALL_OK
    assert all(isinstance(check["ms"], float) and check["ms"] >= 0 for check in body["checks"].values())


def test_readyz_answers_503_naming_the_cache_when_redis_does_not_answer(client):
    with override_settings(CACHES=caches_for(f"redis://127.0.0.1:{free_port()}/0", "tremplin-test")):
        response = client.get("/readyz")

    body = response.json()
    assert (response.status_code, body["status"]) == (503, "error")
    assert states(body) == {**ALL_OK, "cache": "error"}


def test_a_failed_check_reveals_nothing_but_its_state(client):
    with override_settings(CACHES=caches_for(f"redis://127.0.0.1:{free_port()}/0", "tremplin-test")):
        body = client.get("/readyz").json()

    assert set(body) == {"status", "checks"}
    assert set(body["checks"]["cache"]) == {"status", "ms"}


def test_a_failed_search_backend_makes_the_process_not_ready(client):
    with override_settings(SEARCH_BACKEND="elasticsearch", ELASTICSEARCH_URL=f"http://127.0.0.1:{free_port()}"):
        response = client.get("/readyz")

    assert (response.status_code, response.json()["checks"]["search"]["status"]) == (503, "error")


def test_probes_are_answered_whatever_host_the_load_balancer_names(client):
    response = client.get("/readyz", HTTP_HOST="10.0.3.17:8000")

    assert response.status_code == 200


STUCK_CHECK = """
import threading
from cms.core.health import run_checks
print(run_checks({"database": threading.Event().wait}, timeout=0.1)["database"]["status"])
"""


def test_a_check_stuck_past_its_timeout_does_not_hold_the_process_when_it_exits():
    finished = subprocess.run(  # noqa: S603 - our own interpreter
        [sys.executable, "-c", STUCK_CHECK], capture_output=True, text=True, timeout=30, check=True
    )

    assert finished.stdout.strip() == "error"
