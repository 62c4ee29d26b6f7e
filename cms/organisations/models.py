"""Organisations that publish missions (associations, public bodies, networks) and the people who act for them."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.search import index

rna_validator = RegexValidator(r"^W\d{9}$", "Le numéro RNA doit être de la forme W suivi de 9 chiffres.")
siren_validator = RegexValidator(r"^\d{9}$", "Le SIREN doit comporter 9 chiffres.")
siret_validator = RegexValidator(r"^\d{14}$", "Le SIRET doit comporter 14 chiffres.")


class OrganizationQuerySet(models.QuerySet):
    def for_user(self, user) -> OrganizationQuerySet:
        """The organisations ``user`` acts for (all of them for staff with the model permission)."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser or user.has_perm("organisations.change_organization"):
            return self
        return self.filter(members=user)


class Organization(index.Indexed, models.Model):
    class Kind(models.TextChoices):
        ASSOCIATION = "association", "Association"
        PUBLIC_BODY = "public_body", "Organisme public"
        LOCAL_AUTHORITY = "local_authority", "Collectivité territoriale"
        COMPANY = "company", "Entreprise"
        FOUNDATION = "foundation", "Fondation"
        OTHER = "other", "Autre"

    name = models.CharField("nom", max_length=255)
    slug = models.SlugField("identifiant", max_length=255, unique=True)
    source = models.CharField("source", max_length=100, blank=True, db_index=True)
    client_id = models.CharField("identifiant chez la source", max_length=255, blank=True)
    kind = models.CharField("type", max_length=30, choices=Kind.choices, default=Kind.ASSOCIATION)
    rna = models.CharField("RNA", max_length=10, blank=True, validators=[rna_validator])
    siren = models.CharField("SIREN", max_length=9, blank=True, validators=[siren_validator])
    siret = models.CharField("SIRET", max_length=14, blank=True, validators=[siret_validator])
    description = models.TextField("description", blank=True)
    url = models.URLField("site web", max_length=500, blank=True)
    logo = models.ForeignKey(
        "wagtailimages.Image", verbose_name="logo", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    logo_url = models.URLField("URL du logo", max_length=500, blank=True)
    street = models.CharField("adresse", max_length=255, blank=True)
    postcode = models.CharField("code postal", max_length=10, blank=True)
    city = models.CharField("ville", max_length=255, blank=True)
    department_code = models.CharField("département", max_length=3, blank=True)
    networks = models.ManyToManyField(
        "self", verbose_name="réseaux", symmetrical=False, blank=True, related_name="member_organizations"
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name="membres", blank=True, related_name="organizations"
    )
    created_at = models.DateTimeField("créée le", auto_now_add=True)
    updated_at = models.DateTimeField("modifiée le", auto_now=True)

    objects = OrganizationQuerySet.as_manager()

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("kind"),
        FieldRowPanel([FieldPanel("rna"), FieldPanel("siren"), FieldPanel("siret")]),
        FieldPanel("description"),
        FieldRowPanel([FieldPanel("url"), FieldPanel("logo")]),
        MultiFieldPanel(
            [FieldPanel("street"), FieldRowPanel([FieldPanel("postcode"), FieldPanel("city")])], heading="Adresse"
        ),
        FieldPanel("networks"),
        FieldPanel("members"),
    ]

    search_fields = [
        index.SearchField("name", boost=2),
        index.AutocompleteField("name"),
        index.FilterField("kind"),
        index.FilterField("department_code"),
    ]

    class Meta:
        verbose_name = "organisation"
        verbose_name_plural = "organisations"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "client_id"],
                condition=~models.Q(client_id=""),
                name="organization_unique_source_client_id",
            )
        ]

    def __str__(self) -> str:
        return self.name
