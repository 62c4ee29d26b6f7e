"""One import per source at a time.

On PostgreSQL a session-level advisory lock: it spans the per-chunk transactions and vanishes with the connection if
the process dies. Elsewhere (SQLite demo) a compare-and-set on ``FeedSource.running_since``, considered stale after
``STALE_AFTER`` so that a crashed run does not block the feed forever.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection
from django.db.models import Q
from django.utils import timezone

from .errors import ImportAlreadyRunning
from .models import FeedSource

#: First key of the two-int advisory lock: "importers" namespace, so other advisory locks never collide with ours.
LOCK_NAMESPACE = 0x1A90_0001
STALE_AFTER = dt.timedelta(hours=6)


@contextmanager
def source_lock(source: FeedSource) -> Iterator[None]:
    """Hold the import lock of ``source``; raises :class:`ImportAlreadyRunning` if another import holds it."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [LOCK_NAMESPACE, source.pk])
            (acquired,) = cursor.fetchone()
        if not acquired:
            raise ImportAlreadyRunning(source.name)
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [LOCK_NAMESPACE, source.pk])
        return
    now = timezone.now()
    taken = (
        FeedSource.objects.filter(pk=source.pk)
        .filter(Q(running_since__isnull=True) | Q(running_since__lt=now - STALE_AFTER))
        .update(running_since=now)
    )
    if not taken:
        raise ImportAlreadyRunning(source.name)
    try:
        yield
    finally:
        FeedSource.objects.filter(pk=source.pk, running_since=now).update(running_since=None)
