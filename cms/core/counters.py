"""Fixed-window counters in a shared cache, counted in one round trip.

Django's cache API counts in three round trips to Redis (``add`` the key with its timeout, then ``incr``, which first
asks whether the key exists); under load each is a wake-up of Redis and of the waiting thread. When the cache alias
is Django's Redis backend, :func:`count` sends ``SET key 0 EX timeout NX`` and ``INCR key`` together in one
``MULTI``/``EXEC`` (atomic: the counter never lives without its timeout) through a redis-py client of its own on the
same server, under the key the cache itself would use (:meth:`~django.core.cache.BaseCache.make_key`) and as the
integer the cache stores; any other backend counts through the cache API.
"""

from __future__ import annotations

import functools

from django.conf import settings
from django.core.cache import caches

REDIS_BACKEND = "django.core.cache.backends.redis.RedisCache"


@functools.cache
def _client(location: str, options: tuple):
    import redis

    return redis.Redis.from_url(location, **dict(options))


def redis_client(alias: str):
    """A redis-py client of the (write) server behind cache ``alias`` when it is Django's Redis backend, else None."""
    config = settings.CACHES[alias]
    if config.get("BACKEND") != REDIS_BACKEND:
        return None
    location = config.get("LOCATION")
    servers = location if isinstance(location, list | tuple) else str(location).split(",")
    return _client(servers[0].strip(), tuple(sorted(config.get("OPTIONS", {}).items())))


def count(alias: str, key: str, timeout: int) -> int:
    """Add one to the counter ``key`` of cache ``alias``, created at 0 for ``timeout`` seconds if missing; the new
    value. Raises whatever the cache raises when it fails."""
    cache = caches[alias]
    client = redis_client(alias)
    if client is not None:
        full_key = cache.make_key(key)
        pipeline = client.pipeline(transaction=True)
        pipeline.set(full_key, 0, ex=timeout, nx=True)
        pipeline.incr(full_key)
        return int(pipeline.execute()[1])
    cache.add(key, 0, timeout=timeout)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.add(key, 1, timeout=timeout)
        return 1
