"""The people of the Carte jeune engagé: referents (who follow young people) and the young people themselves."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from cms.cards.contacts import normalise_email, normalise_phone


def age_on(birth_date: dt.date, day: dt.date) -> int:
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def age_message() -> str:
    return f"La carte est réservée aux jeunes de {settings.CARDS_MIN_AGE} à {settings.CARDS_MAX_AGE} ans."


class Referent(models.Model):
    """A conseiller (Mission locale, France Travail, service civique, E2C, EPIDE) following young people."""

    #: Kept out of Wagtail's reference index: its usage screens would list people's records, at a write per save.
    wagtail_reference_index_ignore = True

    class StructureKind(models.TextChoices):
        MISSION_LOCALE = "mission_locale", "Mission locale"
        FRANCE_TRAVAIL = "france_travail", "France Travail"
        SERVICE_CIVIQUE = "service_civique", "Organisme de service civique"
        E2C = "e2c", "École de la deuxième chance (E2C)"
        EPIDE = "epide", "EPIDE"
        OTHER = "other", "Autre structure"

    email = models.EmailField("e-mail", unique=True)
    first_name = models.CharField("prénom", max_length=150)
    last_name = models.CharField("nom", max_length=150)
    structure_kind = models.CharField("type de structure", max_length=20, choices=StructureKind.choices)
    structure_name = models.CharField("structure", max_length=255)
    structure_department = models.CharField("département de la structure", max_length=3, blank=True)
    active = models.BooleanField("actif", default=True, help_text="Décochez pour retirer l'accès à l'espace référent.")
    created_at = models.DateTimeField("créé le", auto_now_add=True)

    class Meta:
        verbose_name = "référent"
        verbose_name_plural = "référents"
        ordering = ["last_name", "first_name"]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name} ({self.structure_name})"

    def clean(self) -> None:
        super().clean()
        if self.email:
            try:
                self.email = normalise_email(self.email)
            except ValidationError as error:
                raise ValidationError({"email": error.messages}) from None


class YoungPerson(models.Model):
    """A young person holding (or invited to hold) the card; reached by e-mail and/or phone."""

    #: Kept out of Wagtail's reference index: its usage screens would list people's records, at a write per save.
    wagtail_reference_index_ignore = True

    email = models.EmailField("e-mail", blank=True)
    phone = models.CharField(
        "téléphone", max_length=20, blank=True, help_text="Format international, ex. +33612345678."
    )
    first_name = models.CharField("prénom", max_length=150)
    last_name = models.CharField("nom", max_length=150)
    birth_date = models.DateField("date de naissance")
    programme = models.ForeignKey(
        "taxonomy.Programme", verbose_name="dispositif", on_delete=models.PROTECT, related_name="young_people"
    )
    programme_end_date = models.DateField("fin du dispositif")
    referent = models.ForeignKey(
        Referent,
        verbose_name="référent",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="young_people",
    )
    postcode = models.CharField("code postal", max_length=10, blank=True)
    city = models.CharField("ville", max_length=255, blank=True)
    latitude = models.FloatField("latitude", null=True, blank=True)
    longitude = models.FloatField("longitude", null=True, blank=True)
    offer_categories = models.ManyToManyField(
        "taxonomy.OfferCategory", verbose_name="catégories d'offres", blank=True, related_name="+"
    )
    needs = models.ManyToManyField("taxonomy.Need", verbose_name="besoins", blank=True, related_name="+")
    domains = models.ManyToManyField(
        "taxonomy.Domain", verbose_name="domaines de mission", blank=True, related_name="+"
    )
    terms_accepted_at = models.DateTimeField("conditions d'utilisation acceptées le", null=True, blank=True)
    expiry_reminders_consent_at = models.DateTimeField("accord pour les rappels d'expiration le", null=True, blank=True)
    digest_consent_at = models.DateTimeField("accord pour la lettre hebdomadaire le", null=True, blank=True)
    digest_sent_at = models.DateTimeField("dernière lettre hebdomadaire le", null=True, blank=True, editable=False)
    first_signed_in_at = models.DateTimeField("première connexion le", null=True, blank=True, editable=False)
    created_at = models.DateTimeField("créé le", auto_now_add=True)

    class Meta:
        verbose_name = "jeune"
        verbose_name_plural = "jeunes"
        ordering = ["last_name", "first_name"]
        constraints = [
            models.UniqueConstraint(fields=["email"], condition=~Q(email=""), name="young_person_unique_email"),
            models.UniqueConstraint(fields=["phone"], condition=~Q(phone=""), name="young_person_unique_phone"),
            models.CheckConstraint(condition=~Q(email="") | ~Q(phone=""), name="young_person_has_a_contact"),
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"

    def save(self, *args, **kwargs) -> None:
        """Saved with a new programme end date, a card that has not expired follows it (an expired one comes back
        only through ``lifecycle.reactivate``)."""
        super().save(*args, **kwargs)
        from .cards import Card, CardStatus, valid_until_for

        valid_until = valid_until_for(self.programme_end_date)
        Card.objects.filter(young_person=self).exclude(status=CardStatus.EXPIRED).exclude(
            valid_until=valid_until
        ).update(valid_until=valid_until)

    def clean(self) -> None:
        super().clean()
        errors: dict[str, list[str]] = {}
        if self.email:
            try:
                self.email = normalise_email(self.email)
            except ValidationError as error:
                errors["email"] = error.messages
        if self.phone:
            try:
                self.phone = normalise_phone(self.phone)
            except ValidationError as error:
                errors["phone"] = error.messages
        if not self.email and not self.phone and "email" not in errors and "phone" not in errors:
            errors["email"] = ["Indiquez une adresse e-mail ou un numéro de téléphone."]
        if self.birth_date and not is_eligible_age(self.birth_date):
            errors["birth_date"] = [age_message()]
        if errors:
            raise ValidationError(errors)

    @property
    def profile_complete(self) -> bool:
        """What activating the card needs: names, birth date, postcode and the terms accepted."""
        return bool(self.first_name and self.last_name and self.birth_date and self.postcode and self.terms_accepted_at)


def is_eligible_age(birth_date: dt.date, on: dt.date | None = None) -> bool:
    """Whether a person born on ``birth_date`` is of the card's public (``CARDS_MIN_AGE``–``CARDS_MAX_AGE``)."""
    age = age_on(birth_date, on or timezone.localdate())
    return settings.CARDS_MIN_AGE <= age <= settings.CARDS_MAX_AGE
