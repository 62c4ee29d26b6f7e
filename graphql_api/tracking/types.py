"""GraphQL types of tracking: channels, application statuses, the mutations' answers and the impact figures."""

from __future__ import annotations

import datetime
from decimal import Decimal

import strawberry

from cms.taxonomy.models import TAXONOMY_TERMS_MAX
from cms.tracking.impact import TOP, WEEKS
from cms.tracking.impact_cards import CARD_MONTHS, PARTNERS_MAX
from cms.tracking.models import ApplicationStatus as ApplicationStatusChoices
from cms.tracking.models import Channel
from graphql_api.core.limits import max_items

TrackingChannel = strawberry.enum(
    Channel, name="TrackingChannel", description="D'où vient la personne : site, widget, API partenaire, campagne."
)
ApplicationStatus = strawberry.enum(
    ApplicationStatusChoices, name="ApplicationStatus", description="Où en est une candidature."
)


@strawberry.type(description="La candidature telle qu'enregistrée.")
class ApplicationReportPayload:
    mission_id: int = strawberry.field(description="La mission de la candidature.")
    status: ApplicationStatus
    created: bool = strawberry.field(description="Vrai si ce signalement est le premier pour ce jeton.")


@strawberry.type(description="Affichages enregistrés.")
class TrackImpressionsPayload:
    recorded: int = strawberry.field(
        description="Affichages comptés (les doublons de moins de 5 minutes ne le sont pas)."
    )


@strawberry.type(description="Clics et candidatures d'un canal, d'un dispositif, d'une mission ou d'une organisation.")
class ImpactCounts:
    id: int | None = strawberry.field(description="Identifiant de la mission, de l'organisation ou du dispositif.")
    label: str
    clicks: int
    applications: int
    rate: float | None = strawberry.field(description="Candidatures par clic (null sans clic).")


@strawberry.type(description="Candidatures d'une semaine.")
class WeekApplications:
    week_start: datetime.date = strawberry.field(description="Le lundi de la semaine.")
    applications: int


@strawberry.type(description="Offres activées et euros économisés d'une catégorie ou d'un mois.")
class SavingFigure:
    label: str = strawberry.field(description="Libellé de la catégorie, ou mois AAAA-MM.")
    activations: int
    euros_saved: Decimal


@strawberry.type(description="Offres activées, utilisations déclarées et euros économisés d'un partenaire.")
class PartnerFigure:
    partner_id: int | None
    label: str
    activations: int
    used: int
    euros_saved: Decimal


@strawberry.type(description="Les chiffres de la Carte jeune engagé.")
class CardImpact:
    euros_saved: Decimal
    activations: int
    used: int = strawberry.field(description="Utilisations déclarées.")
    active_cards: int | None = strawberry.field(description="Cartes actives (null pour un partenaire).")
    by_category: list[SavingFigure] = strawberry.field(
        description=f"Par catégorie d'offre, {TAXONOMY_TERMS_MAX + 1} au plus (« Sans catégorie » compris).",
        metadata=max_items(TAXONOMY_TERMS_MAX + 1),
    )
    by_month: list[SavingFigure] = strawberry.field(
        description=f"Par mois, les {CARD_MONTHS} derniers au plus, le mois en cours en dernier.",
        metadata=max_items(CARD_MONTHS),
    )
    by_partner: list[PartnerFigure] = strawberry.field(
        description=f"Offres activées par partenaire, les plus actifs d'abord, {PARTNERS_MAX} au plus.",
        metadata=max_items(PARTNERS_MAX),
    )


@strawberry.type(description="Les chiffres d'impact que la personne connectée peut voir (ceux du tableau de bord).")
class ImpactStats:
    everything: bool = strawberry.field(description="Vrai pour l'équipe : tous les chiffres ; faux : les siens.")
    applications_goal: int
    applications: int
    clicks: int
    progress_percent: int
    rate: float | None = strawberry.field(description="Candidatures par clic (null sans clic).")
    weeks: list[WeekApplications] = strawberry.field(
        description=f"Candidatures par semaine, les {WEEKS} dernières au plus.", metadata=max_items(WEEKS)
    )
    channels: list[ImpactCounts] = strawberry.field(
        description=f"Par canal, {len(Channel)} au plus.", metadata=max_items(len(Channel))
    )
    programmes: list[ImpactCounts] = strawberry.field(
        description=f"Par dispositif, {TAXONOMY_TERMS_MAX + 1} au plus (« Sans dispositif » compris).",
        metadata=max_items(TAXONOMY_TERMS_MAX + 1),
    )
    top_missions: list[ImpactCounts] = strawberry.field(
        description=f"Les missions qui génèrent le plus de candidatures, {TOP} au plus.", metadata=max_items(TOP)
    )
    top_organisations: list[ImpactCounts] = strawberry.field(
        description=f"Les organisations qui en génèrent le plus (équipe seulement), {TOP} au plus.",
        metadata=max_items(TOP),
    )
    cards: CardImpact | None = strawberry.field(description="Les chiffres de la carte (null hors de votre périmètre).")
