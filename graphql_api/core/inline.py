"""Small relations read in their parent's own statement (PostgreSQL), declared through strawberry-django's hints.

An offer's categories, needs and stores are a few rows each, but a prefetch costs a whole statement: for one offer's
detail, three of its four statements. :func:`inlined_list` declares the list field of such a relation (a
many-to-many, or the reverse of a foreign key) with two optimizer hints, both decided from the field's selection:

- when every field selected on the related type reads one of its columns: an annotation of the parent's queryset,
  ``ArraySubquery`` of one JSON array of its columns per related row in the relation's ordering, which the field's
  resolver turns back into instances (``Model.from_db``); the other hint is a ``NoPrefetch``, which runs nothing and
  which a kept plan leaves out;
- otherwise (a term's ``offerCount``…): a ``Prefetch(to_attr=…)`` of the related rows, optimised for the selection,
  which the resolver returns as they are; the annotation is then a ``NULL``.

Both go through the related type's ``get_queryset`` when it has one (the plan cache then plans the field on every
request). A parent the optimizer did not load (a previewed draft, a queryset built elsewhere) has neither, and the
resolver reads the relation's manager. With ``GRAPHQL_FAST_PATH`` off the field is a plain strawberry-django relation
field. The hints are callables given the field's ``Info`` that depend on its selection only: a plan using them may
be kept (``graphql_api/core/optimizer.py``) unless something in that selection reads the request (a term's
``offerCount`` carries the date), which the plan cache checks on its own. Use it only for relations whose rows per
parent stay few and whose columns JSON carries exactly (text, numbers, booleans, dates): the rows travel inside the
parent's row.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import strawberry
import strawberry_django
from django.conf import settings
from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import (
    F,
    Func,
    JSONField,
    ManyToManyField,
    ManyToOneRel,
    Model,
    OneToOneRel,
    OuterRef,
    Prefetch,
    Value,
)
from django.db.models.query import QuerySet
from strawberry.types.base import get_object_definition
from strawberry.types.nodes import FragmentSpread, InlineFragment, SelectedField
from strawberry_django.optimizer import optimize

from graphql_api.core.execution import ModelField
from graphql_api.core.limits import max_items
from graphql_api.core.optimizer import NoPrefetch, same_for_every_request

_ANNOTATION = "inlined_{}"
_TO_ATTR = "prefetched_{}"


class InlinedRelation:
    """One relation of ``model`` that its list field may read inline: what to annotate, prefetch and read back."""

    def __init__(self, model: type[Model], name: str) -> None:
        field = model._meta.get_field(name)
        if isinstance(field, ManyToManyField):
            link = field.related_query_name()
        elif isinstance(field, ManyToOneRel) and not isinstance(field, OneToOneRel):
            link = field.field.name
        else:
            message = f"{model.__name__}.{name} n'est ni une relation plusieurs-à-plusieurs ni une relation inverse."
            raise TypeError(message)
        self.name = name
        self.related: type[Model] = field.related_model
        self.link = link
        self.annotation = _ANNOTATION.format(name)
        self.to_attr = _TO_ATTR.format(name)
        self.columns = [f for f in self.related._meta.concrete_fields if not f.is_relation]
        self.names = [f.attname for f in self.columns]
        self._column_names: set[str] = {f.name for f in self.columns} | {f.attname for f in self.columns} | {"pk"}

    def related_rows(self, info: strawberry.Info) -> QuerySet:
        """The related model's rows, through the related type's ``get_queryset`` when it has one (visibility)."""
        queryset = self.related._default_manager.all()
        get_queryset = getattr(_item_type(info.return_type), "get_queryset", None)
        return get_queryset(queryset, info) if get_queryset is not None else queryset

    def rows(self, info: strawberry.Info) -> ArraySubquery:
        """The related rows of the outer row, one JSON array of their columns each, in the related model's ordering.

        An array rather than a ``JSONObject``: the keys would be SQL parameters, each cast to text, for every request.
        """
        related = self.related_rows(info).filter(**{self.link: OuterRef("pk")})
        columns = [F(f.attname) for f in self.columns]
        return ArraySubquery(related.values(row=Func(*columns, function="JSONB_BUILD_ARRAY", output_field=JSONField())))

    def reads_columns_only(self, info: strawberry.Info) -> bool:
        """Whether every field selected below this field reads a column of the related model."""
        name_converter = info.schema.config.name_converter
        columns = {
            name_converter.get_graphql_name(field)
            for field in get_object_definition(_item_type(info.return_type), strict=True).fields
            if field.base_resolver is None
            and not getattr(field, "store", None)
            and (getattr(field, "django_name", None) or field.python_name) in self._column_names
        }
        return all(name in columns or name == "__typename" for name in _selected_names(info.selected_fields))

    def annotate_hint(self, info: strawberry.Info) -> Any:
        if self.reads_columns_only(info):
            return self.rows(info)
        return Value(None, output_field=JSONField())

    def prefetch_hint(self, info: strawberry.Info) -> Prefetch:
        if self.reads_columns_only(info):
            return NoPrefetch(self.name, self.related, self.to_attr)
        return Prefetch(self.name, queryset=optimize(self.related_rows(info), info), to_attr=self.to_attr)

    def resolve(self, root: Model) -> list[Model]:
        rows = getattr(root, self.annotation, None)
        if rows is not None:
            db = root._state.db
            return [
                self.related.from_db(db, self.names, [f.to_python(v) for f, v in zip(self.columns, row, strict=True)])
                for row in rows
            ]
        prefetched = getattr(root, self.to_attr, None)
        if prefetched is not None:
            return prefetched
        return list(getattr(root, self.name).all())


def inlined_list(model: type[Model], name: str, *, bound: int, description: str | None = None) -> Any:
    """The list field of ``model.name``, read inline on PostgreSQL when its selection allows (module docstring);
    ``bound`` is the most rows the data keeps per instance (``limits.max_items``)."""
    metadata = max_items(bound)
    if not settings.GRAPHQL_FAST_PATH:
        return strawberry_django.field(field_cls=ModelField, description=description, metadata=metadata)
    relation = InlinedRelation(model, name)

    def resolve(root: Model):  # noqa: ANN202 - the field's type is the one its class annotation declares
        return relation.resolve(root)

    @same_for_every_request
    def rows(info: strawberry.Info) -> Any:
        return relation.annotate_hint(info)

    @same_for_every_request
    def prefetch(info: strawberry.Info) -> Prefetch:
        return relation.prefetch_hint(info)

    return strawberry_django.field(
        resolver=resolve,
        description=description,
        annotate={relation.annotation: rows},
        prefetch_related=[prefetch],
        metadata=metadata,
    )


def _item_type(field_type: Any) -> Any:
    while hasattr(field_type, "of_type"):
        field_type = field_type.of_type
    return field_type


def _selected_names(selections: Iterable[Any]) -> Iterable[str]:
    """The names of the fields selected directly below the given (outer) selections, fragments included."""
    for outer in selections:
        for selection in outer.selections:
            if isinstance(selection, SelectedField):
                yield selection.name
            elif isinstance(selection, FragmentSpread | InlineFragment):
                yield from _selected_names([selection])
