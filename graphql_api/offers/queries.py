"""The offer catalogue (filters, ordering, Relay pagination) and one offer by id or slug."""

from __future__ import annotations

from typing import Annotated

import strawberry
import strawberry_django

from cms.offers.models import OfferPage, PartnerPage
from cms.partners_api.models import Scope
from graphql_api.core.apikeys import readable
from graphql_api.core.errors import BadUserInput, NotFound
from graphql_api.core.ids import database_id
from graphql_api.core.optimizer import optimize
from graphql_api.core.pagination import CountedListConnection
from graphql_api.core.paging import FIRST_DESCRIPTION, OFFSET_DESCRIPTION, PAGE_SIZE, page

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

    @strawberry_django.field(description="Partenaires publiés, par pages (first, offset).")
    def partners(
        self,
        info: strawberry.Info,
        first: Annotated[int, strawberry.argument(description=FIRST_DESCRIPTION)] = PAGE_SIZE,
        offset: Annotated[int, strawberry.argument(description=OFFSET_DESCRIPTION)] = 0,
    ) -> list[PartnerType]:
        return list(page(optimize(PartnerPage.objects.public().order_by("path"), info), first, offset))
