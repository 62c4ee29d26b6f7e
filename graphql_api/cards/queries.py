"""Queries of the card: ``me`` for young people, ``myReferentProfile`` and ``myYoungPeople`` for referents,
``verifyCard`` for partners' cashier apps. All answers are private (``auth.private_request``)."""

from __future__ import annotations

from typing import Annotated

import strawberry
from django.db.models import Q
from strawberry.types import Info

from cms.cards.models import CardCheckGrant, YoungPerson
from cms.cards.qr import check_payload
from cms.partners_api.models import Scope
from graphql_api.core.apikeys import out_of_scope, request_api_key
from graphql_api.core.errors import BadUserInput, Forbidden, Unauthenticated

from . import auth
from .types import (
    YOUNG_PEOPLE_PAGE_MAX,
    CardCheckStatus,
    CardCheckType,
    CardStatusEnum,
    FollowedYoungPersonType,
    MeType,
    ReferentType,
    YoungPeoplePage,
)

MAX_PAGE = YOUNG_PEOPLE_PAGE_MAX


@strawberry.type
class Query:
    @strawberry.field(description="Le jeune connecté (jeton de verifySignInCode). En POST uniquement.")
    def me(self, info: Info) -> MeType:
        return MeType(person=auth.young_person(info))

    @strawberry.field(description="Le référent connecté. En POST uniquement.")
    def my_referent_profile(self, info: Info) -> ReferentType:
        return auth.referent(info)

    @strawberry.field(description="Les jeunes que suit le référent connecté, par nom. En POST uniquement.")
    def my_young_people(
        self,
        info: Info,
        status: CardStatusEnum | None = None,
        search: Annotated[str | None, strawberry.argument(description="Nom, prénom, e-mail ou téléphone.")] = None,
        limit: int = 20,
        offset: int = 0,
    ) -> YoungPeoplePage:
        referent = auth.referent(info)
        if not 1 <= limit <= MAX_PAGE:
            raise BadUserInput(f"limit doit être compris entre 1 et {MAX_PAGE}.", argument="limit")
        if offset < 0:
            raise BadUserInput("offset doit être positif.", argument="offset")
        people = YoungPerson.objects.filter(referent=referent)
        if status is not None:
            people = people.filter(card__status=status.value)
        if search and search.strip():
            term = search.strip()
            people = people.filter(
                Q(last_name__icontains=term)
                | Q(first_name__icontains=term)
                | Q(email__icontains=term)
                | Q(phone__icontains=term)
            )
        total = people.count()
        items = list(
            people.select_related("card", "programme").order_by("last_name", "first_name", "pk")[
                offset : offset + limit
            ]
        )
        return YoungPeoplePage(total_count=total, items=items)

    @strawberry.field(
        description=(
            "Vérifie en caisse le QR code d'une carte (clé d'API partenaire avec le droit « vérifier des cartes » et "
            "une autorisation de vérification pour un partenaire) : "
            "valide, expirée ou suspendue, et le prénom seul."
        )
    )
    def verify_card(self, info: Info, payload: str) -> CardCheckType:
        request = auth.private_request(info)
        key = request_api_key(request)
        if key is None:
            raise Unauthenticated("Clé d'API partenaire manquante, inconnue ou révoquée.")
        if not key.has_scope(Scope.VERIFY_CARDS):
            raise Forbidden(out_of_scope(Scope.VERIFY_CARDS))
        if not CardCheckGrant.objects.filter(api_key=key).exists():
            raise Forbidden("Cette clé d'API n'est pas autorisée à vérifier les cartes.")
        check = check_payload(payload)
        return CardCheckType(status=CardCheckStatus(check.status), first_name=check.first_name)


__all__ = ["FollowedYoungPersonType", "Query"]
