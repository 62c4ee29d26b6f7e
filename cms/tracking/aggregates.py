"""Daily aggregates: events counted once per day so that dashboards and public statistics never read raw events.

``aggregate_day`` recomputes one (local) day from its events in one ``DELETE`` and one ``INSERT … SELECT``; running
it again gives the same rows. ``manage.py tracking_aggregate`` runs it for yesterday and today (schedule it hourly or
daily). Programme and organisation are copied from the mission at that moment.
"""

from __future__ import annotations

import datetime as dt

from django.db import connection, transaction
from django.utils import timezone

from cms.missions.models import Mission

from .models import DailyStat, Event


def day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(day, dt.time.min, tzinfo=tz)
    end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    return start, end


def aggregate_day(day: dt.date) -> int:
    """Recompute the ``DailyStat`` rows of ``day``; returns how many it wrote."""
    start, end = day_bounds(day)
    stats, events, missions = DailyStat._meta.db_table, Event._meta.db_table, Mission._meta.db_table
    sql = (
        f"INSERT INTO {stats} (day, kind, mission_id, offer_id, programme_id, organization_id, channel, source, "  # noqa: S608
        "count, visitors) "
        "SELECT %s, e.kind, e.mission_id, e.offer_id, m.programme_id, m.organization_id, e.channel, e.source, "
        "count(*), count(DISTINCT coalesce('u' || e.user_id::text, e.visitor)) "
        f"FROM {events} e LEFT JOIN {missions} m ON m.id = e.mission_id "
        "WHERE e.occurred_at >= %s AND e.occurred_at < %s "
        "GROUP BY e.kind, e.mission_id, e.offer_id, m.programme_id, m.organization_id, e.channel, e.source"
    )  # table names come from the models, values are parameters
    with transaction.atomic(), connection.cursor() as cursor:
        DailyStat.objects.filter(day=day).delete()
        cursor.execute(sql, [day, start, end])
        return cursor.rowcount


def aggregate_recent(today: dt.date, days: int = 2) -> int:
    """Recompute the last ``days`` days up to ``today``."""
    return sum(aggregate_day(today - dt.timedelta(days=offset)) for offset in range(days))
