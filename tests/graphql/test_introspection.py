"""Introspection through /graphql/: answered unless GRAPHQL_INTROSPECTION turns it off (production's default)."""

from __future__ import annotations

from django.test import override_settings

SCHEMA = "{ __schema { queryType { name } } }"
TYPE = '{ __type(name: "Query") { name } }'
TYPENAME = "{ __typename }"


def post(client, query: str) -> dict:
    response = client.post("/graphql/", {"query": query}, content_type="application/json")
    assert response.status_code == 200
    return response.json()


@override_settings(GRAPHQL_INTROSPECTION=True)
def test_the_schema_is_introspectable_when_introspection_is_on(client, db):
    assert post(client, SCHEMA)["data"] == {"__schema": {"queryType": {"name": "Query"}}}


@override_settings(GRAPHQL_INTROSPECTION=False)
def test_a_schema_query_is_refused_in_french_when_introspection_is_off(client, db):
    body = post(client, SCHEMA)

    assert body["data"] is None
    assert {error["extensions"]["code"] for error in body["errors"]} == {"BAD_USER_INPUT"}
    assert body["errors"][0]["message"].startswith("L'introspection du schéma est désactivée sur ce serveur")


@override_settings(GRAPHQL_INTROSPECTION=False)
def test_a_type_query_is_refused_when_introspection_is_off(client, db):
    assert post(client, TYPE)["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


@override_settings(GRAPHQL_INTROSPECTION=False)
def test_typename_still_answers_when_introspection_is_off(client, db):
    assert post(client, TYPENAME) == {"data": {"__typename": "Query"}}
