"""``make serve``'s stack for real: gunicorn with the production settings, WhiteNoise serving the collected static
files under hashed, compressed names, psycopg's connection pool behind the readiness probe, and stateless web
processes: two servers on one PostgreSQL and one Redis agree on a client's rate-limit budget (by address, or by API key
whatever header carries it), on a signed-in session, and on cached answers, which a publication in a third process
(this one) changes at once, whichever of them a request reaches.

The two servers are started once for the module (each start is a cold start of Django); a server on a database that
does not answer is started for its own test.
"""

from __future__ import annotations

import json
import secrets
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from unittest.mock import ANY

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import override_settings

from cms.core.localdb import database_url
from cms.partners_api.models import ApiKey
from cms.settings.base import caches_for
from tests.factories.pages import ContentPageFactory
from tests.servers import (
    TEST_REDIS_URL,
    free_port,
    gunicorn_server,
    production_env,
    redis_or_none,
    redis_or_skip,
)

pytestmark = pytest.mark.slow

#: A static file every install has (Wagtail's admin), looked up in the manifest under its hashed name.
STATIC_FILE = "wagtailadmin/js/core.js"
#: Requests per client in a window of 11 days (no test straddles two): more than a test asks but the budget's own.
BUDGET = 6
PASSWORD = "un-mot-de-passe-solide-42"  # noqa: S105
#: The servers check API keys' HMAC with it: keys are created under it.
SERVERS_SECRET_KEY = secrets.token_urlsafe(64)
DOMAINS = "{ domains { slug } }"
PAGE = "query Page($path: String!) { page(urlPath: $path) { title } }"


@pytest.fixture(scope="module")
def servers(django_db_setup, collected_static):
    """Two gunicorn servers sharing the test database and, when it answers, the real Redis (a key prefix of this
    module's own), their answers cached there as production does with a shared cache."""
    redis = redis_or_none()
    prefix = f"tremplin-test-{uuid.uuid4().hex}"
    shared = {"REDIS_URL": TEST_REDIS_URL, "CACHE_KEY_PREFIX": prefix} if redis else {}
    env = production_env(
        database_url(connection.settings_dict),
        secret_key=SERVERS_SECRET_KEY,
        GRAPHQL_RATE_LIMIT=f"{BUDGET}/1000000",
        GRAPHQL_PERSISTED_ONLY="false",  # the budget is spent on an ad-hoc query
        STATIC_ROOT=str(collected_static),
        **shared,
    )
    try:
        with gunicorn_server(env, threads=2) as first, gunicorn_server(env, threads=2) as second:
            yield first, second, redis, prefix
    finally:
        if redis:
            _forget(redis, prefix)


@pytest.fixture
def two_servers(servers, committed_db):
    """The two servers sharing Redis (skipped without it), with the database committed (they see what the test
    writes) and nothing left in Redis by an earlier test (budgets, sessions, cached answers)."""
    redis_or_skip()
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


def fetch(url: str, **headers: str):
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=30) as response:  # noqa: S310
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def hashed_name(static_root, name: str) -> str:
    return json.loads((static_root / "staticfiles.json").read_text())["paths"][name]


def test_a_collected_static_file_is_served_under_its_hashed_name_for_a_year(servers, collected_static):
    url, static_root = servers[0], collected_static
    hashed = hashed_name(static_root, STATIC_FILE)

    status, headers, body = fetch(f"{url}/static/{hashed}")

    assert hashed != STATIC_FILE
    assert status == 200
    assert "immutable" in headers["Cache-Control"]
    assert body == (static_root / hashed).read_bytes()


def test_static_files_are_sent_compressed_to_clients_that_accept_it(servers, collected_static):
    url, static_root = servers[0], collected_static

    status, headers, _ = fetch(f"{url}/static/{hashed_name(static_root, STATIC_FILE)}", **{"Accept-Encoding": "gzip"})

    assert (status, headers.get("Content-Encoding")) == (200, "gzip")


def test_gunicorn_with_the_pool_is_ready(servers):
    url = servers[0]

    status, headers, body = fetch(f"{url}/readyz")

    assert (status, json.loads(body), headers["Cache-Control"]) == (200, {"status": "ok", "checks": ANY}, "no-store")


def test_a_database_that_does_not_answer_makes_readyz_fail_within_its_timeout_and_healthz_still_pass():
    env = production_env(f"postgres://postgres@127.0.0.1:{free_port()}/nothing", HEALTH_CHECK_TIMEOUT="1")
    with gunicorn_server(env, workers=1, threads=2) as url:
        alive = fetch(f"{url}/healthz")[0]
        started = time.monotonic()
        status, _, body = fetch(f"{url}/readyz")
        elapsed = time.monotonic() - started

    assert (alive, status, json.loads(body)["checks"]["database"]["status"]) == (200, 503, "error")
    assert elapsed < 5


def graphql(query: str, **variables) -> str:
    return "/graphql/?" + urllib.parse.urlencode({"query": query, "variables": json.dumps(variables)})


def test_two_servers_share_one_rate_limit_budget(two_servers):
    first, second, _, _ = two_servers

    statuses = [fetch(url + graphql(DOMAINS))[0] for url in [first, second] * (BUDGET // 2 + 1)]

    assert statuses == [200] * BUDGET + [429, 429]


def test_two_servers_share_the_budget_of_a_key_whatever_header_carries_it(two_servers):
    first, second, _, _ = two_servers
    with override_settings(SECRET_KEY=SERVERS_SECRET_KEY):
        secret = ApiKey.create_key(name="Partenaire", source="partenaire", rate_limit=BUDGET)[1]
    headers = [{"X-Api-Key": secret}, {"Authorization": f"Bearer {secret}"}]

    keyed = [
        fetch(url + graphql(DOMAINS), **headers[n % 2])[0] for n, url in enumerate([first, second] * (BUDGET // 2))
    ]
    over = fetch(first + graphql(DOMAINS), **headers[0])[0]
    anonymous = fetch(second + graphql(DOMAINS))[0]

    assert keyed == [200] * BUDGET
    assert (over, anonymous) == (429, 200)


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


def ask(url: str) -> tuple[str, str]:
    """(X-Cache, page title) of a server's answer to the page query, asked under one address for both servers as
    behind a load balancer (cached answers are kept per host)."""
    query = urllib.request.Request(url + graphql(PAGE, path="/qui-sommes-nous/"), headers={"Host": "127.0.0.1"})  # noqa: S310
    with urllib.request.urlopen(query, timeout=30) as response:  # noqa: S310 - a loopback server the test started
        return response.headers["X-Cache"], json.loads(response.read())["data"]["page"]["title"]


def test_a_publication_in_another_process_changes_the_cached_answer_of_both_servers_at_once(two_servers):
    first, second, _, prefix = two_servers
    page = ContentPageFactory(title="Qui sommes-nous", slug="qui-sommes-nous")
    with override_settings(CACHES=caches_for(TEST_REDIS_URL, prefix), GRAPHQL_ANSWER_CACHE="default"):
        before = [ask(first), ask(second)]

        page.title = "Brouillon"
        page.save_revision()
        after_draft = ask(first)

        page.title = "Qui sommes-nous ?"
        page.save_revision().publish()
        after_publication = [ask(second), ask(first)]

    assert before == [("miss", "Qui sommes-nous"), ("hit", "Qui sommes-nous")]
    assert after_draft == ("hit", "Qui sommes-nous")
    assert after_publication == [("miss", "Qui sommes-nous ?"), ("hit", "Qui sommes-nous ?")]
