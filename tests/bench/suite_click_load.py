"""Click redirect under load: a real server process (``manage.py runserver``, threaded) and a local load generator.

Reports requests per second, latency and whether every non-duplicate, non-robot click was counted exactly once
(events read back from PostgreSQL after the writer thread flushed).
"""

from __future__ import annotations

import http.client
import os
import random
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

from .harness import Context, Row, latency_rows, suite

NAME = "click_redirect"
THREADS = 8
REQUESTS = 2000
DUPLICATE_SHARE = 0.1
ROBOT_SHARE = 0.05
ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _start_server(port: int) -> subprocess.Popen:
    env = dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="cms.settings.dev",
        DEBUG="off",
        TRACKING_BATCH_SIZE="200",
        TRACKING_FLUSH_MS="200",
        LOG_LEVEL="WARNING",
        DB_CONN_MAX_AGE="60",
    )
    command = [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"]
    server = subprocess.Popen(  # noqa: S603 (our own interpreter and manage.py)
        command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise RuntimeError("the server did not start")


def plan(mission_ids: list[int], rng: random.Random) -> tuple[list[tuple[int, str]], int]:
    """The requests (mission, user agent) and how many clicks must be counted."""
    requests, counted = [], set()
    for i in range(REQUESTS):
        roll = rng.random()
        if roll < ROBOT_SHARE:
            requests.append((rng.choice(mission_ids), "Googlebot/2.1 (+http://www.google.com/bot.html)"))
        elif roll < ROBOT_SHARE + DUPLICATE_SHARE and counted:
            requests.append(rng.choice(sorted(counted)))
        else:
            pair = (rng.choice(mission_ids), f"Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0 visiteur-{i}")
            requests.append(pair)
            counted.add(pair)
    return requests, len(counted)


def _fire(port: int, requests: list[tuple[int, str]], latencies: list[float], failures: list[int]) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    for mission_id, agent in requests:
        started = time.perf_counter()
        try:
            connection.request("GET", f"/r/{mission_id}/site", headers={"User-Agent": agent})
            response = connection.getresponse()
            response.read()
            if response.status != 302:
                failures.append(response.status)
        except (OSError, http.client.HTTPException):
            failures.append(0)
            connection.close()
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        latencies.append(time.perf_counter() - started)
    connection.close()


@suite(NAME)
def click_load_suite(ctx: Context) -> list[Row]:
    from cms.missions.models import Mission
    from cms.tracking.models import Event, Kind

    ids = list(Mission.objects.public().order_by("pk").values_list("pk", flat=True)[:50])
    Mission.objects.filter(pk__in=ids, application_url="").update(application_url="https://partenaire.example/c")
    Event.objects.filter(kind=Kind.CLICK).delete()
    requests, expected = plan(ids, random.Random(5))
    port = _free_port()
    server = _start_server(port)
    latencies: list[float] = []
    failures: list[int] = []
    try:
        shares = [requests[i::THREADS] for i in range(THREADS)]
        threads = [threading.Thread(target=_fire, args=(port, share, latencies, failures)) for share in shares]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        wall = time.perf_counter() - started
        counted, deadline = -1, time.monotonic() + 10
        while time.monotonic() < deadline:
            time.sleep(0.5)
            now = Event.objects.filter(kind=Kind.CLICK).count()
            if now == counted:
                break
            counted = now
    finally:
        server.terminate()
        server.wait(timeout=10)
    return [
        Row(NAME, "throughput", round(len(requests) / wall, 1), "req/s", "≥ 200", note=f"{THREADS} clients"),
        *latency_rows(NAME, "redirect", latencies, "p95 ≤ 50 ms"),
        Row(
            NAME,
            "clicks counted / expected",
            f"{counted}/{expected}",
            "",
            "exactly once",
            note=f"{len(failures)} errors",
        ),
    ]
