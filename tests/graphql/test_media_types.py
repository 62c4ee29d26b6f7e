"""The two media types of GraphQL over HTTP: ``application/graphql-response+json`` when the client asks for it (request
errors then answer 400 without ``data``), ``application/json`` otherwise, exactly as before."""

from __future__ import annotations

import pytest

GRAPHQL_RESPONSE = "application/graphql-response+json"
PAGE = "query Page($path: String!) { page(urlPath: $path) { title } }"


def post(client, body: dict, accept: str | None = GRAPHQL_RESPONSE):
    headers = {"Accept": accept} if accept is not None else {}
    return client.post("/graphql/", body, content_type="application/json", headers=headers)


def test_a_client_asking_for_graphql_response_json_gets_it(client, db):
    response = post(client, {"query": "{ __typename }"})

    assert response.status_code == 200
    assert response["Content-Type"].startswith(GRAPHQL_RESPONSE)
    assert response.json() == {"data": {"__typename": "Query"}}


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"query": "{"}, "GRAPHQL_PARSE_FAILED"),
        ({"query": "{ champInconnu }"}, "GRAPHQL_VALIDATION_FAILED"),
        ({"query": PAGE, "variables": {"path": 12}}, "BAD_USER_INPUT"),
    ],
    ids=["parse", "validation", "variable coercion"],
)
def test_a_request_error_is_a_400_without_data_under_graphql_response_json(client, db, body, code):
    response = post(client, body)

    assert response.status_code == 400
    assert response["Content-Type"].startswith(GRAPHQL_RESPONSE)
    assert "data" not in response.json()
    assert [error["extensions"]["code"] for error in response.json()["errors"]] == [code]


def test_a_field_error_is_still_a_200_with_data_under_graphql_response_json(client, db):
    response = post(client, {"query": PAGE, "variables": {"path": "/nulle-part/"}})

    assert response.status_code == 200
    assert "data" in response.json()  # null here: ``page`` is non-null, the error reached the root
    assert response.json()["errors"][0]["path"] == ["page"]


def test_a_request_refused_before_execution_uses_the_media_type_asked(client, db):
    response = post(client, {"variables": {}})

    assert response.status_code == 400
    assert response["Content-Type"].startswith(GRAPHQL_RESPONSE)
    assert "data" not in response.json()


@pytest.mark.parametrize("accept", [None, "application/json", "*/*"], ids=["no Accept", "json", "anything"])
def test_other_clients_keep_application_json_and_a_200_on_request_errors(client, db, accept):
    response = post(client, {"query": "{"}, accept=accept)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["data"] is None


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        (f"application/json;q=0.9, {GRAPHQL_RESPONSE}", GRAPHQL_RESPONSE),
        (f"{GRAPHQL_RESPONSE};q=0.5, application/json", "application/json"),
        (f"{GRAPHQL_RESPONSE}, application/json", GRAPHQL_RESPONSE),
        (f"{GRAPHQL_RESPONSE};q=0, application/json", "application/json"),
    ],
)
def test_the_accept_header_preference_decides(client, db, accept, expected):
    response = post(client, {"query": "{ __typename }"}, accept=accept)

    assert response["Content-Type"].startswith(expected)
