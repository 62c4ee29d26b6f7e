"""``python -m tests.bench`` (``make bench``): build the data set in a dedicated PostgreSQL database, run the suites.

The database named by BENCH_DATABASE_URL (default ``tremplin_bench``) is dropped and recreated unless ``--keep`` is
given, then migrated; the ``dataset`` suite loads the data and every ``suite_*.py`` module of this package runs
against it. Figures go to stdout as one table.
"""

from __future__ import annotations

import argparse
import importlib
import os
import pkgutil
import sys
import time
import traceback
from pathlib import Path

from tests.bench.harness import SUITES, Context, Row, bench_database_url, format_table

DATASET_SUITE = "dataset"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m tests.bench", description=__doc__.splitlines()[0])
    parser.add_argument("--missions", type=int, default=100_000, help="missions in the data set (default 100000)")
    parser.add_argument("--offers", type=int, default=2_000, help="offers in the data set (default 2000)")
    parser.add_argument("--suite", action="append", default=[], metavar="NAME", help="run only this suite (repeatable)")
    parser.add_argument("--keep", action="store_true", help="reuse the existing bench database and its data")
    parser.add_argument("--serve-seconds", type=float, default=20, help="serve suite: seconds per case (default 20)")
    parser.add_argument("--serve-concurrency", type=int, default=16, help="serve suite: clients at once (default 16)")
    parser.add_argument(
        "--serve-client",
        choices=("wrk", "python"),
        default="python",
        help="serve suite: load generator, Python threads (default) or wrk (installed when missing, else python)",
    )
    args = parser.parse_args(argv)
    if args.missions < 0 or args.offers < 0:
        parser.error("--missions and --offers must be positive")
    return args


def prepare_database(url: str, *, keep: bool) -> None:
    """Create the bench database when missing; drop it first unless ``keep``."""
    import dj_database_url
    import psycopg
    from psycopg import sql

    config = dj_database_url.parse(url)
    name = config["NAME"]
    with psycopg.connect(
        host=config.get("HOST") or None,
        port=config.get("PORT") or None,
        user=config.get("USER") or None,
        password=config.get("PASSWORD") or None,
        dbname="postgres",
        autocommit=True,
    ) as admin:
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and not keep:
            admin.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))
            exists = None
        if not exists:
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def import_suites() -> list[str]:
    """Import every ``suite_*`` module of this package (each registers its suites) and return their names."""
    package_dir = Path(__file__).resolve().parent
    for module in pkgutil.iter_modules([str(package_dir)]):
        if module.name.startswith("suite_"):
            importlib.import_module(f"tests.bench.{module.name}")
    return sorted(SUITES)


def run_suites(ctx: Context, names: list[str]) -> list[Row]:
    """Run ``names`` in order; a failing suite adds an error row instead of stopping the others."""
    for name in names:
        started = time.perf_counter()
        try:
            ctx.rows += SUITES[name](ctx)
        except Exception as exc:  # noqa: BLE001 - one broken suite must not hide the others' figures
            traceback.print_exc(file=sys.stderr)
            ctx.rows.append(Row(name, "ERROR", type(exc).__name__, note=str(exc)[:120]))
        print(f"[bench] {name}: {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return ctx.rows


#: Suites that add rows to the shared data set (the import suite loads its own 100,000 missions, the cards suite its
#: people and codes): they run last, so that the read benchmarks measure the data set of the size asked for.
WRITING_SUITES = ("cards", "import")


def suites_to_run(requested: list[str], available: list[str]) -> list[str]:
    """The data set first (every other suite needs it), then the requested suites or all of them, writers last."""
    unknown = sorted(set(requested) - set(available))
    if unknown:
        raise SystemExit(f"unknown suite(s): {', '.join(unknown)}; available: {', '.join(available)}")
    others = [name for name in (requested or available) if name != DATASET_SUITE]
    others.sort(key=lambda name: name in WRITING_SUITES)
    return [DATASET_SUITE, *others]


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    url = bench_database_url()
    os.environ["DJANGO_SETTINGS_MODULE"] = "cms.settings.dev"
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    prepare_database(url, keep=args.keep)

    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", interactive=False, verbosity=0)
    names = suites_to_run(args.suite, import_suites())
    state = {
        "reuse": args.keep,
        "serve_seconds": args.serve_seconds,
        "serve_concurrency": args.serve_concurrency,
        "serve_client": args.serve_client,
    }
    ctx = Context(n_missions=args.missions, n_offers=args.offers, state=state)
    rows = run_suites(ctx, names)
    print(format_table(rows))
    return 1 if any(row.measure == "ERROR" for row in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
