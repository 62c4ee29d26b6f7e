"""Click redirect under load: the production server (gunicorn as ``make serve`` starts it, the shared cache on Redis
when it answers, as the duplicate rule needs across processes) and a local load generator.

Reports requests per second, latency and whether every non-duplicate, non-robot click was counted exactly once
(events read back from PostgreSQL after the writer thread flushed).
"""

from __future__ import annotations

import http.client
import random
import threading
import time
from urllib.parse import urlsplit

from .harness import Context, Row, latency_rows, suite

NAME = "click_redirect"
THREADS = 8
REQUESTS = 2000
DUPLICATE_SHARE = 0.1
ROBOT_SHARE = 0.05


def plan(mission_ids: list[int], rng: random.Random, n: int = REQUESTS) -> tuple[list[tuple[int, str]], int]:
    """``n`` requests (mission, user agent) and how many clicks must be counted."""
    requests, counted = [], set()
    for i in range(n):
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
    from django.db import connection

    from cms.missions.models import Mission
    from cms.settings import web
    from cms.tracking.models import Event, Kind
    from tests.servers import gunicorn_server

    from .suite_serve import server_env

    ids = list(Mission.objects.public().order_by("pk").values_list("pk", flat=True)[:50])
    Mission.objects.filter(pk__in=ids, application_url="").update(application_url="https://partenaire.example/c")
    Event.objects.filter(kind=Kind.CLICK).delete()
    requests, expected = plan(ids, random.Random(5), ctx.state.get("click_requests", REQUESTS))
    latencies: list[float] = []
    failures: list[int] = []
    env = server_env({"TRACKING_BATCH_SIZE": "200", "TRACKING_FLUSH_MS": "200"})
    connection.close()  # the server's connections are the ones measured
    with gunicorn_server(env, workers=web.WEB_CONCURRENCY, threads=web.WEB_THREADS) as url:
        port = urlsplit(url).port
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
    return [
        Row(
            NAME,
            "throughput",
            round(len(requests) / wall, 1),
            "req/s",
            "≥ 200",
            note=f"{THREADS} clients; gunicorn {web.WEB_CONCURRENCY} workers × {web.WEB_THREADS} threads",
        ),
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
