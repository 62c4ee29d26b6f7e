"""``python -m tests.bench.grapple.runner``: time grapple's offers list, print the figures as one JSON object.

Runs inside the grapple virtualenv with ``DJANGO_SETTINGS_MODULE=tests.bench.grapple.settings`` and the bench's
``DATABASE_URL``. Like the project's side of the comparison, a run is the schema executed in process plus
``json.dumps`` of the answer; warm-up runs come first, statements are counted on a warm run with an execute wrapper.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.bench.grapple.runner", description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=100)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--first", type=int, default=50)
    args = parser.parse_args(argv)

    import django

    django.setup()
    from django.db import connection
    from django.test import RequestFactory
    from grapple.schema import schema

    from tests.bench.grapple.queries import GRAPPLE, grapple_variables

    request = RequestFactory().get("/graphql/")
    variables = grapple_variables(args.first)

    def run() -> str:
        result = schema.execute(GRAPPLE, variables=variables, context_value=request)
        if result.errors:
            raise RuntimeError(f"grapple errors: {result.errors}")
        return json.dumps({"data": result.data}, separators=(",", ":"))

    for _ in range(args.warmup):
        run()
    statements: list[str] = []

    def record(execute, sql, params, many, context):
        statements.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        payload = run()
    samples = []
    for _ in range(args.runs):
        started = time.perf_counter()
        run()
        samples.append(time.perf_counter() - started)
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    json.dump(
        {
            "statements": len(statements),
            "runs": len(samples),
            "median_ms": statistics.median(ordered) * 1000,
            "p95_ms": p95 * 1000,
            "samples_ms": [s * 1000 for s in samples],
            "payload": json.loads(payload),
        },
        sys.stdout,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
