"""Per-client rate limiting of ``/graphql/``: a fixed-window counter in Django's cache.

A client is its API key when it sends one (header ``GRAPHQL_RATE_LIMIT_KEY_HEADER``), else its IP address: the last
address of ``GRAPHQL_RATE_LIMIT_IP_HEADER`` when the site runs behind a trusted proxy that sets it (the last one is
the address the proxy itself saw, the others can be forged by the client), else ``REMOTE_ADDR``. Each client may
send ``GRAPHQL_RATE_LIMIT`` requests ("300/60": 300 per 60 seconds) per window; the next ones get HTTP 429 with
``Retry-After`` and a GraphQL error coded ``RATE_LIMITED``. The counter lives in the cache so every worker sharing the
cache (Redis, Memcached, the database cache) shares it.
"""

from __future__ import annotations

import hashlib
import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, JsonResponse

from graphql_api.core.errors import ErrorCode, error_response

CACHE_PREFIX = "graphql-rate"


@dataclass(frozen=True)
class Rate:
    requests: int
    seconds: int


def parse_rate(value: str) -> Rate | None:
    """``"300/60"`` → 300 requests per 60 seconds; an empty value or ``"off"`` turns limiting off."""
    value = (value or "").strip()
    if value.lower() in ("", "off", "none", "0"):
        return None
    try:
        requests, seconds = (int(part) for part in value.split("/"))
    except ValueError:
        raise ImproperlyConfigured(f"GRAPHQL_RATE_LIMIT doit s'écrire « requêtes/secondes », pas {value!r}.") from None
    if requests <= 0 or seconds <= 0:
        raise ImproperlyConfigured(f"GRAPHQL_RATE_LIMIT doit être positif, pas {value!r}.")
    return Rate(requests, seconds)


def client_key(request: HttpRequest) -> str:
    """Who is asking: ``key:<sha256 of the API key>`` or ``ip:<address>`` (the key itself never reaches the cache)."""
    api_key = request.headers.get(settings.GRAPHQL_RATE_LIMIT_KEY_HEADER, "").strip()
    if api_key:
        return "key:" + hashlib.sha256(api_key.encode()).hexdigest()
    proxy_header = settings.GRAPHQL_RATE_LIMIT_IP_HEADER
    if proxy_header:
        forwarded = [part.strip() for part in request.headers.get(proxy_header, "").split(",") if part.strip()]
        if forwarded:
            return "ip:" + forwarded[-1]
    return "ip:" + request.META.get("REMOTE_ADDR", "unknown")


def retry_after(request: HttpRequest, *, now: float | None = None) -> int | None:
    """Count this request; ``None`` when it may go on, else the seconds until the client's window ends."""
    rate = parse_rate(settings.GRAPHQL_RATE_LIMIT)
    if rate is None:
        return None
    now = time.time() if now is None else now
    window = int(now // rate.seconds)
    key = f"{CACHE_PREFIX}:{rate.requests}/{rate.seconds}:{window}:{client_key(request)}"
    cache = caches[settings.GRAPHQL_RATE_LIMIT_CACHE]
    # add() then incr(): atomic on every shared backend; the entry expires with its window.
    cache.add(key, 0, timeout=rate.seconds + 1)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.add(key, 1, timeout=rate.seconds + 1)
        count = 1
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
