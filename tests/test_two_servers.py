"""Stateless web processes: two gunicorn servers with the production settings on one PostgreSQL and one Redis
agree on a client's rate-limit budget and on a signed-in session, whichever of them a request reaches."""

from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request
import uuid

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import override_settings

from cms.core.localdb import database_url
from tests.servers import TEST_REDIS_URL, gunicorn_server, production_env, redis_or_skip

pytestmark = pytest.mark.slow

BUDGET = 4
PASSWORD = "un-mot-de-passe-solide-42"  # noqa: S105


@pytest.fixture(scope="module")
def servers(django_db_setup, collected_static):
    """Two gunicorn servers sharing the test database and the real Redis (a key prefix of this module's own), started
    once for the module's tests: each start is a cold start of Django."""
    redis = redis_or_skip()
    prefix = f"tremplin-test-{uuid.uuid4().hex}"
    env = production_env(
        database_url(connection.settings_dict),
        REDIS_URL=TEST_REDIS_URL,
        CACHE_KEY_PREFIX=prefix,
        GRAPHQL_RATE_LIMIT=f"{BUDGET}/1000000",
        GRAPHQL_PERSISTED_ONLY="false",  # the budget is spent on an ad-hoc query
        STATIC_ROOT=str(collected_static),
    )
    try:
        with gunicorn_server(env, threads=2) as first, gunicorn_server(env, threads=2) as second:
            yield first, second, redis, prefix
    finally:
        _forget(redis, prefix)


@pytest.fixture
def two_servers(servers, committed_db):
    """The two servers, with the database committed (they see what the test writes) and nothing left in Redis by an
    earlier test (budgets, sessions, cached answers)."""
    _, _, redis, prefix = servers
    _forget(redis, prefix)
    return servers


def _forget(redis, prefix: str) -> None:
    for key in redis.scan_iter(match=f"{prefix}*"):
        redis.delete(key)


def request(url: str, data: dict | None = None, cookies: dict | None = None):
    """Status, cookies set and body of one request, following no redirect (cookies are sent by hand: production
    marks them Secure, and these servers speak plain HTTP)."""
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in (cookies or {}).items()), "Referer": url}
    opener = urllib.request.build_opener(NoRedirect)
    try:
        response = opener.open(urllib.request.Request(url, data=body, headers=headers), timeout=30)  # noqa: S310
    except urllib.error.HTTPError as error:
        response = error
    set_cookies = dict(cookie.split(";", 1)[0].split("=", 1) for cookie in response.headers.get_all("Set-Cookie") or [])
    return response.status, set_cookies, response.read().decode(errors="replace")


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def test_two_servers_share_one_rate_limit_budget(two_servers):
    first, second, _, _ = two_servers
    graphql = "/graphql/?" + urllib.parse.urlencode({"query": "{ domains { slug } }"})

    statuses = [request(url + graphql)[0] for url in [first, second] * (BUDGET // 2 + 1)]

    assert statuses == [200] * BUDGET + [429, 429]


def test_a_session_opened_on_one_server_is_signed_in_on_the_other(two_servers):
    first, second, redis, prefix = two_servers
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.PBKDF2PasswordHasher"]):
        get_user_model().objects.create_superuser("admin", "admin@tremplin.example", PASSWORD)
    page, cookies, body = request(f"{first}/admin/login/")
    assert (page, "csrftoken" in cookies) == (200, True), body[:2000]
    token = cookies["csrftoken"]

    status, signed_in, _ = request(
        f"{first}/admin/login/", {"username": "admin", "password": PASSWORD, "csrfmiddlewaretoken": token}, cookies
    )
    dashboard = request(f"{second}/admin/", cookies={**cookies, **signed_in})

    assert (status, "sessionid" in signed_in) == (302, True)
    assert dashboard[0] == 200
    assert any(b"django.contrib.sessions.cached_db" in key for key in redis.scan_iter(match=f"{prefix}*"))
