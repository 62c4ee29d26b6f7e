"""Real servers on loopback for tests: a free port, a Django server (runserver or gunicorn) in a process of its own,
Redis if it runs."""

from __future__ import annotations

import http.client
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
#: Where the Redis tests look for a server; the machines this project runs on have one on the default port.
TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def production_env(
    database_url: str | None = None, *, secret_key: str | None = None, **overrides: str
) -> dict[str, str]:
    """The environment of a server process with the production settings on ``database_url`` (default: the test
    database; loopback, plain HTTP, no Redis), none of this process's settings variables leaking in; ``overrides``
    last."""
    if database_url is None:
        from django.db import connection

        from cms.core.localdb import database_url as url_of

        database_url = url_of(connection.settings_dict)
    prefixes = ("DJANGO_", "REDIS_", "DB_", "TASKS_", "GRAPHQL_", "CACHE_", "WEB_", "SECRET_KEY", "DEBUG", "AWS_")
    clean = {k: v for k, v in os.environ.items() if not k.startswith(prefixes)}
    return {
        **clean,
        "DJANGO_SETTINGS_MODULE": "cms.settings.production",
        "SECRET_KEY": secret_key or secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": database_url,
        "LOG_LEVEL": "WARNING",
        **overrides,
    }


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def redis_or_none(url: str = TEST_REDIS_URL):
    """A client of the Redis at ``url``, or None when nothing answers there."""
    import redis

    client = redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2)
    try:
        client.ping()
    except redis.RedisError:
        return None
    return client


def redis_or_skip(url: str = TEST_REDIS_URL):
    """A client of the Redis at ``url``; the test is skipped, saying why, when nothing answers there."""
    client = redis_or_none(url)
    if client is None:
        pytest.skip(f"Redis is not reachable at {url}; set TEST_REDIS_URL to run the Redis tests")
    return client


def _wait_until_answering(port: int, process: subprocess.Popen, log, timeout: float) -> None:
    """Until the server answers ``/healthz`` (any status): gunicorn's master listens before its workers have loaded
    the project, and a request sent meanwhile waits for them, which on a busy machine outlasts a client's timeout."""
    deadline = time.monotonic() + timeout
    while (left := deadline - time.monotonic()) > 0:
        if process.poll() is not None:
            log.seek(0)
            raise RuntimeError(f"the server stopped at start-up:\n{log.read().decode(errors='replace')[-3000:]}")
        client = http.client.HTTPConnection("127.0.0.1", port, timeout=min(left, 5))
        try:
            client.request("GET", "/healthz")
            client.getresponse().read()
            return
        except (OSError, http.client.HTTPException):
            time.sleep(0.1)
        finally:
            client.close()
    raise RuntimeError(f"the server did not answer on port {port} within {timeout:.0f} s")


@contextmanager
def _server(command: list[str], port: int, env: dict[str, str], timeout: float) -> Iterator[str]:
    """``command`` in a process of its own with ``env`` as its whole environment, listening on ``port``; yields its
    base URL. The process is stopped (killed if it lingers) whatever happens in the ``with`` block."""
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(  # noqa: S603 - our own interpreter and entry points
            command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
        )
        try:
            _wait_until_answering(port, process, log, timeout)
            yield f"http://127.0.0.1:{port}"
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@contextmanager
def django_server(env: dict[str, str], *, timeout: float = 120) -> Iterator[str]:
    """``manage.py runserver`` in a process of its own with ``env`` as its whole environment; yields its base URL."""
    port = free_port()
    command = [sys.executable, "manage.py", "runserver", "--noreload", "--skip-checks", f"127.0.0.1:{port}"]
    with _server(command, port, env, timeout) as url:
        yield url


@contextmanager
def gunicorn_server(env: dict[str, str], *, workers: int = 1, threads: int = 4, timeout: float = 120) -> Iterator[str]:
    """gunicorn as ``make serve`` starts it (``gunicorn.conf.py``), with ``env`` as its whole environment plus the
    address and sizes; yields its base URL."""
    port = free_port()
    env = {**env, "HOST": "127.0.0.1", "PORT": str(port), "WEB_CONCURRENCY": str(workers), "WEB_THREADS": str(threads)}
    command = [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "cms.wsgi"]
    with _server(command, port, env, timeout) as url:
        yield url
