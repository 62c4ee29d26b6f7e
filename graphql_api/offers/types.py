"""Carte jeune engagé offers and partners; offers are pages, so they implement the ``Page`` interface too."""

from __future__ import annotations

import datetime
import decimal

import strawberry_django
from strawberry import auto
from strawberry.types import Info

from cms.core.blocks import CONDITION_BLOCKS_MAX, STEP_BLOCKS_MAX
from cms.offers.models import OFFER_STORES_MAX, OfferPage, OfferQuerySet, OfferStore, PartnerPage
from cms.partners_api.models import Scope
from cms.syndication.links import tracked_offer_url
from cms.taxonomy.models import TAXONOMY_TERMS_MAX
from graphql_api.core.apikeys import readable, served_link
from graphql_api.core.enums import DiscountType, OfferChannel, OfferKind, UsageRule
from graphql_api.core.execution import ModelField
from graphql_api.core.inline import inlined_list
from graphql_api.core.limits import max_items
from graphql_api.core.paging import PagedModelField
from graphql_api.images.types import ImageType
from graphql_api.pages.blocks import ConditionBlock, StepBlockType, stream_blocks
from graphql_api.pages.interface import PageInterface, rich_text_html
from graphql_api.taxonomy.types import NeedType, OfferCategoryType

from .filters import OfferFilter
from .ordering import OfferOrder


@strawberry_django.type(OfferStore, name="Store", field_cls=ModelField)
class StoreType:
    name: auto
    street: auto
    postcode: auto
    city: auto
    department_code: auto
    latitude: auto
    longitude: auto


@strawberry_django.type(PartnerPage, name="Partner", field_cls=ModelField)
class PartnerType(PageInterface):
    """A partner is reached from a public offer (whose rule puts it below a public partner: ``offer_rule``) or through
    resolvers that pick ``PartnerPage.objects.public()``; no ``get_queryset`` here lets the optimizer join it to the
    offers (``tests/graphql/test_visibility_matrix.py`` checks every field that leads to a partner)."""

    website: auto
    logo: ImageType | None
    colour: auto
    offers: list[OfferType] = strawberry_django.field(
        field_cls=PagedModelField, description="Les offres valables du partenaire, par pages (first, offset)."
    )

    @strawberry_django.field(only=["description"], description="Présentation en HTML.")
    def description_html(self, root: PartnerPage) -> str:
        return rich_text_html(root.description)


@strawberry_django.type(OfferPage, name="Offer", filters=OfferFilter, ordering=OfferOrder, field_cls=ModelField)
class OfferType(PageInterface):
    subtitle: auto
    partner: PartnerType | None
    categories: list[OfferCategoryType] = inlined_list(
        OfferPage,
        "categories",
        bound=TAXONOMY_TERMS_MAX,
        description=f"Catégories de l'offre, {TAXONOMY_TERMS_MAX} au plus.",
    )  # in the row
    needs: list[NeedType] = inlined_list(
        OfferPage,
        "needs",
        bound=TAXONOMY_TERMS_MAX,
        description=f"Besoins auxquels répond l'offre, {TAXONOMY_TERMS_MAX} au plus.",
    )
    image: ImageType | None
    kind: OfferKind
    channel: OfferChannel
    discount_type: DiscountType
    discount_value: decimal.Decimal | None
    estimated_saving: decimal.Decimal
    valid_from: datetime.date | None
    valid_until: datetime.date | None
    usage_rule: UsageRule
    usage_interval_days: auto
    nationwide: auto
    stores: list[StoreType] = inlined_list(
        OfferPage, "stores", bound=OFFER_STORES_MAX, description=f"Magasins participants, {OFFER_STORES_MAX} au plus."
    )

    @classmethod
    def get_queryset(cls, queryset, info, **kwargs):
        """Only public offers (``OfferQuerySet.public``), and with a partner key only those its rules allow."""
        if isinstance(queryset, OfferQuerySet):
            return readable(queryset, info.context.request, Scope.READ_OFFERS)
        return queryset.filter(
            pk__in=readable(OfferPage.objects.all(), info.context.request, Scope.READ_OFFERS).values("pk")
        )

    @strawberry_django.field(
        only=["link_url"],
        description="Lien de l'offre. Lu avec une clé d'API partenaire, il passe par la redirection de suivi, qui "
        "compte le clic pour la clé.",
    )
    def link_url(self, root: OfferPage, info: Info) -> str:
        return served_link(info.context.request, root.link_url, tracked_offer_url, root.pk)

    @strawberry_django.field(only=["description"], description="Description en HTML.")
    def description_html(self, root: OfferPage) -> str:
        return rich_text_html(root.description)

    @strawberry_django.field(
        only=["conditions"],
        description=f"Conditions de l'offre, {CONDITION_BLOCKS_MAX} blocs au plus.",
        metadata=max_items(CONDITION_BLOCKS_MAX),
    )
    def conditions(self, root: OfferPage) -> list[ConditionBlock]:
        return stream_blocks(root.conditions)

    @strawberry_django.field(
        only=["how_to_use"],
        description=f"Mode d'emploi, étape par étape, {STEP_BLOCKS_MAX} étapes au plus.",
        metadata=max_items(STEP_BLOCKS_MAX),
    )
    def how_to_use(self, root: OfferPage) -> list[StepBlockType]:
        return stream_blocks(root.how_to_use)
