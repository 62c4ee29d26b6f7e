"""Issue 2's figure: time and peak memory to generate and load N missions, and the offers, into PostgreSQL.

Durations and the process's peak RSS come from the real load. tracemalloc (the peak of Python objects alive at once,
which shows whether loading streams) slows allocation-heavy code about tenfold and its own bookkeeping inflates RSS,
so it is measured afterwards, on a sample loaded beside the data set inside a transaction that is rolled back:
loading works chunk by chunk, so the peak does not grow with N.
"""

from __future__ import annotations

from django.db import transaction

from tests.bench.dataset import CHUNK_SIZE, analyze, dataset_counts, load_mission_dataset, load_offer_dataset
from tests.bench.harness import Context, Row, peak_python_memory, peak_rss_mib, stopwatch, suite

NAME = "dataset"
MISSION_SAMPLE = 2 * CHUNK_SIZE
OFFER_SAMPLE = 200


def _traced_sample(label: str, n: int, loader) -> Row:
    with transaction.atomic(), peak_python_memory() as memory:
        loader()
        transaction.set_rollback(True)
    return Row(NAME, f"{label}: tracemalloc peak", round(memory["mib"], 1), "MiB", note=f"sample of {n}, rolled back")


def _timed_load(label: str, n: int, loader) -> tuple[list[Row], dict]:
    with stopwatch() as clock:
        counts = loader(n)
    seconds = clock["seconds"]
    details = ", ".join(f"{k}={v}" for k, v in counts.items())
    return [
        Row(NAME, f"{label}: generate + load", round(seconds, 2), "s", note=details),
        Row(NAME, f"{label}: rate", round(n / seconds) if seconds else 0, f"{label}/s"),
        Row(NAME, f"{label}: process peak RSS", round(peak_rss_mib(), 1), "MiB", note="since process start"),
    ], counts


@suite(NAME)
def dataset(ctx: Context) -> list[Row]:
    """Build the shared data set (unless ``--keep`` found one) and report what it cost."""
    if ctx.state.get("reuse"):
        counts = dataset_counts()
        if counts["missions"]:
            ctx.state["dataset"] = counts
            return [Row(NAME, "data set reused", counts["missions"], "missions", note=str(counts))]
    rows = [Row(NAME, "process peak RSS before loading", round(peak_rss_mib(), 1), "MiB")]
    mission_rows, mission_counts = _timed_load("missions", ctx.n_missions, load_mission_dataset)
    offer_rows, offer_counts = _timed_load("offers", ctx.n_offers, load_offer_dataset)
    with stopwatch() as clock:
        analyze()
    ctx.state["dataset"] = {**mission_counts, **offer_counts}
    n_sample = min(ctx.n_missions, MISSION_SAMPLE)
    mission_sample = _traced_sample(
        "missions", n_sample, lambda: load_mission_dataset(n_sample, start=ctx.n_missions, source="bench-sample")
    )
    n_offer_sample = min(ctx.n_offers, OFFER_SAMPLE)
    offer_sample = _traced_sample(
        "offers", n_offer_sample, lambda: load_offer_dataset(n_offer_sample, first_partner=offer_counts["partners"])
    )
    return [
        *rows,
        *mission_rows,
        mission_sample,
        *offer_rows,
        offer_sample,
        Row(NAME, "VACUUM ANALYZE", round(clock["seconds"], 2), "s"),
    ]
