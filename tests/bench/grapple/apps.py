"""grapple's declarations for the offer, partner, store and category models, as a grapple user would write them.

A grapple project puts ``graphql_fields`` on its model classes and decorates the page model with
``@register_query_field``. The bench must not change ``cms/``, so this app attaches the same declarations in its
``ready()``, which runs before grapple's (it comes first in ``INSTALLED_APPS``): grapple then builds its types from
them exactly as from declarations written in the models. grapple documents no query optimisation (no
``select_related``/``prefetch_related`` hook on its list fields), so there is none to switch on here.
"""

from __future__ import annotations

from django.apps import AppConfig


class GrappleBenchConfig(AppConfig):
    name = "tests.bench.grapple"
    label = "grapple_bench"

    def ready(self) -> None:
        import graphene
        from grapple.helpers import register_query_field
        from grapple.models import (
            GraphQLCollection,
            GraphQLField,
            GraphQLFloat,
            GraphQLForeignKey,
            GraphQLString,
        )

        from cms.offers.models import OfferPage, OfferStore, PartnerPage
        from cms.taxonomy.models import OfferCategory

        OfferPage.graphql_fields = [
            GraphQLString("subtitle"),
            GraphQLString("kind"),
            GraphQLString("channel"),
            GraphQLString("discount_type"),
            GraphQLString("discount_value"),
            GraphQLField("valid_until", graphene.Date),
            GraphQLForeignKey("partner", "offers.PartnerPage"),
            GraphQLCollection(GraphQLForeignKey, "categories", "taxonomy.OfferCategory"),
            GraphQLCollection(GraphQLForeignKey, "stores", "offers.OfferStore"),
        ]
        PartnerPage.graphql_fields = [GraphQLString("website")]
        OfferStore.graphql_fields = [
            GraphQLString("name"),
            GraphQLString("city"),
            GraphQLString("postcode"),
            GraphQLFloat("latitude"),
            GraphQLFloat("longitude"),
        ]
        OfferCategory.graphql_fields = [GraphQLString("slug"), GraphQLString("label")]
        register_query_field("offer", "offers")(OfferPage)
