"""Typed errors: every error the API returns carries a stable ``extensions.code`` front-ends can switch on.

Resolvers raise the subclasses below; :class:`ErrorCodes` gives a code to everything else (syntax and validation
errors, refused queries, unexpected exceptions) and hides the details of unexpected ones outside DEBUG. Messages from
graphql-core are said again in French (:mod:`graphql_api.core.messages`), the original kept in ``extensions.detail``.
"""

from __future__ import annotations

import enum
import logging
import re
from collections.abc import Iterator

import strawberry
from django.conf import settings
from django.http import JsonResponse
from graphql import GraphQLError, GraphQLSyntaxError
from strawberry.extensions import SchemaExtension

from .messages import SYNTAX_ERROR, input_message, validation_message

logger = logging.getLogger(__name__)


class ErrorCode(enum.StrEnum):
    NOT_FOUND = "NOT_FOUND"
    FORBIDDEN = "FORBIDDEN"
    UNAUTHENTICATED = "UNAUTHENTICATED"
    BAD_USER_INPUT = "BAD_USER_INPUT"
    BAD_REQUEST = "BAD_REQUEST"
    GRAPHQL_PARSE_FAILED = "GRAPHQL_PARSE_FAILED"
    GRAPHQL_VALIDATION_FAILED = "GRAPHQL_VALIDATION_FAILED"
    RATE_LIMITED = "RATE_LIMITED"
    #: Apollo's code for a persisted query's hash the server does not know (its clients then send the text).
    PERSISTED_QUERY_NOT_FOUND = "PERSISTED_QUERY_NOT_FOUND"
    PERSISTED_QUERY_REQUIRED = "PERSISTED_QUERY_REQUIRED"
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


def error_response(status: int, message: str, code: ErrorCode, **extensions: object) -> JsonResponse:
    """An HTTP error answered before (or instead of) GraphQL execution, shaped like a GraphQL error; never cached."""
    response = JsonResponse(
        {"data": None, "errors": [{"message": message, "extensions": {"code": code.value, **extensions}}]},
        status=status,
    )
    response["Cache-Control"] = "private, no-store"
    return response


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


#: Set on the execution context while the document is validated: errors then are the document's, not its values'.
_VALIDATING = "_tremplin_validating"
#: What a failing scalar's ``parse_literal`` raises; graphql-core reports it as a validation error of the literal.
_LITERAL_ERRORS = (GraphQLError, ValueError, TypeError)


def _classify(error: GraphQLError, *, validating: bool) -> tuple[ErrorCode, str, str | None]:
    """(code, French message, limit named) of an error that has no code yet."""
    message, limit = _translate(error.message)
    original = error.original_error
    if limit is not None:
        return ErrorCode.BAD_USER_INPUT, message, limit
    if isinstance(error, GraphQLSyntaxError):
        return ErrorCode.GRAPHQL_PARSE_FAILED, SYNTAX_ERROR, None
    if validating and (original is None or isinstance(original, _LITERAL_ERRORS)):
        return ErrorCode.GRAPHQL_VALIDATION_FAILED, validation_message(error.message), None
    if original is None or isinstance(original, GraphQLError):
        # Without a path, graphql-core refused a variable's value before execution; with one, a resolver chose
        # its message.
        return ErrorCode.BAD_USER_INPUT, (input_message(error.message) if error.path is None else message), None
    return ErrorCode.INTERNAL_SERVER_ERROR, message, None


def with_code(error: GraphQLError, *, validating: bool = False) -> GraphQLError:
    """The same error with a code: BAD_USER_INPUT for what the client sent, GRAPHQL_PARSE_FAILED and
    GRAPHQL_VALIDATION_FAILED for a document graphql-core refused, INTERNAL_SERVER_ERROR otherwise (logged once,
    its details hidden outside DEBUG)."""
    if error.extensions and "code" in error.extensions:
        return error
    code, message, limit = _classify(error, validating=validating)
    extensions = {**(error.extensions or {}), "code": code.value}
    if code == ErrorCode.INTERNAL_SERVER_ERROR:
        logger.error("GraphQL resolver failed", exc_info=error.original_error)
        if not settings.DEBUG:
            message = "Erreur interne du serveur."
    elif message != error.message:
        extensions["detail"] = error.message
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
    """Outermost extension: codes the errors of a result an inner extension produced (the cost limit), and marks
    the validation phase so that :class:`CodedErrorsSchema` tells a validation error from a refused value."""

    def on_validate(self) -> Iterator[None]:
        setattr(self.execution_context, _VALIDATING, True)
        yield
        setattr(self.execution_context, _VALIDATING, False)

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
        validating = bool(getattr(execution_context, _VALIDATING, False))
        errors[:] = [with_code(error, validating=validating) for error in errors]
