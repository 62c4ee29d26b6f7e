"""Every private API of a library that the GraphQL performance layer relies on, and nothing else.

Each item below is something a library does not document (or documents as private) and may change in any release;
``tests/graphql/test_private_api.py`` has one test per item that fails naming it when an upgrade changes it. With
``GRAPHQL_FAST_PATH`` off, none of them is used. Everything else the layer uses is a public name of its library
(strawberry-django's hints, ``field_cls`` and ``optimize``; strawberry's schema extensions and ``Info``; Django's
query expressions, ``Prefetch`` and ``Model.from_db``).

1. **strawberry: ``StrawberryField.is_basic_field``.** A field reporting ``True`` is resolved by
   ``field.get_result(source, None, [], {})`` with no ``Info``, argument parsing or extension chain, the way strawberry
   resolves a plain attribute. ``FastModelField`` (``graphql_api/core/execution.py``) reports it for fields that only
   read a model column or a joined foreign key: most of a response.
2. **strawberry: ``Info._raw_info``.** graphql-core's resolve info behind strawberry's ``Info``, which
   strawberry-django's optimizer takes (:func:`raw_info`).
3. **strawberry: ``GraphQLSchema._strawberry_schema``.** The strawberry schema behind graphql-core's, to find the
   strawberry type of a GraphQL type while walking a selection (:func:`strawberry_schema`).
4. **strawberry-django: ``optimize(qs, info, store=…)`` merges its hints into ``store`` when ``store`` is truthy**
   (``store = store or OptimizerStore()``, then ``store |= hints``). :class:`RecordingStore` is never falsy, so what
   the optimizer applied is what it recorded: the plan cache (``graphql_api/core/optimizer.py``) keeps it.
5. **strawberry-django: ``get_queryset_config(qs).optimized``**, the mark that makes the optimizer leave a queryset as
   it is: set on a queryset a kept plan was applied to (:func:`mark_optimized`).
6. **Django: ``QuerySet._result_cache``, ``Model._prefetched_objects_cache``.** The rows a prefetch stored on an
   instance, read directly (:func:`prefetched_rows`) instead of through the relation's manager, which would build a
   queryset per parent only to find them; and whether a queryset was evaluated (:func:`is_evaluated`).
7. **modelcluster: ``ClusterableModel._cluster_related_objects``.** The unsaved rows of a previewed draft, which must
   win over prefetched ones (:func:`prefetched_rows`).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Model
from django.db.models.query import QuerySet
from graphql import GraphQLResolveInfo, GraphQLSchema
from strawberry.types.info import Info
from strawberry_django.optimizer import OptimizerStore, is_optimized_by_prefetching
from strawberry_django.queryset import get_queryset_config

__all__ = [
    "RecordingStore",
    "is_evaluated",
    "mark_optimized",
    "prefetched_rows",
    "raw_info",
    "strawberry_schema",
]


def raw_info(info: GraphQLResolveInfo | Info) -> GraphQLResolveInfo:
    """Item 2: graphql-core's resolve info, from strawberry's ``Info`` or as it is."""
    return info._raw_info if isinstance(info, Info) else info


def strawberry_schema(schema: GraphQLSchema) -> Any:
    """Item 3: the strawberry schema that built ``schema``."""
    return schema._strawberry_schema  # type: ignore[attr-defined]


class RecordingStore(OptimizerStore):
    """Item 4: an initial store that is never empty, so that ``strawberry_django.optimizer.optimize`` merges the hints
    it plans into it instead of a store of its own."""

    def __bool__(self) -> bool:
        return True


def mark_optimized(qs: QuerySet) -> QuerySet:
    """Item 5: mark ``qs`` as optimised, as strawberry-django's ``optimize`` does once it applied its hints."""
    get_queryset_config(qs).optimized = True
    return qs


def is_evaluated(qs: QuerySet) -> bool:
    """Item 6: whether ``qs`` already holds its rows."""
    return qs._result_cache is not None


def prefetched_rows(instance: Model, cache_name: str) -> list[Model] | None:
    """Items 6 and 7: the rows the optimizer prefetched for ``instance``'s relation (Django's prefetch key
    ``cache_name``), else ``None``.

    A prefetch not made by the optimizer (so without the nested type's ``get_queryset``) and a modelcluster relation
    holding unsaved rows (a previewed draft) answer ``None``: the caller then goes the usual way.
    """
    try:
        queryset = instance._prefetched_objects_cache[cache_name]
    except (AttributeError, KeyError):
        return None
    if queryset._result_cache is None or not is_optimized_by_prefetching(queryset):
        return None
    if cache_name in getattr(instance, "_cluster_related_objects", {}):
        return None
    return queryset._result_cache
