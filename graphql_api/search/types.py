"""GraphQL types of search: inputs that mirror ``search.base.SearchQuery`` and results that carry ORM-loaded items.

A hit carries the domain type (``Mission``, ``Offer``): a front-end asks for the same fields as on any other list.
The result types are named ``…Connection`` so that the cost limiter charges the page size to ``hits`` only.
"""

from __future__ import annotations

import datetime
import enum

import strawberry

from graphql_api.core.limits import max_items
from graphql_api.missions.types import MissionType
from graphql_api.offers.types import OfferType
from search.base import FACET_PAGE_MAX, FACET_VALUES_MAX, HIGHLIGHTED_FIELDS, Sort
from search.missions import MISSIONS
from search.offers import OFFERS


@strawberry.enum(description="Ordre des résultats.")
class SearchSort(enum.Enum):
    RELEVANCE = Sort.RELEVANCE.value
    DISTANCE = Sort.DISTANCE.value
    START_DATE = Sort.START_DATE.value
    NEWEST = Sort.NEWEST.value


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
    eligible_at_age: int | None = strawberry.field(
        default=None, description="Missions auxquelles une personne de cet âge peut participer."
    )
    age: int | None = strawberry.field(
        default=None, deprecation_reason="Utiliser eligibleAtAge, le même filtre que sur la liste des missions."
    )
    organization: list[strawberry.ID] | None = None
    source: list[str] | None = None
    activity: list[str] | None = strawberry.field(
        default=None, description="Missions proposant l'une de ces activités, telles que leur flux les nomme."
    )


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
    values: list[SearchFacetValue] = strawberry.field(
        description=(
            f"Valeurs par nombre décroissant, {FACET_VALUES_MAX} au plus (les valeurs choisies toujours) ; toutes, "
            "page par page : searchMissionFacetValues, searchOfferFacetValues."
        ),
        metadata=max_items(FACET_VALUES_MAX),
    )


@strawberry.type(
    name="SearchFacetValueConnection",
    description=(
        f"Une page des valeurs d'une facette, {FACET_PAGE_MAX} au plus, dans l'ordre des valeurs (et non des "
        "nombres) ; la suivante commence après endCursor."
    ),
)
class SearchFacetValuePage:
    name: str
    nodes: list[SearchFacetValue]
    total_count: int = strawberry.field(description="Nombre de valeurs distinctes de la facette parmi les résultats.")
    end_cursor: str | None = strawberry.field(description="À passer en after pour lire la page suivante.")
    has_next_page: bool


@strawberry.type
class SearchHighlight:
    field: str
    snippet: str = strawberry.field(description="Extrait HTML échappé, mots trouvés entre <mark> et </mark>.")


@strawberry.type
class MissionHit:
    mission: MissionType = strawberry.field(description="La mission, comme partout ailleurs dans l'API.")
    score: float
    distance_km: float | None
    highlights: list[SearchHighlight] = strawberry.field(
        description=f"Extraits où apparaissent les mots cherchés, un par champ, {len(HIGHLIGHTED_FIELDS)} au plus.",
        metadata=max_items(len(HIGHLIGHTED_FIELDS)),
    )


@strawberry.type
class OfferHit:
    offer: OfferType = strawberry.field(description="L'offre, comme partout ailleurs dans l'API.")
    score: float
    distance_km: float | None
    highlights: list[SearchHighlight] = strawberry.field(
        description=f"Extraits où apparaissent les mots cherchés, un par champ, {len(HIGHLIGHTED_FIELDS)} au plus.",
        metadata=max_items(len(HIGHLIGHTED_FIELDS)),
    )


@strawberry.type(
    name="MissionSearchConnection",
    description="Une page de résultats ; la taille de page (`first`) s'applique aux `hits`, au plus 100.",
)
class MissionSearchResult:
    hits: list[MissionHit]
    total_count: int
    facets: list[SearchFacet] = strawberry.field(
        description=f"Les facettes demandées, {len(MISSIONS.facets)} au plus.", metadata=max_items(len(MISSIONS.facets))
    )
    end_cursor: str | None
    has_next_page: bool


@strawberry.type(
    name="OfferSearchConnection",
    description="Une page de résultats ; la taille de page (`first`) s'applique aux `hits`, au plus 100.",
)
class OfferSearchResult:
    hits: list[OfferHit]
    total_count: int
    facets: list[SearchFacet] = strawberry.field(
        description=f"Les facettes demandées, {len(OFFERS.facets)} au plus.", metadata=max_items(len(OFFERS.facets))
    )
    end_cursor: str | None
    has_next_page: bool
