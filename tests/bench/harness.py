"""The benchmark harness: suites register themselves, run against one shared PostgreSQL database, and report rows.

A suite is a function ``(ctx: Context) -> list[Row]`` decorated with :func:`suite`; modules named ``suite_*.py`` in
this package are imported automatically. ``python -m tests.bench`` (``make bench``) builds the data set once, runs the
suites and prints one table.
"""

from __future__ import annotations

import dataclasses
import os
import resource
import statistics
import time
import tracemalloc
from collections.abc import Callable, Iterator
from contextlib import contextmanager

SUITES: dict[str, Callable[[Context], list[Row]]] = {}


@dataclasses.dataclass
class Row:
    suite: str
    measure: str
    value: float | int | str
    unit: str = ""
    target: str = ""
    note: str = ""


@dataclasses.dataclass
class Context:
    n_missions: int
    n_offers: int
    rows: list[Row] = dataclasses.field(default_factory=list)
    state: dict = dataclasses.field(default_factory=dict)


def suite(name: str) -> Callable:
    def register(func: Callable[[Context], list[Row]]) -> Callable[[Context], list[Row]]:
        SUITES[name] = func
        return func

    return register


@contextmanager
def stopwatch() -> Iterator[dict]:
    """``with stopwatch() as t: ...`` then ``t["seconds"]``."""
    out: dict = {}
    start = time.perf_counter()
    try:
        yield out
    finally:
        out["seconds"] = time.perf_counter() - start


@contextmanager
def counting_statements(connection) -> Iterator[list[str]]:
    """Every SQL statement ``connection`` runs inside the block.

    Counted by an execute wrapper, not Django's query log: the log keeps at most 9,000 entries, and once an earlier
    suite has filled it ``CaptureQueriesContext`` sees nothing, so a count of 0 would pass any "at most N" check.
    """
    statements: list[str] = []

    def record(execute, sql, params, many, context):
        statements.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        yield statements


@contextmanager
def peak_python_memory() -> Iterator[dict]:
    """Peak memory allocated by Python code inside the block (tracemalloc), in MiB."""
    out: dict = {}
    tracemalloc.start()
    try:
        yield out
    finally:
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        out["mib"] = peak / 2**20


def peak_rss_mib() -> float:
    """The process's own peak resident set size so far, in MiB.

    Linux's ``VmHWM`` first: ``ru_maxrss`` survives ``exec``, so a child started by a large parent (the bench runner
    holds ~390 MiB after loading the data set) reports the parent's peak instead of its own. ``ru_maxrss`` (KiB on
    Linux) where ``/proc`` is missing.
    """
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def latency_rows(suite_name: str, measure: str, samples_s: list[float], target: str = "") -> list[Row]:
    """Median and p95 of a list of durations, in milliseconds."""
    ordered = sorted(samples_s)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return [
        Row(suite_name, f"{measure} median", round(statistics.median(ordered) * 1000, 2), "ms", target),
        Row(suite_name, f"{measure} p95", round(p95 * 1000, 2), "ms", target, note=f"{len(ordered)} runs"),
    ]


def format_table(rows: list[Row]) -> str:
    headers = ("suite", "measure", "value", "unit", "target", "note")
    data = [tuple(str(getattr(row, h)) for h in headers) for row in rows]
    widths = [max(len(h), *(len(r[i]) for r in data)) if data else len(h) for i, h in enumerate(headers)]
    lines = [" | ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True))]
    lines.append("-+-".join("-" * w for w in widths))
    lines += [" | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in data]
    return "\n".join(lines)


def bench_database_url() -> str:
    return os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/tremplin_bench")
