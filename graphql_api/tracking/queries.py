"""``publicStats``: the public statistics (monthly aggregates only, small counts hidden), as on /stats/.
``impactStats``: the impact dashboard's figures for the signed-in staff member, organisation member or partner.

``impactStats`` reads the same :func:`cms.tracking.impact.impact` as the admin page (one computation of every
figure), for the person signed in to the admin (session): staff see everything, organisations' members and partners'
people their own figures, anyone else gets a French error. Its answer is private, never cached.
"""

from __future__ import annotations

from decimal import Decimal

import strawberry
from django.utils import timezone

from cms.taxonomy.models import TAXONOMY_TERMS_MAX
from cms.tracking.impact import Counts, Impact, impact, scope_for
from cms.tracking.impact_cards import CardFigures
from cms.tracking.stats import STATS_MONTHS, public_stats
from graphql_api.cards.auth import PRIVATE_FLAG
from graphql_api.core.errors import Forbidden, Unauthenticated
from graphql_api.core.limits import max_items

from .types import CardImpact, ImpactCounts, ImpactStats, PartnerFigure, SavingFigure, WeekApplications

SIGN_IN = "Connectez-vous à l'administration de Tremplin pour voir les chiffres d'impact."
NO_FIGURES = (
    "Les chiffres d'impact sont réservés à l'équipe Tremplin, aux organisations et aux partenaires pour leurs "
    "propres chiffres : aucun n'est rattaché à votre compte."
)


@strawberry.type(description="Candidatures d'un mois (null : moins que le seuil de publication).")
class MonthlyApplications:
    month: str = strawberry.field(description="Mois, AAAA-MM.")
    applications: int | None


@strawberry.type(description="Missions ouvertes d'un dispositif (null : moins que le seuil de publication).")
class ProgrammeMissions:
    programme: str
    label: str
    missions: int | None


@strawberry.type(
    description=(
        "Chiffres de la carte d'un mois : cartes actives (comptées le dernier jour du mois), offres utilisées, euros "
        "économisés (null : moins que le seuil de publication)."
    )
)
class MonthlyCardFigures:
    month: str = strawberry.field(description="Mois, AAAA-MM.")
    active_cards: int | None
    offers_used: int | None
    euros_saved: Decimal | None


@strawberry.type(description="Statistiques publiques de la plateforme.")
class PublicStats:
    applications_goal: int
    applications: int | None = strawberry.field(description="Candidatures générées (null : moins que le seuil).")
    progress_percent: int
    accounts_created: int | None = strawberry.field(
        description="Comptes de jeunes créés pour la Carte jeune engagé (null : moins que le seuil)."
    )
    minimum_published: int = strawberry.field(description="Plus petit nombre publié.")
    months: list[MonthlyApplications] = strawberry.field(
        description=f"Les candidatures par mois, les {STATS_MONTHS} derniers au plus.", metadata=max_items(STATS_MONTHS)
    )
    missions_by_programme: list[ProgrammeMissions] = strawberry.field(
        description=f"Les missions disponibles par dispositif, {TAXONOMY_TERMS_MAX} au plus.",
        metadata=max_items(TAXONOMY_TERMS_MAX),
    )
    active_cards: int | None = strawberry.field(description="Cartes jeune engagé actives (null : moins que le seuil).")
    offers_used: int | None = strawberry.field(description="Offres utilisées (null : moins que le seuil).")
    euros_saved: Decimal | None = strawberry.field(
        description="Euros économisés avec la carte (null : moins d'offres utilisées que le seuil)."
    )
    card_months: list[MonthlyCardFigures] = strawberry.field(
        description=f"Les chiffres de la carte par mois, les {STATS_MONTHS} derniers au plus.",
        metadata=max_items(STATS_MONTHS),
    )


@strawberry.type
class Query:
    @strawberry.field(description="Statistiques publiques : agrégats mensuels seulement, petits nombres masqués.")
    def public_stats(self) -> PublicStats:
        stats = public_stats()
        return PublicStats(
            applications_goal=stats.goal,
            applications=stats.applications,
            progress_percent=stats.progress_percent,
            accounts_created=stats.accounts,
            minimum_published=stats.minimum,
            months=[MonthlyApplications(month=f"{m.month:%Y-%m}", applications=m.applications) for m in stats.months],
            missions_by_programme=[
                ProgrammeMissions(programme=p.programme, label=p.label, missions=p.missions) for p in stats.programmes
            ],
            active_cards=stats.active_cards,
            offers_used=stats.offers_used,
            euros_saved=stats.euros_saved,
            card_months=[
                MonthlyCardFigures(
                    month=f"{m.month:%Y-%m}",
                    active_cards=m.active_cards,
                    offers_used=m.offers_used,
                    euros_saved=m.euros_saved,
                )
                for m in stats.card_months
            ],
        )


def _counts(counts: list[Counts]) -> list[ImpactCounts]:
    return [
        ImpactCounts(
            id=c.key if isinstance(c.key, int) else None,
            label=c.label,
            clicks=c.clicks,
            applications=c.applications,
            rate=c.rate,
        )
        for c in counts
    ]


def _cards(figures: CardFigures | None) -> CardImpact | None:
    if figures is None:
        return None
    return CardImpact(
        euros_saved=figures.saving,
        activations=figures.activations,
        used=figures.used,
        active_cards=figures.active_cards,
        by_category=[
            SavingFigure(label=x.label, activations=x.activations, euros_saved=x.saving) for x in figures.by_category
        ],
        by_month=[
            SavingFigure(label=x.label, activations=x.activations, euros_saved=x.saving) for x in figures.by_month
        ],
        by_partner=[
            PartnerFigure(
                partner_id=x.partner_id, label=x.label, activations=x.activations, used=x.used, euros_saved=x.saving
            )
            for x in figures.by_partner
        ],
    )


def impact_stats_of(data: Impact) -> ImpactStats:
    return ImpactStats(
        everything=data.scope.everything,
        applications_goal=data.goal,
        applications=data.applications,
        clicks=data.clicks,
        progress_percent=data.progress_percent,
        rate=data.applications / data.clicks if data.clicks else None,
        weeks=[WeekApplications(week_start=week, applications=count) for week, count in data.weeks],
        channels=_counts(data.channels),
        programmes=_counts(data.programmes),
        top_missions=_counts(data.missions),
        top_organisations=_counts(data.organisations),
        cards=_cards(data.cards),
    )


@strawberry.type
class ImpactQuery:
    @strawberry.field(
        description=(
            "Chiffres d'impact (ceux du tableau de bord de l'administration) : toute la plateforme pour l'équipe, "
            "ses propres chiffres pour une organisation ou un partenaire. Session de l'administration requise."
        )
    )
    def impact_stats(self, info: strawberry.Info) -> ImpactStats:
        request = info.context.request
        setattr(request, PRIVATE_FLAG, True)
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            raise Unauthenticated(SIGN_IN)
        scope = scope_for(user)
        if scope.empty:
            raise Forbidden(NO_FIGURES)
        return impact_stats_of(impact(scope, timezone.localdate()))
