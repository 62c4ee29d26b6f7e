"""Public visibility of pages and documents: the one rule every reader applies (the API, the search index, listings).

A page is public when it is live, when no ancestor is unpublished, when neither it nor an ancestor carries a view
restriction of any kind (password, login, groups) and when its own type's rule holds (an offer's validity window and
partner: see ``register_rule``). Page types whose querysets derive from :class:`PublicPageQuerySet` answer
``public()`` with it; querysets of the base ``Page`` go through :func:`publicly_visible`, which applies each type's
rule to the rows of that type.

A document is public when neither its collection nor an ancestor collection carries a view restriction (Wagtail's
collection privacy: password, login or groups), the rule Wagtail's document view itself applies before serving a file.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.db.models import BooleanField, F, Func, Q, QuerySet
from wagtail.models import CollectionViewRestriction, Page, PageManager, PageViewRestriction
from wagtail.query import PageQuerySet

#: A page type's own condition, given the lookup prefix that leads from the queried model to that type's table
#: (``""`` on its own queryset, ``"offerpage__"`` from ``Page``); fields of ``Page`` itself are named unprefixed.
Rule = Callable[[str], Q]

_RULES: dict[type[Page], Rule] = {}

_Q = TypeVar("_Q", bound=PageQuerySet)


def register_rule(model: type[Page], rule: Rule) -> None:
    """Make ``rule`` part of the public visibility of ``model`` pages, wherever they are read."""
    _RULES[model] = rule


def hidden_sections_q() -> Q:
    """Pages at or below a view restriction of any kind, or below an unpublished page.

    Part of the statement it filters, not a statement of its own (a page's detail then costs one round trip): the
    paths of the hidden sections form one array that does not depend on the row, which PostgreSQL builds once per
    statement (an InitPlan) and each page's path is compared with. The sections are few: the restricted pages, read
    through the restrictions table, and the unpublished pages with children, read through the partial index of
    ``core/0003``. Only unpublished pages with children start a section; an unpublished leaf is excluded by ``live``.
    """
    return Q(InHiddenSection(F("path")))


class InHiddenSection(Func):
    """Whether the page path it is given starts with the path of a hidden section (:func:`hidden_sections_q`)."""

    output_field = BooleanField()

    def as_sql(self, compiler, connection, **extra_context):
        template = f"(%(expressions)s)::text ^@ ANY(ARRAY({_hidden_sections_sql(connection.ops.quote_name)}))"
        return super().as_sql(compiler, connection, template=template, **extra_context)


def _hidden_sections_sql(quote: Callable[[str], str]) -> str:
    """The paths of the hidden sections, with table and column names from the models' ``_meta``."""
    page, restriction = Page._meta, PageViewRestriction._meta
    table, path, pk = quote(page.db_table), quote(page.get_field("path").column), quote(page.pk.column)
    live, numchild = quote(page.get_field("live").column), quote(page.get_field("numchild").column)
    restricted_page = quote(restriction.get_field("page").column)
    return (
        f"SELECT s.{path} FROM {table} s JOIN {quote(restriction.db_table)} r ON r.{restricted_page} = s.{pk} "  # noqa: S608 - names from model metadata
        f"UNION ALL SELECT s.{path} FROM {table} s WHERE NOT s.{live} AND s.{numchild} > 0"
    )


def _type_rules_q(model: type[Page]) -> Q:
    condition = Q()
    for typed, rule in _RULES.items():
        if issubclass(model, typed):
            condition &= rule("")
        elif issubclass(typed, model):
            link = typed._meta.get_ancestor_link(model)
            if link is None or link.model is not typed:
                raise TypeError(f"{typed.__name__} must derive directly from {model.__name__} to be read through it.")
            name = link.related_query_name()
            condition &= Q(**{f"{name}__isnull": True}) | rule(f"{name}__")
    return condition


def publicly_visible(queryset: _Q, *, type_rules: bool = True) -> _Q:
    """The pages of ``queryset`` the public may see (``type_rules=False``: without the page types' own rules)."""
    condition = Q(live=True) & ~hidden_sections_q()
    if type_rules:
        condition &= _type_rules_q(queryset.model)
    return queryset.filter(condition)


class PublicPageQuerySet(PageQuerySet):
    def public(self) -> PublicPageQuerySet:
        """The pages the public may see (:func:`publicly_visible`).

        Stricter than Wagtail's ``PageQuerySet.public``, which only leaves out view restrictions: this one also
        demands live pages under live ancestors that pass their type's rule.
        """
        return publicly_visible(self)


class PublicPageManager(PageManager.from_queryset(PublicPageQuerySet)):
    pass


def public_documents(queryset: QuerySet) -> QuerySet:
    """The documents of ``queryset`` the public may open: outside every restricted collection and its descendants."""
    paths = CollectionViewRestriction.objects.order_by().values_list("collection__path", flat=True).distinct()
    restricted = Q()
    for path in paths:
        restricted |= Q(collection__path__startswith=path)
    return queryset.exclude(restricted) if restricted else queryset
