"""Tracking: what young people saw, clicked and applied to, kept so that a warehouse could take it over.

``Event`` is append-only (never updated, never deleted by the application) and partitioned by month on
``occurred_at`` (declarative partitioning, created by the migration; ``cms.tracking.partitions`` adds months).
Its primary key is ``(occurred_at, id)``: PostgreSQL requires the partition key in it, and it is the time-leading
index every range read uses. Missions and offers are plain ids, not foreign keys: history outlives them.

Anonymous visitors are a daily-rotating salted hash (``cms.tracking.visitors``); no address, no user agent, nothing
else about them is kept. ``DailyStat`` holds the per-day counts dashboards and public statistics read, so they never
scan events. ``Application`` is the one mutable row per reported application: its status as the partner last said.
"""

from __future__ import annotations

import uuid

from django.db import models


class Kind(models.TextChoices):
    IMPRESSION = "impression", "Affichage"
    CLICK = "click", "Clic"
    APPLICATION = "application", "Candidature"
    APPLICATION_STATUS = "application_status", "Statut de candidature"
    ACCOUNT_CREATED = "account_created", "Compte créé"


class Channel(models.TextChoices):
    SITE = "site", "Site Tremplin"
    WIDGET = "widget", "Widget"
    API = "api", "API partenaire"
    CAMPAIGN = "campaign", "Campagne"


class ApplicationStatus(models.TextChoices):
    PENDING = "pending", "En attente"
    VALIDATED = "validated", "Validée"
    REFUSED = "refused", "Refusée"
    CARRIED_OUT = "carried_out", "Réalisée"


class Event(models.Model):
    pk = models.CompositePrimaryKey("occurred_at", "id")
    occurred_at = models.DateTimeField("date")
    id = models.UUIDField(default=uuid.uuid4, editable=False)
    kind = models.CharField("type", max_length=20, choices=Kind.choices)
    mission_id = models.BigIntegerField("mission", null=True, blank=True)
    offer_id = models.BigIntegerField("offre", null=True, blank=True)
    channel = models.CharField("canal", max_length=10, choices=Channel.choices)
    #: The partner key's prefix (channel ``api``) or the campaign's name (channel ``campaign``).
    source = models.CharField("source", max_length=64, blank=True)
    visitor = models.CharField("visiteur anonyme", max_length=32, blank=True)
    user_id = models.BigIntegerField("personne connectée", null=True, blank=True)
    #: The click's tracking token, on clicks and application events.
    token = models.CharField("jeton", max_length=32, blank=True)
    status = models.CharField("statut", max_length=12, choices=ApplicationStatus.choices, blank=True)

    class Meta:
        verbose_name = "événement"
        verbose_name_plural = "événements"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.occurred_at:%Y-%m-%d %H:%M}"


class DailyStat(models.Model):
    """Events counted per day, kind, mission, channel and source; programme and organisation copied from the mission."""

    day = models.DateField("jour")
    kind = models.CharField("type", max_length=20, choices=Kind.choices)
    mission_id = models.BigIntegerField("mission", null=True, blank=True)
    offer_id = models.BigIntegerField("offre", null=True, blank=True)
    programme_id = models.BigIntegerField("dispositif", null=True, blank=True)
    organization_id = models.BigIntegerField("organisation", null=True, blank=True)
    channel = models.CharField("canal", max_length=10, choices=Channel.choices)
    source = models.CharField("source", max_length=64, blank=True)
    count = models.PositiveIntegerField("nombre")
    visitors = models.PositiveIntegerField("visiteurs distincts")

    class Meta:
        verbose_name = "statistique du jour"
        verbose_name_plural = "statistiques du jour"
        indexes = [
            models.Index(fields=["day", "kind"], name="tracking_daily_day_idx"),
            models.Index(fields=["mission_id", "kind"], name="tracking_daily_mission_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.get_kind_display()} : {self.count}"


class Application(models.Model):
    """An application a partner reported for a click's token, and its current status."""

    token = models.CharField("jeton", max_length=32, unique=True)
    mission_id = models.BigIntegerField("mission")
    channel = models.CharField("canal", max_length=10, choices=Channel.choices)
    source = models.CharField("source", max_length=64, blank=True)
    clicked_at = models.DateTimeField("cliquée le")
    status = models.CharField("statut", max_length=12, choices=ApplicationStatus.choices)
    reported_by = models.ForeignKey(
        "partners_api.ApiKey",
        verbose_name="déclarée par",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("déclarée le", auto_now_add=True)
    updated_at = models.DateTimeField("modifiée le", auto_now=True)

    class Meta:
        verbose_name = "candidature"
        verbose_name_plural = "candidatures"
        indexes = [models.Index(fields=["created_at"], name="tracking_application_time_idx")]

    def __str__(self) -> str:
        return f"{self.token} ({self.get_status_display()})"
