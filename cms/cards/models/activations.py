"""Uses of offers: what each activation handed out, and the saving it counts (kept, anonymous, after an erasure)."""

from __future__ import annotations

from decimal import Decimal

from django.db import models


class Activation(models.Model):
    """One activation of an offer by a young person.

    ``young_person`` is emptied when the person erases their account: the row, its offer, category, month and
    saving stay, so impact figures remain true without saying who.
    """

    #: Kept out of Wagtail's reference index: its usage screens would list people's records, at a write per save.
    wagtail_reference_index_ignore = True

    young_person = models.ForeignKey(
        "cards.YoungPerson",
        verbose_name="jeune",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="activations",
    )
    offer = models.ForeignKey(
        "offers.OfferPage", verbose_name="offre", null=True, on_delete=models.SET_NULL, related_name="activations"
    )
    partner = models.ForeignKey(
        "offers.PartnerPage", verbose_name="partenaire", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    category = models.ForeignKey(
        "taxonomy.OfferCategory", verbose_name="catégorie", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField("type d'offre", max_length=10)
    promo_code = models.OneToOneField(
        "offers.PromoCode",
        verbose_name="code promo",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="activation",
    )
    value = models.CharField("code, code-barres ou lien remis", max_length=1000, blank=True)
    estimated_saving = models.DecimalField("économie estimée (€)", max_digits=8, decimal_places=2, default=0)
    declared_saving = models.DecimalField(
        "économie déclarée (€)", max_digits=8, decimal_places=2, null=True, blank=True
    )
    used_at = models.DateTimeField("utilisée le", null=True, blank=True)
    created_at = models.DateTimeField("activée le", auto_now_add=True, db_index=True)
    #: Which days ``cms.cards.aggregates`` recomputes: a saving declared later changes its activation's day.
    updated_at = models.DateTimeField("modifiée le", auto_now=True, db_index=True)

    class Meta:
        verbose_name = "activation d'offre"
        verbose_name_plural = "activations d'offres"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["young_person", "offer", "created_at"], name="activation_usage_idx")]

    def __str__(self) -> str:
        return f"{self.offer} ({self.created_at:%d/%m/%Y})"

    @property
    def saving(self) -> Decimal:
        return self.declared_saving if self.declared_saving is not None else self.estimated_saving
