"""Geocoding as a background task: ``import_feeds`` queues it after its imports, and the task worker asks the
geocoder (``importers.geocoding``) for the addresses that are due; a failed run is retried (cms/core/background.py),
while each address's own failures keep their slower schedule on its ``PendingGeocode`` row."""

from __future__ import annotations

from cms.core.background import background_task

from .geocoding import geocode_pending


@background_task
def geocode_addresses(source: str | None = None) -> dict[str, int]:
    """Geocode the due addresses (of feed ``source`` if given); how many were found and how many failed."""
    stats = geocode_pending(source=source)
    return {"found": stats.found, "failed": stats.failed}
