"""The search index update as a background task: enqueued once a change has committed (``on_contents_changed``),
run by the task worker in production, retried with back-off when the backend fails (cms/core/background.py)."""

from __future__ import annotations

from cms.core.background import background_task

from . import indexing


@background_task
def update_search_index(kind: str, pks: list[int]) -> int:
    """Bring the documents of ``pks`` of ``kind`` (``missions``, ``offers``) in line with the database; how many."""
    indexing.update(indexing.KINDS[kind], pks)
    return len(pks)
