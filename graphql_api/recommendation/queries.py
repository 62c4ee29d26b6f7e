"""``recommendedMissions`` and ``similarMissions``: the engine (``search.recommendation``) ranks ids, then the
missions are loaded with ``public()`` in one optimised query, as search hits are.

The profile comes from the arguments (anyone, answers may be cached), or is the one a young person stored
(``cms.cards.models.RecommendationProfile`` with their age, place and domains): their own when they are signed in,
or that of a young person a signed-in referent follows (``forPerson``). Those answers are personal: the card's
``auth`` marks them private. Every way ends in the same ``recommend`` call, with the same reasons.
"""

from __future__ import annotations

from typing import Annotated

import strawberry
from django.utils import timezone

from cms.missions.models import Mission
from graphql_api.cards import auth
from graphql_api.core.errors import BadUserInput, NotFound
from graphql_api.core.ids import database_id
from graphql_api.search.queries import in_selection_order
from search.recommendation import InvalidProfile, Profile, Recommendation, age_on, recommend, similar, stored_profile
from search.recommendation_weights import Intent

from .types import (
    MissionRecommendations,
    ProgrammeAlternative,
    ProgrammeRedirection,
    RecommendationProfileInput,
    RecommendedMission,
    ScorePart,
)


def _profile(data: RecommendationProfileInput) -> Profile:
    age = data.age
    if age is None and data.birth_date is not None:
        age = age_on(data.birth_date, timezone.localdate())
    return Profile(
        age=age,
        latitude=data.latitude,
        longitude=data.longitude,
        postcode=(data.postcode or "").strip(),
        radius_km=data.radius_km,
        domains=tuple(data.domains or ()),
        intent=Intent(data.intent.value) if data.intent else None,
        hours_per_week=data.hours_per_week,
        start_date=data.start_date,
        remote_accepted=data.remote_accepted,
        accessibility_needs=data.accessibility_needs,
        programmes=tuple(data.programmes or ()),
    )


BOTH_GIVEN = "Indiquez soit un profil (profile), soit un jeune suivi (forPerson), pas les deux."
NO_PROFILE = "Indiquez un profil (profile), ou connectez-vous pour utiliser le vôtre."
NO_STORED_PROFILE = (
    "Votre profil de recherche de missions n'est pas encore enregistré : complétez-le avec updateProfile "
    "(rayon, intention, disponibilités…) ou indiquez un profil (profile)."
)
FOLLOWED_NO_STORED_PROFILE = (
    "Ce jeune n'a pas encore enregistré son profil de recherche de missions : indiquez un profil (profile)."
)
NOT_FOLLOWED = "Vous ne pouvez demander des recommandations que pour un jeune que vous suivez."


def _wanted(info: strawberry.Info, given: RecommendationProfileInput | None, for_person: str | None) -> Profile:
    """The profile to rank for: the one given, else a followed young person's, else the signed-in one's."""
    if given is not None:
        if for_person is not None:
            raise BadUserInput(BOTH_GIVEN, argument="forPerson")
        return _profile(given)
    if for_person is not None:
        person, missing = auth.followed_young_person(info, for_person, NOT_FOLLOWED), FOLLOWED_NO_STORED_PROFILE
    elif auth.presents_token(info):
        person, missing = auth.young_person(info), NO_STORED_PROFILE
    else:
        raise BadUserInput(NO_PROFILE, argument="profile")
    stored = stored_profile(person)
    if stored is None:
        raise BadUserInput(missing, argument="profile")
    return stored


def _items(info: strawberry.Info, found: list[Recommendation], container: str | None) -> list[RecommendedMission]:
    pks = [item.mission_id for item in found]
    missions = in_selection_order(info, Mission.objects.public(), pks, container, "mission", "RecommendedMission")
    return [
        RecommendedMission(
            mission=missions[item.mission_id],
            score=round(item.score, 4),
            distance_km=round(item.distance_km, 2) if item.distance_km is not None else None,
            reasons=item.reasons,
            score_parts=[ScorePart(name=p.name, weight=p.weight, value=p.value) for p in item.parts],
        )
        for item in found
        if item.mission_id in missions
    ]


@strawberry.type
class Query:
    @strawberry.field(
        description=(
            "Missions recommandées pour un profil, chacune avec ses raisons en français et le détail de son score ; "
            "réorientations quand la personne n'a pas l'âge d'un dispositif demandé. Sans profil : celui qu'a "
            "enregistré le jeune connecté, ou (forPerson) celui d'un jeune que suit le référent connecté (en POST)."
        )
    )
    def recommended_missions(
        self,
        info: strawberry.Info,
        profile: RecommendationProfileInput | None = None,
        first: int = 10,
        for_person: Annotated[
            strawberry.ID | None,
            strawberry.argument(description="Un jeune que suit le référent connecté (id de FollowedYoungPerson)."),
        ] = None,
    ) -> MissionRecommendations:
        wanted = _wanted(info, profile, for_person)
        try:
            result = recommend(wanted, first)
        except InvalidProfile as error:
            raise BadUserInput(str(error), argument="profile") from error
        return MissionRecommendations(
            items=_items(info, result.items, "items"),
            redirections=[
                ProgrammeRedirection(
                    programme=r.programme,
                    label=r.label,
                    message=r.message,
                    alternatives=[
                        ProgrammeAlternative(programme=a.programme, label=a.label, reason=a.reason)
                        for a in r.alternatives
                    ],
                )
                for r in result.redirections
            ],
        )

    @strawberry.field(
        description=(
            "Missions proches d'une mission complète, terminée ou pas pour l'âge du visiteur : même domaine, près "
            "du même lieu."
        )
    )
    def similar_missions(
        self, info: strawberry.Info, mission_id: strawberry.ID, first: int = 5, age: int | None = None
    ) -> list[RecommendedMission]:
        try:
            found = similar(database_id(mission_id, "Mission"), first, age=age)
        except InvalidProfile as error:
            raise BadUserInput(str(error)) from error
        if found is None:
            raise NotFound("Mission introuvable.")
        return _items(info, found, None)
