"""Media types of GraphQL over HTTP: ``application/graphql-response+json`` for clients that ask, ``application/json``
for everyone else.

The spec (https://graphql.github.io/graphql-over-http/) lets a client say ``Accept: application/graphql-response+json``
and then expects the status code to tell a *request error* (the document does not parse or validate, a variable cannot
be coerced: nothing was executed) from an executed operation: 400 and no ``data`` entry for the first, 200 for the
second even when fields failed. Clients that accept ``application/json`` (or anything, or say nothing) keep the legacy
behaviour: 200 with ``data: null`` and the errors, exactly as before.
"""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest, HttpResponseBase

GRAPHQL_RESPONSE = "application/graphql-response+json"
JSON = "application/json"
_SUPPORTED = (GRAPHQL_RESPONSE, JSON)
_WITH_DATA = b'{"data":{'


def negotiate(request: HttpRequest) -> str:
    """The media type of the answer: the supported type the ``Accept`` header prefers, ``application/json`` when it
    names neither (no header, ``*/*``, ``text/html``…)."""
    best, best_quality = JSON, 0.0
    for position, item in enumerate(request.headers.get("Accept", "").split(",")):
        media, _, params = item.strip().partition(";")
        media = media.strip().lower()
        if media not in _SUPPORTED:
            continue
        quality = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name.strip() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        # Equal qualities: the first listed wins (ties broken by position, hence the tiny penalty).
        score = quality - position * 1e-6
        if quality > 0 and score > best_quality:
            best, best_quality = media, score
    return best


def is_request_error(payload: Any) -> bool:
    """Whether a GraphQL response body reports a request error: errors and no data, none of them at a field's path."""
    if not isinstance(payload, dict) or payload.get("data") is not None:
        return False
    errors = payload.get("errors")
    return bool(errors) and all(isinstance(error, dict) and not error.get("path") for error in errors)


def as_graphql_response(payload: dict[str, Any]) -> tuple[int | None, dict[str, Any]]:
    """(status to answer with, or None to keep it; body) under ``application/graphql-response+json``."""
    if is_request_error(payload):
        return 400, {key: value for key, value in payload.items() if key != "data"}
    return None, payload


def in_media_type(response: HttpResponseBase, media: str) -> HttpResponseBase:
    """A JSON response built without knowing the client's media type (a refusal before execution), re-shaped for it:
    unchanged for ``application/json``; for ``application/graphql-response+json``, that content type and a request
    error's status (a 4xx is kept) without its ``data`` entry."""
    if media == JSON or not response.get("Content-Type", "").startswith(JSON):
        return response
    if not response.content.startswith(_WITH_DATA):  # an answer with data is never a request error: not re-read
        try:
            payload = json.loads(response.content)
        except ValueError:
            return response
        status, body = as_graphql_response(payload)
        if body is not payload:
            response.content = json.dumps(body).encode()
        if status is not None and response.status_code < 400:
            response.status_code = status
    response["Content-Type"] = f"{GRAPHQL_RESPONSE}; charset=utf-8"
    return response
