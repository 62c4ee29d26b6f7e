"""Relay connections whose ``totalCount`` is its own ``COUNT(*)``, not a window over every matching row.

strawberry-django answers ``totalCount`` of a top-level list with ``COUNT(1) OVER ()`` added to the page's query:
PostgreSQL must then join and number every matching row (every public mission) before it can keep one page.
Without the window the page is an index scan that stops after one page and the count a separate, narrow ``COUNT(*)``
(an index-only scan of the listing index): one more query, far less work. Nested connections (optimised by
prefetching) keep the library's per-parent window.
"""

from __future__ import annotations

import inspect
from typing import Any

import strawberry
from django.db.models import QuerySet
from strawberry import Info, relay
from strawberry_django.queryset import get_queryset_config
from strawberry_django.relay import DjangoListConnection


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
