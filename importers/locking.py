"""One import per source at a time.

A session-level advisory lock: it spans the per-chunk transactions and vanishes with the connection if the process
dies.

A process killed mid-import (out of memory, a redeployment) cannot record how its run ended: the run stays "running"
while its lock is free again. :func:`mark_interrupted_runs` tells those runs apart from live ones by that free lock.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection
from django.db.models.expressions import RawSQL
from django.utils import timezone

from .errors import ImportAlreadyRunning
from .models import FeedSource, ImportRun

#: First key of the two-int advisory lock: "importers" namespace, so other advisory locks never collide with ours.
LOCK_NAMESPACE = 0x1A90_0001
INTERRUPTED_MESSAGE = (
    "Import interrompu avant la fin : le processus a été arrêté (redémarrage, manque de mémoire…) sans pouvoir "
    "enregistrer son résultat. Les lots déjà écrits sont conservés ; le prochain import reprend le flux en entier."
)
#: The sources whose advisory lock a session of this database holds (two-int keys are classid, objid, objsubid 2).
_LOCKED_SOURCE_IDS = """
    SELECT objid::bigint FROM pg_locks
    WHERE locktype = 'advisory' AND granted AND objsubid = 2 AND classid = %s::oid
      AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
"""


@contextmanager
def source_lock(source: FeedSource) -> Iterator[None]:
    """Hold the import lock of ``source``; raises :class:`ImportAlreadyRunning` if another import holds it."""
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


def mark_interrupted_runs(source: FeedSource | None = None, *, lock_held: bool = False) -> int:
    """Mark "interrupted" the runs still "running" whose source's lock is free (of ``source`` only, if given), and
    return how many: no live import holds their lock, so their process died without recording how they ended.

    ``lock_held`` says the caller holds the lock of ``source``: then every run of it still "running" is such a run.
    Reading the lock table takes no lock, so looking never makes a starting import skip.
    """
    runs = ImportRun.objects.filter(status=ImportRun.Status.RUNNING)
    if source is not None:
        runs = runs.filter(source=source)
    if not lock_held:
        locked = RawSQL(_LOCKED_SOURCE_IDS, [LOCK_NAMESPACE])  # noqa: S611 - constant SQL, one parameter
        runs = runs.exclude(source_id__in=locked)
    return runs.update(status=ImportRun.Status.INTERRUPTED, finished_at=timezone.now(), message=INTERRUPTED_MESSAGE)
