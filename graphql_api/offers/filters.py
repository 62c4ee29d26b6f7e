"""Offer filters for the Carte jeune engagé catalogue: by taxonomy, partner, how it is used, and where."""

from __future__ import annotations

import strawberry_django
from django.db.models import Q
from strawberry import auto

from cms.offers.models import OfferPage, OfferStore, currently_valid_q
from graphql_api.core.enums import OfferChannel, OfferKind
from graphql_api.core.geo import NearInput, owners_near


@strawberry_django.filter_type(OfferPage)
class OfferFilter:
    kind: OfferKind | None
    channel: OfferChannel | None
    nationwide: auto

    @strawberry_django.filter_field(description="Slugs de catégories (au moins une).")
    def category(self, value: list[str], prefix: str) -> Q:
        return Q(
            **{
                f"{prefix}pk__in": OfferPage.categories.through.objects.filter(offercategory__slug__in=value).values(
                    "offerpage_id"
                )
            }
        )

    @strawberry_django.filter_field(description="Slugs de besoins (au moins un).")
    def need(self, value: list[str], prefix: str) -> Q:
        return Q(
            **{f"{prefix}pk__in": OfferPage.needs.through.objects.filter(need__slug__in=value).values("offerpage_id")}
        )

    @strawberry_django.filter_field(description="Slug de la page du partenaire.")
    def partner(self, value: str, prefix: str) -> Q:
        return Q(**{f"{prefix}partner__slug": value})

    @strawberry_django.filter_field(description="true : seulement les offres valables aujourd'hui.")
    def currently_valid(self, value: bool, prefix: str) -> Q:
        return currently_valid_q(prefix=prefix) if value else Q()

    @strawberry_django.filter_field(description="Offres ayant un magasin participant dans le rayon donné.")
    def near(self, value: NearInput, prefix: str) -> Q:
        return Q(**{f"{prefix}pk__in": owners_near(OfferStore.objects.all(), "offer_id", value)})
