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
        description=f"Domaines d'engagement, {TAXONOMY_TERMS_MAX} au plus.", metadata=max_items(TAXONOMY_TERMS_MAX)
    )
    programmes: list[ProgrammeType] = strawberry_django.field(
        description=f"Dispositifs (service civique…), {TAXONOMY_TERMS_MAX} au plus.",
        metadata=max_items(TAXONOMY_TERMS_MAX),
    )
    offer_categories: list[OfferCategoryType] = strawberry_django.field(
        description=f"Catégories d'offres, {TAXONOMY_TERMS_MAX} au plus.", metadata=max_items(TAXONOMY_TERMS_MAX)
    )
    needs: list[NeedType] = strawberry_django.field(
        description=f"Besoins auxquels répondent les offres, {TAXONOMY_TERMS_MAX} au plus.",
        metadata=max_items(TAXONOMY_TERMS_MAX),
    )
