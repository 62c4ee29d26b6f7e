"""The partner API key a request presents, and the key it authenticates as.

A key comes in ``Authorization: Bearer <key>`` or ``X-Api-Key: <key>``. The rate limit (which gives a key that
authenticates a counter of its own) and the push mutations (which refuse a request without one) read it through
:func:`request_api_key`, so both accept the same headers and the key is looked up once per request.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import QuerySet
from django.http import HttpRequest
from strawberry.types import Info

from cms.partners_api.models import ApiKey, Scope
from cms.syndication.links import source_of
from cms.syndication.rules import restrict
from graphql_api.core.errors import Forbidden

from .errors import Unauthenticated

API_KEY_HEADER = "X-Api-Key"
_BEARER = "bearer "
_CACHED = "_tremplin_api_key"


def presented_secret(request: HttpRequest) -> str:
    """The secret the request sends, stripped; empty when it sends none."""
    authorization = request.headers.get("Authorization", "")
    if authorization[: len(_BEARER)].lower() == _BEARER:
        return authorization[len(_BEARER) :].strip()
    return request.headers.get(API_KEY_HEADER, "").strip()


def request_api_key(request: HttpRequest) -> ApiKey | None:
    """The active key the request authenticates with, else None (no key, an unknown, revoked or expired one)."""
    if not hasattr(request, _CACHED):
        secret = presented_secret(request)
        setattr(request, _CACHED, ApiKey.objects.authenticate(secret) if secret else None)
    return getattr(request, _CACHED)


UNKNOWN_KEY = "Clé d'API inconnue, révoquée ou expirée : vérifiez la clé envoyée ou demandez-en une nouvelle."


def out_of_scope(scope: str) -> str:
    """The French refusal of a key that lacks ``scope``."""
    return f"Cette clé d'API n'a pas le droit « {Scope(scope).label} » ({scope}) : demandez-le à l'équipe Tremplin."


def readable(queryset: QuerySet, request: HttpRequest | None, scope: str) -> QuerySet:
    """The items of ``queryset`` the request may read: public, narrowed by its key's partner rules if it has one.

    A key without ``scope`` is refused (:class:`Forbidden`); without a key, the public items.
    """
    key = request_api_key(request) if request is not None else None
    if key is not None and not key.has_scope(scope):
        raise Forbidden(out_of_scope(scope))
    return restrict(queryset, key.partner if key is not None else None)


def served_link(request: HttpRequest, url: str, tracked: Callable[[int, str], str], pk: int) -> str:
    """``url`` as the request's reader gets it: with a partner key, the click redirect to item ``pk`` built by
    ``tracked`` (:mod:`cms.syndication.links`), counted under the key; unchanged without a key or without a link."""
    key = request_api_key(request)
    return tracked(pk, source_of(key)) if key is not None and url else url


def required_api_key(info: Info, scope: str | None = None) -> ApiKey:
    """The key of a mutation that needs one, with ``scope`` if given; a French ``Unauthenticated`` error without a
    valid key, ``Forbidden`` without the scope."""
    request = info.context.request
    if not presented_secret(request):
        raise Unauthenticated("Clé d'API manquante : envoyez l'en-tête « Authorization: Bearer <clé> ».")
    key = request_api_key(request)
    if key is None:
        raise Unauthenticated(UNKNOWN_KEY)
    if scope is not None and not key.has_scope(scope):
        raise Forbidden(out_of_scope(scope))
    return key
