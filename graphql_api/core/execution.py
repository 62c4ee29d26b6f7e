"""Cheaper execution of the same schema: what runs once per field of every response, done once where it can be.

A page of 50 missions resolves ~1,400 fields; whatever runs per field runs 1,400 times. Four things are set up
here, each through an extension point the libraries provide:

- :class:`ModelField`, the field class of our model types (``field_cls=ModelField``): a field that only reads a
  model column, the primary key or a foreign key resolves as a strawberry "basic" field, with no ``Info`` object,
  no argument parsing and no extension chain, by reading what the query already loaded.
- :class:`QueryOptimizer`, strawberry-django's optimizer without its per-field ``resolve`` hook: strawberry wraps
  every field of every response in a schema extension's ``resolve``, and ours optimise their querysets where
  strawberry-django fields fetch them (``get_queryset``) anyway.
- :class:`MemoizedNameConverter`: the optimizer looks fields up by GraphQL name for every selected field of every
  request, recomputing each camelCase name; the conversion depends on the Python name only, so it is remembered.
- :class:`LeafExecutionContext`, the executor (``execution_context_class``): a scalar or enum field resolved as a
  basic field (above) skips building the resolve info and the generic value completion, which it does not use.
"""

from __future__ import annotations

import functools
import weakref
from collections.abc import Callable
from typing import Any, NamedTuple

from django.core.exceptions import FieldDoesNotExist
from django.db.models import Model
from django.db.models.fields.related_descriptors import ForwardManyToOneDescriptor, ForwardOneToOneDescriptor
from django.db.models.manager import BaseManager
from django.db.models.query import QuerySet
from django.db.models.query_utils import DeferredAttribute
from graphql import GraphQLNonNull, GraphQLObjectType, GraphQLResolveInfo, GraphQLSchema, OperationType, is_leaf_type
from graphql.pyutils import Undefined
from strawberry.extensions import SchemaExtension
from strawberry.schema.name_converter import NameConverter
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from strawberry.types.field import StrawberryField
from strawberry.types.info import Info
from strawberry.utils.str_converters import to_camel_case
from strawberry_django.fields.field import StrawberryDjangoField
from strawberry_django.optimizer import DjangoOptimizerExtension, OptimizerConfig, OptimizerStore
from strawberry_django.queryset import get_queryset_config

from graphql_api.core.inline import prefetch_cache_name
from graphql_api.core.optimizer import optimize

#: Names kept by :class:`MemoizedNameConverter`: the schema's field and argument names, a few hundred.
_NAME_CACHE_SIZE = 4096


class ModelField(StrawberryDjangoField):
    """A strawberry-django field; one that only reads the model resolves like a plain attribute.

    "Only reads the model": no resolver, no field extension (permissions…), no argument, and the model attribute is
    either Django's plain column descriptor (not a file, a StreamField or a property), the primary key (``pk``) or
    a forward foreign key / one-to-one. A column's value is the one the optimised query loaded (``only()`` lists
    every selected column, the primary key always), read from the instance; a related object is the one
    ``select_related`` put in the instance's relation cache (what Django's descriptor returns); whatever the query
    did not load goes through strawberry-django's own ``get_result``, which loads it, as before. Lists (reverse and
    many-to-many relations) keep the full path (they need ``info`` for the nested type's queryset), except when the
    optimizer already prefetched or inlined their rows: those are read from the instance (:func:`prefetched_rows`).
    """

    @functools.cached_property
    def _model_attribute(self) -> tuple[bool, str | None, str | None]:
        """(reads the model only, attribute holding the column's value, cache name of the related object).

        The last two are ``None`` when they do not apply: a column has no related object, a relation no column.
        """
        if self.base_resolver is not None or self.extensions or self.arguments:
            return False, None, None
        definition = self.origin_django_type
        model: type[Model] | None = definition.model if definition is not None else None
        if model is None:
            return False, None, None
        name = self.django_name or self.python_name
        if name == "pk" and model._meta.pk is not None:  # ``pk`` is a property over the primary key column
            return True, model._meta.pk.attname, None
        descriptor = getattr(model, name, None)
        if type(descriptor) is DeferredAttribute:  # subclasses wrap values (files, foreign key ids)
            return not self.is_relation, descriptor.field.attname, None
        if type(descriptor) in (ForwardManyToOneDescriptor, ForwardOneToOneDescriptor):
            return self.is_relation, None, descriptor.field.cache_name
        return False, None, None

    @functools.cached_property
    def _prefetch_cache_name(self) -> str | None:
        """For a plain list of a many-to-many or reverse relation: the key under which Django keeps its prefetched
        rows on the instance (what the relation's manager reads); ``None`` for any other field."""
        if self.base_resolver is not None or self.extensions or not self.is_list:
            return None
        if self.is_connection or self.is_paginated:
            return None
        definition = self.origin_django_type
        model: type[Model] | None = definition.model if definition is not None else None
        try:
            field = model._meta.get_field(self.django_name or self.python_name) if model is not None else None
        except FieldDoesNotExist:
            return None
        return prefetch_cache_name(field)

    @property
    def is_basic_field(self) -> bool:
        return self._model_attribute[0]

    def get_result(self, source: Any, info: Any, args: list[Any], kwargs: dict[str, Any]) -> Any:
        # Strawberry calls basic fields without ``info``. A column or a related object the query did not load (not in
        # the instance's ``__dict__`` / relation cache, which ``select_related`` fills) is fetched the usual way.
        if info is None:
            _, column, related = self._model_attribute
            try:
                if column is not None:
                    return source.__dict__[column]
                if related is not None:
                    return source._state.fields_cache[related]
            except KeyError:
                pass
        elif self._prefetch_cache_name is not None and source is not None:
            rows = prefetched_rows(source, self._prefetch_cache_name)
            if rows is not None:
                return rows
        return super().get_result(source, info, args, kwargs)


def prefetched_rows(instance: Model, cache_name: str) -> list[Model] | None:
    """The rows the optimizer prefetched (or read inline) for ``instance``'s relation, else ``None``.

    strawberry-django would reach the same list through the relation's managers (two per modelcluster relation) and
    its queryset hook, which returns a queryset marked as optimised by prefetching untouched; a prefetch without that
    mark (made outside the optimizer, so without the nested type's ``get_queryset``) and a modelcluster relation
    holding unsaved rows (a previewed draft) go the usual way.
    """
    try:
        queryset = instance._prefetched_objects_cache[cache_name]
    except (AttributeError, KeyError):
        return None
    if queryset._result_cache is None or not get_queryset_config(queryset).optimized_by_prefetching:
        return None
    if cache_name in getattr(instance, "_cluster_related_objects", {}):
        return None
    return queryset._result_cache


class QueryOptimizer(DjangoOptimizerExtension):
    """strawberry-django's optimizer, minus the hook that wraps the resolution of every field.

    Every queryset of this schema is fetched by a strawberry-django field, whose ``get_queryset`` applies the
    optimizer (the extension stays active for the operation through ``on_execute``); the inherited ``resolve`` only
    re-checked each of the ~1,400 values of a page for a queryset left unoptimised. The query counts pinned in
    ``tests/graphql/test_query_counts.py`` hold without it. Fields' querysets go through
    :func:`graphql_api.core.optimizer.optimize`, which keeps the plan of a static sub-selection.
    """

    resolve = SchemaExtension.resolve

    def optimize(
        self, qs: QuerySet | BaseManager, info: GraphQLResolveInfo | Info, *, store: OptimizerStore | None = None
    ) -> QuerySet:
        if store is not None:
            return super().optimize(qs, info, store=store)
        if not self.enabled.get():
            return qs
        config = OptimizerConfig(
            enable_only=self.enable_only and info.operation.operation == OperationType.QUERY,
            enable_select_related=self.enable_select_related,
            enable_prefetch_related=self.enable_prefetch_related,
            enable_annotate=self.enable_annotate_optimization,
            prefetch_custom_queryset=self.prefetch_custom_queryset,
        )
        return optimize(qs, info, config=config)


_camel_case = functools.lru_cache(maxsize=_NAME_CACHE_SIZE)(to_camel_case)


class MemoizedNameConverter(NameConverter):
    """Strawberry's name converter, remembering each ``snake_case`` → ``camelCase`` conversion and each field's name.

    To find the field a selection names, the optimizer compares the selection with the GraphQL name of every field
    of the type in turn (~330 names per offer detail); a field's name is fixed once the field is defined, so it is
    computed once per field object (fields compare and hash by identity, and live as long as the schema).
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._field_names: dict[StrawberryField, str] = {}

    def apply_naming_config(self, name: str) -> str:
        return _camel_case(name) if self.auto_camel_case else name

    def get_graphql_name(self, obj: Any) -> str:
        if type(obj).__hash__ is not object.__hash__ or not isinstance(obj, StrawberryField):
            return super().get_graphql_name(obj)
        try:
            return self._field_names[obj]
        except KeyError:
            name = self._field_names[obj] = super().get_graphql_name(obj)
            return name


class _Leaf(NamedTuple):
    """What resolving one basic scalar/enum field takes: its resolver and its type's output coercion."""

    resolve: Callable[..., Any]
    coerce: Callable[[Any], Any]
    non_null: bool


#: Per schema, the basic scalar/enum fields by (object type name, field name), listed once.
_LEAVES: weakref.WeakKeyDictionary[GraphQLSchema, dict[tuple[str, str], _Leaf]] = weakref.WeakKeyDictionary()


def _basic_leaves(schema: GraphQLSchema) -> dict[tuple[str, str], _Leaf]:
    """The fields of ``schema``'s object types that strawberry resolves as basic fields and that return a scalar or
    an enum; strawberry marks such a field's resolver ``_get_basic_result`` (it takes no ``info``)."""
    leaves = _LEAVES.get(schema)
    if leaves is not None:
        return leaves
    leaves = {}
    for type_name, named_type in schema.type_map.items():
        if not isinstance(named_type, GraphQLObjectType) or type_name.startswith("__"):
            continue
        for field_name, field in named_type.fields.items():
            resolve = field.resolve
            if resolve is None or getattr(resolve, "__name__", "") != "_get_basic_result" or field.args:
                continue
            non_null = isinstance(field.type, GraphQLNonNull)
            output_type = field.type.of_type if non_null else field.type
            if is_leaf_type(output_type):
                leaves[(type_name, field_name)] = _Leaf(resolve, output_type.coerce_output_value, non_null)
    _LEAVES[schema] = leaves
    return leaves


class LeafExecutionContext(StrawberryGraphQLCoreExecutionContext):
    """graphql-core's executor with a short path for the fields most of a response is made of.

    For every field, graphql-core builds a resolve info (a 15-item tuple), then completes the value through the
    generic ``complete_value`` (exception, non-null, list, leaf, abstract, object checks). A basic scalar or enum
    field (a model column, see :class:`ModelField`) uses neither: its resolver ignores ``info`` and its value only
    needs its type's output coercion. Anything unusual on that path (an exception, a null, a value the type refuses)
    goes back to graphql-core's own ``execute_field``, so errors and their locations stay graphql-core's.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._leaves = _basic_leaves(self.schema)

    def execute_field(self, parent_type, source, field_details_list, path, position_context):
        leaf = self._leaves.get((parent_type.name, field_details_list[0].node.name.value))
        if leaf is not None:
            try:
                result = leaf.resolve(source, None)
                if result is None:
                    if not leaf.non_null:
                        return None
                else:
                    coerced = leaf.coerce(result)
                    if coerced is not None and coerced is not Undefined:
                        return coerced
            except Exception:  # noqa: BLE001, S110 - graphql-core's path below reports it, located
                pass
        return super().execute_field(parent_type, source, field_details_list, path, position_context)
