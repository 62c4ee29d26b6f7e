"""Usage of partner keys, one counter row per key and day: requests answered and items served, counted as they are
answered; clicks on the links a key served and applications reported for those clicks, copied from the tracking's
daily aggregates (never from raw events)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import F, Sum
from django.utils import timezone

from cms.partners_api.models import ApiKey
from cms.tracking.models import DailyStat, Kind

from .models import KeyUsage


def record_usage(key, *, items: int = 0) -> None:
    """Count one request of ``key`` that served ``items`` items (an upsert: one statement, safe under concurrency)."""
    if key is None:
        return
    day = timezone.localdate()
    updated = KeyUsage.objects.filter(key=key, day=day).update(requests=F("requests") + 1, items=F("items") + items)
    if not updated:
        _, created = KeyUsage.objects.get_or_create(key=key, day=day, defaults={"requests": 1, "items": items})
        if not created:
            KeyUsage.objects.filter(key=key, day=day).update(requests=F("requests") + 1, items=F("items") + items)


def count_clicks_and_applications(day: dt.date) -> int:
    """Set the clicks and applications of every key on ``day`` from that day's ``DailyStat`` rows; returns how many
    keys had some. Idempotent: run after :func:`cms.tracking.aggregates.aggregate_day` of the same day.

    Links served with a key carry its prefix as the click's source (:mod:`cms.syndication.links`), and the
    application reported for a click keeps the click's source, so both are counted under the key whatever channel.
    """
    rows = (
        DailyStat.objects.filter(day=day, kind__in=[Kind.CLICK, Kind.APPLICATION])
        .exclude(source="")
        .values("source", "kind")
        .annotate(n=Sum("count"))
    )
    counts: dict[str, dict[str, int]] = {}
    for row in rows:
        counts.setdefault(row["source"], {})[row["kind"]] = row["n"]
    keys = dict(ApiKey.objects.filter(prefix__in=list(counts)).values_list("prefix", "pk"))
    usage = [
        KeyUsage(
            key_id=pk,
            day=day,
            clicks=counts[prefix].get(Kind.CLICK, 0),
            applications=counts[prefix].get(Kind.APPLICATION, 0),
        )
        for prefix, pk in keys.items()
    ]
    with transaction.atomic():
        KeyUsage.objects.filter(day=day).exclude(key__in=keys.values()).update(clicks=0, applications=0)
        KeyUsage.objects.bulk_create(
            usage, update_conflicts=True, unique_fields=["key", "day"], update_fields=["clicks", "applications"]
        )
    return len(usage)
