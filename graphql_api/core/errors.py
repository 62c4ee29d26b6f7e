"""Typed errors: every error the API returns carries a stable ``extensions.code`` front-ends can switch on.

Resolvers raise the subclasses below; :class:`ErrorCodes` gives a code to everything else (syntax and validation
errors, refused queries, unexpected exceptions) and hides the details of unexpected ones outside DEBUG.
"""

from __future__ import annotations

import enum
import logging
import re
from collections.abc import Iterator

import strawberry
from django.conf import settings
from graphql import GraphQLError
from strawberry.extensions import SchemaExtension

logger = logging.getLogger(__name__)


class ErrorCode(enum.StrEnum):
    NOT_FOUND = "NOT_FOUND"
    FORBIDDEN = "FORBIDDEN"
    UNAUTHENTICATED = "UNAUTHENTICATED"
    BAD_USER_INPUT = "BAD_USER_INPUT"
    RATE_LIMITED = "RATE_LIMITED"
    INTERNAL_SERVER_ERROR = "INTERNAL_SERVER_ERROR"


class ApiError(GraphQLError):
    code: ErrorCode = ErrorCode.INTERNAL_SERVER_ERROR

    def __init__(self, message: str, **extensions: object) -> None:
        super().__init__(message, extensions={"code": self.code.value, **extensions})


class NotFound(ApiError):
    code = ErrorCode.NOT_FOUND


class Forbidden(ApiError):
    code = ErrorCode.FORBIDDEN


class Unauthenticated(ApiError):
    code = ErrorCode.UNAUTHENTICATED


class BadUserInput(ApiError):
    code = ErrorCode.BAD_USER_INPUT


class RateLimited(ApiError):
    code = ErrorCode.RATE_LIMITED


# Messages of strawberry's built-in limiters and relay pagination, said again in French with the limit named.
_KNOWN_MESSAGES: list[tuple[re.Pattern[str], str, str]] = [
    (
        re.compile(r"exceeds maximum operation depth of (\d+)"),
        "La requête est trop profonde : {0} niveaux d'imbrication au plus.",
        "depth",
    ),
    (
        re.compile(r"aliases found\. Allowed: (\d+)"),
        "La requête contient trop d'alias : {0} au plus.",
        "aliases",
    ),
    (
        re.compile(r"Document contains more than (\d+) tokens"),
        "La requête est trop longue : {0} jetons au plus.",
        "tokens",
    ),
    (
        re.compile(r"introspection has been disabled, but the requested query contained the field '(\w+)'"),
        "L'introspection du schéma est désactivée sur ce serveur (champ « {0} ») : le schéma est publié à part.",
        "introspection",
    ),
    (
        re.compile(r"Argument '(?:first|last)' cannot be higher than (\d+)"),
        "Une page contient au plus {0} éléments.",
        "pageSize",
    ),
    (
        re.compile(r"Argument '(?:first|last)' must be a non-negative integer"),
        "La taille de page doit être positive.",
        "pageSize",
    ),
]


def _translate(message: str) -> tuple[str, str | None]:
    for pattern, french, limit in _KNOWN_MESSAGES:
        match = pattern.search(message)
        if match:
            value = next((group for group in match.groups() if group), "")
            return french.format(value), limit
    return message, None


def with_code(error: GraphQLError) -> GraphQLError:
    """The same error with a code: BAD_USER_INPUT for what the client sent, INTERNAL_SERVER_ERROR otherwise."""
    if error.extensions and "code" in error.extensions:
        return error
    original = error.original_error
    message, limit = _translate(error.message)
    if original is None or limit is not None or isinstance(original, GraphQLError):
        code = ErrorCode.BAD_USER_INPUT
    else:
        code = ErrorCode.INTERNAL_SERVER_ERROR
        logger.error("GraphQL resolver failed", exc_info=original)
        if not settings.DEBUG:
            message = "Erreur interne du serveur."
    extensions = {**(error.extensions or {}), "code": code.value}
    if limit:
        extensions["limit"] = limit
    return GraphQLError(
        message,
        nodes=error.nodes,
        source=error.source,
        positions=error.positions,
        path=error.path,
        original_error=None,
        extensions=extensions,
    )


class ErrorCodes(SchemaExtension):
    """Outermost extension: codes the errors of a result an inner extension produced (the cost limit)."""

    def on_operation(self) -> Iterator[None]:
        yield
        result = self.execution_context.result
        if result is not None and result.errors:
            result.errors = [with_code(error) for error in result.errors]


class CodedErrorsSchema(strawberry.Schema):
    """A schema whose errors all carry ``extensions.code``.

    Strawberry hands every list of errors it returns (syntax, validation, limits, resolvers) to ``process_errors``
    before answering, including errors raised inside extensions that never reach ``ExecutionContext.result``; the list
    is replaced in place. Only unexpected errors are logged (by :func:`with_code`), not the client's mistakes.
    """

    def process_errors(self, errors: list[GraphQLError], execution_context=None) -> None:
        errors[:] = [with_code(error) for error in errors]
