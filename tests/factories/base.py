"""The base of every factory: test data is written without Wagtail's own side indexes.

Saving a page or a snippet makes Wagtail update its reference index ("Utilisation" in the admin) and its admin
search index, each through a task that runs at once in tests, with statements of its own: most of what creating a
mission or an offer costs. Test data does not need them. What the application writes (admin forms, imports, the API)
still updates both, so a test about either makes its objects that way, or updates them with Wagtail's own functions.

The reference index is switched off with Wagtail's documented ``disable_reference_index_auto_update()``. The admin
search index has no such switch: its ``post_save`` receiver (``modelsearch.signal_handlers.post_save_signal_handler``,
connected by modelsearch to every model of ``modelsearch.index.get_indexed_models()``) is replaced, once per process
and through Django's signal API, by one that calls it outside the block only. Turning ``AUTO_UPDATE`` off instead
would leave its task, and the statements that task runs before it looks at the backends. ``tests/test_factories.py``
fails if an upgrade moves either.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import factory
from django.db.models.signals import post_save
from modelsearch.index import get_indexed_models
from modelsearch.signal_handlers import post_save_signal_handler
from wagtail.signal_handlers import disable_reference_index_auto_update

_depth = threading.local()


def _search_update_unless_disabled(sender, instance, **kwargs) -> None:
    """modelsearch's receiver, skipped inside :func:`without_wagtail_indexes`: a flag of this thread, as Wagtail's own
    switch for the reference index, rather than receivers connected and disconnected around every factory call."""
    if not getattr(_depth, "value", 0):
        post_save_signal_handler(sender=sender, instance=instance, **kwargs)


@functools.cache
def _guard_search_updates() -> None:
    """Once per process: modelsearch's ``post_save`` receiver is replaced by the guarded one on every model modelsearch
    connected it to (``register_signal_handlers``)."""
    for model in get_indexed_models():
        if getattr(model, "search_auto_update", True):
            post_save.disconnect(post_save_signal_handler, sender=model)
            post_save.connect(_search_update_unless_disabled, sender=model)


@contextmanager
def without_wagtail_indexes() -> Iterator[None]:
    """Writes in this block update neither Wagtail's reference index nor its search index (re-entrant)."""
    _guard_search_updates()
    if getattr(_depth, "value", 0):
        _depth.value += 1
        try:
            yield
        finally:
            _depth.value -= 1
        return
    _depth.value = 1
    try:
        with disable_reference_index_auto_update():
            yield
    finally:
        _depth.value = 0


class ModelFactory(factory.django.DjangoModelFactory):
    class Meta:
        abstract = True

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        with without_wagtail_indexes():
            return super()._create(model_class, *args, **kwargs)
