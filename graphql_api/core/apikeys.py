"""The partner API key a request presents, and the key it authenticates as.

A key comes in ``Authorization: Bearer <key>`` or ``X-Api-Key: <key>``. The rate limit (which gives a key that
authenticates a counter of its own) and the push mutations (which refuse a request without one) read it through
:func:`request_api_key`, so both accept the same headers and the key is looked up once per request.
"""

from __future__ import annotations

from django.http import HttpRequest
from strawberry.types import Info

from cms.partners_api.models import ApiKey

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
    """The active key the request authenticates with, else None (no key, an unknown or a revoked one)."""
    if not hasattr(request, _CACHED):
        secret = presented_secret(request)
        setattr(request, _CACHED, ApiKey.objects.authenticate(secret) if secret else None)
    return getattr(request, _CACHED)


def required_api_key(info: Info) -> ApiKey:
    """The key of a mutation that needs one; a French ``Unauthenticated`` error without a valid key."""
    request = info.context.request
    if not presented_secret(request):
        raise Unauthenticated("Clé d'API manquante : envoyez l'en-tête « Authorization: Bearer <clé> ».")
    key = request_api_key(request)
    if key is None:
        raise Unauthenticated("Clé d'API inconnue ou révoquée.")
    return key
