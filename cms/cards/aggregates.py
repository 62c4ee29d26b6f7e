"""The card's daily aggregates: activations and savings per day, partner, offer and category; active cards per day.

``aggregate_activations_day`` recomputes one (local) day of activation in one ``DELETE`` and one ``INSERT … SELECT``,
as ``cms.tracking.aggregates.aggregate_day`` does for events; running it again gives the same rows. An activation
belongs to the day it was made, but its saving may be declared later: ``aggregate_cards`` recomputes the last days
and every day whose activations changed since (``Activation.updated_at``). Active cards cannot be recomputed for a
past day (a card's past statuses are not kept as counts), so each run writes today's count, and each day keeps the
count of its last run.
"""

from __future__ import annotations

import datetime as dt

from django.db import connection, transaction
from django.db.models.functions import TruncDate
from django.utils import timezone

from .models import Activation, ActivationDailyStat, Card, CardDailyStat, CardStatus


def _start_of(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=timezone.get_current_timezone())


def aggregate_activations_day(day: dt.date) -> int:
    """Recompute the ``ActivationDailyStat`` rows of ``day``; returns how many it wrote."""
    stats, activations = ActivationDailyStat._meta.db_table, Activation._meta.db_table
    sql = (
        f"INSERT INTO {stats} (day, partner_id, offer_id, category_id, activations, used, saving) "  # noqa: S608
        "SELECT %s, a.partner_id, a.offer_id, a.category_id, count(*), count(a.used_at), "
        "coalesce(sum(coalesce(a.declared_saving, a.estimated_saving)), 0) "
        f"FROM {activations} a WHERE a.created_at >= %s AND a.created_at < %s "
        "GROUP BY a.partner_id, a.offer_id, a.category_id"
    )  # table names come from the models, values are parameters
    with transaction.atomic(), connection.cursor() as cursor:
        ActivationDailyStat.objects.filter(day=day).delete()
        cursor.execute(sql, [day, _start_of(day), _start_of(day + dt.timedelta(days=1))])
        return cursor.rowcount


def count_active_cards(day: dt.date) -> int:
    """Write the number of cards active on ``day`` (today: counted now) and return it."""
    active = Card.objects.filter(status=CardStatus.ACTIVE, valid_until__gte=day).count()
    CardDailyStat.objects.update_or_create(day=day, defaults={"active_cards": active})
    return active


def aggregate_cards(today: dt.date, days: int = 2) -> int:
    """Recompute the last ``days`` days up to ``today`` and the days of activations changed since; count today's
    active cards. Returns the activation rows written."""
    first = today - dt.timedelta(days=days - 1)
    changed = (
        Activation.objects.filter(updated_at__gte=_start_of(first))
        .annotate(day=TruncDate("created_at"))
        .values_list("day", flat=True)
        .distinct()
    )
    todo = {first + dt.timedelta(days=offset) for offset in range(days)} | set(changed)
    written = sum(aggregate_activations_day(day) for day in sorted(todo))
    count_active_cards(today)
    return written
