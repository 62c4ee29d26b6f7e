"""Cheaper execution of the same schema: what runs once per field of every response, done once where it can be.

A page of 50 missions resolves ~1,400 fields; whatever runs per field runs 1,400 times. Three things are set up
here, each through an extension point the libraries provide:

- :class:`ModelField`, the field class of our model types (``field_cls=ModelField``): a field that only reads a
  model column, the primary key or a foreign key resolves as a strawberry "basic" field, with no ``Info`` object,
  no argument parsing and no extension chain, by reading what the query already loaded.
- :class:`QueryOptimizer`, strawberry-django's optimizer without its per-field ``resolve`` hook: strawberry wraps
  every field of every response in a schema extension's ``resolve``, and ours optimise their querysets where
  strawberry-django fields fetch them (``get_queryset``) anyway.
- :class:`MemoizedNameConverter`: the optimizer looks fields up by GraphQL name for every selected field of every
  request, recomputing each camelCase name; the conversion depends on the Python name only, so it is remembered.
"""

from __future__ import annotations

import functools
from typing import Any

from django.db.models import Model
from django.db.models.fields.related_descriptors import ForwardManyToOneDescriptor, ForwardOneToOneDescriptor
from django.db.models.query_utils import DeferredAttribute
from strawberry.extensions import SchemaExtension
from strawberry.schema.name_converter import NameConverter
from strawberry.utils.str_converters import to_camel_case
from strawberry_django.fields.field import StrawberryDjangoField
from strawberry_django.optimizer import DjangoOptimizerExtension

#: Names kept by :class:`MemoizedNameConverter`: the schema's field and argument names, a few hundred.
_NAME_CACHE_SIZE = 4096


class ModelField(StrawberryDjangoField):
    """A strawberry-django field; one that only reads the model resolves like a plain attribute.

    "Only reads the model": no resolver, no field extension (permissions…), no argument, and the model attribute is
    either Django's plain column descriptor (not a file, a StreamField or a property), the primary key (``pk``) or
    a forward foreign key / one-to-one. A column's value is the one the optimised query loaded (``only()`` lists
    every selected column, the primary key always), read from the instance; a related object comes from the
    instance's cache (``select_related``) through strawberry-django's own ``get_result``, which also loads whatever
    the query did not, as before. Lists (reverse and many-to-many relations) keep the full path: they need ``info``
    for the nested type's queryset.
    """

    @functools.cached_property
    def _model_attribute(self) -> tuple[bool, str | None]:
        """(reads the model only, attribute holding the column's value or ``None`` for a relation)."""
        if self.base_resolver is not None or self.extensions or self.arguments:
            return False, None
        definition = self.origin_django_type
        model: type[Model] | None = definition.model if definition is not None else None
        if model is None:
            return False, None
        name = self.django_name or self.python_name
        if name == "pk" and model._meta.pk is not None:  # ``pk`` is a property over the primary key column
            return True, model._meta.pk.attname
        descriptor = getattr(model, name, None)
        if type(descriptor) is DeferredAttribute:  # subclasses wrap values (files, foreign key ids)
            return not self.is_relation, descriptor.field.attname
        if type(descriptor) in (ForwardManyToOneDescriptor, ForwardOneToOneDescriptor):
            return self.is_relation, None
        return False, None

    @property
    def is_basic_field(self) -> bool:
        return self._model_attribute[0]

    def get_result(self, source: Any, info: Any, args: list[Any], kwargs: dict[str, Any]) -> Any:
        # Strawberry calls basic fields without ``info``; a column the query did not load is fetched the usual way.
        if info is None and (column := self._model_attribute[1]) is not None:
            try:
                return source.__dict__[column]
            except KeyError:
                pass
        return super().get_result(source, info, args, kwargs)


class QueryOptimizer(DjangoOptimizerExtension):
    """strawberry-django's optimizer, minus the hook that wraps the resolution of every field.

    Every queryset of this schema is fetched by a strawberry-django field, whose ``get_queryset`` applies the
    optimizer (the extension stays active for the operation through ``on_execute``); the inherited ``resolve`` only
    re-checked each of the ~1,400 values of a page for a queryset left unoptimised. The query counts pinned in
    ``tests/graphql/test_query_counts.py`` hold without it.
    """

    resolve = SchemaExtension.resolve


_camel_case = functools.lru_cache(maxsize=_NAME_CACHE_SIZE)(to_camel_case)


class MemoizedNameConverter(NameConverter):
    """Strawberry's name converter, remembering each ``snake_case`` → ``camelCase`` conversion."""

    def apply_naming_config(self, name: str) -> str:
        return _camel_case(name) if self.auto_camel_case else name
