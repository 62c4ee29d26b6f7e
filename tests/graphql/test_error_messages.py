"""Errors front-ends see are French and coded; graphql-core's English stays in ``extensions.detail``."""

from __future__ import annotations

import logging

import pytest

from graphql_api.taxonomy.queries import Query as TaxonomyQuery

MISSION = "query Mission($id: ID!) { mission(id: $id) { title } }"


def only_error(result):
    (error,) = result.errors
    return error


def test_a_syntax_error_is_parse_failed_in_french_with_its_location(run_query):
    error = only_error(run_query("{ domains { "))

    assert error.message == "Erreur de syntaxe dans la requête GraphQL."
    assert error.extensions == {"code": "GRAPHQL_PARSE_FAILED", "detail": "Syntax Error: Expected Name, found <EOF>."}
    assert error.locations[0].line == 1


def test_an_unknown_field_is_validation_failed_in_french(run_query):
    error = only_error(run_query("{ domainz { slug } }"))

    assert error.message == "Le champ « domainz » n'existe pas sur le type « Query »."
    assert error.extensions["code"] == "GRAPHQL_VALIDATION_FAILED"
    assert error.extensions["detail"].startswith("Cannot query field 'domainz' on type 'Query'.")


def test_an_unknown_argument_is_validation_failed_in_french(run_query):
    error = only_error(run_query("{ domains(colour: 1) { slug } }"))

    assert error.message == "L'argument « colour » n'existe pas sur le champ « Query.domains »."
    assert error.extensions["code"] == "GRAPHQL_VALIDATION_FAILED"


def test_a_missing_required_argument_is_validation_failed_in_french(run_query):
    error = only_error(run_query("mutation { archiveMission { clientId } }"))

    assert (
        error.message == "Le champ « archiveMission » demande l'argument « clientId » (type « String! »), qui manque."
    )
    assert error.extensions["code"] == "GRAPHQL_VALIDATION_FAILED"


def test_a_variable_of_the_wrong_type_is_validation_failed_in_french(run_query):
    error = only_error(run_query("query Mission($id: Int!) { mission(id: $id) { title } }", {"id": 1}))

    assert error.message == "La variable « $id » est de type « Int! » mais le type « ID » est attendu ici."
    assert error.extensions["code"] == "GRAPHQL_VALIDATION_FAILED"


def test_a_literal_of_the_wrong_type_is_validation_failed_in_french(run_query):
    error = only_error(run_query('{ missions(first: "dix") { totalCount } }'))

    assert error.message.startswith("Valeur invalide pour le type « Int »")
    assert error.extensions["code"] == "GRAPHQL_VALIDATION_FAILED"


def test_an_unknown_input_field_is_validation_failed_in_french(run_query):
    error = only_error(run_query("{ missions(filters: {colour: 1}) { totalCount } }"))

    assert error.message == "Le champ « colour » n'existe pas dans le type « MissionFilter »."


def test_an_unlisted_validation_error_gets_a_generic_french_message(run_query):
    error = only_error(run_query("{ domains @skip { slug } }"))

    assert error.extensions["code"] == "GRAPHQL_VALIDATION_FAILED"
    assert error.message == "La requête GraphQL est invalide."
    assert error.extensions["detail"]


def test_a_missing_variable_is_bad_user_input_in_french(run_query):
    error = only_error(run_query(MISSION, {}))

    assert error.message == "La variable obligatoire « $id » (type « ID! ») n'a pas été fournie."
    assert error.extensions["code"] == "BAD_USER_INPUT"


def test_a_null_for_a_required_variable_is_bad_user_input_in_french(run_query):
    error = only_error(run_query(MISSION, {"id": None}))

    assert error.message == "La variable « $id » (type « ID! ») ne peut pas être nulle."
    assert error.extensions["code"] == "BAD_USER_INPUT"


def test_a_variable_value_of_the_wrong_type_is_bad_user_input_in_french(run_query):
    error = only_error(run_query("query($n: Int) { missions(first: $n) { totalCount } }", {"n": "dix"}))

    assert error.message == "La variable « $n » a une valeur invalide."
    assert error.extensions["code"] == "BAD_USER_INPUT"
    assert "Int cannot represent" in error.extensions["detail"]


@pytest.fixture
def failing_domains(monkeypatch):
    field = next(f for f in TaxonomyQuery.__strawberry_definition__.fields if f.python_name == "domains")

    def broken(*_args, **_kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(field, "get_result", broken)


def test_an_unexpected_exception_is_a_french_internal_error_logged_once(client, db, failing_domains, caplog):
    caplog.set_level(logging.INFO)

    response = client.get("/graphql/", {"query": "{ domains { slug } }"})

    assert response.status_code == 200
    (error,) = response.json()["errors"]
    assert error["message"] == "Erreur interne du serveur."
    assert error["extensions"] == {"code": "INTERNAL_SERVER_ERROR"}
    assert "Traceback" not in response.content.decode()
    assert [record.getMessage() for record in caplog.records if record.levelno >= logging.WARNING] == [
        "GraphQL resolver failed"
    ]
