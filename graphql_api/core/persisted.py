"""Persisted queries: the published operations (``frontend_contract/operations/``), sent by their SHA-256.

Every ``.graphql`` file under that folder (recursively) is registered when the app starts, under the SHA-256 of its
exact text and under that of its canonical printing (graphql-js's and graphql-core's ``print``, what Apollo's
persisted-query link hashes when it is given the parsed file). A client sends Apollo's convention,
``extensions: {"persistedQuery": {"version": 1, "sha256Hash": "…"}}`` (in a POST body, or in the ``extensions``
query parameter of a GET), with or without the ``query``:

- without it, the registered text runs; an unknown hash answers Apollo's ``PERSISTED_QUERY_NOT_FOUND`` error (its
  clients then send the text along with the hash);
- with it, the text runs if its SHA-256 is the hash sent, else the request is refused.

``GRAPHQL_PERSISTED_ONLY`` (on in production) restricts anonymous clients (no API key, no signed-in user) to the
registered operations, by hash or by text; partners with a key keep sending any operation.
"""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

from django.http import HttpResponse
from graphql import GraphQLError, parse, print_ast

from .errors import ErrorCode, error_response

OPERATIONS_DIR = Path(__file__).resolve().parents[2] / "frontend_contract" / "operations"

NOT_FOUND = "Requête persistée inconnue : renvoyez-la avec son texte (« query »)."
MISMATCH = "L'empreinte SHA-256 envoyée (« sha256Hash ») ne correspond pas au texte de la requête."
MALFORMED = (
    "« extensions.persistedQuery » doit être de la forme "
    '{"version": 1, "sha256Hash": "<SHA-256 du texte de la requête, en hexadécimal>"}.'
)
ONLY_REGISTERED = (
    "Sans clé d'API, seules les opérations publiées (frontend_contract/operations/) sont acceptées : "
    "envoyez l'empreinte SHA-256 de l'une d'elles (extensions.persistedQuery) ou son texte exact."
)


class Refusal(Exception):  # noqa: N818 - not an error of the server: a request it declines, with its answer
    """A request declined before execution, with the answer to send."""

    def __init__(self, response: HttpResponse) -> None:
        super().__init__(response.content)
        self.response = response


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@functools.cache
def registry(directory: Path = OPERATIONS_DIR) -> dict[str, str]:
    """SHA-256 → text of every operation file under ``directory``."""
    table: dict[str, str] = {}
    for path in sorted(directory.rglob("*.graphql")):
        text = path.read_text(encoding="utf-8")
        table[sha256(text)] = text
        try:
            printed = print_ast(parse(text))
        except GraphQLError:  # a broken file is caught by the contract's tests; it is still registered as written
            continue
        table.setdefault(sha256(printed), printed)
    return table


def is_registered(query: str) -> bool:
    return sha256(query) in registry()


def resolve(query: str | None, extensions: dict | None) -> str | None:
    """The text to run for a request's ``query`` and ``extensions``; raises :class:`Refusal` when there is none."""
    persisted = (extensions or {}).get("persistedQuery")
    if persisted is None:
        return query
    digest = persisted.get("sha256Hash") if isinstance(persisted, dict) else None
    if not isinstance(digest, str) or persisted.get("version") != 1:
        raise Refusal(error_response(400, MALFORMED, ErrorCode.BAD_REQUEST))
    digest = digest.strip().lower()
    if query is not None:
        if sha256(query) != digest:
            raise Refusal(error_response(400, MISMATCH, ErrorCode.BAD_REQUEST))
        return query
    text = registry().get(digest)
    if text is None:
        # Apollo's clients recognise the code (and retry with the text); 200 as Apollo Server answers it.
        raise Refusal(error_response(200, NOT_FOUND, ErrorCode.PERSISTED_QUERY_NOT_FOUND))
    return text


def only_registered(query: str | None) -> None:
    """Under ``GRAPHQL_PERSISTED_ONLY``, for an anonymous client: refuse a text that is not a registered operation."""
    if query is not None and not is_registered(query):
        raise Refusal(error_response(403, ONLY_REGISTERED, ErrorCode.PERSISTED_QUERY_REQUIRED))
