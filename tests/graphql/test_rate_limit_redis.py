"""The rate limit against a real Redis: counters shared by every process, and requests let through when it is down.

Each test writes under a key prefix of its own and deletes what it wrote; the two server processes, started once for
the module, have a prefix of their own, emptied before each test that uses them.
"""

from __future__ import annotations

import logging
import secrets
import urllib.error
import urllib.parse
import urllib.request
import uuid

import pytest
from django.test import override_settings

from cms.partners_api.models import ApiKey
from cms.settings.base import caches_for
from tests.servers import TEST_REDIS_URL, django_server, free_port, production_env, redis_or_skip

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


def get(url: str, **headers: str) -> int:
    query = urllib.parse.urlencode({"query": DOMAINS})
    request = urllib.request.Request(f"{url}/graphql/?{query}", headers=headers)  # noqa: S310 - loopback server
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - a loopback server the test started
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def server_env_for(redis_prefix: str, secret_key: str | None = None) -> dict[str, str]:
    """Production settings against the test database and the real Redis, with a small budget."""
    return production_env(
        secret_key=secret_key,
        REDIS_URL=TEST_REDIS_URL,
        CACHE_KEY_PREFIX=redis_prefix,
        GRAPHQL_RATE_LIMIT=RATE,
        GRAPHQL_PERSISTED_ONLY="false",  # the budget is spent on an ad-hoc query
    )


#: The servers check API keys' HMAC with it: keys are created under it.
SERVERS_SECRET_KEY = secrets.token_urlsafe(64)


@pytest.fixture(scope="module")
def servers(django_db_setup):
    """Two runserver processes on the test database and the real Redis, started once for the module (each start is a
    cold start of Django), under a key prefix of their own. The tests that use them must sort together (pytest-django
    runs the tests on ``db`` first): neither asks for ``db``."""
    redis = redis_or_skip()
    prefix = f"tremplin-test-{uuid.uuid4().hex}"
    env = server_env_for(prefix, SERVERS_SECRET_KEY)
    try:
        with django_server(env) as first, django_server(env) as second:
            yield first, second, redis, prefix
    finally:
        _forget(redis, prefix)


@pytest.fixture
def two_servers(servers) -> tuple[str, str]:
    """The two servers' URLs, with nothing left in Redis by an earlier test (budgets, cached answers)."""
    first, second, redis, prefix = servers
    _forget(redis, prefix)
    return first, second


def _forget(redis, prefix: str) -> None:
    for key in redis.scan_iter(match=f"{prefix}*"):
        redis.delete(key)


@pytest.mark.slow
def test_two_server_processes_share_one_budget_through_redis(two_servers):
    first, second = two_servers
    alternate = [get(url) for url in [first, second] * (BUDGET // 2)]

    over = [get(first), get(second)]

    assert alternate == [200] * BUDGET
    assert over == [429, 429]


@pytest.mark.slow
def test_two_server_processes_share_the_budget_of_a_key_whatever_header_carries_it(committed_db, two_servers):
    first, second = two_servers
    with override_settings(SECRET_KEY=SERVERS_SECRET_KEY):
        secret = ApiKey.create_key(name="Partenaire", source="partenaire", rate_limit=BUDGET)[1]
    headers = [{"X-Api-Key": secret}, {"Authorization": f"Bearer {secret}"}]

    keyed = [get(url, **headers[n % 2]) for n, url in enumerate([first, second] * (BUDGET // 2))]

    over = get(first, **headers[0])
    anonymous = get(second)

    assert keyed == [200] * BUDGET
    assert (over, anonymous) == (429, 200)
