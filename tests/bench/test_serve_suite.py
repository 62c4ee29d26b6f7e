"""The serve suite at a tiny scale: real servers (gunicorn with and without the pool, runserver) on the committed test
database, loaded for a fifth of a second per case by two clients, gunicorn with one worker process (each is a cold
start); the figures are not judged, only that every case ran and answered."""

from __future__ import annotations

import pytest

from tests.bench.dataset import build_dataset
from tests.bench.harness import Context
from tests.bench.suite_serve import serve_suite

pytestmark = pytest.mark.slow

#: Each case's first request per client counts (no warm-up within the case, the server having been loaded before its
#: cases), so that every case has answers however slow a busy machine makes a request.
TINY = {
    "serve_seconds": 0.2,
    "serve_warmup": 0,
    "serve_warm_seconds": 0.2,
    "serve_concurrency": 2,
    "serve_workers": 1,
    "serve_threads": 2,
}
ANSWERED = [
    "(a) 20-mission list",
    "(b) searchMissions text + near + facets",
    "(c) (a)'s first page repeated",
    "(a) without the pool",
    "(a) on runserver, no persistent connections",
]


def test_the_serve_suite_loads_every_case_on_real_servers(committed_db):
    build_dataset(200, 20)

    rows = serve_suite(Context(200, 20, state=TINY))

    values = {row.measure: row.value for row in rows}
    assert {label: values[f"{label} errors"] for label in ANSWERED} == dict.fromkeys(ANSWERED, 0)
    assert all(values[f"{label} requests/s"] > 0 for label in ANSWERED)
    assert values["(d) offer detail by persisted hash requests/s"] > 0
    assert {"(c) / (a) throughput", "(a) gunicorn / runserver throughput"} <= set(values)
