"""The base of every factory: test data is written without Wagtail's own side indexes.

Saving a page or a snippet makes Wagtail update its reference index ("Utilisation" in the admin) and its admin
search index, each through a task that runs at once in tests, with statements of its own: most of what creating a
mission or an offer costs. Test data does not need them. What the application writes (admin forms, imports, the API)
still updates both, so a test about either makes its objects that way, or updates them with Wagtail's own functions.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

import factory
from django.conf import settings
from django.test import override_settings
from wagtail.signal_handlers import disable_reference_index_auto_update

_depth = threading.local()


@contextmanager
def without_wagtail_indexes() -> Iterator[None]:
    """Writes in this block update neither Wagtail's reference index nor its search index (re-entrant)."""
    if getattr(_depth, "value", 0):
        _depth.value += 1
        try:
            yield
        finally:
            _depth.value -= 1
        return
    backends = {name: {**config, "AUTO_UPDATE": False} for name, config in settings.WAGTAILSEARCH_BACKENDS.items()}
    _depth.value = 1
    try:
        with disable_reference_index_auto_update(), override_settings(WAGTAILSEARCH_BACKENDS=backends):
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
