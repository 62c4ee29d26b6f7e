"""Batched writes: the writer thread inserts queued events on its own connection, so the database must commit.

A module of its own: ``committed_db`` needs no module-wide ``django_db`` mark (one would set the transactional
database up before the migrated data are saved for restoring, and leave the next tests without them).
"""

from __future__ import annotations

import time

from django.utils import timezone

from cms.tracking import recorder
from cms.tracking.models import Event, Kind


def test_batched_events_are_written_by_the_writer_thread(settings, committed_db):
    settings.TRACKING_BATCH_SIZE = 3
    settings.TRACKING_FLUSH_MS = 50
    now = timezone.now()
    for visitor in "abc":
        assert recorder.record(Event(occurred_at=now, kind=Kind.CLICK, channel="site", visitor=visitor))

    deadline = time.monotonic() + 5
    while Event.objects.count() < 3 and time.monotonic() < deadline:
        time.sleep(0.05)

    assert Event.objects.count() == 3
