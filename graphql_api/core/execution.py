"""Cheaper execution of the same schema: what runs once per field of every response, done once where it can be.

A page of 50 missions resolves ~1,400 fields; whatever runs per field runs 1,400 times. Three things are set up
here, each through an extension point the libraries provide, and only with ``GRAPHQL_FAST_PATH`` on (the default;
``graphql_api/schema.py``):

- :data:`ModelField`, the field class of our model types (``field_cls=ModelField``): a field that only reads a
  model column, the primary key or a foreign key resolves as a strawberry "basic" field, with no ``Info`` object,
  no argument parsing and no extension chain, by reading what the query already loaded (private API item 1 of
  :mod:`graphql_api.core.private_api`). Off, it is strawberry-django's own field class.
- :class:`QueryOptimizer`, strawberry-django's optimizer without its per-field ``resolve`` hook: strawberry wraps
  every field of every response in a schema extension's ``resolve``, and ours optimise their querysets where
  strawberry-django fields fetch them (``get_queryset``) anyway.
- :class:`MemoizedNameConverter`: the optimizer looks fields up by GraphQL name for every selected field of every
  request, recomputing each camelCase name; the conversion depends on the Python name only, so it is remembered.
"""

from __future__ import annotations

import functools
from typing import Any

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db.models import ManyToManyField, ManyToManyRel, ManyToOneRel, Model, OneToOneRel
from django.db.models.fields.related_descriptors import ForwardManyToOneDescriptor, ForwardOneToOneDescriptor
from django.db.models.manager import BaseManager
from django.db.models.query import QuerySet
from django.db.models.query_utils import DeferredAttribute
from graphql import GraphQLResolveInfo, OperationType
from strawberry.extensions import SchemaExtension
from strawberry.schema.name_converter import NameConverter
from strawberry.types.field import StrawberryField
from strawberry.types.info import Info
from strawberry.utils.str_converters import to_camel_case
from strawberry_django.fields.field import StrawberryDjangoField
from strawberry_django.optimizer import DjangoOptimizerExtension, OptimizerConfig, OptimizerStore

from graphql_api.core.optimizer import optimize
from graphql_api.core.private_api import prefetched_rows

#: Names kept by :class:`MemoizedNameConverter`: the schema's field and argument names, a few hundred.
_NAME_CACHE_SIZE = 4096
_NOT_LOADED = object()


class FastModelField(StrawberryDjangoField):
    """A strawberry-django field; one that only reads the model resolves like a plain attribute.

    "Only reads the model": no resolver, no field extension (permissions…), no argument, and the model attribute is
    either Django's plain column descriptor (not a file, a StreamField or a property), the primary key (``pk``) or
    a forward foreign key / one-to-one. A column's value is the one the optimised query loaded (``only()`` lists
    every selected column, the primary key always), read from the instance; a related object is the one
    ``select_related`` cached on the instance (what Django's descriptor returns); whatever the query did not load goes
    through strawberry-django's own ``get_result``, which loads it, as before. Lists (reverse and many-to-many
    relations) keep the full path (they need ``info`` for the nested type's queryset), except when the optimizer
    already prefetched their rows: those are read from the instance (``private_api.prefetched_rows``).
    """

    @functools.cached_property
    def _model_attribute(self) -> tuple[bool, str | None, Any]:
        """(reads the model only, attribute holding the column's value, foreign key whose related object it is).

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
            return self.is_relation, None, descriptor.field
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
            if column is not None:
                value = source.__dict__.get(column, _NOT_LOADED)
            elif related is not None:
                value = related.get_cached_value(source, default=_NOT_LOADED)
            else:
                value = _NOT_LOADED
            if value is not _NOT_LOADED:
                return value
        elif self._prefetch_cache_name is not None and source is not None:
            rows = prefetched_rows(source, self._prefetch_cache_name)
            if rows is not None:
                return rows
        return super().get_result(source, info, args, kwargs)


#: The field class of the model types: the fast one above, or strawberry-django's own with ``GRAPHQL_FAST_PATH`` off.
ModelField: type[StrawberryDjangoField] = FastModelField if settings.GRAPHQL_FAST_PATH else StrawberryDjangoField


def prefetch_cache_name(field: Any) -> str | None:
    """Where Django keeps the prefetched rows of a many-to-many or reverse relation on an instance (what its
    manager reads), or ``None`` for any other field."""
    if isinstance(field, ManyToManyField):
        return field.name
    if isinstance(field, ManyToManyRel):
        return field.field.related_query_name()
    if isinstance(field, ManyToOneRel) and not isinstance(field, OneToOneRel):
        return field.get_accessor_name()
    return None


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
