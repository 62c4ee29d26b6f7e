"""Child process of ``test_sqlite.py``: migrate a fresh SQLite database, import a feed twice, print what happened.

Run as ``python -m tests.importers.sqlite_import FEED`` with ``DATABASE_URL=sqlite:///…`` and ``cms.settings.dev``,
the settings of the demo (``make demo``), which uses SQLite when no PostgreSQL is configured.
"""

from __future__ import annotations

import io
import json
import sys

import django


def main(feed_path: str) -> None:
    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    from cms.missions.models import Mission
    from importers.feeds import import_source
    from importers.models import FeedSource
    from search.base import SearchQuery, search
    from search.missions import MISSIONS
    from search.models import MissionDocument, MissionPlace

    source = FeedSource.objects.create(
        name="Flux démo", slug="flux-demo", publisher_name="Démo", url="https://example.org/flux.xml"
    )
    data = open(feed_path, "rb").read()  # noqa: SIM115 - a small fixture
    first = import_source(source, stream=io.BytesIO(data))
    second = import_source(source, stream=io.BytesIO(data))
    lock_released = FeedSource.objects.get(pk=source.pk).running_since is None
    FeedSource.objects.filter(pk=source.pk).update(running_since=django.utils.timezone.now())
    while_running = import_source(FeedSource.objects.get(pk=source.pk), stream=io.BytesIO(data))
    print(
        json.dumps(
            {
                "vendor": connection.vendor,
                "first": [first.status, first.created, first.refused],
                "second": [second.status, second.unchanged, second.created],
                "lock_released": lock_released,
                "while_running": [while_running.status],
                "missions": Mission.objects.filter(source="flux-demo").count(),
                "addresses": sum(m.addresses.count() for m in Mission.objects.filter(source="flux-demo")),
                "search": {
                    "documents": MissionDocument.objects.count(),
                    "places": MissionPlace.objects.count(),
                    "found": search(MISSIONS, SearchQuery(text="lecture")).total,
                },
            }
        )
    )


if __name__ == "__main__":
    main(sys.argv[1])
