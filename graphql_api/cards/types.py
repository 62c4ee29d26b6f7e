"""GraphQL types of the card: what a young person sees of themselves, what a referent sees of those they follow.

Everything here is personal data: it is only ever returned by the resolvers of ``queries.py``/``mutations.py``, which
check who is asking (``auth.py``) and mark the answer private (never cached).
"""

from __future__ import annotations

import datetime as dt
import enum
from decimal import Decimal
from typing import Annotated

import strawberry
import strawberry_django
from strawberry import auto

from cms.cards.activations import INSTRUCTIONS
from cms.cards.models import (
    Activation,
    Card,
    CardEvent,
    CardStatus,
    RecommendationProfile,
    Referent,
    YoungPerson,
    recommendation_profile_of,
)
from cms.cards.qr import qr_payload
from cms.cards.savings import Savings
from cms.taxonomy.models import TAXONOMY_TERMS_MAX
from graphql_api.core.execution import ModelField
from graphql_api.core.limits import max_items
from graphql_api.core.paging import FIRST_DESCRIPTION, OFFSET_DESCRIPTION, PAGE_SIZE, page
from graphql_api.recommendation.types import RecommendationIntent
from search.recommendation_weights import DEFAULT_RADIUS_KM

CardStatusEnum = strawberry.enum(CardStatus, name="CardStatus", description="Statut de la carte.")
CardAction = strawberry.enum(CardEvent.Action, name="CardAction", description="Changement de statut de la carte.")
ActorKind = strawberry.enum(CardEvent.ActorKind, name="CardActorKind", description="Qui a changé le statut.")

#: The most young people one page of ``myYoungPeople`` holds (its ``limit``).
YOUNG_PEOPLE_PAGE_MAX = 100
#: How many months of savings ``byMonth`` lists, the latest ones.
SAVINGS_MONTHS_MAX = 24


@strawberry.enum(name="CardCheckStatus", description="Réponse de la vérification d'une carte en caisse.")
class CardCheckStatus(enum.Enum):
    VALID = "valid"
    EXPIRED = "expired"
    SUSPENDED = "suspended"
    INVALID = "invalid"


@strawberry_django.type(
    CardEvent, name="CardEvent", field_cls=ModelField, description="Un changement de statut : quoi, quand, pourquoi."
)
class CardEventType:
    at: auto
    reason: auto

    @strawberry.field
    def action(self, root: CardEvent) -> CardAction:
        return CardEvent.Action(root.action)

    @strawberry.field
    def status(self, root: CardEvent) -> CardStatusEnum:
        return CardStatus(root.to_status)

    @strawberry.field
    def actor(self, root: CardEvent) -> ActorKind:
        return CardEvent.ActorKind(root.actor_kind)


@strawberry_django.type(
    Card, name="CardSummary", field_cls=ModelField, description="Statut et validité d'une carte, pour le référent."
)
class CardSummaryType:
    number: auto
    valid_until: dt.date

    @strawberry.field
    def status(self, root: Card) -> CardStatusEnum:
        return CardStatus(root.status)


@strawberry_django.type(Card, name="Card", field_cls=ModelField, description="La Carte jeune engagé.")
class CardType(CardSummaryType):
    @strawberry.field(description="À afficher en QR code ; valable quelques minutes, à redemander ensuite.")
    def qr_payload(self, root: Card) -> str | None:
        return qr_payload(root) if root.status == CardStatus.ACTIVE else None

    @strawberry.field(description="L'historique des statuts, du plus ancien au plus récent, par pages.")
    def history(
        self,
        root: Card,
        first: Annotated[int, strawberry.argument(description=FIRST_DESCRIPTION)] = PAGE_SIZE,
        offset: Annotated[int, strawberry.argument(description=OFFSET_DESCRIPTION)] = 0,
    ) -> list[CardEventType]:
        return list(page(root.events.all(), first, offset))


@strawberry_django.type(
    RecommendationProfile,
    name="StoredRecommendationProfile",
    field_cls=ModelField,
    description=(
        "Le profil de recherche de missions enregistré (avec l'âge, le code postal et les domaines du profil) : "
        "ce que recommendedMissions utilise sans argument."
    ),
)
class StoredRecommendationProfileType:
    hours_per_week: auto
    start_date: auto
    remote_accepted: auto
    accessibility_needs: auto
    updated_at: auto

    @strawberry.field(description=f"Rayon de mobilité (km), {DEFAULT_RADIUS_KM:g} sans choix.")
    def radius_km(self, root: RecommendationProfile) -> float:
        return DEFAULT_RADIUS_KM if root.radius_km is None else root.radius_km

    @strawberry.field
    def intent(self, root: RecommendationProfile) -> RecommendationIntent | None:
        return RecommendationIntent(root.intent) if root.intent else None


def _slugs(manager) -> list[str]:
    return sorted(manager.values_list("slug", flat=True))


@strawberry_django.type(YoungPerson, name="Profile", field_cls=ModelField, description="Le profil du jeune connecté.")
class ProfileType:
    email: auto
    phone: auto
    first_name: auto
    last_name: auto
    birth_date: auto
    programme_end_date: auto
    postcode: auto
    city: auto
    terms_accepted_at: auto
    expiry_reminders_consent_at: auto
    digest_consent_at: auto

    @strawberry.field(description="Libellé du dispositif.")
    def programme(self, root: YoungPerson) -> str:
        return root.programme.label

    @strawberry.field(description="Catégories d'offres qui l'intéressent (slugs).")
    def offer_categories(self, root: YoungPerson) -> list[str]:
        return _slugs(root.offer_categories)

    @strawberry.field(description="Besoins (slugs).")
    def needs(self, root: YoungPerson) -> list[str]:
        return _slugs(root.needs)

    @strawberry.field(description="Domaines de mission (slugs).")
    def domains(self, root: YoungPerson) -> list[str]:
        return _slugs(root.domains)

    @strawberry.field(description="Profil suffisant pour activer la carte.")
    def complete(self, root: YoungPerson) -> bool:
        return root.profile_complete

    @strawberry.field(description="Le profil de recherche de missions ; null tant que rien n'est enregistré.")
    def recommendation(self, root: YoungPerson) -> StoredRecommendationProfileType | None:
        return recommendation_profile_of(root)


@strawberry.type(name="SavingLine", description="Économies d'une catégorie ou d'un mois.")
class SavingLine:
    label: str
    amount: Decimal


@strawberry.type(name="Savings", description="Euros économisés avec la carte.")
class SavingsType:
    total: Decimal
    activations: int
    by_category: list[SavingLine] = strawberry.field(
        description=f"Par catégorie, {TAXONOMY_TERMS_MAX + 1} au plus (« Sans catégorie » compris).",
        metadata=max_items(TAXONOMY_TERMS_MAX + 1),
    )
    by_month: list[SavingLine] = strawberry.field(
        description=f"Par mois, « AAAA-MM », les {SAVINGS_MONTHS_MAX} derniers mois d'activation au plus.",
        metadata=max_items(SAVINGS_MONTHS_MAX),
    )

    @classmethod
    def of(cls, savings: Savings) -> SavingsType:
        return cls(
            total=savings.total,
            activations=savings.activations,
            by_category=[SavingLine(label=label, amount=amount) for label, amount in savings.by_category],
            by_month=[
                SavingLine(label=label, amount=amount) for label, amount in savings.by_month[-SAVINGS_MONTHS_MAX:]
            ],
        )


@strawberry_django.type(Activation, name="Activation", field_cls=ModelField, description="Une utilisation d'offre.")
class ActivationType:
    id: strawberry.ID
    kind: auto
    value: str = strawberry_django.field(
        field_cls=ModelField, description="Le code, la valeur du code-barres ou le lien remis."
    )
    estimated_saving: auto
    declared_saving: auto
    used_at: auto
    created_at: auto

    @strawberry.field
    def offer_id(self, root: Activation) -> strawberry.ID | None:
        return strawberry.ID(str(root.offer_id)) if root.offer_id else None

    @strawberry.field
    def offer_title(self, root: Activation) -> str | None:
        return root.offer.title if root.offer_id else None

    @strawberry.field(description="Comment utiliser l'offre.")
    def instructions(self, root: Activation) -> str:
        return INSTRUCTIONS.get(root.kind, "")

    @strawberry.field(description="Montant déclaré, sinon l'économie estimée de l'offre.")
    def saving(self, root: Activation) -> Decimal:
        return root.saving


@strawberry.type(name="Me", description="Le jeune connecté : son profil, sa carte, ses économies, ses activations.")
class MeType:
    person: strawberry.Private[YoungPerson]

    @strawberry.field
    def profile(self) -> ProfileType:
        return self.person

    @strawberry.field
    def card(self) -> CardType | None:
        return Card.objects.filter(young_person=self.person).first()

    @strawberry.field
    def savings(self) -> SavingsType:
        from cms.cards.savings import savings_of

        return SavingsType.of(savings_of(Activation.objects.filter(young_person=self.person)))

    @strawberry.field(description="Les activations, de la plus récente à la plus ancienne, par pages.")
    def activations(
        self,
        first: Annotated[int, strawberry.argument(description=FIRST_DESCRIPTION)] = PAGE_SIZE,
        offset: Annotated[int, strawberry.argument(description=OFFSET_DESCRIPTION)] = 0,
    ) -> list[ActivationType]:
        activations = Activation.objects.filter(young_person=self.person).select_related("offer")
        return list(page(activations, first, offset))


@strawberry_django.type(Referent, name="Referent", field_cls=ModelField, description="Le référent connecté.")
class ReferentType:
    email: auto
    first_name: auto
    last_name: auto
    structure_name: auto
    structure_department: auto


@strawberry_django.type(
    YoungPerson, name="FollowedYoungPerson", field_cls=ModelField, description="Un jeune suivi par le référent."
)
class FollowedYoungPersonType:
    id: strawberry.ID
    email: auto
    phone: auto
    first_name: auto
    last_name: auto
    birth_date: auto
    programme_end_date: auto

    @strawberry.field
    def programme(self, root: YoungPerson) -> str:
        return root.programme.label

    @strawberry.field
    def card(self, root: YoungPerson) -> CardSummaryType | None:
        return getattr(root, "card", None)


@strawberry.type(name="YoungPeoplePage", description="Une page de jeunes suivis.")
class YoungPeoplePage:
    total_count: int
    items: list[FollowedYoungPersonType] = strawberry.field(
        description=f"Les jeunes de la page (« limit »), {YOUNG_PEOPLE_PAGE_MAX} au plus.",
        metadata=max_items(YOUNG_PEOPLE_PAGE_MAX),
    )


@strawberry.type(name="CardCheck", description="Réponse de la vérification : l'état de la carte et le prénom seul.")
class CardCheckType:
    status: CardCheckStatus
    first_name: str | None
