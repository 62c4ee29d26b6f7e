"""How ``cms`` announces that content changed without knowing who listens (search indexing, caches…).

Senders (model signal handlers, importers, admin actions) call :func:`announce` with a model and primary keys; the
announcement is delivered once the surrounding transaction commits, batched per model, so nothing is announced
before it commits and a bulk import sends one message rather than thousands. (Ids queued by a transaction that rolled
back ride along with the next delivery; listeners re-read the database, so they only cause a harmless re-check.)
"""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Protocol

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


def discard_pending() -> None:
    """Forget the announcements queued in this thread and not delivered yet (a test's start: what an earlier,
    rolled-back test queued must not reach this one's first commit)."""
    _batch().clear()


def announce(model: type, pks: Iterable, *, using: str | None = None) -> None:
    """Queue a change of ``model`` rows ``pks``; delivered after the current transaction commits (now if none)."""
    # One flush per call, not per batch: a rolled-back transaction drops its callbacks, and a batch left non-empty
    # must not stop later announcements from ever being delivered. Extra flushes find an empty batch and do nothing.
    _batch()[model].update(pks)
    transaction.on_commit(_flush, using=using)


#: Sent when a long run that commits step by step (an import) opens :func:`announcing_in_steps`, with ``sender`` =
#: the model class. A receiver that can work on the changes while the run goes on returns a consumer with
#: ``add(pks)`` (called after each step commits, with that step's ids) and ``close()`` (called once at the end,
#: also after a failure): the consumer then owns those ids, and must neither raise from either call nor lose one
#: (what it could not handle on the way it handles at ``close``). Receivers that return None hear of the ids in
#: the run's closing ``contents_changed``, which carries ``streamed=True`` when consumers already had them.
contents_streaming = Signal()


class StepConsumer(Protocol):
    def add(self, pks: list) -> None: ...

    def close(self) -> None: ...


@contextmanager
def announcing_in_steps(model: type) -> Iterator[Callable[[Iterable], None]]:
    """Around a run that commits in steps: yields ``committed(pks)``, to call with each step's ids once it commits.

    Without this, a run's changes reach listeners in one announcement at the end, and their work (the search index
    update of an import) starts only once the whole run has been read and written. Streaming consumers (see
    :data:`contents_streaming`) overlap it with the run instead. Call ``committed`` outside any transaction: the
    ids it is given must already be visible to other connections.
    """
    consumers: list[StepConsumer] = [
        consumer for _, consumer in contents_streaming.send(sender=model) if consumer is not None
    ]
    given: set = set()

    def committed(pks: Iterable) -> None:
        pks = list(pks)
        given.update(pks)
        for consumer in consumers:
            consumer.add(pks)

    try:
        yield committed
    finally:
        for consumer in consumers:
            consumer.close()
        if given:
            contents_changed.send(sender=model, pks=frozenset(given), streamed=bool(consumers))


#: Columns that saving a draft, locking or moving a workflow on writes to the live row of a page or snippet (Wagtail's
#: ``save_revision``, ``lock``): the public sees none of them.
DRAFT_BOOKKEEPING = frozenset(
    {
        "latest_revision",
        "latest_revision_created_at",
        "draft_title",
        "has_unpublished_changes",
        "wagtail_admin_comments",
        "locked",
        "locked_at",
        "locked_by",
    }
)


def is_draft_bookkeeping(update_fields: Iterable[str] | None) -> bool:
    """Whether a ``post_save`` with these ``update_fields`` only recorded a draft (or a lock): nothing to announce."""
    return update_fields is not None and set(update_fields) <= DRAFT_BOOKKEEPING
