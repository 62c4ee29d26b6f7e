"""Refuse hostile values before anything reads them: the one place every text and every variable is checked.

Two kinds of value reach resolvers: literals written in the document and variables sent beside it. Both are checked
here, for every argument of every field, instead of in each resolver:

- text: PostgreSQL refuses the NUL character in text and psycopg cannot encode a lone UTF-16 surrogate (JSON's
  ``"\\ud800"``); either would fail deep inside a query. Such a text is refused with ``BAD_USER_INPUT``, in a
  literal (:class:`TextLiteralRule`, a validation rule, cached with the document) or in a variable;
- variables: graphql-core coerces every value of every list before execution, so a list variable of 250,000 values
  costs seconds before any limit on the query applies. Their nesting depth, the length of each list and their total
  size are capped (``GRAPHQL_MAX_VARIABLES_DEPTH``, ``GRAPHQL_MAX_LIST_LENGTH``, ``GRAPHQL_MAX_VARIABLES_BYTES``).

Literals need no caps of their own: the token limit bounds them.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from django.conf import settings
from graphql import GraphQLError, StringValueNode, ValidationRule
from strawberry.extensions import SchemaExtension

from .errors import BadUserInput, ErrorCode

_REFUSED_TEXT = (
    "Un texte envoyé contient un caractère interdit (caractère nul ou UTF-16 isolé) : retirez-le et réessayez."
)


def refused_text(value: str) -> bool:
    """True for a text PostgreSQL cannot store: a NUL character, or a lone surrogate (not encodable in UTF-8)."""
    if "\x00" in value:
        return True
    if value.isascii():
        return False
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


class TextLiteralRule(ValidationRule):
    """Refuses a string literal (of any argument, at any depth) that :func:`refused_text` refuses."""

    def enter_string_value(self, node: StringValueNode, *_args: Any) -> None:
        if refused_text(node.value):
            self.report_error(GraphQLError(_REFUSED_TEXT, node, extensions={"code": ErrorCode.BAD_USER_INPUT.value}))


def _too_deep(depth: int) -> BadUserInput:
    return BadUserInput(
        f"Les variables sont trop imbriquées : {depth} niveaux au plus.",
        limit="variablesDepth",
    )


def check_variables(variables: Mapping[str, Any] | None) -> None:
    """Raises :class:`BadUserInput` for variables over a limit or holding a refused text.

    The walk keeps its own stack (no recursion, whatever the depth) and stops at the first value over a limit, so
    its cost is bounded by the limits, not by what was sent.
    """
    if not variables:
        return
    max_depth = settings.GRAPHQL_MAX_VARIABLES_DEPTH
    max_list = settings.GRAPHQL_MAX_LIST_LENGTH
    max_bytes = settings.GRAPHQL_MAX_VARIABLES_BYTES
    size = 0
    stack: list[tuple[Any, int]] = [(variables, 0)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, str):
            if refused_text(value):
                raise BadUserInput(_REFUSED_TEXT)
            size += len(value) if value.isascii() else len(value.encode("utf-8"))
        elif isinstance(value, Mapping):
            if depth >= max_depth:
                raise _too_deep(max_depth)
            size += 2 + sum(len(str(key)) + 4 for key in value)
            stack.extend((item, depth + 1) for item in value.values())
        elif isinstance(value, list | tuple):
            if depth >= max_depth:
                raise _too_deep(max_depth)
            if len(value) > max_list:
                raise BadUserInput(
                    f"Une liste envoyée en variable contient {len(value)} valeurs, {max_list} au plus.",
                    limit="listLength",
                )
            size += 2 + len(value)
            stack.extend((item, depth + 1) for item in value)
        else:
            size += 8
        if size > max_bytes:
            raise BadUserInput(
                f"Les variables sont trop volumineuses : {max_bytes} octets au plus.",
                limit="variablesSize",
            )


class InputGuard(SchemaExtension):
    """Checks the variables of every operation before it is even parsed (:func:`check_variables`)."""

    def on_operation(self) -> Iterator[None]:
        check_variables(self.execution_context.variables)
        yield
