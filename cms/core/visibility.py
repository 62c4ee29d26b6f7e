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
from functools import cache
from typing import TypeVar

from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.db.models.lookups import StartsWith
from wagtail.models import CollectionViewRestriction, Page, PageManager
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

    A subquery of the statement it filters (PostgreSQL runs it once, as an anti-join against the few such sections),
    not a statement of its own: a page's detail then costs one round trip. Only unpublished pages with children start
    a section; an unpublished leaf is excluded by ``live`` alone.
    """
    return Q(_hidden_section_above())


@cache
def _hidden_section_above() -> Exists:
    """Built once per process: an expression holds no rows and no date, and every query resolves its own copy."""
    sections = Page.objects.filter(Q(view_restrictions__isnull=False) | Q(live=False, numchild__gt=0))
    return Exists(sections.filter(StartsWith(OuterRef("path"), F("path"))))


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
