"""Recording events: duplicates dropped, writes batched off the request's path.

``record`` is what every entry point calls (the click redirect, the impressions mutation, the thank-you tag, the
account sign-up once young people have accounts). It drops a repeat of the same event by the same visitor within
``TRACKING_DEDUP_SECONDS`` (an atomic ``add`` on the ``tracking`` cache: with Redis the window holds across
processes) and queues the row.

With ``TRACKING_BATCH_SIZE`` > 0, rows wait in the process and a writer thread inserts them in one statement when
the batch is full or ``TRACKING_FLUSH_MS`` after the first one, on its own connection (so a request's
transaction never carries other requests' events); rows still waiting are written when the process exits normally.
With 0 (the tests), ``record`` inserts at once in the caller's transaction.
"""

from __future__ import annotations

import atexit
import hashlib
import logging
import threading

from django.conf import settings
from django.core.cache import caches
from django.db import connections
from django.utils import timezone

from .models import Event

logger = logging.getLogger(__name__)


def _dedup_key(event: Event) -> str:
    who = f"u{event.user_id}" if event.user_id else f"v{event.visitor}"
    raw = f"{event.kind}|{event.mission_id}|{event.offer_id}|{event.channel}|{event.source}|{who}"
    return "tracking:dedup:" + hashlib.sha256(raw.encode()).hexdigest()


class _Writer:
    """Rows waiting for the writer thread, and the thread itself (started on first use, so after a fork)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._rows: list[Event] = []
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None

    def add(self, event: Event) -> None:
        with self._lock:
            self._rows.append(event)
            full = len(self._rows) >= settings.TRACKING_BATCH_SIZE
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="tracking-writer", daemon=True)
                self._thread.start()
        if full:
            self._wake.set()

    def _take(self) -> list[Event]:
        with self._lock:
            rows, self._rows = self._rows, []
        return rows

    def flush(self) -> int:
        """Write every waiting row now; returns how many."""
        rows = self._take()
        if rows:
            try:
                Event.objects.bulk_create(rows, batch_size=1000)
            except Exception:
                logger.exception("Tracking: %d events could not be written", len(rows))
                return 0
        return len(rows)

    def _run(self) -> None:
        while True:
            self._wake.wait(settings.TRACKING_FLUSH_MS / 1000)
            self._wake.clear()
            try:
                self.flush()
            finally:
                connections.close_all()


_writer = _Writer()
atexit.register(_writer.flush)


def flush() -> int:
    """Write the events this process still holds (the writer thread does it on its own; for shutdown and tests)."""
    return _writer.flush()


def is_duplicate(event: Event, remember: str = "") -> bool:
    """Whether the same event was recorded within the window; marks it as seen (keeping ``remember``) otherwise."""
    return not caches["tracking"].add(_dedup_key(event), remember or "1", settings.TRACKING_DEDUP_SECONDS)


def remembered(event: Event) -> str:
    """What the first of a run of duplicates kept (a click's full token, so a visitor keeps one), else empty."""
    value = caches["tracking"].get(_dedup_key(event))
    return value if isinstance(value, str) and value != "1" else ""


def record(event: Event, *, deduplicate: bool = True, remember: str = "") -> bool:
    """Queue ``event`` (its time defaults to now); False when it repeats one seen within the window."""
    if event.occurred_at is None:
        event.occurred_at = timezone.now()
    if deduplicate and is_duplicate(event, remember):
        return False
    if settings.TRACKING_BATCH_SIZE <= 0:
        Event.objects.bulk_create([event])
    else:
        _writer.add(event)
    return True
