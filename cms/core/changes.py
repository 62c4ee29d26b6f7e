"""How ``cms`` announces that content changed without knowing who listens (search indexing, caches…).

Senders (model signal handlers, importers, admin actions) call :func:`announce` with a model and primary keys; the
announcement is delivered once the surrounding transaction commits, batched per model, so nothing is announced
before it commits and a bulk import sends one message rather than thousands. (Ids queued by a transaction that rolled
back ride along with the next delivery; listeners re-read the database, so they only cause a harmless re-check.)
"""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Iterable

from django.db import transaction
from django.dispatch import Signal

#: Sent after commit with ``sender`` = the model class and ``pks`` = a frozenset of primary keys that changed
#: (created, edited, published, unpublished, moderated, archived or deleted: listeners re-read the database).
contents_changed = Signal()

_pending = threading.local()


def _batch() -> dict[type, set]:
    if not hasattr(_pending, "batch"):
        _pending.batch = defaultdict(set)
    return _pending.batch


def _flush() -> None:
    batch = _batch()
    items = list(batch.items())
    batch.clear()
    for model, pks in items:
        if pks:
            contents_changed.send(sender=model, pks=frozenset(pks))


def announce(model: type, pks: Iterable, *, using: str | None = None) -> None:
    """Queue a change of ``model`` rows ``pks``; delivered after the current transaction commits (now if none)."""
    # One flush per call, not per batch: a rolled-back transaction drops its callbacks, and a batch left non-empty
    # must not stop later announcements from ever being delivered. Extra flushes find an empty batch and do nothing.
    _batch()[model].update(pks)
    transaction.on_commit(_flush, using=using)
