"""Vocabularies for filter menus: small, ordered by position, all public."""

from __future__ import annotations

import strawberry
import strawberry_django

from .types import DomainType, NeedType, OfferCategoryType, ProgrammeType


@strawberry.type
class Query:
    domains: list[DomainType] = strawberry_django.field(description="Domaines d'engagement.")
    programmes: list[ProgrammeType] = strawberry_django.field(description="Dispositifs (service civique…).")
    offer_categories: list[OfferCategoryType] = strawberry_django.field(description="Catégories d'offres.")
    needs: list[NeedType] = strawberry_django.field(description="Besoins auxquels répondent les offres.")
