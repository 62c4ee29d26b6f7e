"""Vocabularies for filter menus: small, ordered by position, all public."""

from __future__ import annotations

import strawberry
import strawberry_django

from cms.taxonomy.models import TAXONOMY_TERMS_MAX
from graphql_api.core.limits import max_items

from .types import DomainType, NeedType, OfferCategoryType, ProgrammeType


@strawberry.type
class Query:
    domains: list[DomainType] = strawberry_django.field(
        description="Domaines d'engagement.", metadata=max_items(TAXONOMY_TERMS_MAX)
    )
    programmes: list[ProgrammeType] = strawberry_django.field(
        description="Dispositifs (service civique…).", metadata=max_items(TAXONOMY_TERMS_MAX)
    )
    offer_categories: list[OfferCategoryType] = strawberry_django.field(
        description="Catégories d'offres.", metadata=max_items(TAXONOMY_TERMS_MAX)
    )
    needs: list[NeedType] = strawberry_django.field(
        description="Besoins auxquels répondent les offres.", metadata=max_items(TAXONOMY_TERMS_MAX)
    )
