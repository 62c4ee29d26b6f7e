"""The rate limit against a real Redis: counters written there, and requests let through when it is down. Each test
writes under a key prefix of its own and deletes what it wrote. Two server processes sharing one budget through Redis:
tests/test_serve.py.
"""

from __future__ import annotations

import logging

import pytest
from django.test import override_settings

from cms.settings.base import caches_for
from tests.servers import TEST_REDIS_URL, free_port, redis_or_skip

DOMAINS = "{ domains { slug } }"
#: Four requests per window; the window is long enough (11 days) for a test never to straddle two.
BUDGET = 4
RATE = f"{BUDGET}/1000000"


def ask(client, **extra):
    return client.get("/graphql/", {"query": DOMAINS}, **extra)


@pytest.fixture
def redis_cache(redis_prefix):
    """CACHES as production builds it from REDIS_URL."""
    with override_settings(CACHES=caches_for(TEST_REDIS_URL, redis_prefix), GRAPHQL_RATE_LIMIT=RATE):
        yield redis_prefix


def test_counters_are_written_to_redis_when_redis_url_is_set(client, db, redis_cache):
    ask(client)

    assert list(redis_or_skip().scan_iter(match=f"{redis_cache}*graphql-rate*ip:127.0.0.1"))


def test_a_counter_in_redis_expires_with_its_window(client, db, redis_cache):
    ask(client)

    (key,) = redis_or_skip().scan_iter(match=f"{redis_cache}*graphql-rate*ip:127.0.0.1")

    assert 0 < redis_or_skip().ttl(key) <= 1_000_001


def test_the_budget_is_spent_in_redis_like_in_memory(client, db, redis_cache):
    statuses = [ask(client).status_code for _ in range(BUDGET + 1)]

    assert statuses == [200] * BUDGET + [429]


@override_settings(GRAPHQL_RATE_LIMIT="1/60")
def test_requests_are_answered_when_redis_is_down_and_each_logs_a_warning(client, db, caplog):
    with override_settings(CACHES=caches_for(f"redis://127.0.0.1:{free_port()}/0", "tremplin-test")):
        caplog.set_level(logging.WARNING, logger="graphql_api.core.ratelimit")
        statuses = [ask(client).status_code for _ in range(2)]

    assert statuses == [200, 200]
    assert [record.getMessage().startswith("Rate limit not counted") for record in caplog.records] == [True, True]
