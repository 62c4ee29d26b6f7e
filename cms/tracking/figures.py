"""Figures other parts read from tracking: per-mission activity (from daily aggregates, never raw events) and places
taken by applications the partners validated."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import Count, Q, Sum

from .models import Application, ApplicationStatus, DailyStat, Kind

#: Applications that hold a place.
TAKING_A_PLACE = (ApplicationStatus.VALIDATED, ApplicationStatus.CARRIED_OUT)


def mission_activity(mission_ids: Iterable[int], since: dt.date) -> dict[int, tuple[int, int]]:
    """Clicks and applications per mission since ``since`` (missions without any are left out)."""
    rows = (
        DailyStat.objects.filter(mission_id__any=list(mission_ids), day__gte=since)
        .values("mission_id")
        .annotate(
            clicks=Sum("count", filter=Q(kind=Kind.CLICK), default=0),
            applications=Sum("count", filter=Q(kind=Kind.APPLICATION), default=0),
        )
    )
    return {row["mission_id"]: (row["clicks"], row["applications"]) for row in rows}


def overall_application_rate(since: dt.date, default: float) -> float:
    """Applications per click over every mission since ``since``; ``default`` without enough clicks to say."""
    totals = DailyStat.objects.filter(day__gte=since).aggregate(
        clicks=Sum("count", filter=Q(kind=Kind.CLICK), default=0),
        applications=Sum("count", filter=Q(kind=Kind.APPLICATION), default=0),
    )
    return totals["applications"] / totals["clicks"] if totals["clicks"] >= 100 else default


def places_taken(mission_ids: Iterable[int]) -> dict[int, int]:
    """Validated or carried-out applications per mission."""
    rows = (
        Application.objects.filter(mission_id__any=list(mission_ids), status__in=TAKING_A_PLACE)
        .values("mission_id")
        .annotate(taken=Count("pk"))
    )
    return {row["mission_id"]: row["taken"] for row in rows}
