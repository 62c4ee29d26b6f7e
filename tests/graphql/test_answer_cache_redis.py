"""Cached answers shared through Redis by every process: a publication in one process changes what a server process
answers at once; a draft saved does not. A cache hit costs one round trip to Redis (two with the rate limit's
counter) and no database query.

The server is a process of its own (production settings, the test database, Redis); the test process publishes. Both
use a Redis key prefix of this test alone, deleted afterwards.
"""

from __future__ import annotations

import json
import urllib.parse
import urllib.request

import pytest
from django.test import override_settings

from cms.settings.base import caches_for
from tests.factories.pages import ContentPageFactory
from tests.servers import TEST_REDIS_URL, django_server, production_env

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


def ask(url: str) -> tuple[str, str]:
    """(X-Cache, page title) of the server's answer."""
    params = urllib.parse.urlencode({"query": PAGE, "variables": json.dumps({"path": "/qui-sommes-nous/"})})
    with urllib.request.urlopen(f"{url}/graphql/?{params}", timeout=30) as response:  # noqa: S310 - loopback server
        return response.headers["X-Cache"], json.loads(response.read())["data"]["page"]["title"]


@pytest.mark.slow
def test_a_publication_in_another_process_changes_the_cached_answer_at_once(committed_db, redis_prefix):
    page = ContentPageFactory(title="Qui sommes-nous", slug="qui-sommes-nous")
    env = production_env(
        REDIS_URL=TEST_REDIS_URL,
        CACHE_KEY_PREFIX=redis_prefix,
        GRAPHQL_RATE_LIMIT="off",
        GRAPHQL_PERSISTED_ONLY="false",
    )
    with (
        override_settings(CACHES=caches_for(TEST_REDIS_URL, redis_prefix), GRAPHQL_ANSWER_CACHE="default"),
        django_server(env) as url,
    ):
        before = [ask(url), ask(url)]

        page.title = "Brouillon"
        page.save_revision()
        after_draft = ask(url)

        page.title = "Qui sommes-nous ?"
        page.save_revision().publish()
        after_publication = [ask(url), ask(url)]

    assert before == [("miss", "Qui sommes-nous"), ("hit", "Qui sommes-nous")]
    assert after_draft == ("hit", "Qui sommes-nous")
    assert after_publication == [("miss", "Qui sommes-nous ?"), ("hit", "Qui sommes-nous ?")]
