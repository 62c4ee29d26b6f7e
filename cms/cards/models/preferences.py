"""A young person's stored recommendation profile: what ``recommendedMissions`` uses when they ask without one.

Age, place and domains are the person's own (``YoungPerson.birth_date``, ``postcode``/``latitude``/``longitude``,
``domains``): one name per concept. This row holds the rest of what the explicit profile takes; its absence means the
person has not told us yet. The ranges and messages are those of ``cms.core.recommendation_profile``, as for a
profile given with the request.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models

from cms.core.recommendation_profile import (
    HOURS_MESSAGE,
    RADIUS_MESSAGE,
    Intent,
    is_valid_hours,
    is_valid_radius,
)


class RecommendationProfile(models.Model):
    #: Kept out of Wagtail's reference index, like the person it belongs to.
    wagtail_reference_index_ignore = True

    young_person = models.OneToOneField(
        "cards.YoungPerson",
        verbose_name="jeune",
        on_delete=models.CASCADE,
        related_name="recommendation_profile",
    )
    radius_km = models.FloatField(
        "rayon de mobilité (km)", null=True, blank=True, help_text="Distance jusqu'où aller ; vide : 30 km."
    )
    intent = models.CharField("ce que je cherche", max_length=20, choices=Intent.choices, blank=True)
    hours_per_week = models.PositiveSmallIntegerField("heures par semaine", null=True, blank=True)
    start_date = models.DateField("disponible à partir du", null=True, blank=True)
    remote_accepted = models.BooleanField("missions à distance acceptées", default=False)
    accessibility_needs = models.BooleanField(
        "besoin d'un lieu accessible", default=False, help_text="Lieu accessible aux personnes à mobilité réduite."
    )
    updated_at = models.DateTimeField("modifié le", auto_now=True)

    class Meta:
        verbose_name = "profil de recherche de missions"
        verbose_name_plural = "profils de recherche de missions"
        ordering = ["-updated_at"]

    def __str__(self) -> str:
        return f"Profil de recherche de {self.young_person}"

    def clean(self) -> None:
        super().clean()
        errors: dict[str, list[str]] = {}
        if self.radius_km is not None and not is_valid_radius(self.radius_km):
            errors["radius_km"] = [RADIUS_MESSAGE]
        if self.hours_per_week is not None and not is_valid_hours(self.hours_per_week):
            errors["hours_per_week"] = [HOURS_MESSAGE]
        if errors:
            raise ValidationError(errors)


def recommendation_profile_of(person) -> RecommendationProfile | None:
    """``person``'s stored profile, None when they have none; no query when it was loaded with
    ``select_related("recommendation_profile")`` (signed-in people's tokens load it)."""
    try:
        return person.recommendation_profile
    except RecommendationProfile.DoesNotExist:
        return None
