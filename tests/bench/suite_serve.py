"""Issue 16's figures: the real server under load, as front-ends reach it.

gunicorn with the production settings (``gunicorn.conf.py``, psycopg's pool) on the bench database, loaded by
``tests/bench/load.py`` (Python threads, or ``wrk`` with ``--serve-client wrk``: see docs/benchmarks.md) for
``--serve-seconds`` per case (20) at ``--serve-concurrency`` (16) keep-alive connections: requests/s, p50, p95,
p99 and errors for (a) a 20-mission list with organisation (pages 1–50 in turn), (b) ``searchMissions`` with text,
place and facets, (c) the first page of (a) again and again (whatever caching the server has), (d) the offer detail
sent by its persisted-query hash (Apollo's ``extensions.persistedQuery``: the query is sent once with the hash when
the server answers PersistedQueryNotFound). Then (a) again without the pool, and on ``runserver`` without persistent
connections, in the same run. The rate limit is off for the servers; Redis is their cache when it answers.
"""

from __future__ import annotations

import base64
import hashlib
import json
import random
import urllib.parse
from collections.abc import Callable
from pathlib import Path

from django.db import connection

from .dataset import analyze
from .harness import Context, Row, suite
from .load import LoadResult, Request, ensure_wrk, run_load, run_wrk, send
from .suite_search import CITIES, TEXTS

NAME = "serve"
SECONDS = 20
CONCURRENCY = 16
OPERATIONS = Path(__file__).resolve().parents[2] / "frontend_contract" / "operations"
JSON_HEADERS = {"Accept": "application/json"}

MISSIONS_LIST = """query BenchMissionList($first: Int!, $after: String) {
  missions(first: $first, after: $after) {
    totalCount
    edges { node { databaseId title startDate endDate remote organisation { name slug city } } }
  }
}"""


def get(query: str, variables: dict) -> Request:
    params = urllib.parse.urlencode({"query": query, "variables": json.dumps(variables, separators=(",", ":"))})
    return ("GET", f"/graphql/?{params}", None, JSON_HEADERS)


def post(payload: dict) -> Request:
    body = json.dumps(payload, separators=(",", ":")).encode()
    return ("POST", "/graphql/", body, {**JSON_HEADERS, "Content-Type": "application/json"})


def page_cursor(offset: int) -> str | None:
    return base64.b64encode(f"arrayconnection:{offset - 1}".encode()).decode() if offset else None


def list_requests() -> list[Request]:
    """(a): the 20-mission list, pages 1 to 50 (answers differ, as pagination makes them)."""
    return [get(MISSIONS_LIST, {"first": 20, "after": page_cursor(20 * page)}) for page in range(50)]


def search_requests() -> list[Request]:
    """(b): the front-end's search operation with text, a place 20 km around, and its facets."""
    query = (OPERATIONS / "search_missions.graphql").read_text()
    rng = random.Random(16)
    pairs = [(text, rng.choice(CITIES)) for text in TEXTS for _ in range(3)]
    return [
        get(query, {"query": text, "near": {"latitude": lat, "longitude": lon, "radiusKm": 20}})
        for text, (_, _, _, lat, lon) in pairs
    ]


class PersistedOffer:
    """(d): the offer detail by hash only, as Apollo sends it once the server knows the hash."""

    def __init__(self, slugs: list[str]) -> None:
        self.query = (OPERATIONS / "offer_detail.graphql").read_text()
        self.hash = hashlib.sha256(self.query.encode()).hexdigest()
        self.slugs = slugs

    def payload(self, slug: str, *, with_query: bool = False) -> dict:
        payload = {
            "operationName": "OfferDetail",
            "variables": {"slug": slug},
            "extensions": {"persistedQuery": {"version": 1, "sha256Hash": self.hash}},
        }
        return {**payload, "query": self.query} if with_query else payload

    def register(self, base_url: str) -> str:
        """Apollo's first exchange: the hash alone, then the query with it when the server does not know it yet.
        Returns a note on what the server did."""
        import http.client

        parsed = urllib.parse.urlsplit(base_url)
        client = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=30)
        try:
            status, body = send(client, post(self.payload(self.slugs[0])))
            if b"PersistedQueryNotFound" in body or b"PERSISTED_QUERY_NOT_FOUND" in body:
                send(client, post(self.payload(self.slugs[0], with_query=True)))
                return "hash registered by the first request"
            return "hash already known" if status == 200 and b'"errors"' not in body else f"HTTP {status} to a hash"
        finally:
            client.close()

    def requests(self) -> list[Request]:
        return [post(self.payload(slug)) for slug in self.slugs]


def graphql_ok(status: int, body: bytes) -> bool:
    return status == 200 and b'"errors"' not in body


def cycling(requests: list[Request]) -> Callable[[int, int], Request]:
    """Each thread walks the list from its own place, so that threads do not all ask the same at once."""
    return lambda thread, n: requests[(thread * 7 + n) % len(requests)]


def load_rows(label: str, result: LoadResult, note: str = "") -> list[Row]:
    errors_note = f"first: {result.first_error[:100]}" if result.errors else note
    return [
        Row(
            NAME,
            f"{label} requests/s",
            round(result.per_second, 1),
            "req/s",
            note=f"{result.requests} requests ({result.generator})",
        ),
        Row(NAME, f"{label} p50", round(result.percentile(0.50), 1), "ms"),
        Row(NAME, f"{label} p95", round(result.percentile(0.95), 1), "ms"),
        Row(NAME, f"{label} p99", round(result.percentile(0.99), 1), "ms"),
        Row(NAME, f"{label} errors", result.errors, "", "0", note=errors_note),
    ]


def ratio_row(measure: str, numerator: LoadResult, denominator: LoadResult, target: float) -> Row:
    ratio = numerator.per_second / denominator.per_second if denominator.per_second else float("nan")
    return Row(NAME, measure, round(ratio, 1), "×", f"≥ {target:g}×", note="met" if ratio >= target else "NOT met")


def public_offer_slugs(limit: int = 20) -> list[str]:
    from cms.offers.models import OfferPage

    return list(OfferPage.objects.public().order_by("pk").values_list("slug", flat=True)[:limit])


def ensure_index() -> None:
    """searchMissions reads the index: rebuilt when it does not hold every mission (a run without the search suite)."""
    from cms.missions.models import Mission
    from search.base import get_backend
    from search.indexing import KINDS
    from search.models import MissionDocument

    if MissionDocument.objects.count() < Mission.objects.public().count():
        backend = get_backend()
        for kind in KINDS.values():
            backend.rebuild(kind, kind.records())


def server_env(overrides: dict[str, str]) -> dict[str, str]:
    from cms.core.localdb import database_url
    from tests.servers import TEST_REDIS_URL, production_env, redis_or_none

    # Without Redis each process keeps its own memory cache.
    redis = {"REDIS_URL": TEST_REDIS_URL, "CACHE_KEY_PREFIX": f"tremplin-bench-{random.getrandbits(32):x}"}
    if redis_or_none() is None:
        redis = {}
    return production_env(
        database_url(connection.settings_dict),
        GRAPHQL_RATE_LIMIT="off",
        GRAPHQL_PERSISTED_ONLY="false",  # (a)-(c) are the front-ends' queries sent as text; (d) goes by hash
        **redis,
        **overrides,
    )


@suite(NAME)
def serve_suite(ctx: Context) -> list[Row]:
    from cms.settings import web
    from tests.servers import django_server, gunicorn_server

    seconds = ctx.state.get("serve_seconds", SECONDS)
    concurrency = ctx.state.get("serve_concurrency", CONCURRENCY)
    warmup = ctx.state.get("serve_warmup", min(2.0, seconds / 5))
    # How long each new server is loaded, unmeasured, before its cases are.
    warm_seconds = ctx.state.get("serve_warm_seconds", 2.0)
    ensure_index()
    # A kept database may never have been vacuumed (built before, copied, written by another suite since): its uncached
    # counts would read the tables, not the indexes, whichever client loads the servers.
    analyze()
    offer = PersistedOffer(public_offer_slugs())
    connection.close()  # the servers' connections are the ones measured

    wrk = ctx.state.get("serve_client", "python") == "wrk" and ensure_wrk() is not None

    def load(url: str, requests: list[Request]) -> LoadResult:
        if wrk:
            return run_wrk(url, requests, concurrency=concurrency, seconds=seconds, warmup=warmup)
        return run_load(url, cycling(requests), concurrency=concurrency, seconds=seconds, warmup=warmup, ok=graphql_ok)

    def started(url: str) -> str:
        """Every worker process and thread past its first request (imports, schema, connections), unmeasured. Python
        threads, which wait for the answers of a cold server (wrk drops what has not come back when its time is up)."""
        run_load(url, cycling(list_requests()), concurrency=concurrency, seconds=warm_seconds)
        return url

    rows: list[Row] = []
    # From the environment, as for make serve (a test may ask for fewer: each worker process is a cold start).
    sizes = {
        "workers": ctx.state.get("serve_workers", web.WEB_CONCURRENCY),
        "threads": ctx.state.get("serve_threads", web.WEB_THREADS),
    }
    # Every case but (c) runs with the answer cache off: they measure the work of answering, (c) what the cache saves.
    uncached = {"GRAPHQL_ANSWER_CACHE": ""}
    with gunicorn_server(server_env(uncached), **sizes) as url:
        started(url)
        listed = load(url, list_requests())
        searched = load(url, search_requests())
        registered = offer.register(url)
        persisted = load(url, offer.requests())
    with gunicorn_server(server_env({}), **sizes) as url:
        started(url)
        repeated = load(url, list_requests()[:1])
    with gunicorn_server(server_env({**uncached, "DB_POOL": "false", "DB_CONN_MAX_AGE": "0"}), **sizes) as url:
        started(url)
        unpooled = load(url, list_requests())
    with django_server(server_env({**uncached, "DB_POOL": "false", "DB_CONN_MAX_AGE": "0"})) as url:
        started(url)
        runserver = load(url, list_requests())

    rows += load_rows("(a) 20-mission list", listed)
    rows += load_rows("(b) searchMissions text + near + facets", searched)
    rows += load_rows("(c) (a)'s first page repeated", repeated)
    rows += load_rows("(d) offer detail by persisted hash", persisted, note=registered)
    rows += load_rows("(a) without the pool", unpooled)
    rows += load_rows("(a) on runserver, no persistent connections", runserver)
    rows.append(ratio_row("(c) / (a) throughput", repeated, listed, 10))
    rows.append(ratio_row("(a) gunicorn / runserver throughput", listed, runserver, 3))
    rows.append(ratio_row("(a) pool / no pool throughput", listed, unpooled, 1))
    client = "wrk, 2 threads" if wrk else "Python threads"
    setup = f"gunicorn {sizes['workers']} workers × {sizes['threads']} threads; {seconds:g} s per case; {client}"
    rows.append(Row(NAME, "load", concurrency, "clients", note=setup))
    return rows
