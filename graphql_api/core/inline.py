"""Small relations read in their parent's own statement instead of one prefetch statement each (PostgreSQL).

An offer's categories, needs and stores are a few rows each, but prefetching a relation costs a whole statement
that Django builds, compiles and runs: for one offer's detail, three of its four statements and most of its time.
A relation registered with :func:`inline_relation` (a many-to-many, or the reverse of a foreign key) is read instead
as a JSON array aggregated by a correlated subquery of the parent's statement, turned back into model instances and
stored where Django's prefetch stores them (the instance's prefetched objects, behind the relation's manager), so
resolvers read it unchanged. Tools such as PostGraphile answer whole GraphQL queries this way; here it is kept to
what changes nothing but the statement count:

- a relation the optimizer planned as a ``Prefetch`` of plain columns of the related model (and, for a reverse
  foreign key, its key to the parent), in its own ordering by columns, with no filter, annotation, nested prefetch or
  ``select_related``: a nested ``offerCount`` (an annotation) or a store's image keeps the prefetch;
- a parent queryset that yields model instances (not ``values()``, not Wagtail's ``specific()``), without DISTINCT,
  GROUP BY or set operation (``json`` has no equality).

:func:`inline` is applied by :func:`graphql_api.core.optimizer.optimize` to every queryset it optimises and to the
querysets of the prefetches it keeps, so a list of 50 offers reads its terms and stores in its page's statement too.
Register only relations whose rows per parent stay few (terms, an offer's stores): the rows travel inside the
parent's row.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from typing import Any, NamedTuple, TypeVar

from django.db import connections
from django.db.models import Field, ManyToManyField, ManyToManyRel, ManyToOneRel, Model, OneToOneRel, Prefetch
from django.db.models.expressions import RawSQL
from django.db.models.query import ModelIterable, QuerySet

_M = TypeVar("_M", bound=Model)

_PREFIX = "_inlined_"

#: ``json`` comes back from psycopg already decoded: a plain output field adds no converter.
_AS_IS = Field()

#: Columns whose JSON value is the column's own (strings, integers, floats, booleans, JSON); any other (decimals,
#: dates, UUIDs…) travels as its text, which the field's ``to_python`` reads back exactly (``15.00`` stays ``15.00``).
_JSON_NATIVE = frozenset(
    {
        "AutoField",
        "BigAutoField",
        "SmallAutoField",
        "IntegerField",
        "BigIntegerField",
        "SmallIntegerField",
        "PositiveIntegerField",
        "PositiveBigIntegerField",
        "PositiveSmallIntegerField",
        "FloatField",
        "BooleanField",
        "CharField",
        "TextField",
        "SlugField",
        "EmailField",
        "URLField",
        "JSONField",
    }
)


class _Relation(NamedTuple):
    """A relation that may be inlined: where its rows are, and where Django keeps them once prefetched."""

    name: str
    related: type[Model]
    #: ``FROM … WHERE …`` of the related rows (aliased ``t``) of the parent row, named by its table.
    source: str
    #: The instance's prefetched-objects key (what the relation's manager reads).
    cache_name: str
    #: For a reverse foreign key: the related model's key to the parent, set on each row as Django's prefetch does.
    back: Any


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


#: (parent model, relation name) → the relation, for the relations that may be inlined.
_INLINED: dict[tuple[type[Model], str], _Relation] = {}


def inline_relation(model: type[Model], name: str) -> None:
    """Allow ``model.name`` (a many-to-many or the reverse of a foreign key) to be read in ``model``'s statement."""
    quote = connections["default"].ops.quote_name
    parent = f"{quote(model._meta.db_table)}.{{}}"
    field = model._meta.get_field(name)
    if isinstance(field, ManyToManyField):
        link = field.remote_field.through._meta.db_table
        related = field.related_model
        source = (
            f"FROM {quote(related._meta.db_table)} t INNER JOIN {quote(link)} link"
            f" ON link.{quote(field.m2m_reverse_name())} = t.{quote(related._meta.pk.column)}"
            f" WHERE link.{quote(field.m2m_column_name())} = {parent.format(quote(model._meta.pk.column))}"
        )
        _INLINED[(model, name)] = _Relation(name, related, source, prefetch_cache_name(field), None)
    elif isinstance(field, ManyToOneRel) and not isinstance(field, OneToOneRel):
        key = field.field
        related = field.related_model
        source = (
            f"FROM {quote(related._meta.db_table)} t"
            f" WHERE t.{quote(key.column)} = {parent.format(quote(key.target_field.column))}"
        )
        _INLINED[(model, name)] = _Relation(name, related, source, prefetch_cache_name(field), key)
    else:
        raise TypeError(f"{model.__name__}.{name} n'est ni une relation plusieurs-à-plusieurs ni une relation inverse.")


class _Shape(NamedTuple):
    """What one inlined subquery reads: the relation, its columns (attnames) and ordering (attname, descending)."""

    relation: _Relation
    columns: tuple[str, ...]
    ordering: tuple[tuple[str, bool], ...]


class InlinedRelation(RawSQL):
    """The JSON array of a relation's rows for the parent row; carries what turns it back into instances."""

    def __init__(self, shape: _Shape, template: QuerySet) -> None:
        super().__init__(_subquery_sql(shape), (), output_field=_AS_IS)
        self.shape = shape
        self.template = template
        self.fields = [shape.relation.related._meta.get_field(column) for column in shape.columns]

    def resolve_expression(self, *args: Any, **kwargs: Any) -> InlinedRelation:
        # Nothing to resolve: no source expression, and the text names only the parent's own table, which the
        # statement always reads (RawSQL would join each parent model whose column names appear in it: "id"…).
        # Each instance serves one queryset, so it is not copied either.
        return self

    def attach(self, parent: Model, rows: list[dict[str, Any]] | None) -> None:
        """Store ``rows`` as ``parent``'s prefetched relation, as Django's ``prefetch_one_level`` does."""
        relation, columns, fields, db = self.shape.relation, self.shape.columns, self.fields, self.template.db
        instances = [
            relation.related.from_db(db, columns, [f.to_python(row[f.attname]) for f in fields]) for row in rows or ()
        ]
        if relation.back is not None:
            for instance in instances:
                relation.back.set_cached_value(instance, parent)
        queryset = getattr(parent, relation.name)._apply_rel_filters(self.template)
        queryset._result_cache = instances
        queryset._prefetch_done = True
        if not hasattr(parent, "_prefetched_objects_cache"):
            parent._prefetched_objects_cache = {}
        parent._prefetched_objects_cache[relation.cache_name] = queryset


class InliningIterable(ModelIterable):
    """Model instances, each given the relations its statement read inline (and without their JSON attribute)."""

    def __iter__(self):
        inlined = [
            (alias, expression)
            for alias, expression in self.queryset.query.annotations.items()
            if isinstance(expression, InlinedRelation)
        ]
        for instance in super().__iter__():
            for alias, expression in inlined:
                expression.attach(instance, instance.__dict__.pop(alias, None))
            yield instance


def inline(qs: QuerySet[_M]) -> QuerySet[_M]:
    """``qs`` with its inlinable prefetches (module docstring) read in its own statement; the others kept."""
    lookups = qs._prefetch_related_lookups
    if not lookups:
        return qs
    kept, inlined = split(qs.model, lookups) if can_carry(qs) else (list(lookups), [])
    kept = [_inline_nested(lookup) for lookup in kept]
    if not inlined and all(new is old for new, old in zip(kept, lookups, strict=True)):
        return qs
    return with_inlined(qs, kept, inlined)


def can_carry(qs: QuerySet) -> bool:
    """Whether ``qs``'s rows can carry inlined relations: PostgreSQL, model instances, and no DISTINCT, GROUP BY
    or set operation (``json`` has no equality)."""
    query = qs.query
    return qs._iterable_class in (ModelIterable, InliningIterable) and not (
        query.distinct or query.group_by is not None or query.combinator
    )


def split(model: type[Model], lookups: Iterable[Any]) -> tuple[list[Any], list[tuple[_Shape, QuerySet]]]:
    """``lookups`` of a ``model`` queryset → (the ones to keep prefetching, the relations to read inline with the
    queryset of their prefetch)."""
    kept: list[Any] = []
    inlined: list[tuple[_Shape, QuerySet]] = []
    for lookup in lookups:
        shape = _shape(model, lookup)
        if shape is None:
            kept.append(lookup)
        else:
            inlined.append((shape, lookup.queryset))
    return kept, inlined


def with_inlined(qs: QuerySet[_M], kept: Iterable[Any], inlined: Iterable[tuple[_Shape, QuerySet]]) -> QuerySet[_M]:
    """One clone of ``qs`` prefetching ``kept`` and reading ``inlined`` in its statement.

    The lookups and annotations are set on that clone: ``prefetch_related(None)`` + ``annotate()`` would clone
    three times and check the aliases against every field name of the model (a page has a hundred). Each
    ``inlined`` queryset serves this queryset only (the rows' managers are derived from it).
    """
    qs = qs._chain()
    qs._prefetch_related_lookups = tuple(kept)
    for shape, template in inlined:
        qs.query.add_annotation(InlinedRelation(shape, template), _PREFIX + shape.relation.name)
        qs._iterable_class = InliningIterable
    return qs


def _inline_nested(lookup: Any) -> Any:
    if not isinstance(lookup, Prefetch) or lookup.queryset is None:
        return lookup
    inner = inline(lookup.queryset)
    if inner is lookup.queryset:
        return lookup
    return Prefetch(lookup.prefetch_through, queryset=inner, to_attr=lookup.to_attr)


def _shape(model: type[Model], lookup: Any) -> _Shape | None:
    """What to read for ``lookup`` if it can be inlined, else ``None``."""
    if not isinstance(lookup, Prefetch) or lookup.queryset is None or lookup.to_attr:
        return None
    relation = _INLINED.get((model, lookup.prefetch_through))
    if relation is None:
        return None
    queryset = lookup.queryset
    query = queryset.query
    if (
        queryset.model is not relation.related
        or query.where
        or query.annotations
        or query.extra
        or query.select_related
        or query.distinct
        or query.combinator
        or query.low_mark
        or query.high_mark is not None
        or queryset._prefetch_related_lookups
        or queryset._iterable_class is not ModelIterable
    ):
        return None
    meta = relation.related._meta
    names, defer = query.deferred_loading
    if defer:
        selected = [field for field in meta.concrete_fields if not {field.name, field.attname} & names]
    else:
        selected = [field for field in meta.concrete_fields if {field.name, field.attname} & names or field.primary_key]
        if set(names) - {name for field in selected for name in (field.name, field.attname)} - {"pk"}:
            return None
    if any(field.is_relation and field is not relation.back for field in selected):
        return None
    ordering = _column_ordering(relation.related, query.order_by or (meta.ordering if query.default_ordering else ()))
    if ordering is None:
        return None
    return _Shape(relation, tuple(field.attname for field in selected), ordering)


def _column_ordering(model: type[Model], ordering: Any) -> tuple[tuple[str, bool], ...] | None:
    columns = []
    fields = {field.name: field for field in model._meta.concrete_fields} | {"pk": model._meta.pk}
    for item in ordering:
        if not isinstance(item, str):
            return None
        descending = item.startswith("-")
        field = fields.get(item.lstrip("-"))
        if field is None or field.is_relation:
            return None
        columns.append((field.attname, descending))
    return tuple(columns)


@functools.lru_cache(maxsize=64)
def _subquery_sql(shape: _Shape) -> str:
    """``(SELECT COALESCE(json_agg(json_build_object(…) ORDER BY …), '[]') FROM … WHERE <row of the parent>)``.

    The parent is named by its table: the subquery sits in the select list of a queryset on that table. Only
    quoted identifiers from the models' metadata go in, no value from a request.
    """
    quote = connections["default"].ops.quote_name
    fields = {f.attname: f for f in shape.relation.related._meta.concrete_fields}

    def value(attname: str) -> str:
        field = column = fields[attname]
        while field.is_relation:  # a key is stored as the column it points to
            field = field.target_field
        column = f"t.{quote(column.column)}"
        return column if field.get_internal_type() in _JSON_NATIVE else f"{column}::text"

    pairs = ", ".join(f"'{attname}', {value(attname)}" for attname in shape.columns)
    column = {attname: field.column for attname, field in fields.items()}
    order = ", ".join(f"t.{quote(column[attname])} {'DESC' if desc else 'ASC'}" for attname, desc in shape.ordering)
    order_by = f" ORDER BY {order}" if order else ""
    return f"(SELECT COALESCE(json_agg(json_build_object({pairs}){order_by}), '[]'::json) {shape.relation.source})"
