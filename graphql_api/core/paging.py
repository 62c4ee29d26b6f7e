"""Plain lists that can grow long (a partner's offers, a page's children, partners) take ``first`` and ``offset``.

``first`` defaults to, and may not exceed, ``GRAPHQL_MAX_PAGE_SIZE``: the cost estimate (``limits.py``) charges such a
list at the ``first`` asked for, else at its default, and the list never returns more. Lists of model rows use
:class:`PagedModelField`, which hands the page to strawberry-django's own offset pagination (a window over each
parent's rows when the optimizer prefetches them, a slice otherwise); lists built by a resolver take the two arguments
and call :func:`page`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

from django.conf import settings
from django.db.models import QuerySet
from strawberry.annotation import StrawberryAnnotation
from strawberry.types.arguments import StrawberryArgument
from strawberry_django.pagination import OffsetPaginationInput

from .errors import BadUserInput
from .execution import ModelField

#: The default and the largest ``first`` of a paged list.
PAGE_SIZE: int = settings.GRAPHQL_MAX_PAGE_SIZE
FIRST_DESCRIPTION = f"Nombre d'éléments, {PAGE_SIZE} au plus (et par défaut)."
OFFSET_DESCRIPTION = "Nombre d'éléments à sauter depuis le début de la liste."

_Items = TypeVar("_Items", QuerySet, Sequence)


def check_page(first: int, offset: int) -> None:
    """Refuses a page size out of 0…``PAGE_SIZE`` or a negative offset, in French."""
    if not 0 <= first <= PAGE_SIZE:
        raise BadUserInput(f"« first » doit être compris entre 0 et {PAGE_SIZE}.", argument="first")
    if offset < 0:
        raise BadUserInput("« offset » ne peut pas être négatif.", argument="offset")


def page(items: _Items, first: int, offset: int) -> _Items:
    """``items[offset:offset + first]``, after :func:`check_page`."""
    check_page(first, offset)
    return items[offset : offset + first]


def _argument(name: str, default: int, description: str) -> StrawberryArgument:
    return StrawberryArgument(
        python_name=name,
        graphql_name=None,
        type_annotation=StrawberryAnnotation(int),
        default=default,
        description=description,
    )


class PagedModelField(ModelField):
    """A list of model rows with ``first`` (default and maximum :data:`PAGE_SIZE`) and ``offset`` arguments."""

    @property
    def arguments(self) -> list[StrawberryArgument]:
        arguments = super().arguments
        if not any(argument.python_name == "first" for argument in arguments):
            arguments = [
                *arguments,
                _argument("first", PAGE_SIZE, FIRST_DESCRIPTION),
                _argument("offset", 0, OFFSET_DESCRIPTION),
            ]
            self._cached_arguments = arguments
        return arguments

    @arguments.setter
    def arguments(self, value: list[StrawberryArgument]) -> None:
        ModelField.arguments.fset(self, value)  # type: ignore[attr-defined]

    def get_queryset(self, queryset: QuerySet, info: Any, *, first: int = PAGE_SIZE, offset: int = 0, **kwargs: Any):
        check_page(first, offset)
        return super().get_queryset(
            queryset, info, pagination=OffsetPaginationInput(offset=offset, limit=first), **kwargs
        )
