"""Daily aggregates written directly, as ``tracking_aggregate`` would have written them, for the dashboards' tests."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from cms.tracking.models import DailyStat


def stat(mission, kind: str, count: int, channel: str = "site", days_ago: int = 1) -> None:
    """``count`` events of ``kind`` on ``mission`` through ``channel``, ``days_ago`` days ago."""
    DailyStat.objects.create(
        day=timezone.localdate() - dt.timedelta(days=days_ago),
        kind=kind,
        mission_id=mission.pk,
        programme_id=mission.programme_id,
        organization_id=mission.organization_id,
        channel=channel,
        count=count,
        visitors=count,
    )
