"""``publicStats``: the public statistics (monthly aggregates only, small counts hidden), as on /stats/."""

from __future__ import annotations

import strawberry

from cms.taxonomy.models import TAXONOMY_TERMS_MAX
from cms.tracking.stats import STATS_MONTHS, public_stats
from graphql_api.core.limits import max_items


@strawberry.type(description="Candidatures d'un mois (null : moins que le seuil de publication).")
class MonthlyApplications:
    month: str = strawberry.field(description="Mois, AAAA-MM.")
    applications: int | None


@strawberry.type(description="Missions ouvertes d'un dispositif (null : moins que le seuil de publication).")
class ProgrammeMissions:
    programme: str
    label: str
    missions: int | None


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
        )
