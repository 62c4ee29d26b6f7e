"""Shared vocabularies, with how many public items each term currently has (for filter menus)."""

from __future__ import annotations

import strawberry_django
from django.db.models import Count, Q
from strawberry import auto

from cms.missions.models import Mission
from cms.offers.models import OfferPage
from cms.taxonomy.models import Domain, Need, OfferCategory, Programme
from graphql_api.core.execution import ModelField


def _public_missions_count(info) -> Count:
    return Count("missions", filter=Q(missions__in=Mission.objects.public().values("pk")), distinct=True)


def _public_offers_count(info) -> Count:
    return Count("offers", filter=Q(offers__in=OfferPage.objects.public().values("pk")), distinct=True)


@strawberry_django.type(Domain, name="Domain", field_cls=ModelField)
class DomainType:
    id: auto
    slug: auto
    label: auto
    position: auto
    mission_count: int = strawberry_django.field(
        annotate={"mission_count": _public_missions_count}, description="Nombre de missions publiées."
    )


@strawberry_django.type(Programme, name="Programme", field_cls=ModelField)
class ProgrammeType:
    id: auto
    slug: auto
    label: auto
    position: auto
    description: auto
    min_age: auto
    max_age: auto
    max_age_with_disability: auto
    duration_min_months: auto
    duration_max_months: auto
    duration_text: auto
    monthly_allowance: auto
    allowance_text: auto
    website: auto
    mission_count: int = strawberry_django.field(
        annotate={"mission_count": _public_missions_count}, description="Nombre de missions publiées."
    )


@strawberry_django.type(OfferCategory, name="OfferCategory", field_cls=ModelField)
class OfferCategoryType:
    id: auto
    slug: auto
    label: auto
    position: auto
    icon: auto
    offer_count: int = strawberry_django.field(
        annotate={"offer_count": _public_offers_count}, description="Nombre d'offres valables."
    )


@strawberry_django.type(Need, name="Need", field_cls=ModelField)
class NeedType:
    id: auto
    slug: auto
    label: auto
    position: auto
    offer_count: int = strawberry_django.field(
        annotate={"offer_count": _public_offers_count}, description="Nombre d'offres valables."
    )
