"""GraphQL types of search: inputs that mirror ``search.base.SearchQuery`` and results that carry ORM-loaded items."""

from __future__ import annotations

import datetime
import enum

import strawberry

from search.base import Sort


@strawberry.enum(description="Ordre des résultats.")
class SearchSort(enum.Enum):
    RELEVANCE = Sort.RELEVANCE.value
    DISTANCE = Sort.DISTANCE.value
    START_DATE = Sort.START_DATE.value
    NEWEST = Sort.NEWEST.value


@strawberry.input(description="Un point et un rayon : « près de chez moi ».")
class NearInput:
    lat: float
    lon: float
    radius_km: float


@strawberry.input
class MissionSearchFilters:
    programme: list[str] | None = None
    domain: list[str] | None = None
    remote: list[str] | None = None
    department: list[str] | None = None
    region: list[str] | None = None
    city: list[str] | None = None
    start_after: datetime.date | None = None
    start_before: datetime.date | None = None
    open_to_minors: bool | None = None
    accessible: bool | None = None
    age: int | None = None
    organization: list[strawberry.ID] | None = None
    source: list[str] | None = None


@strawberry.input
class OfferSearchFilters:
    category: list[str] | None = None
    need: list[str] | None = None
    partner: list[strawberry.ID] | None = None
    kind: list[str] | None = None
    channel: list[str] | None = None
    valid_on: datetime.date | None = None
    department: list[str] | None = None
    region: list[str] | None = None
    city: list[str] | None = None


@strawberry.type
class SearchFacetValue:
    value: str
    label: str
    count: int
    selected: bool


@strawberry.type
class SearchFacet:
    name: str
    values: list[SearchFacetValue]


@strawberry.type
class SearchHighlight:
    field: str
    snippet: str = strawberry.field(description="Extrait HTML échappé, mots trouvés entre <mark> et </mark>.")


@strawberry.type(description="Une mission telle que la recherche la présente.")
class SearchedMission:
    id: strawberry.ID
    title: str
    organization_name: str | None
    programme: str | None
    domain: str | None
    remote: str
    cities: list[str]
    start_date: datetime.date | None
    end_date: datetime.date | None


@strawberry.type(description="Une offre Carte jeune engagé telle que la recherche la présente.")
class SearchedOffer:
    id: strawberry.ID
    title: str
    subtitle: str
    partner_name: str | None
    channel: str
    nationwide: bool
    valid_until: datetime.date | None


@strawberry.type
class MissionHit:
    mission: SearchedMission
    score: float
    distance_km: float | None
    highlights: list[SearchHighlight]


@strawberry.type
class OfferHit:
    offer: SearchedOffer
    score: float
    distance_km: float | None
    highlights: list[SearchHighlight]


@strawberry.type
class MissionSearchResult:
    hits: list[MissionHit]
    total_count: int
    facets: list[SearchFacet]
    end_cursor: str | None
    has_next_page: bool


@strawberry.type
class OfferSearchResult:
    hits: list[OfferHit]
    total_count: int
    facets: list[SearchFacet]
    end_cursor: str | None
    has_next_page: bool
