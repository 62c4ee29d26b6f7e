"""What a person tells the mission recommendation about themselves, checked the same way wherever it is given.

A profile comes either with the request (``recommendedMissions(profile: …)``) or stored for a young person
(``cms.cards.models.RecommendationProfile``, edited through ``updateProfile`` or the admin). Both go through the
same intents, ranges and French messages here, so that one value never gets two answers; the engine
(``search.recommendation``) checks a whole profile with them.
"""

from __future__ import annotations

from django.db import models


class Intent(models.TextChoices):
    """What the person is after; the recommendation maps it to programme and domain affinities."""

    FIND_JOB = "find_job", "Trouver un emploi"
    FIND_MY_WAY = "find_my_way", "Trouver ma voie"
    BE_USEFUL = "be_useful", "Me rendre utile"
    MEET_PEOPLE = "meet_people", "Rencontrer du monde"


#: How far a person may say they travel (km), the lower bound excluded.
RADIUS_MAX_KM = 1000
RADIUS_MESSAGE = f"Le rayon de recherche doit être compris entre 0 et {RADIUS_MAX_KM} km."

#: Weekly hours a person may say they can give, bounds included.
HOURS_MIN, HOURS_MAX = 1, 70
HOURS_MESSAGE = f"Le nombre d'heures par semaine doit être compris entre {HOURS_MIN} et {HOURS_MAX}."


def is_valid_radius(km: float) -> bool:
    return 0 < km <= RADIUS_MAX_KM


def is_valid_hours(hours: int) -> bool:
    return HOURS_MIN <= hours <= HOURS_MAX
