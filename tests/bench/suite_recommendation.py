"""Recommendation quality and latency: the engine against nearest-first and newest-first on a generated history.

The history (``reco_history``) is generated without the engine; relevance is what each generated person would
apply to. Baselines are plain searches through the same interface and filters (age, radius).
"""

from __future__ import annotations

import datetime as dt
import gc
import random
import statistics
import time

from .dataset import analyze
from .harness import Context, Row, latency_rows, suite
from .reco_history import generate_people, mission_facts, ndcg_at, precision_at, write_history

NAME = "recommendation"
TARGET_LATENCY = "p95 ≤ 50 ms (100k)"
TARGET_QUALITY = "> both baselines"


def _people_count(n_missions: int) -> int:
    return max(20, min(200, n_missions // 50))


def ensure_index() -> None:
    from search.base import SearchQuery, get_backend
    from search.missions import MISSIONS

    backend = get_backend()
    if backend.search(MISSIONS, SearchQuery(first=1, facets=())).total == 0:
        backend.rebuild(MISSIONS, MISSIONS.records())


@suite(NAME)
def recommendation_suite(ctx: Context) -> list[Row]:
    from django.core.cache import cache
    from django.utils import timezone

    from cms.tracking.models import DailyStat
    from search.base import Near, SearchQuery, Sort, search
    from search.missions import MISSIONS
    from search.recommendation import Profile, recommend
    from search.recommendation_weights import Intent

    ensure_index()
    rng, today = random.Random(18), timezone.localdate()
    facts = mission_facts(rng)
    DailyStat.objects.all().delete()
    write_history(facts, rng, today - dt.timedelta(days=1))
    # Statistics for the fresh history, as autovacuum soon gathers in production (the bench's PostgreSQL may run
    # without it): without them the planner reads the whole 90 days to aggregate the activity of a hundred missions.
    analyze(DailyStat)
    cache.clear()
    people = generate_people(facts, _people_count(ctx.n_missions), rng, today)
    # The generator's objects (a fact per mission, the people) stay out of the collector while the engine is timed: a
    # full collection over them, which a server process does not hold, would land in one request's latency.
    gc.collect()
    gc.freeze()

    scores: dict[str, list[tuple[float, float]]] = {"engine": [], "nearest first": [], "newest first": []}
    latencies = []
    for person in people:
        relevant = set(person.relevant)
        near = Near(person.latitude, person.longitude, person.radius_km)
        started = time.perf_counter()
        engine = recommend(
            Profile(
                age=person.age,
                latitude=person.latitude,
                longitude=person.longitude,
                radius_km=person.radius_km,
                domains=person.stated_domains,
                intent=Intent(person.intent),
            ),
            10,
        )
        latencies.append(time.perf_counter() - started)
        ranked = {"engine": [item.mission_id for item in engine.items]}
        for label, sort in (("nearest first", Sort.DISTANCE), ("newest first", Sort.NEWEST)):
            query = SearchQuery(filters={"eligible_at_age": person.age}, near=near, sort=sort, first=10, facets=())
            ranked[label] = [hit.pk for hit in search(MISSIONS, query).hits]
        for label, pks in ranked.items():
            scores[label].append((precision_at(pks, relevant), ndcg_at(pks, relevant)))

    gc.unfreeze()
    rows = []
    means = {}
    for label, values in scores.items():
        precision = statistics.mean(v[0] for v in values)
        ndcg = statistics.mean(v[1] for v in values)
        means[label] = (precision, ndcg)
        target = TARGET_QUALITY if label == "engine" else ""
        rows.append(Row(NAME, f"precision@10 {label}", round(precision, 3), "", target))
        rows.append(Row(NAME, f"nDCG@10 {label}", round(ndcg, 3), "", target, note=f"{len(values)} people"))
    engine = means["engine"]
    beats = all(engine[i] > means[b][i] for b in ("nearest first", "newest first") for i in (0, 1))
    rows.append(Row(NAME, "engine beats both baselines on both", "yes" if beats else "NO"))
    rows += latency_rows(NAME, "recommendedMissions (engine, 10)", latencies, TARGET_LATENCY)
    return rows
