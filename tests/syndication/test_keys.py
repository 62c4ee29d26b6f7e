"""Partner keys: scopes, rotation with an overlap, per-key rate limits, clear refusals, secrets never logged."""

from __future__ import annotations

import datetime as dt
import logging

import pytest
from django.test import override_settings
from django.utils import timezone

from cms.partners_api.models import ApiKey, Scope
from tests.factories.missions import MissionFactory
from tests.factories.syndication import reading_key

MISSIONS = "{ missions(first: 5) { edges { node { title } } } }"
DOMAINS = "{ domains { slug } }"


def ask(client, query=MISSIONS, secret=None):
    headers = {"X-Api-Key": secret} if secret else {}
    return client.get("/graphql/", {"query": query}, headers=headers)


def test_a_key_made_without_scopes_pushes_missions_as_keys_always_did(db):
    key, _ = ApiKey.create_key(name="Ancienne", source="ancienne")

    assert key.scopes == [Scope.PUSH_MISSIONS]


def test_a_key_with_the_read_scope_reads_missions(client, db):
    MissionFactory(title="Lire avec les enfants")
    _, secret = reading_key()

    body = ask(client, secret=secret).json()

    assert [e["node"]["title"] for e in body["data"]["missions"]["edges"]] == ["Lire avec les enfants"]


def test_a_push_only_key_reading_missions_is_refused_in_french(client, db):
    MissionFactory()
    _, secret = ApiKey.create_key(name="Pousse", source="pousse")

    [error] = ask(client, secret=secret).json()["errors"]

    assert error["extensions"]["code"] == "FORBIDDEN"
    assert "lire les missions" in error["message"]


def test_a_read_only_key_cannot_push_missions(client, db):
    _, secret = reading_key()
    mutation = 'mutation { archiveMission(clientId: "x") { clientId } }'

    body = client.post("/graphql/", {"query": mutation}, content_type="application/json", headers={"X-Api-Key": secret})

    assert body.json()["errors"][0]["extensions"]["code"] == "FORBIDDEN"


def test_an_unknown_key_is_refused_with_401_and_a_clear_message(client, db):
    response = ask(client, DOMAINS, secret="trmp_inventee-de-toutes-pieces")

    assert response.status_code == 401
    assert response.json()["errors"][0]["message"].startswith("Clé d'API inconnue, révoquée ou expirée")


def test_a_revoked_key_is_refused_with_401(client, db):
    key, secret = reading_key()
    key.revoke()

    assert ask(client, DOMAINS, secret=secret).status_code == 401


def test_a_rotated_key_keeps_working_during_the_overlap(client, db):
    key, old_secret = reading_key()

    successor, new_secret = key.rotate(overlap=dt.timedelta(days=7))

    assert ask(client, DOMAINS, secret=old_secret).status_code == 200
    assert ask(client, DOMAINS, secret=new_secret).status_code == 200
    assert successor.scopes == key.scopes


def test_a_rotated_key_stops_working_after_the_overlap(client, db):
    key, old_secret = reading_key()
    key.rotate(overlap=dt.timedelta(days=7))
    ApiKey.objects.filter(pk=key.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))

    assert ask(client, DOMAINS, secret=old_secret).status_code == 401


@override_settings(GRAPHQL_RATE_LIMIT="1000/60")
def test_a_key_is_limited_by_its_own_rate_with_retry_after(client, db):
    _, secret = reading_key(rate_limit=2)
    ask(client, DOMAINS, secret=secret), ask(client, DOMAINS, secret=secret)

    response = ask(client, DOMAINS, secret=secret)

    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 60


@override_settings(GRAPHQL_RATE_LIMIT="1/60")
def test_a_key_rate_is_apart_from_the_address_rate(client, db):
    _, secret = reading_key()
    ask(client, DOMAINS)

    assert [ask(client, DOMAINS, secret=secret).status_code for _ in range(3)] == [200, 200, 200]


def test_a_new_key_may_send_600_requests_a_minute(db):
    key, _ = reading_key()

    assert key.rate_limit == 600


def test_a_refused_key_never_appears_in_the_logs(client, db, caplog):
    secret = "trmp_secretquinedoitpasfuir-123456"
    with caplog.at_level(logging.DEBUG):
        ask(client, DOMAINS, secret=secret)
        client.get("/v0/mission", headers={"x-api-key": secret})

    assert caplog.records
    assert secret not in caplog.text
    assert secret[8:] not in caplog.text


def test_the_usage_of_a_key_counts_its_requests(client, db):
    key, secret = reading_key()
    ask(client, DOMAINS, secret=secret), ask(client, DOMAINS, secret=secret)

    assert key.usage.get().requests == 2


def test_pushing_without_a_source_is_refused_in_french(db):
    key = ApiKey(name="Sans source", scopes=[Scope.PUSH_MISSIONS])
    key.set_new_secret()

    with pytest.raises(Exception, match="source des missions"):
        key.full_clean()
