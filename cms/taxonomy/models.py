"""Shared vocabularies: engagement domains, programmes (dispositifs), offer categories and needs.

They are snippets with stable slugs: feeds, filters and front-ends refer to slugs, editors change labels.
The initial sets are seeded by a data migration so that every environment starts from the same vocabulary.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.search import index

#: The most terms a vocabulary holds (filter menus list them all; an offer's categories and needs are among them):
#: enforced when a term is added, declared to the GraphQL cost estimate.
TAXONOMY_TERMS_MAX = 50


class TaxonomyTerm(index.Indexed, models.Model):
    slug = models.SlugField("identifiant", max_length=80, unique=True)
    label = models.CharField("libellé", max_length=120)
    position = models.PositiveSmallIntegerField("ordre", default=0)

    panels = [FieldPanel("label"), FieldPanel("slug"), FieldPanel("position")]

    search_fields = [index.SearchField("label"), index.AutocompleteField("label"), index.FilterField("slug")]

    class Meta:
        abstract = True
        ordering = ["position", "label"]

    def __str__(self) -> str:
        return self.label

    def clean(self) -> None:
        super().clean()
        if self._state.adding and type(self)._default_manager.count() >= TAXONOMY_TERMS_MAX:
            raise ValidationError(
                f"Cette liste compte déjà {TAXONOMY_TERMS_MAX} {self._meta.verbose_name_plural}, le maximum : "
                "modifiez ou supprimez-en un avant d'en ajouter."
            )


class Domain(TaxonomyTerm):
    """A field of engagement (environnement, santé…), as used by the French engagement feeds."""

    FALLBACK_SLUG = "autre"

    class Meta(TaxonomyTerm.Meta):
        verbose_name = "domaine"
        verbose_name_plural = "domaines"


class Programme(TaxonomyTerm):
    """A dispositif (service civique, bénévolat, SNU…) with what eligibility needs: ages, duration, allowance."""

    description = models.TextField("description", blank=True)
    min_age = models.PositiveSmallIntegerField("âge minimum", null=True, blank=True)
    max_age = models.PositiveSmallIntegerField("âge maximum", null=True, blank=True)
    max_age_with_disability = models.PositiveSmallIntegerField(
        "âge maximum (situation de handicap)", null=True, blank=True
    )
    duration_min_months = models.PositiveSmallIntegerField("durée minimale (mois)", null=True, blank=True)
    duration_max_months = models.PositiveSmallIntegerField("durée maximale (mois)", null=True, blank=True)
    duration_text = models.CharField("durée typique", max_length=200, blank=True)
    monthly_allowance = models.DecimalField(
        "indemnité mensuelle (€)", max_digits=8, decimal_places=2, null=True, blank=True
    )
    allowance_text = models.CharField("indemnisation", max_length=255, blank=True)
    website = models.URLField("site officiel", blank=True)

    panels = [
        *TaxonomyTerm.panels,
        FieldPanel("description"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("min_age"), FieldPanel("max_age"), FieldPanel("max_age_with_disability")]),
                FieldRowPanel([FieldPanel("duration_min_months"), FieldPanel("duration_max_months")]),
                FieldPanel("duration_text"),
                FieldRowPanel([FieldPanel("monthly_allowance"), FieldPanel("allowance_text")]),
            ],
            heading="Éligibilité",
        ),
        FieldPanel("website"),
    ]

    class Meta(TaxonomyTerm.Meta):
        verbose_name = "dispositif"
        verbose_name_plural = "dispositifs"

    def clean(self) -> None:
        super().clean()
        if self.min_age is not None and self.max_age is not None and self.min_age > self.max_age:
            raise ValidationError({"max_age": "L'âge maximum doit être supérieur ou égal à l'âge minimum."})
        if (
            self.max_age_with_disability is not None
            and self.max_age is not None
            and self.max_age_with_disability < self.max_age
        ):
            raise ValidationError(
                {
                    "max_age_with_disability": (
                        "L'âge maximum en situation de handicap ne peut être inférieur à l'âge maximum."
                    )
                }
            )

    def is_eligible(self, age: int, *, disability: bool = False) -> bool:
        """Whether a person of ``age`` may join; a disability raises the upper bound where the programme says so."""
        if self.min_age is not None and age < self.min_age:
            return False
        upper = self.max_age
        if disability and self.max_age_with_disability is not None:
            upper = self.max_age_with_disability
        return upper is None or age <= upper


class OfferCategory(TaxonomyTerm):
    """A family of Carte jeune engagé offers (courses et alimentation, mobilité…)."""

    icon = models.CharField("icône", max_length=50, blank=True, help_text="Nom d'icône pour les front-ends.")

    panels = [*TaxonomyTerm.panels, FieldPanel("icon")]

    class Meta(TaxonomyTerm.Meta):
        verbose_name = "catégorie d'offre"
        verbose_name_plural = "catégories d'offres"


class Need(TaxonomyTerm):
    """A life need an offer helps with (permis de conduire, premier logement…)."""

    class Meta(TaxonomyTerm.Meta):
        verbose_name = "besoin"
        verbose_name_plural = "besoins"
