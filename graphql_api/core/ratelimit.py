"""Per-client rate limiting of ``/graphql/``: a fixed-window counter in Django's cache.

A client is its partner API key when the key authenticates (:func:`graphql_api.core.apikeys.request_api_key`), else
its address (:func:`cms.core.clients.client_ip`): a made-up or revoked key is counted against the address it comes
from, so inventing keys buys no fresh allowance. Each client may send ``GRAPHQL_RATE_LIMIT`` requests ("300/60": 300
per 60 seconds) per window; the next ones get HTTP 429 with ``Retry-After`` and a GraphQL error coded
``RATE_LIMITED``.

The counters live in the cache ``GRAPHQL_RATE_LIMIT_CACHE`` names, so every process sharing that cache (Redis in
production) shares one budget per client; the alias and the rate are checked when the app starts
(:func:`check_configuration`). When the cache fails at run time (Redis down), requests are let through and each
uncounted request logs one warning: an outage of the cache must not become an outage of the API.
"""

from __future__ import annotations

import logging
import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, JsonResponse

from cms.core import counters
from cms.core.clients import client_ip
from graphql_api.core.apikeys import request_api_key
from graphql_api.core.errors import ErrorCode, error_response

CACHE_PREFIX = "graphql-rate"
logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Rate:
    requests: int
    seconds: int


def parse_rate(value: str, name: str = "GRAPHQL_RATE_LIMIT") -> Rate | None:
    """``"300/60"`` → 300 requests per 60 seconds; an empty value or ``"off"`` turns limiting off. ``name`` is the
    setting's, for the message."""
    value = (value or "").strip()
    if value.lower() in ("", "off", "none", "0"):
        return None
    try:
        requests, seconds = (int(part) for part in value.split("/"))
    except ValueError:
        raise ImproperlyConfigured(f"{name} doit s'écrire « requêtes/secondes », pas {value!r}.") from None
    if requests <= 0 or seconds <= 0:
        raise ImproperlyConfigured(f"{name} doit être positif, pas {value!r}.")
    return Rate(requests, seconds)


#: Other rates counted on the same cache (sign-in code requests, ``graphql_api.cards.throttle``), checked alike.
OTHER_RATES = ("CARDS_SIGNIN_RATE_PER_CONTACT", "CARDS_SIGNIN_RATE_PER_IP")


def check_configuration() -> None:
    """Refuse to start with a malformed rate or a cache alias that does not exist, rather than fail every request."""
    parse_rate(settings.GRAPHQL_RATE_LIMIT)
    for name in OTHER_RATES:
        parse_rate(getattr(settings, name), name)
    alias = settings.GRAPHQL_RATE_LIMIT_CACHE
    if alias not in settings.CACHES:
        raise ImproperlyConfigured(
            f"GRAPHQL_RATE_LIMIT_CACHE nomme le cache {alias!r}, absent de CACHES "
            f"(caches configurés : {', '.join(sorted(settings.CACHES))})."
        )


def client_key(request: HttpRequest) -> str:
    """Who is asking: ``key:<id>`` for a key that authenticates, else ``ip:<address>``."""
    key = request_api_key(request)
    if key is not None:
        return f"key:{key.pk}"
    return f"ip:{client_ip(request)}"


def client_rate(request: HttpRequest) -> Rate | None:
    """The budget of the client: its key's own rate per minute, else ``GRAPHQL_RATE_LIMIT`` (None: no limit)."""
    key = request_api_key(request)
    if key is not None and parse_rate(settings.GRAPHQL_RATE_LIMIT) is not None:
        return Rate(key.rate_limit, 60) if key.rate_limit else None
    return parse_rate(settings.GRAPHQL_RATE_LIMIT)


def _count(key: str, seconds: int) -> int:
    # One round trip to Redis (cms/core/counters.py); the entry expires with its window.
    return counters.count(settings.GRAPHQL_RATE_LIMIT_CACHE, key, seconds + 1)


def retry_after(request: HttpRequest, *, now: float | None = None) -> int | None:
    """Count this request; ``None`` when it may go on, else the seconds until the client's window ends."""
    return over_limit(CACHE_PREFIX, client_key(request), client_rate(request), now=now)


def over_limit(scope: str, client: str, rate: Rate | None, *, now: float | None = None) -> int | None:
    """Count one hit of ``client`` against ``rate`` in the counters of ``scope`` (an API-wide or a per-operation
    budget); ``None`` when it is within the rate, else the seconds until the window ends."""
    if rate is None:
        return None
    now = time.time() if now is None else now
    window = int(now // rate.seconds)
    key = f"{scope}:{rate.requests}/{rate.seconds}:{window}:{client}"
    try:
        count = _count(key, rate.seconds)
    except Exception as exc:  # noqa: BLE001 - any cache failure: let the request through, say so once
        logger.warning("Rate limit not counted: cache %r failed (%s)", settings.GRAPHQL_RATE_LIMIT_CACHE, exc)
        return None
    if count <= rate.requests:
        return None
    return max(1, math.ceil((window + 1) * rate.seconds - now))


def rate_limited_response(seconds: int) -> JsonResponse:
    """HTTP 429 with ``Retry-After`` and the GraphQL error front-ends switch on."""
    response = error_response(
        429, f"Trop de requêtes : réessayez dans {seconds} s.", ErrorCode.RATE_LIMITED, retryAfter=seconds
    )
    response["Retry-After"] = str(seconds)
    return response
