"""Issue 19's figures: the partner feed and GraphQL read with a partner key, on the shared data set.

Latencies are measured in-process through Django's test client (the whole stack but the socket): the JSON feed
rendered afresh (its cache emptied before each run), the same feed answered ``304`` to a matching ``If-None-Match``,
and the GraphQL missions list with an ``X-Api-Key`` header, without and with a matching ETag (GraphQL computes its
ETag from the body, so a hit saves the transfer, not the work). Throughput is requests per second sustained by
``manage.py runserver`` in a process of its own against a local load generator (threads with keep-alive-less
``http.client`` connections), for each of the three kinds of request.
"""

from __future__ import annotations

import http.client
import os
import threading
import time
from urllib.parse import urlencode, urlsplit

from tests.bench.harness import Context, Row, latency_rows, stopwatch, suite

NAME = "syndication"
RUNS = 60
WARMUP = 3
LOAD_SECONDS = 5.0
LOAD_THREADS = 8
FEED = "/syndication/missions.json?" + urlencode({"limit": 50})
GRAPHQL = "/graphql/?" + urlencode({"query": "{ missions(first: 20) { edges { node { title domain { slug } } } } }"})


def _measure(call, runs: int = RUNS) -> list[float]:
    for _ in range(WARMUP):
        call()
    samples = []
    for _ in range(runs):
        with stopwatch() as t:
            call()
        samples.append(t["seconds"])
    return samples


def _load(base_url: str, path: str, headers: dict[str, str]) -> tuple[float, int]:
    """Requests per second ``LOAD_THREADS`` threads get answered (2xx or 304) in ``LOAD_SECONDS``, and the failures."""
    host = urlsplit(base_url)
    done, failed = [0], [0]
    lock = threading.Lock()
    stop = time.monotonic() + LOAD_SECONDS

    def worker() -> None:
        ok = bad = 0
        while time.monotonic() < stop:
            connection = http.client.HTTPConnection(host.hostname, host.port, timeout=30)
            try:
                connection.request("GET", path, headers=headers)
                status = connection.getresponse().status
                ok, bad = (ok + 1, bad) if status < 300 or status == 304 else (ok, bad + 1)
            except OSError:
                bad += 1
            finally:
                connection.close()
        with lock:
            done[0] += ok
            failed[0] += bad

    threads = [threading.Thread(target=worker) for _ in range(LOAD_THREADS)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return done[0] / (time.monotonic() - started), failed[0]


@suite(NAME)
def syndication_suite(ctx: Context) -> list[Row]:
    from django.conf import settings
    from django.core.cache import caches
    from django.test import Client

    from cms.partners_api.models import ApiKey, Scope
    from cms.syndication.models import DiffusionPartner
    from search.base import SearchQuery, get_backend
    from search.missions import MISSIONS
    from tests.servers import django_server

    backend = get_backend()
    if backend.search(MISSIONS, SearchQuery(first=1, facets=())).total == 0:
        backend.rebuild(MISSIONS, MISSIONS.records())
    partner, _ = DiffusionPartner.objects.get_or_create(name="Banc d'essai")
    ApiKey.objects.filter(partner=partner).delete()
    _, secret = ApiKey.create_key(
        name="Banc d'essai", partner=partner, scopes=[Scope.READ_MISSIONS], rate_limit=10_000_000
    )
    cache = caches[settings.GRAPHQL_RATE_LIMIT_CACHE]
    client = Client(headers={"x-api-key": secret})
    rows: list[Row] = []

    def feed_afresh():
        cache.clear()  # the rendered feed (the key's rate counter goes too: its limit is out of reach anyway)
        response = client.get(FEED)
        assert response.status_code == 200, response.content[:300]

    rows += latency_rows(NAME, "JSON feed, rendered (50 items)", _measure(feed_afresh))
    etag = client.get(FEED)["ETag"]

    def feed_hit():
        assert client.get(FEED, headers={"If-None-Match": etag}).status_code == 304

    rows += latency_rows(NAME, "JSON feed, ETag hit (304)", _measure(feed_hit))

    def graphql():
        response = client.get(GRAPHQL)
        assert response.status_code == 200, response.content[:300]
        assert b'"errors"' not in response.content, response.content[:300]

    rows += latency_rows(NAME, "GraphQL missions(20) with key", _measure(graphql))
    graphql_etag = client.get(GRAPHQL)["ETag"]

    def graphql_hit():
        assert client.get(GRAPHQL, headers={"If-None-Match": graphql_etag}).status_code == 304

    rows += latency_rows(NAME, "GraphQL missions(20) with key, ETag hit", _measure(graphql_hit))

    env = {**os.environ, "GRAPHQL_RATE_LIMIT": "off", "DEBUG": "0", "LOG_LEVEL": "ERROR"}
    with django_server(env) as base_url:
        for label, path, headers in (
            ("JSON feed (cached render)", FEED, {"x-api-key": secret}),
            ("JSON feed, ETag hit", FEED, {"x-api-key": secret, "If-None-Match": etag}),
            ("GraphQL missions(20) with key", GRAPHQL, {"x-api-key": secret}),
        ):
            rate, failed = _load(base_url, path, headers)
            rows.append(
                Row(
                    NAME,
                    f"{label}: sustained",
                    round(rate, 1),
                    "req/s",
                    note=f"{LOAD_THREADS} threads, {failed} failed",
                )
            )
    rows.append(Row(NAME, "missions in the data set", MISSIONS.model.objects.count(), ""))
    return rows
