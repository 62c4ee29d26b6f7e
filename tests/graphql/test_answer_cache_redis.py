"""Cached answers in Redis: a cache hit costs one round trip to Redis (two with the rate limit's counter) and no
database query. A publication in one process changing what server processes answer at once, a draft saved not:
tests/test_serve.py.
"""

from __future__ import annotations

import pytest
from django.test import override_settings

from cms.settings.base import caches_for
from tests.servers import TEST_REDIS_URL

PAGE = "query Page($path: String!) { page(urlPath: $path) { title } }"
DOMAINS = "{ domains { slug } }"


@pytest.fixture
def round_trips(monkeypatch):
    """The number of round trips to Redis so far: each write of commands (one command, or a whole pipeline) to a
    connection is one."""
    from redis.connection import AbstractConnection

    sent = []
    send = AbstractConnection.send_packed_command

    def counting(self, command, check_health=True):
        sent.append(command)
        return send(self, command, check_health)

    monkeypatch.setattr(AbstractConnection, "send_packed_command", counting)
    return lambda: len(sent)


def hit_costs(client, round_trips, django_assert_num_queries) -> int:
    """Round trips to Redis of the second of two identical requests, asserted to be a cache hit with no query."""
    assert client.get("/graphql/", {"query": DOMAINS})["X-Cache"] == "miss"
    before = round_trips()
    with django_assert_num_queries(0):
        hit = client.get("/graphql/", {"query": DOMAINS})
    assert hit["X-Cache"] == "hit"
    return round_trips() - before


def test_a_cache_hit_costs_one_round_trip_to_redis_and_no_query(
    client, db, redis_prefix, round_trips, django_assert_num_queries
):
    redis_caches = caches_for(TEST_REDIS_URL, redis_prefix)
    with override_settings(CACHES=redis_caches, GRAPHQL_ANSWER_CACHE="default", GRAPHQL_RATE_LIMIT="off"):
        assert hit_costs(client, round_trips, django_assert_num_queries) == 1


def test_a_cache_hit_counted_by_the_rate_limit_costs_two_round_trips_to_redis(
    client, db, redis_prefix, round_trips, django_assert_num_queries
):
    redis_caches = caches_for(TEST_REDIS_URL, redis_prefix)
    with override_settings(CACHES=redis_caches, GRAPHQL_ANSWER_CACHE="default", GRAPHQL_RATE_LIMIT="100/60"):
        assert hit_costs(client, round_trips, django_assert_num_queries) == 2
