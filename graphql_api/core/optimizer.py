"""strawberry-django's optimizer, planning each field of an operation once instead of once per request.

Front-ends send the same few operations over and over (``ParserCache`` hands back the same parsed document for the
same text), and for one field of one document the optimizer's plan (its ``only`` / ``select_related`` /
``prefetch_related`` / ``annotate`` hints) is the same every time, as long as nothing in the field's sub-selection
reads the request; planning is a fixed cost per request that weighs most on small reads such as one offer's detail.
:func:`optimize` keeps a plan for a field's
nodes when that sub-selection is *static* and applies a fresh copy of it to each request's queryset.

A sub-selection is static (:func:`plan_is_reusable`) when, below the field:

- no selection carries a directive (``@include(if: $x)`` makes the selection depend on variables);
- no field has arguments, except resolver fields given literal values only: the optimizer turns a relation's
  arguments (filters, ordering, pagination) into its prefetch queryset;
- no field's hints are callables (they are called with the request's ``info``: a count of today's valid offers
  carries today's date) unless marked :func:`same_for_every_request`, no field has extensions (permissions read
  the user) and none is a Django field class with its own ``get_queryset``;
- no type reached defines ``get_queryset``: the optimizer builds the prefetch querysets of such types with it, and
  ours filter by today's date (``OfferType``: public offers) or the user.

Anything else is planned afresh, exactly as strawberry-django does. The field's own arguments do not matter: they
are the resolver's (the root queryset, filtered by the resolver on every request), not the plan's.

Plans are kept by where the field's nodes are in the operation's text (the text itself, and the offset of each node:
the same text parses into the same selections and fragments), the queryset's model, the schema and the optimizer's
configuration; at most :data:`PLAN_CACHE_SIZE` of them, least recently used out first. Applying a plan mutates its
``Prefetch`` querysets (the optimizer adds foreign keys to their ``only``; modelcluster records the instance it
prefetches for in the queryset's hints), so every request gets its own copies and the kept plan is never touched.
The plan is recorded through the one private behaviour of strawberry-django this relies on
(:class:`graphql_api.core.private_api.RecordingStore`).
"""

from __future__ import annotations

import copy
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from typing import Any, NamedTuple, TypeVar

from django.conf import settings
from django.db.models import Model, Prefetch
from django.db.models.manager import BaseManager
from django.db.models.query import QuerySet
from graphql import (
    FieldNode,
    FragmentSpreadNode,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLResolveInfo,
    GraphQLSchema,
    InlineFragmentNode,
    ListValueNode,
    ObjectValueNode,
    SelectionSetNode,
    ValueNode,
    VariableNode,
    get_named_type,
    is_abstract_type,
)
from strawberry.types.info import Info
from strawberry_django.fields.field import StrawberryDjangoField
from strawberry_django.optimizer import OptimizerConfig, OptimizerStore, is_optimized, is_optimized_by_prefetching
from strawberry_django.optimizer import optimize as plan_and_apply
from strawberry_django.utils.inspect import is_inheritance_qs
from strawberry_django.utils.typing import get_django_definition

from graphql_api.core.private_api import RecordingStore, is_evaluated, mark_optimized, raw_info, strawberry_schema

#: Plans kept per process: one per (field of a cached document, model); ``ParserCache`` keeps 512 documents.
PLAN_CACHE_SIZE = 1024

_M = TypeVar("_M", bound=Model)
_Hint = TypeVar("_Hint", bound=Callable[..., Any])


class _Plan(NamedTuple):
    """A kept plan; ``None`` when the sub-selection is not static."""

    store: OptimizerStore | None


class PlanCache:
    """Plans by key, least recently used out first; safe to share between threads."""

    def __init__(self, maxsize: int = PLAN_CACHE_SIZE) -> None:
        self.maxsize = maxsize
        self._plans: OrderedDict[tuple, _Plan] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple) -> _Plan | None:
        with self._lock:
            plan = self._plans.get(key)
            if plan is not None:
                self._plans.move_to_end(key)
            return plan

    def put(self, key: tuple, plan: _Plan) -> None:
        with self._lock:
            self._plans[key] = plan
            self._plans.move_to_end(key)
            while len(self._plans) > self.maxsize:
                self._plans.popitem(last=False)

    def stores(self) -> list[OptimizerStore | None]:
        """The kept plans, least recently used first (``None`` for a field whose plan is not kept)."""
        with self._lock:
            return [plan.store for plan in self._plans.values()]

    def clear(self) -> None:
        with self._lock:
            self._plans.clear()

    def __len__(self) -> int:
        return len(self._plans)


plans = PlanCache()


def optimize(
    qs: QuerySet[_M] | BaseManager[_M],
    info: GraphQLResolveInfo | Info,
    *,
    config: OptimizerConfig | None = None,
) -> QuerySet[_M]:
    """``strawberry_django.optimizer.optimize``, with the plan of a static sub-selection kept (module docstring); just
    strawberry-django's with ``GRAPHQL_FAST_PATH`` off."""
    if not settings.GRAPHQL_FAST_PATH:
        return plan_and_apply(qs, info, config=config)
    if isinstance(qs, BaseManager):
        qs = qs.all()
    if isinstance(qs, list):  # an already sliced result, as strawberry-django leaves it
        return qs
    raw = raw_info(info)
    config = config or OptimizerConfig()
    if is_optimized(qs) or is_optimized_by_prefetching(qs) or is_evaluated(qs):
        return qs
    if is_inheritance_qs(qs):
        return plan_and_apply(qs, raw, config=config)
    where = [node.loc for node in raw.field_nodes]
    if any(loc is None for loc in where):  # a document parsed without locations
        return plan_and_apply(qs, raw, config=config)
    key = (raw.schema, tuple((loc.source.body, loc.start) for loc in where), qs.model, _config_key(config))
    plan = plans.get(key)
    if plan is None:
        if plan_is_reusable(raw):
            recorder = RecordingStore()
            qs = plan_and_apply(qs, raw, config=config, store=recorder)
            plans.put(key, _Plan(fresh_store(recorder)))
            return qs
        plans.put(key, _Plan(None))
    if plan is None or plan.store is None:
        return plan_and_apply(qs, raw, config=config)
    qs = fresh_store(plan.store).apply(qs, info=raw, config=config)
    return mark_optimized(qs)


class NoPrefetch(Prefetch):
    """What a ``prefetch_related`` hint callable returns when, for the selection it is given, nothing needs
    prefetching (a hint callable must return a lookup): a ``Prefetch`` of ``none()``, which runs no statement but
    still costs Django a pass over the instances. Its ``to_attr`` keeps the empty list off the relation's own cache.
    Kept plans leave it out (:func:`fresh_store`), so only the request that plans pays that pass; the field's
    resolver must not rely on it."""

    def __init__(self, lookup: str, model: type[Model], to_attr: str) -> None:
        super().__init__(lookup, queryset=model._default_manager.none(), to_attr=to_attr)


def fresh_store(store: OptimizerStore) -> OptimizerStore:
    """A copy of ``store`` sharing nothing that applying or evaluating it mutates (see the module docstring), without
    its :class:`NoPrefetch` lookups."""
    return OptimizerStore(
        only=list(store.only),
        select_related=list(store.select_related),
        prefetch_related=_fresh_prefetches(store.prefetch_related),
        annotate=dict(store.annotate),
    )


def _fresh_prefetches(lookups: Iterable[Any]) -> list[Any]:
    return [_fresh_prefetch(lookup) for lookup in lookups if not isinstance(lookup, NoPrefetch)]


def _fresh_prefetch(lookup: Any) -> Any:
    if not isinstance(lookup, Prefetch):
        return lookup
    lookup = copy.copy(lookup)
    if lookup.queryset is not None:
        queryset = lookup.queryset.all()
        queryset._prefetch_related_lookups = tuple(_fresh_prefetches(queryset._prefetch_related_lookups))
        lookup.queryset = queryset
    return lookup


def _config_key(config: OptimizerConfig) -> tuple:
    return (
        config.enable_only,
        config.enable_select_related,
        config.enable_prefetch_related,
        config.enable_annotate,
        config.prefetch_custom_queryset,
        config.enable_nested_relations_prefetch,
    )


def plan_is_reusable(info: GraphQLResolveInfo) -> bool:
    """Whether the optimizer's plan for ``info``'s field depends on nothing but its sub-selection's text.

    The field's own type is not checked for ``get_queryset``, nor are the nodes of a connection it returns (reached
    through the edges): those querysets are the resolver's, not the plan's.
    """
    schema = info.schema
    types = strawberry_schema(schema)
    pending: list[tuple[Any, SelectionSetNode | None, bool]] = [
        (get_named_type(info.return_type), node.selection_set, False) for node in info.field_nodes
    ]
    while pending:
        parent, selection_set, nested = pending.pop()
        if selection_set is None:
            continue
        for selection in selection_set.selections:
            if selection.directives:
                return False
            if isinstance(selection, FragmentSpreadNode):
                fragment = info.fragments.get(selection.name.value)
                if fragment is None or fragment.directives:
                    return False
                condition = schema.get_type(fragment.type_condition.name.value)
                pending.append((condition, fragment.selection_set, nested))
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                inner = schema.get_type(condition.name.value) if condition else parent
                pending.append((inner, selection.selection_set, nested))
            elif isinstance(selection, FieldNode):
                name = selection.name.value
                if name.startswith("__"):
                    continue
                if not isinstance(parent, GraphQLObjectType | GraphQLInterfaceType) or name not in parent.fields:
                    return False
                parents = _object_types(schema, parent)
                if not all(_field_is_static(types, t, name, selection) for t in parents):
                    return False
                field_type = get_named_type(parent.fields[name].type)
                inner_nested = nested or any(_is_django_type(types, t) for t in parents)
                reached = _object_types(schema, field_type)
                if inner_nested and any(_reads_request(types, t) for t in reached):
                    return False
                pending.append((field_type, selection.selection_set, inner_nested))
            else:  # pragma: no cover - graphql-core knows no other selection
                return False
    return True


def _object_types(schema: GraphQLSchema, named_type: Any) -> Iterable[GraphQLObjectType]:
    if is_abstract_type(named_type):
        return schema.get_possible_types(named_type)
    return (named_type,) if isinstance(named_type, GraphQLObjectType) else ()


def _is_django_type(strawberry_schema: Any, object_type: GraphQLObjectType) -> bool:
    origin = getattr(strawberry_schema.get_type_by_name(object_type.name), "origin", None)
    return origin is not None and get_django_definition(origin) is not None


def _reads_request(strawberry_schema: Any, object_type: GraphQLObjectType) -> bool:
    """Whether the optimizer would build this type's querysets with its ``get_queryset`` (date, user…)."""
    origin = getattr(strawberry_schema.get_type_by_name(object_type.name), "origin", None)
    return _is_django_type(strawberry_schema, object_type) and hasattr(origin, "get_queryset")


def _field_is_static(strawberry_schema: Any, object_type: GraphQLObjectType, name: str, node: FieldNode) -> bool:
    definition = strawberry_schema.get_type_by_name(object_type.name)
    if definition is None:
        return False
    get_name = strawberry_schema.config.name_converter.get_graphql_name
    field = next((f for f in definition.fields if get_name(f) == name), None)
    if field is None:
        return False
    if field.extensions:
        return False
    if node.arguments and (field.base_resolver is None or any(_has_variable(a.value) for a in node.arguments)):
        return False
    if isinstance(field, StrawberryDjangoField) and type(field).get_queryset is not StrawberryDjangoField.get_queryset:
        return False
    hints = [getattr(field, "store", None)]
    django_definition = get_django_definition(definition.origin)
    if django_definition is not None and django_definition.model is not None:
        attribute = getattr(django_definition.model, getattr(field, "django_name", None) or field.python_name, None)
        hints.append(getattr(attribute, "store", None))
    return not any(_has_callable(store) for store in hints if isinstance(store, OptimizerStore))


def same_for_every_request(hint: _Hint) -> _Hint:
    """Mark a hint callable (``prefetch_related=[hint]``) that reads nothing from the request it is called for, so
    that a plan using it may be kept; unmarked callables keep their field's operations planned on every request."""
    hint.same_for_every_request = True  # type: ignore[attr-defined]
    return hint


def _reads_the_request(hint: Any) -> bool:
    return callable(hint) and not getattr(hint, "same_for_every_request", False)


def _has_callable(store: OptimizerStore) -> bool:
    return any(map(_reads_the_request, store.prefetch_related)) or any(map(_reads_the_request, store.annotate.values()))


def _has_variable(value: ValueNode) -> bool:
    if isinstance(value, VariableNode):
        return True
    if isinstance(value, ListValueNode):
        return any(_has_variable(v) for v in value.values)
    if isinstance(value, ObjectValueNode):
        return any(_has_variable(f.value) for f in value.fields)
    return False
