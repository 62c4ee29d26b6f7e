"""Engagement missions: the national base fed by partner feeds and written by organisations.

Missions are snippets, not pages: they number in the hundreds of thousands, mostly imported, and live flat. Hand-written
ones go through drafts, revisions, previews and workflows like pages do; imported ones are owned by their feed and only
their moderation fields can be edited in the admin (see ``forms.MissionAdminForm``).
"""

from __future__ import annotations

import uuid

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel, ObjectList, TabbedInterface
from wagtail.models import (
    DraftStateMixin,
    LockableMixin,
    Orderable,
    PreviewableMixin,
    RevisionMixin,
    WorkflowMixin,
)
from wagtail.search import index

from cms.core.ages import eligible_at_age_q
from cms.core.preview import HeadlessPreviewMixin

#: The ``source`` of missions written in Tremplin's own admin rather than imported from a partner feed.
HAND_WRITTEN_SOURCE = "tremplin"

#: Holders of this permission (the editorial team) see and edit every mission. Organisations' members also hold
#: add/change permissions, to write missions, but not this one: they only reach their own organisations' missions.
ALL_MISSIONS_PERMISSION = "missions.publish_mission"

#: The most addresses one mission may have. Feeds and the push API refuse a mission with more (with a French reason,
#: never by keeping the first ones), the admin offers no more, and the GraphQL cost estimate charges
#: ``Mission.addresses`` at this size. Partner missions held in many places list a few dozen at most.
MISSION_ADDRESSES_MAX = 50
#: The most items in each of a mission's word lists (activities, tags, audience, soft skills, requirements): feeds
#: and the push API refuse a mission with more.
MISSION_LIST_ITEMS_MAX = 50


class MissionQuerySet(models.QuerySet):
    def not_archived(self) -> MissionQuerySet:
        return self.filter(archived_at__isnull=True)

    def live(self) -> MissionQuerySet:
        """Published (for hand-written missions) and not archived."""
        return self.filter(live=True, archived_at__isnull=True)

    def public(self) -> MissionQuerySet:
        """What the public may see: live, accepted by moderation, not archived, not over."""
        today = timezone.localdate()
        return (
            self.live()
            .filter(moderation_status=Mission.Moderation.ACCEPTED)
            .filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
        )

    def searchable(self) -> MissionQuerySet:
        return self.public()

    def eligible_at(self, age: int) -> MissionQuerySet:
        return self.filter(self.eligible_at_q(age))

    @staticmethod
    def eligible_at_q(age: int, prefix: str = "") -> Q:
        """Missions a person of ``age`` may join: within the programme's age bounds, open to minors below 18.

        ``prefix`` reaches missions from another model (or from a GraphQL filter), so the rule composes in a ``Q``.
        """
        return eligible_at_age_q(
            age,
            min_age=f"{prefix}programme__min_age",
            max_age=f"{prefix}programme__max_age",
            open_to_minors=f"{prefix}open_to_minors",
        )

    def visible_to(self, user) -> MissionQuerySet:
        """Public missions, plus every mission of the organisations ``user`` acts for (all of them for staff)."""
        if user is None or not user.is_authenticated:
            return self.public()
        if user.is_superuser or user.has_perm(ALL_MISSIONS_PERMISSION):
            return self
        return self.filter(Q(pk__in=self.public().values("pk")) | Q(organization__members=user)).distinct()

    def editable_by(self, user) -> MissionQuerySet:
        """Missions ``user`` may edit in the admin: all for staff, their organisations' for organisation members."""
        if user is None or not user.is_authenticated:
            return self.none()
        if user.is_superuser or user.has_perm(ALL_MISSIONS_PERMISSION):
            return self
        # A filter on ``organization`` alone (not a join to members) so the admin's search backend can apply it.
        return self.filter(organization__in=user.organizations.values("pk"))


class Mission(
    HeadlessPreviewMixin,
    WorkflowMixin,
    DraftStateMixin,
    LockableMixin,
    RevisionMixin,
    PreviewableMixin,
    index.Indexed,
    ClusterableModel,
):
    class Remote(models.TextChoices):
        NO = "no", "Sur place"
        POSSIBLE = "possible", "Télétravail possible"
        FULL = "full", "Entièrement à distance"

    class Moderation(models.TextChoices):
        PENDING = "pending", "En attente"
        ACCEPTED = "accepted", "Acceptée"
        REFUSED = "refused", "Refusée"

    class CompensationUnit(models.TextChoices):
        HOUR = "hour", "par heure"
        DAY = "day", "par jour"
        WEEK = "week", "par semaine"
        MONTH = "month", "par mois"
        YEAR = "year", "par an"
        TOTAL = "total", "au total"

    class CompensationType(models.TextChoices):
        GROSS = "gross", "brut"
        NET = "net", "net"

    # Identity: a mission is (source, client_id); hand-written ones get a generated client id.
    # No index of its own: lookups by source use the (source, client_id) unique index.
    source = models.CharField("source", max_length=100, default=HAND_WRITTEN_SOURCE)
    client_id = models.CharField("identifiant chez la source", max_length=255, default=uuid.uuid4)

    title = models.CharField("titre", max_length=255)
    description_html = models.TextField("description", help_text="HTML nettoyé (sous-ensemble sûr).")
    description_text = models.TextField("description (texte brut)", blank=True, editable=False)
    organization = models.ForeignKey(
        "organisations.Organization",
        verbose_name="organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="missions",
    )
    programme = models.ForeignKey(
        "taxonomy.Programme",
        verbose_name="dispositif",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="missions",
    )
    domain = models.ForeignKey(
        "taxonomy.Domain",
        verbose_name="domaine",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="missions",
    )
    activities = models.JSONField("activités", default=list, blank=True)
    tags = models.JSONField("étiquettes", default=list, blank=True)
    tasks = models.JSONField("tâches", default=list, blank=True)
    audience = models.JSONField("public visé", default=list, blank=True)
    soft_skills = models.JSONField("savoir-être", default=list, blank=True)
    requirements = models.JSONField("prérequis", default=list, blank=True)

    remote = models.CharField("télétravail", max_length=10, choices=Remote.choices, default=Remote.NO)
    schedule = models.CharField("horaires", max_length=500, blank=True)
    hours_per_week = models.PositiveSmallIntegerField("heures par semaine", null=True, blank=True)
    start_date = models.DateField("date de début", null=True, blank=True)
    end_date = models.DateField("date de fin", null=True, blank=True)
    posted_at = models.DateTimeField("publiée le", default=timezone.now)
    places = models.PositiveIntegerField("nombre de places", null=True, blank=True)
    open_to_minors = models.BooleanField("ouverte aux mineurs", default=False)
    reduced_mobility_accessible = models.BooleanField("accessible aux personnes à mobilité réduite", default=False)
    close_to_transport = models.BooleanField("proche des transports", default=False)

    compensation_amount = models.DecimalField("indemnisation", max_digits=10, decimal_places=2, null=True, blank=True)
    compensation_amount_max = models.DecimalField(
        "indemnisation maximale", max_digits=10, decimal_places=2, null=True, blank=True
    )
    compensation_unit = models.CharField(
        "unité d'indemnisation", max_length=10, choices=CompensationUnit.choices, blank=True
    )
    compensation_type = models.CharField(
        "type d'indemnisation", max_length=10, choices=CompensationType.choices, blank=True
    )

    application_url = models.URLField("lien de candidature", max_length=1000, blank=True)
    image_url = models.URLField("image", max_length=1000, blank=True)

    moderation_status = models.CharField(
        "modération", max_length=10, choices=Moderation.choices, default=Moderation.PENDING
    )
    moderation_reason = models.TextField("motif de modération", blank=True)
    moderated_at = models.DateTimeField("modérée le", null=True, blank=True)
    #: Set when staff decide in the admin: imports then leave a refusal alone (see importers.base).
    moderated_by_staff = models.BooleanField("modérée par l'équipe", default=False, editable=False)

    archived_at = models.DateTimeField("archivée le", null=True, blank=True, db_index=True)
    last_synced_at = models.DateTimeField("dernière synchronisation", null=True, blank=True)
    content_hash = models.CharField("empreinte du contenu", max_length=64, blank=True)
    created_at = models.DateTimeField("créée le", auto_now_add=True)
    updated_at = models.DateTimeField("modifiée le", auto_now=True)

    objects = MissionQuerySet.as_manager()

    content_panels = [
        FieldPanel("title"),
        FieldPanel("organization"),
        FieldRowPanel([FieldPanel("programme"), FieldPanel("domain")]),
        FieldPanel("description_html"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("start_date"), FieldPanel("end_date")]),
                FieldRowPanel([FieldPanel("places"), FieldPanel("hours_per_week")]),
                FieldPanel("schedule"),
                FieldPanel("remote"),
            ],
            heading="Quand et comment",
        ),
        MultiFieldPanel(
            [
                FieldPanel("open_to_minors"),
                FieldPanel("reduced_mobility_accessible"),
                FieldPanel("close_to_transport"),
            ],
            heading="Accessibilité",
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("compensation_amount"), FieldPanel("compensation_amount_max")]),
                FieldRowPanel([FieldPanel("compensation_unit"), FieldPanel("compensation_type")]),
            ],
            heading="Indemnisation",
        ),
        FieldPanel("application_url"),
        FieldPanel("image_url"),
        InlinePanel("addresses", heading="Adresses", label="adresse", max_num=MISSION_ADDRESSES_MAX),
    ]
    moderation_panels = [FieldPanel("moderation_status"), FieldPanel("moderation_reason")]
    edit_handler = TabbedInterface(
        [ObjectList(content_panels, heading="Contenu"), ObjectList(moderation_panels, heading="Modération")]
    )

    search_fields = [
        index.SearchField("title", boost=3),
        index.AutocompleteField("title"),
        index.SearchField("description_text"),
        index.FilterField("source"),
        index.FilterField("moderation_status"),
        index.FilterField("live"),
        index.FilterField("archived_at"),
        index.FilterField("organization"),
        index.FilterField("programme"),
        index.FilterField("domain"),
    ]

    api_fields = [
        "title",
        "description_html",
        "description_text",
        "organization",
        "programme",
        "domain",
        "activities",
        "tags",
        "tasks",
        "audience",
        "soft_skills",
        "requirements",
        "remote",
        "schedule",
        "hours_per_week",
        "start_date",
        "end_date",
        "posted_at",
        "places",
        "open_to_minors",
        "reduced_mobility_accessible",
        "close_to_transport",
        "compensation_amount",
        "compensation_amount_max",
        "compensation_unit",
        "compensation_type",
        "application_url",
        "image_url",
        "addresses",
    ]

    class Meta:
        verbose_name = "mission"
        verbose_name_plural = "missions"
        ordering = ["-posted_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["source", "client_id"], name="mission_unique_source_client_id"),
        ]
        indexes = [
            models.Index(fields=["moderation_status", "live", "archived_at"], name="mission_visibility_idx"),
            models.Index(fields=["start_date"], name="mission_start_idx"),
            # Public listings (GraphQL missions, newest first): the rows public() keeps, in the default order, so a
            # page is an index scan that stops after N rows; end_date included for an index-only totalCount.
            models.Index(
                fields=["-posted_at", "id"],
                name="mission_public_listing_idx",
                condition=Q(live=True, archived_at__isnull=True, moderation_status="accepted"),
                include=["end_date"],
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_imported(self) -> bool:
        return self.source != HAND_WRITTEN_SOURCE

    @property
    def is_public(self) -> bool:
        today = timezone.localdate()
        return (
            self.live
            and self.archived_at is None
            and self.moderation_status == self.Moderation.ACCEPTED
            and (self.end_date is None or self.end_date >= today)
        )

    def clean(self) -> None:
        super().clean()
        errors = {}
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = "La date de fin doit être postérieure à la date de début."
        if self.places is not None and self.places <= 0:
            errors["places"] = "Le nombre de places doit être supérieur à zéro."
        if (
            self.compensation_amount is not None
            and self.compensation_amount_max is not None
            and self.compensation_amount_max < self.compensation_amount
        ):
            errors["compensation_amount_max"] = "L'indemnisation maximale doit être supérieure au montant minimal."
        if self.moderation_status == self.Moderation.REFUSED and not self.moderation_reason.strip():
            errors["moderation_reason"] = "Indiquez le motif du refus."
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs) -> None:
        from cms.core.html import html_to_text

        self.description_text = html_to_text(self.description_html)
        super().save(*args, **kwargs)

    def archive(self, *, when=None) -> None:
        """Soft delete: archived missions stay in the database, out of every public listing."""
        self.archived_at = when or timezone.now()
        self.save(update_fields=["archived_at", "updated_at"])

    def restore(self) -> None:
        self.archived_at = None
        self.save(update_fields=["archived_at", "updated_at"])


class MissionAddress(Orderable):
    mission = ParentalKey(Mission, on_delete=models.CASCADE, related_name="addresses")
    street = models.CharField("adresse", max_length=255, blank=True)
    postcode = models.CharField("code postal", max_length=10, blank=True)
    city = models.CharField("ville", max_length=255, blank=True)
    department_code = models.CharField("code du département", max_length=3, blank=True)
    department_name = models.CharField("département", max_length=100, blank=True)
    region = models.CharField("région", max_length=100, blank=True)
    country = models.CharField("pays", max_length=2, default="FR")
    latitude = models.FloatField("latitude", null=True, blank=True)
    longitude = models.FloatField("longitude", null=True, blank=True)

    panels = [
        FieldPanel("street"),
        FieldRowPanel([FieldPanel("postcode"), FieldPanel("city")]),
        FieldRowPanel([FieldPanel("department_code"), FieldPanel("department_name"), FieldPanel("region")]),
        FieldRowPanel([FieldPanel("latitude"), FieldPanel("longitude")]),
    ]

    class Meta(Orderable.Meta):
        verbose_name = "adresse"
        verbose_name_plural = "adresses"
        indexes = [
            models.Index(fields=["latitude", "longitude"], name="mission_address_geo_idx"),
            # A plain index (``db_index`` would add a second, ``LIKE`` one that no query uses).
            models.Index(fields=["department_code"], name="mission_address_dept_idx"),
        ]

    def __str__(self) -> str:
        return ", ".join(part for part in (self.street, f"{self.postcode} {self.city}".strip()) if part)

    def clean(self) -> None:
        super().clean()
        from cms.core.geo import validate_coordinates

        validate_coordinates(self.latitude, self.longitude)

    def save(self, *args, **kwargs) -> None:
        """The department (and its name and region, when not given) follow the one rule of ``address_department``."""
        from cms.core.geo import address_department

        department = address_department(self.department_code, self.postcode)
        if department is not None:
            self.department_code = department.code
            self.department_name = self.department_name or department.name
            self.region = self.region or department.region
        super().save(*args, **kwargs)
