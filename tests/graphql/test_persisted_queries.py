"""Persisted queries: the published operations (``frontend_contract/operations/``) sent by their SHA-256, Apollo's
way, by POST or GET; unknown hashes, mismatches and, under ``GRAPHQL_PERSISTED_ONLY``, unpublished texts refused in
French."""

from __future__ import annotations

import hashlib
import json

import pytest
from graphql import parse, print_ast

from cms.partners_api.models import ApiKey
from graphql_api.core.persisted import MISMATCH, NOT_FOUND, ONLY_REGISTERED, OPERATIONS_DIR, registry

FILTER_TAXONOMY = (OPERATIONS_DIR / "filter_taxonomy.graphql").read_text(encoding="utf-8")
DOMAINS = "{ domains { slug } }"


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def persisted(digest: str) -> dict:
    return {"persistedQuery": {"version": 1, "sha256Hash": digest}}


def post(client, body: dict, **headers):
    return client.post("/graphql/", body, content_type="application/json", headers=headers)


def codes(response) -> list[str]:
    return [error["extensions"]["code"] for error in response.json().get("errors", [])]


def test_every_published_operation_is_registered_by_the_hash_of_its_text_and_of_its_printing():
    files = sorted(OPERATIONS_DIR.rglob("*.graphql"))
    texts = [path.read_text(encoding="utf-8") for path in files]

    assert any(path.parent.name == "partners" for path in files)
    assert {sha256(text) for text in texts} | {sha256(print_ast(parse(text))) for text in texts} == set(registry())


def test_a_registered_hash_alone_runs_its_operation_by_post(client, db):
    response = post(client, {"extensions": persisted(sha256(FILTER_TAXONOMY))})

    assert response.status_code == 200
    assert codes(response) == []
    assert response.json()["data"]["domains"]


def test_a_registered_hash_alone_runs_its_operation_by_get(client, db):
    params = {"extensions": json.dumps(persisted(sha256(FILTER_TAXONOMY)))}

    response = client.get("/graphql/", params, headers={"Accept": "*/*"})

    assert response.status_code == 200
    assert response.json()["data"]["domains"]
    assert "public" in response["Cache-Control"]


def test_the_hash_of_the_printed_operation_runs_it_too(client, db):
    response = post(client, {"extensions": persisted(sha256(print_ast(parse(FILTER_TAXONOMY))))})

    assert response.json()["data"]["domains"]


def test_an_unknown_hash_answers_apollos_persisted_query_not_found(client, db):
    response = post(client, {"extensions": persisted("0" * 64)})

    assert response.status_code == 200
    assert codes(response) == ["PERSISTED_QUERY_NOT_FOUND"]
    assert response.json()["errors"][0]["message"] == NOT_FOUND


def test_a_query_sent_with_its_hash_runs(client, db):
    response = post(client, {"query": DOMAINS, "extensions": persisted(sha256(DOMAINS))})

    assert response.json()["data"]["domains"]


def test_a_query_sent_with_another_hash_is_refused_in_french(client, db):
    response = post(client, {"query": DOMAINS, "extensions": persisted(sha256(FILTER_TAXONOMY))})

    assert response.status_code == 400
    assert codes(response) == ["BAD_REQUEST"]
    assert response.json()["errors"][0]["message"] == MISMATCH


@pytest.mark.parametrize(
    "extension",
    [{"version": 2, "sha256Hash": "0" * 64}, {"version": 1}, "abc", {"version": 1, "sha256Hash": 12}],
    ids=["version", "no hash", "not an object", "hash not a string"],
)
def test_a_malformed_persisted_query_extension_is_refused_in_french(client, db, extension):
    response = post(client, {"extensions": {"persistedQuery": extension}})

    assert response.status_code == 400
    assert "persistedQuery" in response.json()["errors"][0]["message"]


@pytest.fixture
def persisted_only(settings):
    settings.GRAPHQL_PERSISTED_ONLY = True


def test_persisted_only_refuses_an_unpublished_text_from_an_anonymous_client_in_french(client, db, persisted_only):
    response = post(client, {"query": DOMAINS})

    assert response.status_code == 403
    assert codes(response) == ["PERSISTED_QUERY_REQUIRED"]
    assert response.json()["errors"][0]["message"] == ONLY_REGISTERED


@pytest.mark.parametrize("by", ["hash", "text"])
def test_persisted_only_accepts_a_published_operation_by_hash_or_text(client, db, persisted_only, by):
    body = {"extensions": persisted(sha256(FILTER_TAXONOMY))} if by == "hash" else {"query": FILTER_TAXONOMY}

    response = post(client, body)

    assert response.status_code == 200
    assert response.json()["data"]["domains"]


def test_persisted_only_lets_a_partner_with_an_api_key_send_any_operation(client, db, persisted_only):
    secret = ApiKey.create_key(name="Partenaire", source="partenaire")[1]

    response = post(client, {"query": DOMAINS}, **{"X-Api-Key": secret})

    assert response.status_code == 200
    assert response.json()["data"]["domains"]
