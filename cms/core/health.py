"""Probes for load balancers and orchestrators: ``/healthz`` (the process answers) and ``/readyz`` (it can serve:
database, cache and search backend reachable).

Both are answered by :class:`HealthCheckMiddleware`, first in ``MIDDLEWARE``: before host validation (probes use
the pod's or machine's address), HTTPS redirects (they come over plain HTTP), sessions and authentication, so that
they stay cheap. ``/readyz`` runs the checks ``HEALTH_CHECKS`` names, each bounded by ``HEALTH_CHECK_TIMEOUT``
seconds (they run side by side, and one still running then counts as failed: a database that does not answer
holds the probe no longer than that), and answers JSON with each check's state and time in milliseconds; 503 when
one fails. Neither answer is
ever cached, and neither tells more than ``ok``/``error``: the reason of a failure goes to the logs only.
"""

from __future__ import annotations

import logging
import secrets
import threading
import time
from collections.abc import Callable

from django.conf import settings
from django.core.cache import caches
from django.db import connection, connections, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)

HEALTH_PATHS = ("/healthz", "/healthz/")
READY_PATHS = ("/readyz", "/readyz/")


def check_database() -> None:
    """A trivial query on the default database, cut short by a statement timeout."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT set_config('statement_timeout', %s, true)", [f"{settings.HEALTH_CHECK_TIMEOUT}s"])
        cursor.execute("SELECT 1")
        cursor.fetchone()


def check_cache() -> None:
    """A write then a read of one short-lived key in the default cache (Redis in production)."""
    cache = caches["default"]
    key, value = "health-check", secrets.token_hex(8)
    cache.set(key, value, timeout=10)
    if cache.get(key) != value:
        raise RuntimeError("the cache did not return what was just written")


def run_check(check: Callable[[], None]) -> tuple[bool, float]:
    """Whether ``check`` passed, and how long it took in milliseconds (in a thread of its own: its connections
    are closed, or given back to the pool, before it ends)."""
    started = time.perf_counter()
    try:
        check()
        ok = True
    except Exception as exc:  # noqa: BLE001 - any failure makes the process not ready; the reason goes to the logs
        logger.warning("Readiness check %s failed: %s", getattr(check, "__name__", check), type(exc).__name__)
        ok = False
    finally:
        connections.close_all()
    return ok, round((time.perf_counter() - started) * 1000, 1)


def run_checks(checks: dict[str, Callable[[], None]], timeout: float) -> dict[str, dict]:
    """Every check side by side; one not finished after ``timeout`` seconds is failed and left to end alone, in a
    daemon thread: a check stuck on a database that does not answer must not hold the worker when it is told to stop
    (a pool's threads would be joined at exit)."""
    finished: dict[str, tuple[bool, float]] = {}

    def run(name: str, check: Callable[[], None]) -> None:
        finished[name] = run_check(check)

    threads = [
        threading.Thread(target=run, args=(name, check), name=f"readyz-{name}", daemon=True)
        for name, check in checks.items()
    ]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + timeout
    for thread in threads:
        thread.join(max(deadline - time.monotonic(), 0))
    results = {}
    for name in checks:
        result = finished.get(name)
        if result is None:
            logger.warning("Readiness check %s did not answer within %s s", name, timeout)
        ok, ms = result or (False, round(timeout * 1000, 1))
        results[name] = {"status": "ok" if ok else "error", "ms": ms}
    return results


def _no_store(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store"
    return response


def alive() -> HttpResponse:
    """``/healthz``: the process runs and answers; nothing else is touched."""
    return _no_store(JsonResponse({"status": "ok"}))


def ready() -> HttpResponse:
    """``/readyz``: every dependency in ``HEALTH_CHECKS`` answers; 503 naming the failed checks otherwise."""
    checks = {name: import_string(path) for name, path in settings.HEALTH_CHECKS.items()}
    checks = run_checks(checks, settings.HEALTH_CHECK_TIMEOUT)
    healthy = all(check["status"] == "ok" for check in checks.values())
    body = {"status": "ok" if healthy else "error", "checks": checks}
    return _no_store(JsonResponse(body, status=200 if healthy else 503))


class HealthCheckMiddleware:
    """Answers the probes before any other middleware runs; every other request goes on untouched."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path in HEALTH_PATHS:
            return alive()
        if request.path in READY_PATHS:
            return ready()
        return self.get_response(request)
