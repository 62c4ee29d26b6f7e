"""Refuse expensive queries before they run.

Depth, aliases and tokens are bounded by strawberry's own extensions (see ``schema.py``). This module adds the one
they cannot express: the number of nodes a query may ask for. Page sizes multiply through nested lists, so
``offers(first: 100) { stores { … } categories { … } }`` costs far more than its text suggests; the estimate below
charges each field once per parent it can appear under and refuses the query when the total goes over
``GRAPHQL_MAX_COST``.

A list is charged at its real bound: the page size asked for (``first``, ``last``, ``limit``), else that argument's
default, else the page size cap for a connection (its own, declared with :func:`max_page_size`, or
``GRAPHQL_MAX_PAGE_SIZE``), else the maximum the field declares next to its type with :func:`max_items` (a rule the
data keeps, such as the addresses of a mission). Every list field of the schema has one of these
(:func:`unbounded_list_fields` is empty, a test says so); a list of scalars or enums costs its field only.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from django.conf import settings
from graphql import ExecutionResult as GraphQLExecutionResult
from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLField,
    GraphQLList,
    GraphQLNamedType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    get_named_type,
    is_interface_type,
    is_leaf_type,
    is_object_type,
    value_from_ast_untyped,
)
from strawberry.extensions import SchemaExtension

from .errors import BadUserInput

_PAGE_SIZE_ARGUMENTS = ("first", "last", "limit")
#: The lists inside a connection, charged at the connection's page size.
_CONNECTION_LISTS = ("edges", "nodes", "hits")
#: Where :func:`max_items` keeps a list field's bound, in its strawberry field's ``metadata``.
MAX_ITEMS = "max_items"
#: Where :func:`max_page_size` keeps a field's own page-size cap, in its strawberry field's ``metadata``.
MAX_PAGE_SIZE = "max_page_size"
#: Where strawberry keeps, on a schema field, the strawberry field it was built from.
_STRAWBERRY_FIELD = "strawberry-definition"


def max_items(bound: int) -> dict[str, int]:
    """Field metadata (``strawberry_django.field(metadata=max_items(n))``) declaring that a list never holds more than
    ``bound`` items, because the data is kept within that bound; the cost estimate then charges it ``bound`` times."""
    return {MAX_ITEMS: bound}


def max_page_size(bound: int) -> dict[str, int]:
    """Field metadata allowing pages of up to ``bound`` items on a field whose items are a few scalars (sitemap
    entries), instead of ``GRAPHQL_MAX_PAGE_SIZE``; the cost estimate still charges every item asked for."""
    return {MAX_PAGE_SIZE: bound}


def _metadata(field: GraphQLField) -> dict:
    definition = (field.extensions or {}).get(_STRAWBERRY_FIELD)
    return getattr(definition, "metadata", None) or {}


def declared_max_items(field: GraphQLField) -> int | None:
    """The bound a list field declared with :func:`max_items`, if any."""
    return _metadata(field).get(MAX_ITEMS)


def page_size_cap(field: GraphQLField, default: int) -> int:
    """The largest page ``field`` serves: its own :func:`max_page_size`, else ``default``."""
    return _metadata(field).get(MAX_PAGE_SIZE, default)


def _is_connection(named: GraphQLNamedType) -> bool:
    return named.name.endswith("Connection")


def _default_page_size(field: GraphQLField) -> int | None:
    """The default of the field's page-size argument, when it has one."""
    for name in _PAGE_SIZE_ARGUMENTS:
        argument = field.args.get(name)
        if argument is not None and isinstance(argument.default_value, int):
            return argument.default_value
    return None


def unbounded_list_fields(schema: GraphQLSchema) -> list[str]:
    """``Type.field`` of every list of objects that has no page-size argument with a default, is not inside or a
    connection, and declares no :func:`max_items`: lists the estimate could only guess the size of."""
    found = []
    for named in schema.type_map.values():
        if named.name.startswith("__") or not (is_object_type(named) or is_interface_type(named)):
            continue
        for name, field in named.fields.items():
            if not _is_list(field.type) or is_leaf_type(get_named_type(field.type)):
                continue
            if _is_connection(named) and name in _CONNECTION_LISTS:
                continue
            if _default_page_size(field) is None and declared_max_items(field) is None:
                found.append(f"{named.name}.{name}")
    return sorted(found)


class _Estimator:
    def __init__(
        self,
        schema: GraphQLSchema,
        fragments: Mapping[str, FragmentDefinitionNode],
        variables: Mapping[str, Any],
        max_page_size: int,
    ) -> None:
        self.schema = schema
        self.fragments = fragments
        self.variables = variables
        self.max_page_size = max_page_size

    def _fields(self, selection_set: SelectionSetNode, parent: GraphQLNamedType, seen: frozenset[str]) -> Iterator:
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                yield selection, parent
            elif isinstance(selection, InlineFragmentNode):
                target = self.schema.get_type(selection.type_condition.name.value) if selection.type_condition else None
                yield from self._fields(selection.selection_set, target or parent, seen)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                fragment = self.fragments.get(name)
                if fragment is None or name in seen:
                    continue
                target = self.schema.get_type(fragment.type_condition.name.value) or parent
                yield from self._fields(fragment.selection_set, target, seen | {name})

    def _page_size(self, node: FieldNode, field: GraphQLField, is_connection: bool) -> int:
        # An object (recommendations and their redirections) may take ``first`` for a list it holds: charged once,
        # its list declares its own bound.
        listed = is_connection or (_is_list(field.type) and not is_leaf_type(get_named_type(field.type)))
        for argument in node.arguments or ():
            if argument.name.value in _PAGE_SIZE_ARGUMENTS:
                value = value_from_ast_untyped(argument.value, self.variables)
                if isinstance(value, int):
                    cap = page_size_cap(field, self.max_page_size)
                    if value > cap:
                        raise BadUserInput(
                            f"Une page contient au plus {cap} éléments (« {node.name.value} » en demande {value}).",
                            limit="pageSize",
                        )
                    return max(value, 0) if listed else 1
        if not listed:
            return 1
        default = _default_page_size(field)
        if default is not None:
            return default
        if is_connection:
            return page_size_cap(field, self.max_page_size)
        declared = declared_max_items(field)
        # None only for a list ``unbounded_list_fields`` names (a test keeps it empty): the most a page holds.
        return self.max_page_size if declared is None else declared

    def cost(
        self,
        selection_set: SelectionSetNode | None,
        parent: GraphQLNamedType | None,
        multiplier: int,
        page_size: int | None = None,
    ) -> int:
        """Fields under ``selection_set``, each charged ``multiplier`` times; a connection's page size applies to
        its ``edges``, not to ``totalCount`` or ``pageInfo``."""
        if selection_set is None or parent is None:
            return 0
        total = 0
        for node, owner in self._fields(selection_set, parent, frozenset()):
            name = node.name.value
            if name.startswith("__"):
                total += multiplier
                continue
            field = owner.fields.get(name) if (is_object_type(owner) or is_interface_type(owner)) else None
            if field is None:
                continue
            named = get_named_type(field.type)
            total += multiplier
            if _is_connection(named):
                size = self._page_size(node, field, is_connection=True)
                total += self.cost(node.selection_set, named, multiplier, page_size=size)
                continue
            if name in _CONNECTION_LISTS and page_size is not None:
                size = page_size
            else:
                size = self._page_size(node, field, is_connection=False)
            total += self.cost(node.selection_set, named, multiplier * max(size, 1))
        return total


def _is_list(field_type: Any) -> bool:
    if isinstance(field_type, GraphQLNonNull):
        field_type = field_type.of_type
    return isinstance(field_type, GraphQLList)


def estimate_cost(
    schema: GraphQLSchema,
    document: Any,
    variables: Mapping[str, Any] | None = None,
    operation_name: str | None = None,
    max_page_size: int | None = None,
) -> int:
    """The number of fields the operation may resolve, page sizes multiplied through nested lists."""
    fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if operation_name:
        operations = [o for o in operations if o.name and o.name.value == operation_name]
    if not operations:
        return 0
    operation = operations[0]
    defaults = {
        definition.variable.name.value: value_from_ast_untyped(definition.default_value)
        for definition in operation.variable_definitions or ()
        if definition.default_value is not None
    }
    root: GraphQLObjectType | None = schema.get_root_type(operation.operation)
    estimator = _Estimator(
        schema,
        fragments,
        {**defaults, **(variables or {})},
        max_page_size or getattr(settings, "GRAPHQL_MAX_PAGE_SIZE", 100),
    )
    return estimator.cost(operation.selection_set, root, 1)


class QueryCostLimiter(SchemaExtension):
    """Refuses, before execution, an operation whose estimated cost exceeds ``max_cost``."""

    def __init__(self, max_cost: int | None = None, max_page_size: int | None = None) -> None:
        self.max_cost = max_cost
        self.max_page_size = max_page_size

    def on_execute(self) -> Iterator[None]:
        context = self.execution_context
        if context.graphql_document is not None and context.result is None:
            max_cost = self.max_cost or settings.GRAPHQL_MAX_COST
            try:
                cost = estimate_cost(
                    context.schema._schema,
                    context.graphql_document,
                    context.variables,
                    context.operation_name,
                    self.max_page_size,
                )
                if cost > max_cost:
                    raise BadUserInput(
                        f"La requête est trop coûteuse : elle peut demander jusqu'à {cost} champs, "
                        f"{max_cost} au plus. Réduisez les tailles de page ou l'imbrication.",
                        limit="cost",
                        cost=cost,
                        maxCost=max_cost,
                    )
            except GraphQLError as error:
                context.result = GraphQLExecutionResult(data=None, errors=[error])
        yield
