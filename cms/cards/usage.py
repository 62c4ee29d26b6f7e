"""What partners see of the use of their offers: counts and codes left, never who.

Activations hold people; partners only ever get these aggregates, per offer they may change in the admin.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q

from cms.offers.models import OfferPage
from cms.offers.permissions import offers_user_may_change


@dataclass(frozen=True)
class OfferUsage:
    offer_id: int
    title: str
    activations: int
    used: int
    codes_left: int | None


def offer_usage(offers) -> list[OfferUsage]:
    """Counts for ``offers`` (a queryset of ``OfferPage``) in one query."""
    rows = offers.annotate(
        activation_count=Count("activations", distinct=True),
        used_count=Count("activations", filter=Q(activations__used_at__isnull=False), distinct=True),
        free_codes=Count("promo_codes", filter=Q(promo_codes__assigned_at__isnull=True), distinct=True),
    ).order_by("title")
    return [
        OfferUsage(
            offer_id=row.pk,
            title=row.title,
            activations=row.activation_count,
            used=row.used_count,
            codes_left=row.free_codes if row.kind == OfferPage.Kind.CODE else None,
        )
        for row in rows
    ]


def usage_for_user(user) -> list[OfferUsage]:
    return offer_usage(offers_user_may_change(user))
