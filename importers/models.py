"""Partner feeds, the history of their imports, and the addresses still waiting for coordinates."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel

from cms.missions.models import HAND_WRITTEN_SOURCE

#: A feed that has failed (unreachable, empty, truncated, unparseable) for this long gets its missions archived.
FAILURE_GRACE = dt.timedelta(days=7)
#: Above this share of refused missions, a run is flagged for staff.
HIGH_REFUSAL_RATE = 0.2


class FeedSourceQuerySet(models.QuerySet):
    def active(self) -> FeedSourceQuerySet:
        return self.filter(active=True)

    def with_warnings(self) -> FeedSourceQuerySet:
        """Sources staff should look at: failing, or whose last run was empty or refused many missions."""
        return self.active().filter(models.Q(failing_since__isnull=False) | ~models.Q(last_warnings=[]))


class FeedSource(models.Model):
    class Format(models.TextChoices):
        ENGAGEMENT_XML = "engagement_xml", "XML (format API Engagement)"
        JSON = "json", "JSON (mêmes champs)"
        CSV = "csv", "CSV (mêmes champs)"

    class Auth(models.TextChoices):
        NONE = "none", "Aucune"
        BASIC = "basic", "HTTP Basic (identifiant et mot de passe)"
        HEADER = "header", "Jeton dans un en-tête"

    name = models.CharField("nom", max_length=100, unique=True)
    slug = models.SlugField(
        "identifiant de source",
        max_length=100,
        unique=True,
        help_text="Stocké sur chaque mission importée ; ne le changez pas après le premier import.",
    )
    publisher_name = models.CharField("diffuseur", max_length=255)
    url = models.URLField("URL du flux", max_length=1000)
    format = models.CharField("format", max_length=20, choices=Format.choices, default=Format.ENGAGEMENT_XML)
    auth = models.CharField("authentification", max_length=10, choices=Auth.choices, default=Auth.NONE)
    auth_username = models.CharField("identifiant", max_length=255, blank=True)
    auth_password = models.CharField("mot de passe", max_length=255, blank=True)
    auth_header_name = models.CharField("nom de l'en-tête", max_length=100, blank=True, default="Authorization")
    auth_token = models.CharField("jeton", max_length=1000, blank=True)
    default_programme = models.ForeignKey(
        "taxonomy.Programme",
        verbose_name="dispositif par défaut",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    default_domain = models.ForeignKey(
        "taxonomy.Domain",
        verbose_name="domaine par défaut",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    every_hours = models.PositiveSmallIntegerField("fréquence (heures)", default=24)
    active = models.BooleanField("actif", default=True)
    contact_email = models.EmailField("e-mail de contact", blank=True)

    failing_since = models.DateTimeField("en échec depuis", null=True, blank=True, editable=False)
    last_run_at = models.DateTimeField("dernier import", null=True, blank=True, editable=False)
    last_success_at = models.DateTimeField("dernier import complet", null=True, blank=True, editable=False)
    last_warnings = models.JSONField("alertes du dernier import", default=list, blank=True, editable=False)
    created_at = models.DateTimeField("créée le", auto_now_add=True)

    objects = FeedSourceQuerySet.as_manager()

    panels = [
        FieldRowPanel([FieldPanel("name"), FieldPanel("slug")]),
        FieldPanel("publisher_name"),
        FieldRowPanel([FieldPanel("url"), FieldPanel("format")]),
        MultiFieldPanel(
            [
                FieldPanel("auth"),
                FieldRowPanel([FieldPanel("auth_username"), FieldPanel("auth_password")]),
                FieldRowPanel([FieldPanel("auth_header_name"), FieldPanel("auth_token")]),
            ],
            heading="Authentification",
        ),
        FieldRowPanel([FieldPanel("default_programme"), FieldPanel("default_domain")]),
        FieldRowPanel([FieldPanel("every_hours"), FieldPanel("active")]),
        FieldPanel("contact_email"),
    ]

    class Meta:
        verbose_name = "flux partenaire"
        verbose_name_plural = "flux partenaires"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        errors = {}
        if self.slug == HAND_WRITTEN_SOURCE:
            errors["slug"] = f"« {HAND_WRITTEN_SOURCE} » est réservé aux missions saisies dans Tremplin."
        if self.auth == self.Auth.BASIC and not self.auth_username:
            errors["auth_username"] = "Indiquez l'identifiant de l'authentification Basic."
        if self.auth == self.Auth.HEADER and not (self.auth_header_name and self.auth_token):
            errors["auth_token"] = "Indiquez le nom de l'en-tête et le jeton."  # noqa: S105 - a message, not a secret
        if errors:
            raise ValidationError(errors)

    def is_due(self, now: dt.datetime | None = None) -> bool:
        """Whether the schedule says the feed should be imported again."""
        now = now or timezone.now()
        return self.active and (
            self.last_run_at is None or now - self.last_run_at >= dt.timedelta(hours=self.every_hours)
        )


class ImportRun(models.Model):
    class Status(models.TextChoices):
        RUNNING = "running", "En cours"
        SUCCESS = "success", "Réussi"
        WARNING = "warning", "Réussi avec alertes"
        FAILED = "failed", "Échec"
        SKIPPED = "skipped", "Ignoré (import déjà en cours)"
        INTERRUPTED = "interrupted", "Interrompu (processus arrêté)"

    source = models.ForeignKey(FeedSource, verbose_name="flux", on_delete=models.CASCADE, related_name="runs")
    started_at = models.DateTimeField("début", default=timezone.now, db_index=True)
    finished_at = models.DateTimeField("fin", null=True, blank=True)
    status = models.CharField("statut", max_length=20, choices=Status.choices, default=Status.RUNNING)
    complete = models.BooleanField("flux lu en entier", default=False)
    seen = models.PositiveIntegerField("lues", default=0)
    created = models.PositiveIntegerField("créées", default=0)
    updated = models.PositiveIntegerField("modifiées", default=0)
    unchanged = models.PositiveIntegerField("inchangées", default=0)
    archived = models.PositiveIntegerField("archivées", default=0)
    restored = models.PositiveIntegerField("restaurées", default=0)
    refused = models.PositiveIntegerField("refusées", default=0)
    errors = models.JSONField(
        "erreurs", default=list, blank=True, help_text="Une entrée par mission : identifiant et motifs."
    )
    warnings = models.JSONField("alertes", default=list, blank=True)
    message = models.TextField("message", blank=True)

    class Meta:
        verbose_name = "import"
        verbose_name_plural = "imports"
        ordering = ["-started_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.source} — {timezone.localtime(self.started_at):%d/%m/%Y %H:%M}"

    @property
    def duration(self) -> dt.timedelta | None:
        return self.finished_at - self.started_at if self.finished_at else None


class PendingGeocode(models.Model):
    """A mission address without coordinates; retried with a growing delay until the geocoder finds it."""

    address = models.OneToOneField(
        "missions.MissionAddress", verbose_name="adresse", on_delete=models.CASCADE, related_name="+"
    )
    source = models.CharField("source", max_length=100, db_index=True)
    query = models.CharField("recherche", max_length=500)
    postcode = models.CharField("code postal", max_length=10, blank=True)
    attempts = models.PositiveSmallIntegerField("tentatives", default=0)
    last_error = models.TextField("dernière erreur", blank=True)
    next_attempt_at = models.DateTimeField("prochaine tentative", default=timezone.now, db_index=True)
    created_at = models.DateTimeField("créée le", auto_now_add=True)

    class Meta:
        verbose_name = "adresse à géocoder"
        verbose_name_plural = "adresses à géocoder"
        ordering = ["next_attempt_at", "pk"]

    def __str__(self) -> str:
        return self.query
