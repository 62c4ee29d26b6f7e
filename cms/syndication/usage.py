"""Usage of partner keys: requests answered and items served, one counter row per key and day."""

from __future__ import annotations

from django.db.models import F
from django.utils import timezone

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
