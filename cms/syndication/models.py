"""Diffusion partners: external platforms that show Tremplin's missions and offers, through keys, feeds or a widget.

A partner's diffusion rules narrow what any of its keys (and its widget) may read: :func:`cms.syndication.rules.
restrict` applies them on top of the public visibility. Usage is counted per key and per day (:class:`KeyUsage`).
"""

from __future__ import annotations

import uuid

from django import forms
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.html import escape
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel

from cms.core.geo import DEPARTMENTS

from .panels import WidgetSnippetPanel

REGIONS = sorted({department.region for department in DEPARTMENTS.values()})
HEX_COLOUR = r"^#[0-9A-Fa-f]{6}$"


def is_origin(origin: str) -> bool:
    """``https://host[:port]``: a scheme and a host, no path (what browsers send in ``Origin``)."""
    return origin.startswith(("https://", "http://")) and origin.rstrip("/").count("/") == 2 and " " not in origin


def _check_colour(value: str) -> None:
    import re

    if value and not re.fullmatch(HEX_COLOUR, value):
        raise ValidationError("Indiquez une couleur au format #RRVVBB.")


class DiffusionPartner(models.Model):
    class Content(models.TextChoices):
        MISSIONS = "missions", "missions"
        OFFERS = "offers", "offres"

    public_id = models.UUIDField("identifiant public", default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField("nom", max_length=255)
    contact_name = models.CharField("contact", max_length=255, blank=True)
    contact_email = models.EmailField("e-mail du contact", blank=True)
    allowed_origins = ArrayField(
        models.CharField(max_length=255),
        verbose_name="origines autorisées",
        default=list,
        blank=True,
        help_text="Sites qui appellent l'API depuis un navigateur ou intègrent le widget, séparés par des virgules "
        "(ex. https://www.exemple.fr).",
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name="comptes du partenaire",
        blank=True,
        related_name="diffusion_partners",
        help_text="Ils voient dans l'administration l'utilisation des clés de ce partenaire.",
    )
    # Diffusion rules: an empty rule does not restrict.
    programmes = models.ManyToManyField(
        "taxonomy.Programme",
        verbose_name="programmes",
        blank=True,
        related_name="+",
        help_text="Vide : tous les programmes.",
    )
    domains = models.ManyToManyField(
        "taxonomy.Domain", verbose_name="domaines", blank=True, related_name="+", help_text="Vide : tous les domaines."
    )
    regions = ArrayField(
        models.CharField(max_length=100, choices=[(r, r) for r in REGIONS]),
        verbose_name="régions",
        default=list,
        blank=True,
        help_text="Vide (et aucun département) : toute la France.",
    )
    departments = ArrayField(
        models.CharField(max_length=3, choices=[(d.code, f"{d.code} {d.name}") for d in DEPARTMENTS.values()]),
        verbose_name="départements",
        default=list,
        blank=True,
        help_text="S'ajoutent aux régions choisies.",
    )
    sources = ArrayField(
        models.SlugField(max_length=100),
        verbose_name="sources",
        default=list,
        blank=True,
        help_text="Sources (diffuseurs) des missions montrées, séparées par des virgules ; vide : toutes.",
    )
    excluded_organizations = models.ManyToManyField(
        "organisations.Organization", verbose_name="organisations exclues", blank=True, related_name="+"
    )
    # Widget.
    widget_content = models.CharField("contenu du widget", max_length=10, choices=Content.choices, default="missions")
    primary_colour = models.CharField(
        "couleur principale",
        max_length=7,
        default="#1d4ed8",
        validators=[_check_colour],
        help_text="Boutons et liens du widget ; gardez un bon contraste avec le blanc.",
    )
    default_city = models.CharField("ville par défaut", max_length=255, blank=True)
    default_latitude = models.FloatField("latitude par défaut", null=True, blank=True)
    default_longitude = models.FloatField("longitude par défaut", null=True, blank=True)
    default_radius_km = models.PositiveSmallIntegerField("rayon par défaut (km)", default=30)
    created_at = models.DateTimeField("créé le", auto_now_add=True)

    panels = [
        FieldPanel("name"),
        FieldRowPanel([FieldPanel("contact_name"), FieldPanel("contact_email")]),
        FieldPanel("allowed_origins"),
        FieldPanel("members"),
        MultiFieldPanel(
            [
                FieldPanel("programmes", widget=forms.CheckboxSelectMultiple),
                FieldPanel("domains", widget=forms.CheckboxSelectMultiple),
                FieldPanel("regions", widget=forms.CheckboxSelectMultiple(choices=[(r, r) for r in REGIONS])),
                FieldPanel("departments"),
                FieldPanel("sources"),
                FieldPanel("excluded_organizations"),
            ],
            heading="Règles de diffusion",
        ),
        MultiFieldPanel(
            [
                FieldPanel("widget_content"),
                FieldPanel("primary_colour"),
                FieldPanel("default_city"),
                FieldRowPanel([FieldPanel("default_latitude"), FieldPanel("default_longitude")]),
                FieldPanel("default_radius_km"),
                WidgetSnippetPanel(heading="Code d'intégration"),
            ],
            heading="Widget",
        ),
    ]

    class Meta:
        verbose_name = "partenaire de diffusion"
        verbose_name_plural = "partenaires de diffusion"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        wrong = [origin for origin in self.allowed_origins if not is_origin(origin)]
        if wrong:
            raise ValidationError(
                {"allowed_origins": f"« {wrong[0]} » n'est pas une origine (ex. https://www.exemple.fr, sans chemin)."}
            )
        if (self.default_latitude is None) != (self.default_longitude is None):
            raise ValidationError("Indiquez la latitude et la longitude par défaut, ou aucune des deux.")

    def widget_url(self) -> str:
        return f"{settings.WAGTAILADMIN_BASE_URL.rstrip('/')}/widget/{self.public_id}/"

    def widget_snippet(self) -> str:
        """The HTML a partner pastes in its page to embed its widget."""
        return (
            f'<iframe src="{self.widget_url()}" title="{escape(self.name)} : missions et offres Tremplin" '
            'width="100%" height="720" style="border:0" loading="lazy"></iframe>'
        )

    def department_codes(self) -> set[str]:
        """The departments the partner may show: those chosen plus those of the chosen regions; empty: all."""
        codes = set(self.departments)
        wanted = set(self.regions)
        codes |= {d.code for d in DEPARTMENTS.values() if d.region in wanted}
        return codes


class KeyUsage(models.Model):
    """What a key was used for, one row per key and day: requests answered and items served (counted as they are
    answered), clicks on the links it served and applications reported for those clicks (copied from the tracking's
    daily aggregates by ``manage.py tracking_aggregate``)."""

    key = models.ForeignKey("partners_api.ApiKey", verbose_name="clé", on_delete=models.CASCADE, related_name="usage")
    day = models.DateField("jour")
    requests = models.PositiveIntegerField("requêtes", default=0)
    items = models.PositiveIntegerField("éléments servis", default=0)
    clicks = models.PositiveIntegerField("clics", default=0)
    applications = models.PositiveIntegerField("candidatures", default=0)

    class Meta:
        verbose_name = "utilisation d'une clé"
        verbose_name_plural = "utilisation des clés"
        ordering = ["-day"]
        constraints = [models.UniqueConstraint(fields=["key", "day"], name="syndication_usage_one_row_per_key_day")]

    def __str__(self) -> str:
        return f"{self.key_id} {self.day}"
