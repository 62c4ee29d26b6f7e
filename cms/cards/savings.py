"""Euros saved with the card: each activation counts its declared saving, else the offer's estimate."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, QuerySet, Sum
from django.db.models.functions import Coalesce, TruncMonth

from .models import Activation

SAVING = Coalesce("declared_saving", "estimated_saving")


@dataclass(frozen=True)
class Savings:
    total: Decimal
    activations: int
    by_category: list[tuple[str, Decimal]]
    by_month: list[tuple[str, Decimal]]


def savings_of(activations: QuerySet[Activation]) -> Savings:
    """Totals of ``activations``: overall, per category (label; "Sans catégorie") and per month (``YYYY-MM``)."""
    rows = activations.order_by()
    totals = rows.aggregate(total=Sum(SAVING), count=Count("pk"))
    by_category = [
        (label or "Sans catégorie", amount)
        for label, amount in rows.values_list("category__label")
        .annotate(amount=Sum(SAVING))
        .order_by("category__label")
    ]
    by_month = [
        (month.strftime("%Y-%m"), amount)
        for month, amount in rows.annotate(month=TruncMonth("created_at"))
        .values_list("month")
        .annotate(amount=Sum(SAVING))
        .order_by("month")
    ]
    return Savings(totals["total"] or Decimal("0"), totals["count"], by_category, by_month)
