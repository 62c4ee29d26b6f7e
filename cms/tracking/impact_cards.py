"""The card's figures on the impact dashboard: euros saved (in total, per category, per month), active cards, offers
activated per partner, read from the card's daily aggregates (``cms.cards.aggregates``), never from activations.

Partners' people see their own partners' offers only, and not the number of active cards (a figure of the whole
programme); staff see everything.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

from django.db.models import Sum

from cms.cards.models import CardDailyStat
from cms.offers.models import PartnerPage
from cms.taxonomy.models import OfferCategory

from .charts import Table

#: Months of savings shown, the current one included.
CARD_MONTHS = 12
#: The most partners the "offers activated per partner" table lists, the most active first.
PARTNERS_MAX = 50
NO_CATEGORY = "Sans catégorie"
_SUMS = {
    "activations": Sum("activations", default=0),
    "used": Sum("used", default=0),
    "saving": Sum("saving", default=Decimal("0")),
}


@dataclasses.dataclass
class SavingLine:
    """Activations and euros saved of one category or one month."""

    label: str
    activations: int
    saving: Decimal


@dataclasses.dataclass
class PartnerLine:
    partner_id: int | None
    label: str
    activations: int
    used: int
    saving: Decimal


@dataclasses.dataclass
class CardFigures:
    saving: Decimal
    activations: int
    used: int
    #: None when the scope is not everything (a partner's people).
    active_cards: int | None
    by_category: list[SavingLine]
    by_month: list[SavingLine]
    by_partner: list[PartnerLine]


def month_starts(today: dt.date, months: int) -> list[dt.date]:
    """The first days of the last ``months`` months, the oldest first, the current one last."""
    firsts = [today.replace(day=1)]
    for _ in range(months - 1):
        firsts.append((firsts[-1] - dt.timedelta(days=1)).replace(day=1))
    return firsts[::-1]


def _by_month(rows, today: dt.date) -> list[SavingLine]:
    firsts = month_starts(today, CARD_MONTHS)
    found = {first: [0, Decimal("0")] for first in firsts}
    for row in rows.filter(day__gte=firsts[0]).values("day").annotate(**_SUMS):
        line = found[row["day"].replace(day=1)]
        line[0] += row["activations"]
        line[1] += row["saving"]
    return [SavingLine(f"{first:%Y-%m}", count, saving) for first, (count, saving) in found.items()]


def _by_category(rows) -> list[SavingLine]:
    found = list(rows.values("category_id").annotate(**_SUMS).order_by("-saving", "category_id"))
    labels = dict(OfferCategory.objects.filter(pk__in=[r["category_id"] for r in found]).values_list("pk", "label"))
    return [
        SavingLine(labels.get(r["category_id"], NO_CATEGORY), r["activations"], r["saving"])
        for r in found
        if r["activations"]
    ]


def _by_partner(rows) -> list[PartnerLine]:
    found = list(rows.values("partner_id").annotate(**_SUMS).order_by("-activations", "partner_id")[:PARTNERS_MAX])
    titles = dict(PartnerPage.objects.filter(pk__in=[r["partner_id"] for r in found]).values_list("pk", "title"))
    return [
        PartnerLine(r["partner_id"], titles.get(r["partner_id"], "Partenaire supprimé"), *_counts(r))
        for r in found
        if r["activations"]
    ]


def _counts(row: dict) -> tuple[int, int, Decimal]:
    return row["activations"], row["used"], row["saving"]


def latest_active_cards() -> int:
    """Active cards as last counted (0 before the first count)."""
    latest = CardDailyStat.objects.order_by("-day").values_list("active_cards", flat=True).first()
    return latest or 0


def card_figures(scope, today: dt.date) -> CardFigures:
    """The card's figures ``scope`` (``cms.tracking.impact.Scope``) may see."""
    rows = scope.card_stats()
    totals = rows.aggregate(**_SUMS)
    return CardFigures(
        saving=totals["saving"],
        activations=totals["activations"],
        used=totals["used"],
        active_cards=latest_active_cards() if scope.everything else None,
        by_category=_by_category(rows),
        by_month=_by_month(rows, today),
        by_partner=_by_partner(rows),
    )


def card_tables(figures: CardFigures) -> list[Table]:
    saving_headers = ["Offres activées", "Euros économisés"]
    return [
        Table(
            "economies-categories",
            "Euros économisés par catégorie d'offre",
            ["Catégorie", *saving_headers],
            [[line.label, line.activations, line.saving] for line in figures.by_category],
            2,
        ),
        Table(
            "economies-mois",
            f"Euros économisés par mois ({CARD_MONTHS} derniers)",
            ["Mois", *saving_headers],
            [[line.label, line.activations, line.saving] for line in figures.by_month],
            2,
        ),
        Table(
            "partenaires",
            "Offres activées par partenaire",
            ["Partenaire", "Offres activées", "Utilisations déclarées", "Euros économisés"],
            [[line.label, line.activations, line.used, line.saving] for line in figures.by_partner],
            1,
        ),
    ]
