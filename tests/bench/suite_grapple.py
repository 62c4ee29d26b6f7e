"""Issue 15's comparison: the 50-offer nested list through this API and through wagtail-grapple, same data, same run.

grapple serves our models and the bench's database from a virtualenv of its own (``tests/bench/grapple/``): its
graphene-django needs a graphql-core that cannot sit beside strawberry's. Each side runs its schema in process and
``json.dumps`` its answer, warm; ours runs half its samples before grapple's child and half after, so that a drift
in the machine's speed falls on both. The first run creates the virtualenv (about a minute, needs PyPI).
"""

from __future__ import annotations

import json
import statistics
import time

from django.db import connection

from cms.core.localdb import database_url
from tests.bench.grapple import venv
from tests.bench.grapple.queries import OURS, PAGE, ours_offers, ours_variables
from tests.bench.harness import Context, Row, counting_statements, latency_rows, suite
from tests.bench.suite_graphql import RUNS, WARMUP, run_graphql

NAME = "grapple"
#: This API must answer the list at least this many times faster than grapple (issue 15).
TARGET = 5.0


def _time_ours(runs: int) -> list[float]:
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        run_graphql(OURS, ours_variables())
        samples.append(time.perf_counter() - started)
    return samples


def same_offers(ours_payload: str, grapple_figures: dict) -> bool:
    """Both answers carry the same offers with the same data, once our Relay wrapper and enum case are set aside."""
    return ours_offers(json.loads(ours_payload)["data"]) == grapple_figures["payload"]["data"]["offers"]


@suite(NAME)
def grapple_suite(ctx: Context) -> list[Row]:
    """The offers list (50, with partner, categories and stores): this API against wagtail-grapple's."""
    runs = ctx.state.get("graphql_runs", RUNS)
    label = f"offers list ({PAGE}, nested)"
    for _ in range(WARMUP):
        run_graphql(OURS, ours_variables())
    with counting_statements(connection) as statements:
        payload = run_graphql(OURS, ours_variables())
    if not statements:
        raise RuntimeError(f"{label}: no SQL statement counted for a GraphQL read that needs some")
    venv.ensure()  # outside the timings: the first run installs grapple
    ours_samples = _time_ours(runs // 2)
    grapple = venv.run_grapple(database_url(connection.settings_dict), runs=runs, first=PAGE, warmup=WARMUP)
    ours_samples += _time_ours(runs - runs // 2)
    ratio = grapple["median_ms"] / 1000 / statistics.median(ours_samples)
    verdict = "met ✅" if ratio >= TARGET else "missed ❌"
    return [
        Row(NAME, f"{label}: SQL statements (ours)", len(statements), "queries", "constant"),
        Row(NAME, f"{label}: SQL statements (grapple)", grapple["statements"], "queries"),
        *latency_rows(NAME, f"{label}: ours", ours_samples),
        *latency_rows(NAME, f"{label}: grapple", [ms / 1000 for ms in grapple["samples_ms"]]),
        Row(
            NAME,
            f"{label}: grapple / ours (median)",
            round(ratio, 2),
            "×",
            f"≥ {TARGET:g}",
            note=f"{verdict}; same offers and fields: {same_offers(payload, grapple)}; {venv.GRAPPLE_REQUIREMENTS[0]}",
        ),
    ]
