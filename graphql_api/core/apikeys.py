"""The partner API key a request presents, and the key it authenticates as.

A key comes in ``Authorization: Bearer <key>`` or ``X-Api-Key: <key>``. The rate limit (which gives a key that
authenticates a counter of its own) and the push mutations (which refuse a request without one) read it through
:func:`request_api_key`, so both accept the same headers and the key is looked up once per request.
"""

from __future__ import annotations

from django.http import HttpRequest

from cms.partners_api.models import ApiKey

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
