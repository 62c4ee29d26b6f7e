"""GraphQL types of mission recommendations: the profile, the ranked missions with reasons, the redirections."""

from __future__ import annotations

import datetime as dt

import strawberry

from cms.taxonomy.models import TAXONOMY_TERMS_MAX
from graphql_api.core.limits import max_items
from graphql_api.missions.types import MissionType
from search.recommendation import ALTERNATIVES_MAX, RECOMMENDATIONS_MAX, SCORE_PARTS_MAX
from search.recommendation_weights import DEFAULT_RADIUS_KM, Intent

RecommendationIntent = strawberry.enum(
    Intent,
    name="RecommendationIntent",
    description="Ce que la personne cherche : un emploi, sa voie, se rendre utile, rencontrer du monde.",
)


@strawberry.input(
    description=(
        "Le profil d'une personne : âge (ou date de naissance), lieu (coordonnées ou code postal), rayon, domaines "
        "d'intérêt, intention, disponibilités, accessibilité, dispositifs souhaités. Tout est facultatif."
    )
)
class RecommendationProfileInput:
    age: int | None = None
    birth_date: dt.date | None = None
    postcode: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    radius_km: float = DEFAULT_RADIUS_KM
    domains: list[str] | None = strawberry.field(default=None, description="Slugs de domaines (ex. « environnement »).")
    intent: RecommendationIntent | None = None
    hours_per_week: int | None = None
    start_date: dt.date | None = strawberry.field(default=None, description="Date à partir de laquelle commencer.")
    remote_accepted: bool = False
    accessibility_needs: bool = strawberry.field(default=False, description="Besoin d'un lieu accessible (PMR).")
    programmes: list[str] | None = strawberry.field(
        default=None, description="Dispositifs souhaités (slugs) ; vide : tous."
    )


@strawberry.type(description="Une part du score : poids × valeur (valeur entre 0 et 1 ; négative pour la diversité).")
class ScorePart:
    name: str
    weight: float
    value: float


@strawberry.type(description="Une mission recommandée, avec ses raisons en français et le détail de son score.")
class RecommendedMission:
    mission: MissionType
    score: float
    distance_km: float | None
    reasons: list[str]
    score_parts: list[ScorePart] = strawberry.field(
        description=f"Le détail du score, {SCORE_PARTS_MAX} parts au plus.", metadata=max_items(SCORE_PARTS_MAX)
    )


@strawberry.type(description="Un dispositif proposé à la place d'un autre, et pourquoi.")
class ProgrammeAlternative:
    programme: str
    label: str
    reason: str


@strawberry.type(description="Un dispositif demandé auquel la personne n'a pas accès, et les dispositifs proposés.")
class ProgrammeRedirection:
    programme: str
    label: str
    message: str
    alternatives: list[ProgrammeAlternative] = strawberry.field(
        description=f"Les dispositifs proposés, {ALTERNATIVES_MAX} au plus.", metadata=max_items(ALTERNATIVES_MAX)
    )


@strawberry.type(description="Les missions recommandées et, s'il y a lieu, les réorientations entre dispositifs.")
class MissionRecommendations:
    items: list[RecommendedMission] = strawberry.field(
        description=f"Les missions, autant que demandé (first), {RECOMMENDATIONS_MAX} au plus.",
        metadata=max_items(RECOMMENDATIONS_MAX),
    )
    redirections: list[ProgrammeRedirection] = strawberry.field(
        description=f"Une par dispositif demandé hors d'atteinte, {TAXONOMY_TERMS_MAX} au plus.",
        metadata=max_items(TAXONOMY_TERMS_MAX),
    )
