"""The root schema: each domain contributes its ``Query`` (and later ``Mutation``); adding a domain is one line.

Extensions, outermost first: error codes, the guard on variables and texts (``graphql_api/core/inputs.py``), limits
that refuse hostile queries before execution (tokens, depth, aliases, cost), caches of parsed and validated documents
(front-ends send the same few operations over and over), then the strawberry-django optimizer that keeps SQL
constant for nested lists.

``GRAPHQL_FAST_PATH`` (on by default) picks the project's performance layer (``graphql_api/core/execution.py``
explains what keeps execution cheap); off, the same schema runs on strawberry-django's stock optimizer and field
class and strawberry's own name converter.
"""

from __future__ import annotations

from django.conf import settings
from strawberry.extensions import (
    AddValidationRules,
    DisableIntrospection,
    MaxTokensLimiter,
    ParserCache,
    SchemaExtension,
    ValidationCache,
)
from strawberry.extensions.max_aliases import create_validator as aliases_rule
from strawberry.extensions.query_depth_limiter import create_validator as depth_rule
from strawberry.schema.config import StrawberryConfig
from strawberry.schema.name_converter import NameConverter
from strawberry.tools import merge_types
from strawberry_django.optimizer import DjangoOptimizerExtension

from graphql_api.cards.mutations import Mutation as CardsMutation
from graphql_api.cards.queries import Query as CardsQuery
from graphql_api.core.errors import CodedErrorsSchema, ErrorCodes
from graphql_api.core.execution import MemoizedNameConverter, QueryOptimizer
from graphql_api.core.inputs import InputGuard, TextLiteralRule
from graphql_api.core.limits import QueryCostLimiter
from graphql_api.documents.queries import Query as DocumentsQuery
from graphql_api.missions.mutations import Mutation as MissionsMutation
from graphql_api.missions.queries import Query as MissionsQuery
from graphql_api.offers.queries import Query as OffersQuery
from graphql_api.offers.types import OfferType, PartnerType
from graphql_api.organisations.queries import Query as OrganisationsQuery
from graphql_api.pages.queries import Query as PagesQuery
from graphql_api.pages.types import ContentPageType, HomePageType, OffersIndexPageType, ProgrammePageType
from graphql_api.recommendation.offers import Query as OfferRecommendationQuery
from graphql_api.recommendation.queries import Query as RecommendationQuery
from graphql_api.redirects.queries import Query as RedirectsQuery
from graphql_api.search.pages import Query as PagesSearchQuery
from graphql_api.search.queries import Query as SearchQuery
from graphql_api.site_settings.queries import Query as SiteSettingsQuery
from graphql_api.sitemap.queries import Query as SitemapQuery
from graphql_api.taxonomy.queries import Query as TaxonomyQuery
from graphql_api.tracking.mutations import Mutation as TrackingMutation
from graphql_api.tracking.queries import ImpactQuery
from graphql_api.tracking.queries import Query as TrackingQuery

QUERIES: tuple[type, ...] = (
    TaxonomyQuery,
    PagesQuery,
    OffersQuery,
    MissionsQuery,
    OrganisationsQuery,
    SearchQuery,
    CardsQuery,
    RedirectsQuery,
    SitemapQuery,
    SiteSettingsQuery,
    DocumentsQuery,
    PagesSearchQuery,
    RecommendationQuery,
    OfferRecommendationQuery,
    TrackingQuery,
    ImpactQuery,
)
MUTATIONS: tuple[type, ...] = (MissionsMutation, CardsMutation, TrackingMutation)

#: Types only reachable through an interface or a union must be named for the schema to know them.
PAGE_TYPES = (HomePageType, ContentPageType, ProgrammePageType, OffersIndexPageType, PartnerType, OfferType)

#: The rules of strawberry's QueryDepthLimiter and MaxAliasesLimiter, built once: a limiter built per request makes
#: new rule classes, and ValidationCache (keyed by the rules) would then never hit.
LIMIT_RULES = [
    depth_rule(settings.GRAPHQL_MAX_DEPTH, None, None),
    aliases_rule(settings.GRAPHQL_MAX_ALIASES),
    TextLiteralRule,
]


def introspection_rule() -> SchemaExtension:
    """Strawberry's ``DisableIntrospection`` unless ``GRAPHQL_INTROSPECTION`` allows it; read on every request."""
    return AddValidationRules([]) if settings.GRAPHQL_INTROSPECTION else DisableIntrospection()


if settings.GRAPHQL_FAST_PATH:
    OPTIMIZER, NAME_CONVERTER = QueryOptimizer, MemoizedNameConverter()
else:
    OPTIMIZER, NAME_CONVERTER = DjangoOptimizerExtension, NameConverter()

Query = merge_types("Query", QUERIES)
Mutation = merge_types("Mutation", MUTATIONS) if MUTATIONS else None

schema = CodedErrorsSchema(
    query=Query,
    mutation=Mutation,
    types=PAGE_TYPES,
    config=StrawberryConfig(relay_max_results=settings.GRAPHQL_MAX_PAGE_SIZE, name_converter=NAME_CONVERTER),
    extensions=[
        ErrorCodes,
        InputGuard,
        lambda: MaxTokensLimiter(max_token_count=settings.GRAPHQL_MAX_TOKENS),
        lambda: AddValidationRules(LIMIT_RULES),
        introspection_rule,
        lambda: ParserCache(maxsize=512),
        lambda: ValidationCache(maxsize=512),
        QueryCostLimiter,
        OPTIMIZER,
    ],
)
