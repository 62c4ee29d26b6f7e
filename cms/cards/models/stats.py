"""Daily aggregates of the card, which impact figures and public statistics read instead of activations themselves.

Like ``tracking.DailyStat`` they hold plain ids (history outlives offers, partners and categories) and are rebuilt
by ``cms.cards.aggregates`` (``manage.py tracking_aggregate``, hourly): never written anywhere else.
"""

from __future__ import annotations

from django.db import models


class ActivationDailyStat(models.Model):
    """Activations of one (local) day of activation per partner, offer and category: how many, how many declared
    used, and the euros they saved (declared, else estimated)."""

    day = models.DateField("jour")
    partner_id = models.BigIntegerField("partenaire", null=True, blank=True)
    offer_id = models.BigIntegerField("offre", null=True, blank=True)
    category_id = models.BigIntegerField("catégorie", null=True, blank=True)
    activations = models.PositiveIntegerField("activations")
    used = models.PositiveIntegerField("utilisations déclarées")
    saving = models.DecimalField("économies (€)", max_digits=12, decimal_places=2)

    class Meta:
        verbose_name = "activations du jour"
        verbose_name_plural = "activations par jour"
        indexes = [
            models.Index(fields=["day"], name="activation_daily_day_idx"),
            models.Index(fields=["partner_id", "day"], name="activation_daily_partner_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.day} : {self.activations}"


class CardDailyStat(models.Model):
    """Cards active (status active, within their validity) on a day, counted on that day."""

    day = models.DateField("jour", unique=True)
    active_cards = models.PositiveIntegerField("cartes actives")

    class Meta:
        verbose_name = "cartes actives du jour"
        verbose_name_plural = "cartes actives par jour"

    def __str__(self) -> str:
        return f"{self.day} : {self.active_cards}"
