"""The offer catalogue (filters, ordering, Relay pagination) and one offer by id or slug."""

from __future__ import annotations

import strawberry
import strawberry_django

from cms.offers.models import OfferPage, PartnerPage
from cms.partners_api.models import Scope
from graphql_api.core.apikeys import readable
from graphql_api.core.errors import BadUserInput, NotFound
from graphql_api.core.ids import database_id
from graphql_api.core.optimizer import optimize
from graphql_api.core.pagination import CountedListConnection

from .types import OfferType, PartnerType


@strawberry.type
class Query:
    offers: CountedListConnection[OfferType] = strawberry_django.connection(
        description="Offres valables, 100 par page au plus."
    )

    @strawberry_django.field(description="Une offre valable, par identifiant ou par slug.")
    def offer(
        self,
        info: strawberry.Info,
        id: strawberry.ID | None = None,
        slug: str | None = None,
    ) -> OfferType:
        if (id is None) == (slug is None):
            raise BadUserInput("Indiquez soit id, soit slug.")
        lookup = {"pk": database_id(id, "Offer")} if id is not None else {"slug": slug}
        offer = optimize(
            readable(OfferPage.objects.all(), info.context.request, Scope.READ_OFFERS).filter(**lookup), info
        ).first()
        if offer is None:
            raise NotFound("Offre introuvable ou plus valable.")
        return offer

    @strawberry_django.field(description="Un partenaire publié, par slug.")
    def partner(self, info: strawberry.Info, slug: str) -> PartnerType:
        partner = optimize(PartnerPage.objects.public().filter(slug=slug), info).first()
        if partner is None:
            raise NotFound("Partenaire introuvable.")
        return partner

    @strawberry_django.field(description="Partenaires publiés.")
    def partners(self, info: strawberry.Info) -> list[PartnerType]:
        return list(optimize(PartnerPage.objects.public().order_by("path"), info))
