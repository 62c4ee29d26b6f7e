"""The /graphql/ endpoint over HTTP: GET for caches, ETag and If-None-Match, CORS per origin, GraphiQL in DEBUG."""

from __future__ import annotations

import json

import pytest

from tests.factories.missions import MissionFactory

DOMAINS = "{ domains { slug } }"


@pytest.fixture
def mission(db):
    return MissionFactory(title="Lire avec les enfants")


def test_a_query_sent_by_get_is_answered(client, db):
    response = client.get("/graphql/", {"query": DOMAINS})

    assert response.status_code == 200
    assert "domains" in response.json()["data"]


def test_a_get_response_carries_an_etag_and_is_publicly_cacheable(client, db, settings):
    response = client.get("/graphql/", {"query": DOMAINS})

    assert response["ETag"].startswith('"')
    assert "public" in response["Cache-Control"]
    assert f"max-age={settings.GRAPHQL_CACHE_MAX_AGE}" in response["Cache-Control"]


def test_a_get_with_the_current_etag_gets_304_without_a_body(client, db):
    etag = client.get("/graphql/", {"query": DOMAINS})["ETag"]

    response = client.get("/graphql/", {"query": DOMAINS}, headers={"If-None-Match": etag})

    assert response.status_code == 304
    assert response.content == b""


def test_a_get_with_a_stale_etag_gets_the_new_content(client, mission):
    query = "{ missions(first: 10) { edges { node { title } } } }"
    etag = client.get("/graphql/", {"query": query})["ETag"]
    mission.title = "Lire avec les enfants, le samedi"
    mission.save()

    response = client.get("/graphql/", {"query": query}, headers={"If-None-Match": etag})

    assert response.status_code == 200
    assert response.json()["data"]["missions"]["edges"][0]["node"]["title"] == "Lire avec les enfants, le samedi"


def test_a_post_is_answered_but_not_publicly_cached(client, db):
    response = client.post("/graphql/", json.dumps({"query": DOMAINS}), content_type="application/json")

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_a_response_with_errors_is_not_cached(client, db):
    response = client.get("/graphql/", {"query": "{ mission(id: 999999) { title } }"})

    assert response.json()["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    assert "no-store" in response["Cache-Control"]


def test_a_preview_is_never_publicly_cached(client, db):
    query = 'query { page(previewToken: "faux") { title } }'

    response = client.get("/graphql/", {"query": query})

    assert response.json()["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert "public" not in response["Cache-Control"]


def test_cors_allows_a_configured_origin(client, db, settings):
    settings.CORS_ALLOWED_ORIGINS = ["https://app.cje.example.fr"]

    response = client.get("/graphql/", {"query": DOMAINS}, headers={"Origin": "https://app.cje.example.fr"})

    assert response["Access-Control-Allow-Origin"] == "https://app.cje.example.fr"


def test_cors_ignores_an_origin_that_is_not_configured(client, db, settings):
    settings.CORS_ALLOWED_ORIGINS = ["https://app.cje.example.fr"]

    response = client.get("/graphql/", {"query": DOMAINS}, headers={"Origin": "https://evil.example.com"})

    assert "Access-Control-Allow-Origin" not in response


def test_cors_preflight_from_a_configured_origin_is_accepted(client, db, settings):
    settings.CORS_ALLOWED_ORIGINS = ["https://app.cje.example.fr"]

    response = client.options(
        "/graphql/",
        headers={"Origin": "https://app.cje.example.fr", "Access-Control-Request-Method": "POST"},
    )

    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "https://app.cje.example.fr"


def test_graphiql_is_served_in_debug(client, db, settings):
    settings.DEBUG = True

    response = client.get("/graphql/", headers={"Accept": "text/html"})

    assert response.status_code == 200
    assert b"graphiql" in response.content.lower()


def test_graphiql_is_not_served_outside_debug(client, db, settings):
    settings.DEBUG = False

    response = client.get("/graphql/", headers={"Accept": "text/html"})

    assert b"graphiql" not in response.content.lower()


def test_a_mutation_cannot_be_sent_by_get(client, db):
    response = client.get("/graphql/", {"query": "mutation { noSuchThing }"})

    assert response.status_code in (400, 405)
