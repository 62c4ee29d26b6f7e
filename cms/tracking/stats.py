"""Public statistics: monthly aggregates only, from daily aggregates and public missions, small counts hidden.

What the /stats/ page and ``publicStats`` publish. A count below ``STATS_MIN_COUNT`` is published as None ("fewer
than N") so that no figure can single out a person. Card figures (active cards, offers used, euros saved) join here
once the card exists (issue 17): each is one more monthly series read from that app's own aggregates.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from django.conf import settings
from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMonth

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
class PublicStats:
    goal: int
    applications: int | None
    months: list[MonthFigure]
    programmes: list[ProgrammeFigure]
    minimum: int
    #: Young people's accounts opened (``account_created`` events), suppressed like every count.
    accounts: int | None = None

    @property
    def progress_percent(self) -> int:
        return min(100, round(100 * (self.applications or 0) / self.goal)) if self.goal else 0


def suppressed(count: int) -> int | None:
    """``count``, or None when it is too small to publish."""
    return count if count >= settings.STATS_MIN_COUNT else None


#: Months the public statistics go back.
STATS_MONTHS = 12


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
    return PublicStats(
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
