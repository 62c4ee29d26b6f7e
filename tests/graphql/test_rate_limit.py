"""Rate limiting of /graphql/ per client: fixed windows counted in Django's cache, 429 + Retry-After when over."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory, override_settings

from cms.partners_api.models import ApiKey
from graphql_api.core.ratelimit import parse_rate, retry_after

DOMAINS = "{ domains { slug } }"
#: Windows long enough (11 days) for a test's requests never to straddle two: windows are aligned on the clock, so
#: with a minute a test's requests fell in two windows whenever it ran across a minute's end.
WINDOW = 1_000_000
ONE, TWO = f"1/{WINDOW}", f"2/{WINDOW}"


def ask(client, **headers):
    return client.get("/graphql/", {"query": DOMAINS}, headers=headers)


@override_settings(GRAPHQL_RATE_LIMIT=TWO)
def test_requests_within_the_limit_are_answered(client, db):
    assert [ask(client).status_code for _ in range(2)] == [200, 200]


@override_settings(GRAPHQL_RATE_LIMIT=TWO)
def test_a_request_over_the_limit_gets_429_with_retry_after(client, db):
    ask(client), ask(client)

    response = ask(client)

    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= WINDOW


@override_settings(GRAPHQL_RATE_LIMIT=ONE)
def test_a_refused_request_carries_a_rate_limited_error_in_french(client, db):
    ask(client)

    body = ask(client).json()

    assert body["data"] is None
    [error] = body["errors"]
    assert error["extensions"]["code"] == "RATE_LIMITED"
    assert error["message"].startswith("Trop de requêtes")


@override_settings(GRAPHQL_RATE_LIMIT=ONE)
def test_a_refused_request_is_not_publicly_cacheable(client, db):
    ask(client)

    assert "no-store" in ask(client)["Cache-Control"]


@override_settings(GRAPHQL_RATE_LIMIT=ONE)
def test_posted_queries_count_too(client, db):
    client.post("/graphql/", {"query": DOMAINS}, content_type="application/json")

    response = client.post("/graphql/", {"query": DOMAINS}, content_type="application/json")

    assert response.status_code == 429


@pytest.fixture
def partner_secret(db) -> str:
    return ApiKey.create_key(name="Partenaire A", source="partenaire-a", rate_limit=1)[1]


@override_settings(GRAPHQL_RATE_LIMIT=ONE)
def test_each_api_key_that_authenticates_has_its_own_counter(client, partner_secret):
    other_secret = ApiKey.create_key(name="Partenaire B", source="partenaire-b", rate_limit=1)[1]
    ask(client, **{"X-Api-Key": partner_secret})

    assert ask(client, **{"X-Api-Key": other_secret}).status_code == 200
    assert ask(client, **{"X-Api-Key": partner_secret}).status_code == 429


@override_settings(GRAPHQL_RATE_LIMIT=ONE)
def test_an_api_key_is_counted_apart_from_the_address_it_comes_from(client, partner_secret):
    ask(client)

    assert ask(client, **{"X-Api-Key": partner_secret}).status_code == 200


@override_settings(GRAPHQL_RATE_LIMIT=ONE)
def test_a_key_sent_as_a_bearer_token_shares_the_counter_of_the_same_key_sent_in_x_api_key(client, partner_secret):
    ask(client, **{"X-Api-Key": partner_secret})

    assert ask(client, Authorization=f"Bearer {partner_secret}").status_code == 429


@override_settings(GRAPHQL_RATE_LIMIT=ONE)
def test_made_up_api_keys_are_counted_against_the_address_they_come_from(client, db):
    ask(client, **{"X-Api-Key": "trmp_invente-numero-1"})

    assert ask(client, **{"X-Api-Key": "trmp_invente-numero-2"}).status_code == 429


@override_settings(GRAPHQL_RATE_LIMIT=ONE)
def test_made_up_bearer_tokens_are_counted_against_the_address_they_come_from(client, db):
    ask(client, Authorization="Bearer trmp_invente-numero-1")

    assert ask(client, Authorization="Bearer trmp_invente-numero-2").status_code == 429


@override_settings(GRAPHQL_RATE_LIMIT=ONE)
def test_a_revoked_key_is_counted_against_the_address_it_comes_from(client, partner_secret):
    ApiKey.objects.get().revoke()
    ask(client)

    assert ask(client, **{"X-Api-Key": partner_secret}).status_code == 429


@override_settings(GRAPHQL_RATE_LIMIT=ONE)
def test_each_address_has_its_own_counter(client, db):
    client.get("/graphql/", {"query": DOMAINS}, REMOTE_ADDR="203.0.113.1")

    assert client.get("/graphql/", {"query": DOMAINS}, REMOTE_ADDR="203.0.113.2").status_code == 200
    assert client.get("/graphql/", {"query": DOMAINS}, REMOTE_ADDR="203.0.113.1").status_code == 429


@override_settings(GRAPHQL_RATE_LIMIT=ONE, CLIENT_IP_HEADER="X-Forwarded-For")
def test_behind_a_trusted_proxy_the_address_it_forwards_is_the_client(client, db):
    ask(client, **{"X-Forwarded-For": "198.51.100.7, 203.0.113.1"})

    assert ask(client, **{"X-Forwarded-For": "203.0.113.2"}).status_code == 200
    assert ask(client, **{"X-Forwarded-For": "1.2.3.4, 203.0.113.1"}).status_code == 429


@override_settings(GRAPHQL_RATE_LIMIT=ONE, CLIENT_IP_HEADER="X-Forwarded-For")
def test_a_forwarded_value_that_is_not_an_address_counts_as_the_proxy_own_address(client, db):
    ask(client, **{"X-Forwarded-For": "pas-une-adresse"})

    assert ask(client, **{"X-Forwarded-For": "autre-chose"}).status_code == 429


@override_settings(GRAPHQL_RATE_LIMIT=ONE)
def test_without_a_trusted_proxy_a_forwarded_header_cannot_dodge_the_limit(client, db):
    ask(client, **{"X-Forwarded-For": "203.0.113.1"})

    assert ask(client, **{"X-Forwarded-For": "203.0.113.2"}).status_code == 429


@override_settings(GRAPHQL_RATE_LIMIT="off")
def test_a_limit_set_to_off_lets_every_request_through(client, db):
    assert {ask(client).status_code for _ in range(5)} == {200}


@override_settings(GRAPHQL_RATE_LIMIT="2/60")
def test_the_counter_starts_again_in_the_next_window(db):
    request = RequestFactory().get("/graphql/")
    counted = [retry_after(request, now=120.0 + offset) for offset in (0, 1, 2)]

    assert counted == [None, None, 58]
    assert retry_after(request, now=180.0) is None


def test_a_rate_is_read_as_requests_per_seconds():
    assert (parse_rate("300/60").requests, parse_rate("300/60").seconds) == (300, 60)


@pytest.mark.parametrize("value", ["300", "trois/60", "10/0", "-1/60"])
def test_a_malformed_rate_is_refused_with_a_clear_message(value):
    with pytest.raises(ImproperlyConfigured, match="GRAPHQL_RATE_LIMIT"):
        parse_rate(value)
