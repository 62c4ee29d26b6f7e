"""Relay connections whose ``totalCount`` is its own ``COUNT(*)``, not a window over every matching row.

strawberry-django answers ``totalCount`` of a top-level list with ``COUNT(1) OVER ()`` added to the page's query:
PostgreSQL must then join and number every matching row (every public mission) before it can keep one page.
Without the window the page is an index scan that stops after one page and the count a separate, narrow ``COUNT(*)``
(an index-only scan of the listing index): one more query, far less work. Nested connections (optimised by
prefetching) keep the library's per-parent window.

Cursors come from clients: one that is not a cursor this API gave out is refused with a French ``BAD_USER_INPUT``
before the library reads it (it would otherwise fail with a ``ValueError`` deep in its slicing).
"""

from __future__ import annotations

import inspect
from typing import Any

import strawberry
from django.conf import settings
from django.db.models import QuerySet
from strawberry import Info, relay
from strawberry.relay.types import PREFIX
from strawberry.relay.utils import from_base64
from strawberry_django.queryset import get_queryset_config
from strawberry_django.relay import DjangoListConnection

from .errors import BadUserInput

#: The largest offset a cursor may name (PostgreSQL's OFFSET is a bigint; no list is anywhere near this long).
MAX_CURSOR_OFFSET = 2**31 - 1


def check_cursor(cursor: str | None, argument: str) -> None:
    """Refuses a cursor that is not ``base64("arrayconnection:<offset>")`` with a sane offset."""
    if cursor is None:
        return
    try:
        prefix, offset = from_base64(cursor)
        valid = prefix == PREFIX and offset.isascii() and offset.isdigit() and int(offset) <= MAX_CURSOR_OFFSET
    except (ValueError, TypeError):
        valid = False
    if not valid:
        raise BadUserInput(f"Curseur de pagination invalide (« {argument} ») : reprenez un curseur reçu.")


@strawberry.type(name="Connection", description="Une page d'éléments, avec le nombre total d'éléments.")
class CountedListConnection(DjangoListConnection[relay.NodeType]):
    @classmethod
    def resolve_connection(
        cls,
        nodes: Any,
        *,
        info: Info,
        before: str | None = None,
        after: str | None = None,
        first: int | None = None,
        last: int | None = None,
        **kwargs: Any,
    ) -> Any:
        check_cursor(after, "after")
        check_cursor(before, "before")
        config = get_queryset_config(nodes) if isinstance(nodes, QuerySet) else None
        from_the_end = (last or 0) > 0 and before is None
        if config is None or config.optimized_by_prefetching or from_the_end:
            return super().resolve_connection(
                nodes, info=info, before=before, after=after, first=first, last=last, **kwargs
            )
        # relay.ListConnection slices the queryset; total_count() later counts ``nodes`` itself.
        conn = super(DjangoListConnection, cls).resolve_connection(
            nodes, info=info, before=before, after=after, first=first, last=last, **kwargs
        )
        if inspect.isawaitable(conn):

            async def with_nodes():
                resolved = await conn
                resolved.nodes = nodes
                return resolved

            return with_nodes()
        conn.nodes = nodes
        return conn


#: The largest offset an offset-paged list accepts: past it, a list should be read by cursor (the sitemap).
MAX_OFFSET = 10_000


def check_page(first: int, offset: int = 0, *, cap: int | None = None) -> None:
    """Refuses a page size outside 1…``cap`` (``GRAPHQL_MAX_PAGE_SIZE`` by default) or an offset outside
    0…:data:`MAX_OFFSET`, with a French ``BAD_USER_INPUT`` naming the argument."""
    cap = cap or settings.GRAPHQL_MAX_PAGE_SIZE
    if not 0 < first <= cap:
        raise BadUserInput(f"first doit être compris entre 1 et {cap}.", argument="first")
    if not 0 <= offset <= MAX_OFFSET:
        raise BadUserInput(f"offset doit être compris entre 0 et {MAX_OFFSET}.", argument="offset")
