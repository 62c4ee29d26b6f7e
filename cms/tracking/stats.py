"""Public statistics: monthly aggregates only, from daily aggregates and public missions, small counts hidden.

What the /stats/ page and ``publicStats`` publish. A count below ``STATS_MIN_COUNT`` is published as None ("fewer
than N") so that no figure can single out a person; euros saved are hidden with the count of offers used behind
them. The card's figures come from its own daily aggregates (``cms.cards.aggregates``): offers used (activations)
and euros saved per month, and active cards as counted on the last day of each month.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMonth

from cms.cards.models import ActivationDailyStat, CardDailyStat
from cms.missions.models import Mission

from .models import DailyStat, Kind

NO_PROGRAMME = "Sans dispositif"


@dataclasses.dataclass
class MonthFigure:
    month: dt.date
    applications: int | None


@dataclasses.dataclass
class ProgrammeFigure:
    programme: str
    label: str
    missions: int | None


@dataclasses.dataclass
class CardMonth:
    month: dt.date
    active_cards: int | None
    offers_used: int | None
    euros_saved: Decimal | None


@dataclasses.dataclass
class PublicStats:
    goal: int
    applications: int | None
    months: list[MonthFigure]
    programmes: list[ProgrammeFigure]
    minimum: int
    #: Young people's accounts opened (``account_created`` events), suppressed like every count.
    accounts: int | None = None
    active_cards: int | None = None
    offers_used: int | None = None
    euros_saved: Decimal | None = None
    card_months: list[CardMonth] = dataclasses.field(default_factory=list)

    @property
    def progress_percent(self) -> int:
        return min(100, round(100 * (self.applications or 0) / self.goal)) if self.goal else 0


def suppressed(count: int) -> int | None:
    """``count``, or None when it is too small to publish."""
    return count if count >= settings.STATS_MIN_COUNT else None


#: Months the public statistics go back.
STATS_MONTHS = 12


def _card_months(months: int) -> list[CardMonth]:
    """The last ``months`` months with card figures, the oldest first."""
    used = {
        row["month"]: row
        for row in ActivationDailyStat.objects.annotate(month=TruncMonth("day"))
        .values("month")
        .annotate(n=Sum("activations"), euros=Sum("saving"))
        .order_by("-month")[:months]
    }
    active: dict[dt.date, int] = {}
    first = min(used, default=None)
    cards = CardDailyStat.objects.order_by("day")
    for day, count in (cards.filter(day__gte=first) if first else cards).values_list("day", "active_cards"):
        active[day.replace(day=1)] = count  # the month's last count wins
    found = sorted(set(used) | set(active))[-months:]
    return [
        CardMonth(
            month,
            suppressed(active[month]) if month in active else None,
            suppressed(used[month]["n"]) if month in used else None,
            used[month]["euros"] if month in used and suppressed(used[month]["n"]) is not None else None,
        )
        for month in found
    ]


def public_stats(months: int = STATS_MONTHS) -> PublicStats:
    rows = (
        DailyStat.objects.filter(kind=Kind.APPLICATION)
        .annotate(month=TruncMonth("day"))
        .values("month")
        .annotate(total=Sum("count"))
        .order_by("-month")[:months]
    )
    series = [MonthFigure(row["month"], suppressed(row["total"])) for row in reversed(rows)]
    totals = DailyStat.objects.filter(kind__in=[Kind.APPLICATION, Kind.ACCOUNT_CREATED]).aggregate(
        applications=Sum("count", filter=Q(kind=Kind.APPLICATION), default=0),
        accounts=Sum("count", filter=Q(kind=Kind.ACCOUNT_CREATED), default=0),
    )
    programmes = (
        Mission.objects.public()
        .values("programme__slug", "programme__label")
        .annotate(n=Count("pk"))
        .order_by("-n", "programme__label")
    )
    used = ActivationDailyStat.objects.aggregate(n=Sum("activations", default=0), euros=Sum("saving"))
    latest_cards = CardDailyStat.objects.order_by("-day").values_list("active_cards", flat=True).first()
    return PublicStats(
        active_cards=suppressed(latest_cards or 0),
        offers_used=suppressed(used["n"]),
        euros_saved=used["euros"] if suppressed(used["n"]) is not None else None,
        card_months=_card_months(months),
        goal=settings.APPLICATIONS_GOAL,
        applications=suppressed(totals["applications"]),
        months=series,
        programmes=[
            ProgrammeFigure(row["programme__slug"] or "", row["programme__label"] or NO_PROGRAMME, suppressed(row["n"]))
            for row in programmes
        ],
        minimum=settings.STATS_MIN_COUNT,
        accounts=suppressed(totals["accounts"]),
    )
