"""Every hostile input reported against /graphql/ gets a 4xx or a coded French GraphQL error, never a 500."""

from __future__ import annotations

import base64
import json
import logging

import pytest

from cms.partners_api.models import ApiKey

pytestmark = pytest.mark.django_db

DOMAINS = "{ domains { slug } }"
SEARCH = "query Search($q: String, $after: String) { searchMissions(query: $q, after: $after) { totalCount } }"
SEARCH_DOMAINS = "query Search($d: [String!]) { searchMissions(filters: {domain: $d}) { totalCount } }"
MISSIONS_AFTER = "query Missions($after: String) { missions(first: 5, after: $after) { totalCount } }"
MISSIONS_IN = "query Missions($d: [String!]) { missions(first: 5, filters: {domain: $d}) { totalCount } }"
ARCHIVE = "mutation Archive($id: String!) { archiveMission(clientId: $id) { clientId } }"


def post(client, body: bytes | str, **kwargs):
    return client.post("/graphql/", body, content_type="application/json", **kwargs)


def post_graphql(client, query: str, variables: dict | None = None, **kwargs) -> dict:
    response = post(client, json.dumps({"query": query, "variables": variables}), **kwargs)
    assert response.status_code == 200
    return response.json()


def single_error(body: dict) -> dict:
    assert body["data"] is None or body.get("errors")
    (error,) = body["errors"]
    return error


@pytest.fixture
def quiet_logs(caplog):
    """The records logged at WARNING or above, the traceback of none of them."""
    caplog.set_level(logging.INFO)
    return caplog


def assert_no_traceback(caplog) -> None:
    assert not [record for record in caplog.records if record.exc_info], "a traceback was logged"
    assert not [record for record in caplog.records if record.levelno >= logging.ERROR]


@pytest.mark.parametrize("body", [b"42", b'"x"', b"null", b"[]", b"true"])
def test_a_body_that_is_not_a_json_object_is_refused_with_400(client, body, quiet_logs):
    response = post(client, body)

    assert response.status_code == 400
    error = single_error(response.json())
    assert error["extensions"]["code"] == "BAD_REQUEST"
    assert error["message"].startswith("Un objet JSON est attendu")
    assert_no_traceback(quiet_logs)


def test_a_body_that_is_not_json_is_refused_in_french(client):
    response = post(client, b"{query")

    assert response.status_code == 400
    assert single_error(response.json())["message"] == "Le corps de la requête n'est pas du JSON valide."


def test_a_body_that_is_not_utf8_is_refused_with_400(client, quiet_logs):
    response = post(client, '{"query": "{ domains { slug } }", "x": "é"}'.encode("latin-1"))

    assert response.status_code == 400
    assert single_error(response.json())["message"] == "Le corps de la requête doit être encodé en UTF-8."
    assert_no_traceback(quiet_logs)


def test_variables_nested_thousands_deep_are_refused_with_400(client, quiet_logs):
    deep = "[" * 5000 + "]" * 5000
    response = post(client, '{"query": "query($v: [String]) { domains { slug } }", "variables": {"v": ' + deep + "}}")

    assert response.status_code == 400
    assert single_error(response.json())["message"] == "Le JSON envoyé est trop imbriqué."
    assert_no_traceback(quiet_logs)


def test_variables_nested_past_the_limit_are_refused_before_execution(client, settings):
    deep = {
        "v": json.loads(
            "[" * (settings.GRAPHQL_MAX_VARIABLES_DEPTH + 1) + "]" * (settings.GRAPHQL_MAX_VARIABLES_DEPTH + 1)
        )
    }

    error = single_error(post_graphql(client, "query($v: [String]) { domains { slug } }", deep))

    assert error["extensions"] == {"code": "BAD_USER_INPUT", "limit": "variablesDepth"}


def test_a_variables_value_that_is_not_an_object_is_refused_in_french(client):
    response = post(client, json.dumps({"query": DOMAINS, "variables": [1, 2]}))

    assert response.status_code == 400
    assert "objet JSON" in single_error(response.json())["message"]


def test_a_list_variable_longer_than_the_limit_is_refused_before_it_is_coerced(client, settings, quiet_logs):
    domains = [str(i) for i in range(250_000)]

    error = single_error(post_graphql(client, MISSIONS_IN, {"d": domains}))

    assert error["extensions"] == {"code": "BAD_USER_INPUT", "limit": "listLength"}
    assert f"{settings.GRAPHQL_MAX_LIST_LENGTH} au plus" in error["message"]
    assert_no_traceback(quiet_logs)


def test_variables_larger_than_the_limit_are_refused(client, settings):
    settings.GRAPHQL_MAX_VARIABLES_BYTES = 1000

    error = single_error(post_graphql(client, SEARCH, {"q": "bénévolat " * 200}))

    assert error["extensions"] == {"code": "BAD_USER_INPUT", "limit": "variablesSize"}


def test_a_nul_byte_in_a_search_text_variable_is_refused(client, quiet_logs):
    error = single_error(post_graphql(client, SEARCH, {"q": "lecture\x00"}))

    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert "caractère interdit" in error["message"]
    assert_no_traceback(quiet_logs)


def test_a_nul_byte_in_a_search_text_literal_is_refused(client, quiet_logs):
    error = single_error(post_graphql(client, '{ searchMissions(query: "lecture\\u0000") { totalCount } }'))

    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert error["locations"] == [{"line": 1, "column": 25}]
    assert_no_traceback(quiet_logs)


def test_a_nul_byte_in_a_filter_is_refused(client, quiet_logs):
    error = single_error(post_graphql(client, SEARCH_DOMAINS, {"d": ["sante\x00"]}))

    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert_no_traceback(quiet_logs)


def test_a_lone_surrogate_in_a_text_is_refused(client, quiet_logs):
    response = post(
        client,
        '{"query": "query($q: String) { searchMissions(query: $q) { totalCount } }", "variables": {"q": "\\ud800"}}',
    )

    assert single_error(response.json())["extensions"]["code"] == "BAD_USER_INPUT"
    assert_no_traceback(quiet_logs)


def test_a_nul_byte_in_a_client_id_is_refused_before_the_push_api_reads_it(client, quiet_logs):
    secret = ApiKey.create_key(name="Partenaire", source="partenaire")[1]

    body = post_graphql(client, ARCHIVE, {"id": "abc\x00"}, headers={"Authorization": f"Bearer {secret}"})

    assert single_error(body)["extensions"]["code"] == "BAD_USER_INPUT"
    assert_no_traceback(quiet_logs)


def test_a_search_cursor_that_is_not_base64_is_refused(client, quiet_logs):
    error = single_error(post_graphql(client, SEARCH, {"after": "!!pas un curseur!!"}))

    assert error["message"] == "Curseur de pagination invalide."
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert_no_traceback(quiet_logs)


def test_a_search_cursor_that_overflows_is_refused(client, quiet_logs):
    cursor = base64.urlsafe_b64encode(b"o:" + b"9" * 40).decode()

    error = single_error(post_graphql(client, SEARCH, {"after": cursor}))

    assert error["message"] == "Curseur de pagination invalide."
    assert_no_traceback(quiet_logs)


def test_a_list_cursor_that_is_not_base64_is_refused(client, quiet_logs):
    error = single_error(post_graphql(client, MISSIONS_AFTER, {"after": "!!!"}))

    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert error["message"].startswith("Curseur de pagination invalide")
    assert_no_traceback(quiet_logs)


def test_a_list_cursor_that_overflows_is_refused(client, quiet_logs):
    cursor = base64.b64encode(b"arrayconnection:" + b"9" * 40).decode()

    error = single_error(post_graphql(client, MISSIONS_AFTER, {"after": cursor}))

    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert_no_traceback(quiet_logs)


def test_a_list_cursor_given_out_by_the_api_is_still_accepted(client):
    cursor = base64.b64encode(b"arrayconnection:4").decode()

    body = post_graphql(client, MISSIONS_AFTER, {"after": cursor})

    assert "errors" not in body


def test_a_25000_word_search_is_refused_in_french(client, quiet_logs):
    text = " ".join(f"mot{i}" for i in range(25_000))

    error = single_error(post_graphql(client, SEARCH, {"q": text}))

    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert error["message"].startswith("Le texte de recherche est trop long")
    assert_no_traceback(quiet_logs)


def test_a_search_of_many_short_words_is_refused_in_french(client):
    error = single_error(post_graphql(client, SEARCH, {"q": "a,b," * 40}))

    assert error["message"] == "Le texte de recherche est trop long : 30 mots au plus."


def test_a_body_over_the_upload_limit_is_refused_with_413(client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100

    response = post(client, json.dumps({"query": DOMAINS, "variables": {"q": "x" * 200}}))

    assert response.status_code == 413
    assert single_error(response.json())["extensions"]["code"] == "BAD_REQUEST"


def test_an_unsupported_content_type_is_refused_in_french(client):
    response = client.post("/graphql/", "query=1", content_type="text/plain")

    assert response.status_code == 400
    error = single_error(response.json())
    assert error["message"].startswith("Type de contenu non pris en charge")
    assert error["extensions"]["detail"] == "Unsupported content type"


def test_a_mutation_over_get_is_refused_in_french(client):
    response = client.get("/graphql/", {"query": ARCHIVE})

    assert response.status_code == 400
    assert single_error(response.json())["message"] == "Une mutation s'envoie en POST, pas en GET."


def test_a_get_without_a_query_is_refused_in_french(client):
    response = client.get("/graphql/", {"variables": "{}"})

    assert response.status_code == 400
    assert single_error(response.json())["message"] == "Aucune requête GraphQL reçue : envoyez-la dans « query »."


def test_a_blank_search_filter_value_filters_nothing(client, quiet_logs):
    body = post_graphql(client, SEARCH_DOMAINS, {"d": ["", " "]})

    assert "errors" not in body
    assert_no_traceback(quiet_logs)


def test_a_nul_byte_in_an_api_key_is_an_unknown_key(client, quiet_logs):
    headers = {"Authorization": "Bearer trmp_abc\x00defghijklmnop"}

    response = post(client, json.dumps({"query": ARCHIVE, "variables": {"id": "abc"}}), headers=headers)

    assert response.status_code == 401
    assert single_error(response.json())["extensions"]["code"] == "UNAUTHENTICATED"
    assert_no_traceback(quiet_logs)
