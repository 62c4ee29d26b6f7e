"""``searchMissions`` and ``searchOffers``: ask ``search`` for ids and counts, then load the items through the ORM.

Items are loaded with ``searchable()`` in hit order, in one query per page: an index that lags behind the database
can never show an item the public may no longer see. SearchFacet labels come from the taxonomy at query time.
"""

from __future__ import annotations

import dataclasses

import strawberry
from graphql import GraphQLError

from search.base import InvalidSearch, Kind, Near, SearchQuery, SearchResult, Sort, search
from search.missions import MISSIONS
from search.offers import OFFERS

from .types import (
    MissionHit,
    MissionSearchFilters,
    MissionSearchResult,
    NearInput,
    OfferHit,
    OfferSearchFilters,
    OfferSearchResult,
    SearchedMission,
    SearchedOffer,
    SearchFacet,
    SearchFacetValue,
    SearchHighlight,
    SearchSort,
)


def _run(kind: Kind, text, filters, near, include_everywhere, sort, first, after) -> SearchResult:
    raw = {k: v for k, v in dataclasses.asdict(filters).items() if v is not None} if filters else {}
    try:
        query = SearchQuery(
            text=text or "",
            filters=raw,
            near=Near(near.lat, near.lon, near.radius_km) if near else None,
            include_everywhere=include_everywhere,
            sort=Sort(sort.value) if sort else None,
            first=first,
            after=after,
        )
        return search(kind, query)
    except InvalidSearch as exc:
        raise GraphQLError(str(exc), extensions={"code": "BAD_SEARCH"}) from exc


def _facets(kind: Kind, result: SearchResult) -> list[SearchFacet]:
    facets = []
    for name, values in result.facets.items():
        labels = kind.labels(name, [v.value for v in values])
        facets.append(
            SearchFacet(
                name=name,
                values=[
                    SearchFacetValue(
                        value=v.value, label=labels.get(v.value, v.value), count=v.count, selected=v.selected
                    )
                    for v in values
                ],
            )
        )
    return facets


def _in_hit_order(kind: Kind, result: SearchResult, related: list[str], prefetch: list[str]) -> dict:
    pks = [hit.pk for hit in result.hits]
    items = kind.searchable().filter(pk__in=pks).select_related(*related).prefetch_related(*prefetch)
    return {item.pk: item for item in items}


def _highlights(hit) -> list[SearchHighlight]:
    return [SearchHighlight(field=field, snippet=snippet) for field, snippet in hit.highlight.items()]


@strawberry.type
class Query:
    @strawberry.field(description="Recherche de missions : texte, filtres, proximité, facettes.")
    def search_missions(
        self,
        query: str | None = None,
        filters: MissionSearchFilters | None = None,
        near: NearInput | None = None,
        include_everywhere: bool = False,
        sort: SearchSort | None = None,
        first: int = 20,
        after: str | None = None,
    ) -> MissionSearchResult:
        result = _run(MISSIONS, query, filters, near, include_everywhere, sort, first, after)
        missions = _in_hit_order(MISSIONS, result, ["organization", "programme", "domain"], ["addresses"])
        hits = []
        for hit in result.hits:
            mission = missions.get(hit.pk)
            if mission is None:
                continue
            item = SearchedMission(
                id=strawberry.ID(str(mission.pk)),
                title=mission.title,
                organization_name=mission.organization.name if mission.organization else None,
                programme=mission.programme.label if mission.programme else None,
                domain=mission.domain.label if mission.domain else None,
                remote=mission.remote,
                cities=sorted({a.city for a in mission.addresses.all() if a.city}),
                start_date=mission.start_date,
                end_date=mission.end_date,
            )
            hits.append(
                MissionHit(mission=item, score=hit.score, distance_km=hit.distance_km, highlights=_highlights(hit))
            )
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
        query: str | None = None,
        filters: OfferSearchFilters | None = None,
        near: NearInput | None = None,
        include_everywhere: bool = False,
        sort: SearchSort | None = None,
        first: int = 20,
        after: str | None = None,
    ) -> OfferSearchResult:
        result = _run(OFFERS, query, filters, near, include_everywhere, sort, first, after)
        offers = _in_hit_order(OFFERS, result, ["partner"], [])
        hits = []
        for hit in result.hits:
            offer = offers.get(hit.pk)
            if offer is None:
                continue
            item = SearchedOffer(
                id=strawberry.ID(str(offer.pk)),
                title=offer.title,
                subtitle=offer.subtitle,
                partner_name=offer.partner.title if offer.partner else None,
                channel=offer.channel,
                nationwide=offer.nationwide,
                valid_until=offer.valid_until,
            )
            hits.append(OfferHit(offer=item, score=hit.score, distance_km=hit.distance_km, highlights=_highlights(hit)))
        return OfferSearchResult(
            hits=hits,
            total_count=result.total,
            facets=_facets(OFFERS, result),
            end_cursor=result.next_cursor,
            has_next_page=result.next_cursor is not None,
        )
