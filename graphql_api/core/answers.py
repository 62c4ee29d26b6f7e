"""Public GraphQL answers kept in the shared cache and served from it until the content they may contain changes.

A request is public when it presents no API key, comes from no signed-in user, carries no preview token and runs a
query (not a mutation): every such client gets the same answer. Its key is the SHA-256 of the operation's text, its
variables, its operation name, the site it was asked of (the ``Host``) and the media type answered. The answer is
stored with the generation of every content domain the operation's root fields can read
(:mod:`graphql_api.core.generations`), as read before it was computed, and served only while they are all current: a
publication bumps a generation, so invalidation is exact and immediate in every process sharing the cache, with no key
ever enumerated. A lookup is one round trip (one ``get_many`` of the answer and the counters). Only complete answers
(status 200, no ``errors``) are stored, for ``GRAPHQL_ANSWER_CACHE_TIMEOUT`` seconds at most.

The cache (alias ``GRAPHQL_ANSWER_CACHE``, empty to turn this off) failing at run time only means answers are computed:
each failure logs a warning.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from graphql import FieldNode, GraphQLError, OperationType, get_operation_ast, parse

from . import generations
from .apikeys import presented_secret
from .generations import ALL_DOMAINS, root_field_domains

logger = logging.getLogger(__name__)
CACHE_PREFIX = "graphql-answer"
#: Header telling whether the answer came from the cache (``hit``) or was computed and stored (``miss``).
CACHE_STATUS_HEADER = "X-Cache"


@dataclass(frozen=True)
class Answer:
    status: int
    content_type: str
    body: bytes
    #: (domain, generation) of every domain the operation reads, when it was computed.
    generations: tuple[tuple[str, int], ...] = ()

    def response(self) -> HttpResponse:
        return HttpResponse(self.body, status=self.status, content_type=self.content_type)


def check_configuration() -> None:
    """Refuse to start with a ``GRAPHQL_ANSWER_CACHE`` that names no cache, rather than fail every request."""
    alias = settings.GRAPHQL_ANSWER_CACHE
    if alias and alias not in settings.CACHES:
        raise ImproperlyConfigured(
            f"GRAPHQL_ANSWER_CACHE nomme le cache {alias!r}, absent de CACHES "
            f"(caches configurés : {', '.join(sorted(settings.CACHES))})."
        )


def enabled() -> bool:
    return bool(settings.GRAPHQL_ANSWER_CACHE)


def is_signed_in(request: HttpRequest) -> bool:
    """Whether a user is signed in; the session is only read when its cookie came (reading it makes the answer vary
    on ``Cookie``, which shared caches cannot work with)."""
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return False
    user = getattr(request, "user", None)
    return user is not None and user.is_authenticated


def is_public(request: HttpRequest, *, preview: bool) -> bool:
    """No API key presented, no signed-in user, no preview: an answer any client may get."""
    return not (preview or presented_secret(request) or is_signed_in(request))


#: Texts longer than this are not remembered by :func:`_read_domains` (512 of them must stay a few megabytes).
_MEMO_MAX_CHARS = 16_384


def _read_domains(query: str, operation_name: str | None) -> frozenset[str] | None:
    """The domains the query ``operation_name`` of ``query`` reads; None when it is not a query that would run."""
    if len(query) > _MEMO_MAX_CHARS:
        return _domains(query, operation_name)
    return _remembered_domains(query, operation_name)


def _domains(query: str, operation_name: str | None) -> frozenset[str] | None:
    try:
        document = parse(query, max_tokens=settings.GRAPHQL_MAX_TOKENS)
    except GraphQLError:
        return None
    operation = get_operation_ast(document, operation_name)
    if operation is None or operation.operation != OperationType.QUERY:
        return None
    domains: set[str] = set()
    for selection in operation.selection_set.selections:
        if not isinstance(selection, FieldNode):  # a fragment at the root: read everything
            return ALL_DOMAINS
        if not selection.name.value.startswith("__"):
            domains |= root_field_domains(selection.name.value)
    return frozenset(domains)


_remembered_domains = functools.lru_cache(maxsize=512)(_domains)


@dataclass(frozen=True)
class Slot:
    """Where the answer to a request is kept, and the generations an answer stored there now must carry."""

    key: str
    generations: tuple[tuple[str, int], ...]


def answer_key(request: HttpRequest, data: Any, media: str) -> tuple[str, frozenset[str]] | None:
    """The cache key of the answer to ``data`` (strawberry's request data) and the domains it reads, None when it is
    not a cacheable query."""
    query, operation_name = getattr(data, "query", None), getattr(data, "operation_name", None)
    if not isinstance(query, str) or not isinstance(operation_name, str | None):
        return None
    domains = _read_domains(query, operation_name)
    if domains is None:
        return None
    material = [query, data.variables, operation_name, request.get_host(), media]
    digest = hashlib.sha256(json.dumps(material, sort_keys=True, separators=(",", ":")).encode()).hexdigest()
    return f"{CACHE_PREFIX}:{digest}", domains


def lookup(request: HttpRequest, data: Any, media: str) -> tuple[Slot | None, Answer | None]:
    """The slot of the answer to ``data`` (None when it is not cacheable) and the answer kept there if it is still
    current, read in one round trip with the generations of the domains it reads."""
    found = answer_key(request, data, media)
    if found is None:
        return None, None
    key, domains = found
    entries = caches[settings.GRAPHQL_ANSWER_CACHE].get_many([key, *generations.keys(domains)])
    slot = Slot(key, generations.complete(domains, entries))
    answer = entries.get(key)
    if isinstance(answer, Answer) and answer.generations == slot.generations:
        return slot, answer
    return slot, None


def store(slot: Slot, response: HttpResponseBase) -> None:
    """Keep ``response`` in ``slot`` if it is a complete answer, with the generations it was computed under."""
    if response.status_code != 200 or not isinstance(response, HttpResponse):
        return
    body = response.content
    if b'"errors":' in body:
        return
    answer = Answer(200, response["Content-Type"], body, slot.generations)
    caches[settings.GRAPHQL_ANSWER_CACHE].set(slot.key, answer, timeout=settings.GRAPHQL_ANSWER_CACHE_TIMEOUT)


def warn(exc: Exception) -> None:
    logger.warning("GraphQL answer cache %r unavailable (%s): answer computed", settings.GRAPHQL_ANSWER_CACHE, exc)
