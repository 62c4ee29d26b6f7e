"""Model choices exposed as GraphQL enums with stable, readable names (``OfferKind.CODE`` rather than a string)."""

from __future__ import annotations

import strawberry

from cms.missions.models import Mission
from cms.offers.models import OfferPage
from cms.organisations.models import Organization

OfferKind = strawberry.enum(OfferPage.Kind, name="OfferKind", description="Comment l'offre s'utilise.")
OfferChannel = strawberry.enum(OfferPage.Channel, name="OfferChannel", description="Où l'offre s'utilise.")
DiscountType = strawberry.enum(OfferPage.DiscountType, name="DiscountType")
UsageRule = strawberry.enum(OfferPage.UsageRule, name="UsageRule")
RemoteWork = strawberry.enum(Mission.Remote, name="RemoteWork", description="Présence demandée.")
OrganisationKind = strawberry.enum(Organization.Kind, name="OrganisationKind")
