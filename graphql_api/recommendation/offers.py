"""``recommendedOffers``: offers for the signed-in cardholder, ranked by ``search.recommendation_offers`` with their
French reasons, then loaded with ``OfferPage.objects.public()`` in one optimised query, as mission recommendations are.

Like every card operation the answer is private (``graphql_api.cards.auth``): POST only, never cached. A person whose
card may not use offers gets the refusal ``activateOffer`` gives (``FORBIDDEN``, reason ``CARD_NOT_ACTIVE``).
"""

from __future__ import annotations

import strawberry
from django.utils import timezone

from cms.cards.activations import CARD_NOT_ACTIVE, card_is_usable
from cms.cards.models import Card
from cms.offers.models import OfferPage
from cms.taxonomy.models import TAXONOMY_TERMS_MAX
from graphql_api.cards import auth
from graphql_api.core.errors import BadUserInput, Forbidden
from graphql_api.core.limits import max_items
from graphql_api.offers.types import OfferType
from graphql_api.search.queries import in_selection_order
from search.recommendation_offers import (
    OFFER_RECOMMENDATIONS_MAX,
    OFFER_SCORE_PARTS_MAX,
    InterestsFrom,
    InvalidRequest,
    recommend_offers,
)

from .types import ScorePart

OfferInterestsFrom = strawberry.enum(
    InterestsFrom,
    name="OfferInterestsFrom",
    description=(
        "D'où viennent les centres d'intérêt : le profil (catégories d'offres et besoins choisis), les catégories "
        "des offres déjà utilisées, ou rien."
    ),
)


@strawberry.type(description="Une offre recommandée, avec ses raisons en français et le détail de son score.")
class RecommendedOffer:
    offer: OfferType
    score: float
    distance_km: float | None = strawberry.field(description="Le magasin participant le plus proche, en km.")
    reasons: list[str]
    score_parts: list[ScorePart] = strawberry.field(
        description=f"Le détail du score, {OFFER_SCORE_PARTS_MAX} parts au plus.",
        metadata=max_items(OFFER_SCORE_PARTS_MAX),
    )


@strawberry.type(description="Les offres recommandées au titulaire de la carte, et d'où viennent ses intérêts.")
class OfferRecommendations:
    items: list[RecommendedOffer] = strawberry.field(
        description=f"Les offres, autant que demandé (first), {OFFER_RECOMMENDATIONS_MAX} au plus.",
        metadata=max_items(OFFER_RECOMMENDATIONS_MAX),
    )
    interests_from: OfferInterestsFrom
    interests: list[str] = strawberry.field(description="Libellés des catégories et besoins pris en compte.")


@strawberry.type
class Query:
    @strawberry.field(
        description=(
            "Offres recommandées au titulaire connecté (jeton de verifySignInCode) : ses catégories et besoins, "
            "des magasins près de chez lui, des offres qu'il n'a pas encore utilisées ou qu'il peut réutiliser. "
            "En POST uniquement."
        )
    )
    def recommended_offers(self, info: strawberry.Info, first: int = 10) -> OfferRecommendations:
        person = auth.young_person(info)
        if not card_is_usable(Card.objects.filter(young_person=person).first(), timezone.localdate()):
            raise Forbidden(CARD_NOT_ACTIVE.message, reason=CARD_NOT_ACTIVE.code)
        try:
            result = recommend_offers(person, first)
        except InvalidRequest as error:
            raise BadUserInput(str(error), argument="first") from error
        offers = in_selection_order(
            info,
            OfferPage.objects.public(),
            [item.offer_id for item in result.items],
            "items",
            "offer",
            "RecommendedOffer",
        )
        labels = sorted(result.interests.categories.values()) + sorted(result.interests.needs.values())
        return OfferRecommendations(
            items=[
                RecommendedOffer(
                    offer=offers[item.offer_id],
                    score=round(item.score, 4),
                    distance_km=round(item.distance_km, 2) if item.distance_km is not None else None,
                    reasons=item.reasons,
                    score_parts=[ScorePart(name=p.name, weight=p.weight, value=p.value) for p in item.parts],
                )
                for item in result.items
                if item.offer_id in offers
            ],
            interests_from=result.interests.source,
            interests=labels[: 2 * TAXONOMY_TERMS_MAX],
        )
