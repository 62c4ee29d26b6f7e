"""``searchMissions`` and ``searchOffers``: ask ``search`` for ids and counts, then load the items through the ORM.

Items are loaded with ``public()`` in hit order, in one optimised query per page (plus the prefetches of the
selected relations): an index that lags behind the database can never show an item the public may no longer see.
Facet labels come from the taxonomy at query time. ``searchMissionFacetValues`` and ``searchOfferFacetValues`` page
through every value of one facet for the same search, where the search's own facets list the most frequent ones.
"""

from __future__ import annotations

import dataclasses

import strawberry
from graphql import FieldNode, FragmentSpreadNode, InlineFragmentNode

from cms.partners_api.models import Scope
from cms.syndication.rules import search_filters
from graphql_api.core.apikeys import readable, request_api_key
from graphql_api.core.errors import BadUserInput
from graphql_api.core.geo import NearInput, check_near
from graphql_api.core.limits import max_page_size
from graphql_api.core.optimizer import optimize
from search.base import (
    FACET_PAGE_MAX,
    HIGHLIGHTED_FIELDS,
    FacetPageQuery,
    FacetValue,
    InvalidSearch,
    Kind,
    Near,
    SearchQuery,
    SearchResult,
    Sort,
    search,
    search_facet_page,
)
from search.missions import MISSIONS
from search.offers import OFFERS

from .types import (
    MissionHit,
    MissionSearchFilters,
    MissionSearchResult,
    OfferHit,
    OfferSearchFilters,
    OfferSearchResult,
    SearchFacet,
    SearchFacetValue,
    SearchFacetValuePage,
    SearchHighlight,
    SearchSort,
)

#: Values per page of a facet when ``first`` is not given.
FACET_PAGE_DEFAULT = 50
#: Deprecated names of search filters, still accepted: old name → the filter's name.
_DEPRECATED_FILTERS = {"age": "eligible_at_age"}


def _query(info, kind: Kind, text, filters, near, include_everywhere, sort=None, first=20, after=None) -> SearchQuery:
    """The search asked for, its filters narrowed by the request's key's partner rules."""
    if near is not None:
        check_near(near)
    raw = {k: v for k, v in dataclasses.asdict(filters).items() if v is not None} if filters else {}
    for old, new in _DEPRECATED_FILTERS.items():
        if old in raw:
            raw.setdefault(new, raw.pop(old))
    key = request_api_key(info.context.request)
    raw = search_filters(key.partner if key is not None else None, kind.name, raw)
    try:
        return SearchQuery(
            text=text or "",
            filters=raw,
            near=Near(near.latitude, near.longitude, near.radius_km) if near else None,
            include_everywhere=include_everywhere,
            sort=Sort(sort.value) if sort else None,
            first=first,
            after=after,
        )
    except InvalidSearch as exc:
        raise BadUserInput(str(exc)) from exc


def _run(info, kind: Kind, text, filters, near, include_everywhere, sort, first, after) -> SearchResult:
    query = _query(info, kind, text, filters, near, include_everywhere, sort, first, after)
    try:
        return search(kind, query)
    except InvalidSearch as exc:
        raise BadUserInput(str(exc)) from exc


def _facet_page(
    info, kind: Kind, facet: str, text, filters, near, include_everywhere, first, after
) -> SearchFacetValuePage:
    query = _query(info, kind, text, filters, near, include_everywhere)
    try:
        page = search_facet_page(kind, FacetPageQuery(search=query, facet=facet, first=first, after=after))
    except InvalidSearch as exc:
        raise BadUserInput(str(exc)) from exc
    return SearchFacetValuePage(
        name=facet,
        nodes=_values(kind, facet, page.values),
        total_count=page.total,
        end_cursor=page.next_cursor,
        has_next_page=page.next_cursor is not None,
    )


def _values(kind: Kind, name: str, values: list[FacetValue]) -> list[SearchFacetValue]:
    """The values with their labels, read from the taxonomy in one query."""
    labels = kind.labels(name, [v.value for v in values])
    return [
        SearchFacetValue(value=v.value, label=labels.get(v.value, v.value), count=v.count, selected=v.selected)
        for v in values
    ]


def _facets(kind: Kind, result: SearchResult) -> list[SearchFacet]:
    return [SearchFacet(name=name, values=_values(kind, name, values)) for name, values in result.facets.items()]


def _selected(nodes: list[FieldNode], name: str, fragments: dict) -> list[FieldNode]:
    """The ``name`` fields selected under ``nodes``, through inline fragments and fragment spreads."""
    found: list[FieldNode] = []

    def walk(selection_set) -> None:
        for selection in selection_set.selections if selection_set else ():
            if isinstance(selection, FieldNode):
                if selection.name.value == name:
                    found.append(selection)
            elif isinstance(selection, InlineFragmentNode):
                walk(selection.selection_set)
            elif isinstance(selection, FragmentSpreadNode) and selection.name.value in fragments:
                walk(fragments[selection.name.value].selection_set)

    for node in nodes:
        walk(node.selection_set)
    return found


def in_selection_order(
    info: strawberry.Info, queryset, pks: list[int], container: str | None, item: str, item_parent: str
) -> dict:
    """The items of ``pks`` in one optimised query (plus the prefetches their selected fields need), by pk.

    The optimizer plans from the ``<container> { <item> { … } }`` selection, as if the item field were being
    resolved: the same ``only``/``select_related``/``prefetch_related`` as any list of that type, whatever the size.
    ``container`` None: the field itself returns the list of ``item_parent``.
    """
    if not pks:
        return {}
    queryset = queryset.filter(pk__in=pks)
    raw = info._raw_info
    parents = list(raw.field_nodes)
    if container is not None:
        parents = _selected(parents, container, raw.fragments)
    nodes = _selected(parents, item, raw.fragments)
    if nodes:
        parent = raw.schema.get_type(item_parent)
        field_info = raw._replace(
            field_name=item, field_nodes=nodes, parent_type=parent, return_type=parent.fields[item].type
        )
        queryset = optimize(queryset, field_info)
    return {obj.pk: obj for obj in queryset}


def _in_hit_order(info: strawberry.Info, kind: Kind, result: SearchResult, item: str, hit_type: str) -> dict:
    """The page's items the request may read (public, narrowed by its key's partner rules), by pk
    (see :func:`in_selection_order`)."""
    scope = Scope.READ_MISSIONS if kind is MISSIONS else Scope.READ_OFFERS
    queryset = readable(kind.model.objects.all(), info.context.request, scope)
    return in_selection_order(info, queryset, [hit.pk for hit in result.hits], "hits", item, hit_type)


def _highlights(hit) -> list[SearchHighlight]:
    return [
        SearchHighlight(field=field, snippet=hit.highlight[field])
        for field in HIGHLIGHTED_FIELDS
        if field in hit.highlight
    ]


@strawberry.type
class Query:
    @strawberry.field(description="Recherche de missions : texte, filtres, proximité, facettes.")
    def search_missions(
        self,
        info: strawberry.Info,
        query: str | None = None,
        filters: MissionSearchFilters | None = None,
        near: NearInput | None = None,
        include_everywhere: bool = False,
        sort: SearchSort | None = None,
        first: int = 20,
        after: str | None = None,
    ) -> MissionSearchResult:
        result = _run(info, MISSIONS, query, filters, near, include_everywhere, sort, first, after)
        missions = _in_hit_order(info, MISSIONS, result, "mission", "MissionHit")
        hits = [
            MissionHit(
                mission=missions[hit.pk], score=hit.score, distance_km=hit.distance_km, highlights=_highlights(hit)
            )
            for hit in result.hits
            if hit.pk in missions
        ]
        return MissionSearchResult(
            hits=hits,
            total_count=result.total,
            facets=_facets(MISSIONS, result),
            end_cursor=result.next_cursor,
            has_next_page=result.next_cursor is not None,
        )

    @strawberry.field(description="Recherche d'offres Carte jeune engagé : texte, filtres, proximité, facettes.")
    def search_offers(
        self,
        info: strawberry.Info,
        query: str | None = None,
        filters: OfferSearchFilters | None = None,
        near: NearInput | None = None,
        include_everywhere: bool = False,
        sort: SearchSort | None = None,
        first: int = 20,
        after: str | None = None,
    ) -> OfferSearchResult:
        result = _run(info, OFFERS, query, filters, near, include_everywhere, sort, first, after)
        offers = _in_hit_order(info, OFFERS, result, "offer", "OfferHit")
        hits = [
            OfferHit(offer=offers[hit.pk], score=hit.score, distance_km=hit.distance_km, highlights=_highlights(hit))
            for hit in result.hits
            if hit.pk in offers
        ]
        return OfferSearchResult(
            hits=hits,
            total_count=result.total,
            facets=_facets(OFFERS, result),
            end_cursor=result.next_cursor,
            has_next_page=result.next_cursor is not None,
        )

    @strawberry.field(
        description=(
            "Toutes les valeurs d'une facette de la recherche de missions, page par page, dans l'ordre des valeurs ; "
            f"{FACET_PAGE_MAX} par page au plus."
        ),
        metadata=max_page_size(FACET_PAGE_MAX),
    )
    def search_mission_facet_values(
        self,
        info: strawberry.Info,
        facet: str,
        query: str | None = None,
        filters: MissionSearchFilters | None = None,
        near: NearInput | None = None,
        include_everywhere: bool = False,
        first: int = FACET_PAGE_DEFAULT,
        after: str | None = None,
    ) -> SearchFacetValuePage:
        return _facet_page(info, MISSIONS, facet, query, filters, near, include_everywhere, first, after)

    @strawberry.field(
        description=(
            "Toutes les valeurs d'une facette de la recherche d'offres, page par page, dans l'ordre des valeurs ; "
            f"{FACET_PAGE_MAX} par page au plus."
        ),
        metadata=max_page_size(FACET_PAGE_MAX),
    )
    def search_offer_facet_values(
        self,
        info: strawberry.Info,
        facet: str,
        query: str | None = None,
        filters: OfferSearchFilters | None = None,
        near: NearInput | None = None,
        include_everywhere: bool = False,
        first: int = FACET_PAGE_DEFAULT,
        after: str | None = None,
    ) -> SearchFacetValuePage:
        return _facet_page(info, OFFERS, facet, query, filters, near, include_everywhere, first, after)
