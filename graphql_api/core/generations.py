"""Generation counters of the cached GraphQL answers: one per content domain, in the shared cache.

A cached answer is stored with the generation of every domain its operation can read, as they were before it was
computed, and served only while they are still current (:mod:`graphql_api.core.answers` reads the answer and the
counters in one round trip). A change of content, announced after commit through
:data:`cms.core.changes.contents_changed`, bumps the generation of its model's domain (:func:`on_contents_changed`):
the next request for an answer that may contain it finds it out of date, misses and runs the operation. Nothing is
deleted or enumerated; stale entries expire with their timeout. Every process sharing the cache (Redis) sees the new
generation at once, whichever process published.

Domains are named in :data:`DOMAINS`, the one place that maps models (by application) to domains. Which domains an
operation reads is decided per root field (:func:`root_field_domains`): the domains of every model type reachable from
the field's type in the schema (through fields, interfaces and unions), all domains when none is reachable.
"""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Iterable

from django.conf import settings
from django.core.cache import caches
from graphql import (
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLSchema,
    GraphQLUnionType,
    build_schema,
    get_named_type,
)
from strawberry_django.utils.typing import get_django_definition

logger = logging.getLogger(__name__)

#: Content domains and the applications whose models belong to them. A model of any other application is in every
#: domain (its change bumps them all): an unmapped model can never leave a stale answer behind.
DOMAINS: dict[str, tuple[str, ...]] = {
    "taxonomy": ("taxonomy",),
    "organisations": ("organisations",),
    "missions": ("missions",),
    "offers": ("offers",),
    "pages": ("pages", "wagtailcore"),
    "media": ("wagtailimages", "wagtaildocs"),
}
ALL_DOMAINS: frozenset[str] = frozenset(DOMAINS)
_DOMAIN_OF_APP = {app: domain for domain, labels in DOMAINS.items() for app in labels}
CACHE_PREFIX = "graphql-generation"


def domain_of(model: type) -> frozenset[str]:
    """The domains a change of ``model`` rows invalidates: its application's, or all of them."""
    meta = getattr(model, "_meta", None)
    domain = _DOMAIN_OF_APP.get(meta.app_label) if meta is not None else None
    return frozenset((domain,)) if domain else ALL_DOMAINS


def _cache():
    return caches[settings.GRAPHQL_ANSWER_CACHE]


def _key(domain: str) -> str:
    return f"{CACHE_PREFIX}:{domain}"


def _fresh() -> int:
    # A counter the cache lost (evicted, flushed) starts again from the clock, never from a value it held before.
    return time.time_ns()


def keys(domains: Iterable[str]) -> list[str]:
    """The cache keys of the generation counters of ``domains``, in a stable order."""
    return [_key(name) for name in sorted(domains)]


def complete(domains: Iterable[str], found: dict) -> tuple[tuple[str, int], ...]:
    """The generation of each of ``domains`` (sorted by name) from ``found``, what a ``get_many`` of :func:`keys`
    returned; a missing counter is created (one more round trip, once per counter the cache lost)."""
    cache = None
    values = []
    for name in sorted(domains):
        value = found.get(_key(name))
        if value is None:
            cache = cache or _cache()
            cache.add(_key(name), _fresh(), timeout=None)
            value = cache.get(_key(name))
        values.append((name, value))
    return tuple(values)


def bump(domains: Iterable[str]) -> None:
    """Make every cached answer that reads one of ``domains`` unreachable, in every process sharing the cache."""
    cache = _cache()
    for name in domains:
        try:
            cache.incr(_key(name))
        except ValueError:  # no counter yet (or lost): any fresh value differs from what answers were stored under
            cache.set(_key(name), _fresh(), timeout=None)


def on_contents_changed(sender, pks=None, **kwargs) -> None:
    """Receiver of ``contents_changed`` (after commit): bump the domain of the model that changed.

    A failing cache is logged, not raised: the content is committed, and the cache being down also means no answer
    is served from it.
    """
    if not settings.GRAPHQL_ANSWER_CACHE:
        return
    try:
        bump(domain_of(sender))
    except Exception:  # noqa: BLE001 - the editor's request must not fail because the cache is down
        logger.exception("Cached GraphQL answers not invalidated for a change of %s", sender)


def _model_domains(strawberry_schema, type_name: str) -> frozenset[str]:
    definition = strawberry_schema.get_type_by_name(type_name)
    origin = getattr(definition, "origin", None)
    django = get_django_definition(origin) if origin is not None else None
    model = getattr(django, "model", None)
    return domain_of(model) if model is not None else frozenset()


def _reachable(schema: GraphQLSchema, start) -> set[str]:
    """Names of the object types reachable from ``start`` through fields, interfaces and unions."""
    seen: set[str] = set()
    pending = [get_named_type(start)]
    while pending:
        named = pending.pop()
        if named.name in seen:
            continue
        seen.add(named.name)
        if isinstance(named, GraphQLInterfaceType | GraphQLUnionType):
            pending.extend(schema.get_possible_types(named))
        if isinstance(named, GraphQLObjectType | GraphQLInterfaceType):
            pending.extend(get_named_type(field.type) for field in named.fields.values())
    return seen


@functools.cache
def _root_fields() -> dict[str, frozenset[str]]:
    from graphql_api.schema import schema

    sdl = build_schema(schema.as_str())
    query = sdl.query_type
    table = {}
    for name, field in (query.fields if query is not None else {}).items():
        domains = frozenset().union(*(_model_domains(schema, type_name) for type_name in _reachable(sdl, field.type)))
        table[name] = domains or ALL_DOMAINS
    return table


def root_field_domains(name: str) -> frozenset[str]:
    """The domains the root query field ``name`` can read; all of them for a name the schema does not have."""
    return _root_fields().get(name, ALL_DOMAINS)


def connect() -> None:
    """Called from ``GraphqlApiConfig.ready``: a domain is bumped when its change commits, and again when the search
    index has taken it (``search.indexing.index_updated``), since that update may run later on the task worker."""
    from cms.core.changes import contents_changed
    from search.indexing import index_updated

    contents_changed.connect(on_contents_changed, dispatch_uid="graphql_api.answer_generations")
    # The index update may run later, on the task worker: answers cached in between read the old index.
    index_updated.connect(on_contents_changed, dispatch_uid="graphql_api.answer_generations.index")
