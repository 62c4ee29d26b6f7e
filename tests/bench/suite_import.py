"""Importer benchmark: a generated engagement XML feed (~2 addresses per mission), imported twice.

The imports run in a child process (``python -m tests.bench.suite_import --import FEED``) so that its peak resident
memory is the import's own, read from ``VmHWM`` (``peak_rss_mib``: ``ru_maxrss`` would carry the runner's peak over
``exec``). Targets: ≥ 2,000 missions/s on the first import, ≥ 10,000 missions/s when nothing changed, peak RSS
≤ 300 MB.

Standalone: ``python -m tests.bench.suite_import --missions 100000`` (uses BENCH_DATABASE_URL).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from xml.sax.saxutils import escape

from tests.bench.harness import Context, Row, bench_database_url, format_table, peak_rss_mib, suite

SOURCE_SLUG = "bench-import"
ROOT = Path(__file__).resolve().parents[2]

_CITIES = [
    ("75004", "Paris", 48.8541, 2.3643),
    ("69002", "Lyon", 45.7578, 4.8320),
    ("13001", "Marseille", 43.2965, 5.3698),
    ("33000", "Bordeaux", 44.8378, -0.5792),
    ("59000", "Lille", 50.6292, 3.0573),
    ("35000", "Rennes", 48.1173, -1.6778),
    ("31000", "Toulouse", 43.6047, 1.4442),
    ("97400", "Saint-Denis", -20.8821, 55.4507),
]
_DOMAINS = ["environnement", "sante", "education", "solidarite-insertion", "sport", "culture-loisirs", "animaux"]


def generate_feed(path: Path, n_missions: int, *, seed: int = 42) -> int:
    """Write ``n_missions`` missions to ``path`` without holding them in memory; returns the file size."""
    rng = random.Random(seed)
    start = dt.date(2027, 1, 1)
    with path.open("w", encoding="utf-8") as out:
        out.write('<?xml version="1.0" encoding="UTF-8"?>\n<source>\n<publisher><![CDATA[Bench]]></publisher>\n')
        for i in range(n_missions):
            org = i % 1000
            begin = start + dt.timedelta(days=rng.randrange(300))
            addresses = []
            for _ in range(1 + (i % 3 != 0) + (i % 7 == 0)):
                postcode, city, lat, lon = rng.choice(_CITIES)
                addresses.append(
                    f"<address><street><![CDATA[{rng.randrange(1, 200)} rue de la République]]></street>"
                    f"<postalCode>{postcode}</postalCode><city><![CDATA[{city}]]></city><country>France</country>"
                    f"<location><lat>{lat + rng.random() / 100:.5f}</lat><lon>{lon + rng.random() / 100:.5f}</lon>"
                    "</location></address>"
                )
            out.write(
                "<mission>"
                f"<clientId>bench-{i}</clientId>"
                f"<title><![CDATA[Accompagner des jeunes vers l'engagement numéro {i}]]></title>"
                "<description><![CDATA[<p><strong>Votre mission</strong></p><p>Vous accompagnerez l'équipe "
                f"de l'association dans ses actions de terrain ({i}).</p><ul><li>Animer des ateliers</li>"
                "<li>Accueillir le public</li></ul>]]></description>"
                f"<applicationUrl>https://www.example.org/missions/{i}</applicationUrl>"
                f"<postedAt>{begin - dt.timedelta(days=30):%d/%m/%Y}</postedAt>"
                f"<startAt>{begin:%d/%m/%Y}</startAt><endAt>{begin + dt.timedelta(days=180):%Y-%m-%d}</endAt>"
                f"<addresses>{''.join(addresses)}</addresses>"
                f"<places>{1 + i % 5}</places><remote>{rng.choice(['no', 'oui', 'hybride'])}</remote>"
                f"<domain>{rng.choice(_DOMAINS)}</domain><tags><![CDATA[jeunesse,solidarité]]></tags>"
                "<activity>animation</activity><openToMinors>oui</openToMinors>"
                "<reducedMobilityAccessible>no</reducedMobilityAccessible>"
                f"<organizationName>{escape(f'Association {org}')}</organizationName>"
                f"<organizationClientId>org-{org}</organizationClientId>"
                "<organizationRNA>W922000733</organizationRNA>"
                "</mission>\n"
            )
        out.write("</source>\n")
    return path.stat().st_size


def _child(feed: Path, *, reset: bool) -> dict:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "cms.settings.dev", "DATABASE_URL": bench_database_url()}
    command = [sys.executable, "-m", "tests.bench.suite_import", "--import", str(feed)]
    if reset:
        command.append("--reset")
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        raise RuntimeError(f"import child failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


@suite("import")
def run_import_suite(ctx: Context) -> list[Row]:
    n = ctx.n_missions
    with tempfile.TemporaryDirectory() as tmp:
        feed = Path(tmp) / "feed.xml"
        size = generate_feed(feed, n)
        first = _child(feed, reset=True)
        again = _child(feed, reset=False)
    note = f"{n} missions, {size / 2**20:.0f} MiB XML"
    return [
        Row("import", "first import", round(first["seen"] / first["seconds"]), "missions/s", "≥ 2000", note),
        Row("import", "first import duration", round(first["seconds"], 1), "s", "", f"created {first['created']}"),
        Row(
            "import",
            "first import: search index work left after the last chunk",
            round(first["index_seconds"], 1),
            "s",
            "",
            "the index takes committed chunks during the run (included above)",
        ),
        Row(
            "import",
            "first import, importer CPU only",
            round(first["seen"] / first["cpu_seconds"]),
            "missions/s",
            "",
            "wall clock minus waiting (database, other processes)",
        ),
        Row("import", "unchanged re-import", round(again["seen"] / again["seconds"]), "missions/s", "≥ 10000", note),
        Row(
            "import",
            "unchanged re-import duration",
            round(again["seconds"], 1),
            "s",
            "",
            f"unchanged {again['unchanged']}",
        ),
        Row(
            "import",
            "unchanged re-import, importer CPU only",
            round(again["seen"] / again["cpu_seconds"]),
            "missions/s",
            "",
            "wall clock minus waiting (database, other processes)",
        ),
        Row("import", "peak RSS (first import)", round(first["rss_mib"]), "MiB", "≤ 300", "child process"),
        Row("import", "peak RSS (re-import)", round(again["rss_mib"]), "MiB", "≤ 300", "child process"),
    ]


def _time_search_index_updates() -> list[float]:
    """Time the search index work that is left once the import's chunks are written (``search/``'s, after commit).

    An import hands its committed chunks to ``search.indexing.StreamingUpdate`` while it goes on; what that still does
    at ``close`` (last batches, merging the GIN pending lists, statistics), plus any ordinary ``update`` announced at
    the end (archived missions), is what the run waits for. Wrapping those names here (the bench child only) is
    enough; returns a one-item list that accumulates the seconds spent.
    """
    from search import indexing

    spent = [0.0]

    def timed(func):
        def wrapper(*args, **kwargs):
            start = time.perf_counter()
            try:
                return func(*args, **kwargs)
            finally:
                spent[0] += time.perf_counter() - start

        return wrapper

    indexing.update = timed(indexing.update)
    indexing.StreamingUpdate.close = timed(indexing.StreamingUpdate.close)
    return spent


_RESET_TABLES = (
    "importers_pendinggeocode",
    "search_missionplace",
    "search_missiontext",
    "search_missiondocument",
    "missions_missionaddress",
    "missions_mission",
    "organisations_organization",
)


def _import_in_this_process(feed: Path, reset: bool) -> dict:
    """Child side: import ``feed`` into the bench database and print the figures as JSON."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from importers.feeds import import_source
    from importers.models import FeedSource

    call_command("migrate", verbosity=0, interactive=False)
    source, _ = FeedSource.objects.get_or_create(
        slug=SOURCE_SLUG, defaults={"name": "Benchmark", "publisher_name": "Bench", "url": "https://example.org/f.xml"}
    )
    if reset:
        with connection.cursor() as cursor:
            cursor.execute(
                "DELETE FROM importers_pendinggeocode WHERE address_id IN (SELECT a.id FROM missions_missionaddress a"
                " JOIN missions_mission m ON m.id = a.mission_id WHERE m.source = %s)",
                [SOURCE_SLUG],
            )
            for table in ("search_missionplace", "search_missiontext"):
                cursor.execute(
                    f"DELETE FROM {table} WHERE document_id IN"  # noqa: S608 (fixed table names)
                    " (SELECT id FROM missions_mission WHERE source = %s)",
                    [SOURCE_SLUG],
                )
            cursor.execute(
                "DELETE FROM search_missiondocument WHERE mission_id IN"
                " (SELECT id FROM missions_mission WHERE source = %s)",
                [SOURCE_SLUG],
            )
            cursor.execute(
                "DELETE FROM missions_missionaddress WHERE mission_id IN"
                " (SELECT id FROM missions_mission WHERE source = %s)",
                [SOURCE_SLUG],
            )
            cursor.execute("DELETE FROM missions_mission WHERE source = %s", [SOURCE_SLUG])
            cursor.execute("DELETE FROM organisations_organization WHERE source = %s", [SOURCE_SLUG])
            # Reclaim the deleted rows (autovacuum may be off): otherwise every run writes into tables and indexes
            # bloated by all the previous ones, and figures drift down from run to run.
            for table in _RESET_TABLES:
                cursor.execute(f"VACUUM {table}")
    index_seconds = _time_search_index_updates()
    start, cpu_start = time.perf_counter(), time.process_time()
    with feed.open("rb") as stream:
        report = import_source(source, stream=stream)
    seconds, cpu_seconds = time.perf_counter() - start, time.process_time() - cpu_start
    return {
        "seconds": seconds,
        "index_seconds": index_seconds[0],
        "cpu_seconds": cpu_seconds,
        "seen": report.seen,
        "created": report.created,
        "unchanged": report.unchanged,
        "rss_mib": peak_rss_mib(),
        "fatal": report.fatal,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--import", dest="feed", type=Path, help="(child) import this feed and print JSON figures")
    parser.add_argument("--reset", action="store_true", help="(child) delete the bench source's missions first")
    parser.add_argument("--missions", type=int, default=100_000)
    args = parser.parse_args()
    if args.feed:
        print(json.dumps(_import_in_this_process(args.feed, args.reset)))
        return
    print(format_table(run_import_suite(Context(n_missions=args.missions, n_offers=0))))


if __name__ == "__main__":
    main()
