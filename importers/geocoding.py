"""Coordinates for mission addresses that came without them.

Imports never wait for the network: an address without coordinates gets a :class:`~importers.models.PendingGeocode`
row, and :func:`geocode_pending` (run by ``import_feeds`` after the imports, or on its own schedule) asks a geocoder.
Failures are recorded on the row and retried later with a growing delay. The geocoder is pluggable; the default is
the French national address API (``GEOCODER_URL``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import urllib.error
import urllib.parse
import urllib.request
from typing import Protocol

from django.conf import settings
from django.utils import timezone

from cms.core.changes import announce
from cms.core.geo import department_from_postcode
from cms.missions.models import Mission

from .models import PendingGeocode

MAX_DELAY = dt.timedelta(days=7)


class GeocodingError(Exception):
    """The geocoder could not answer (unreachable, error status, unreadable answer); French message."""


@dataclasses.dataclass(frozen=True)
class GeocodeResult:
    latitude: float
    longitude: float
    postcode: str = ""
    city: str = ""
    score: float = 1.0


class Geocoder(Protocol):
    def geocode(self, query: str, postcode: str = "") -> GeocodeResult | None:
        """The best match for ``query`` or None when nothing matches; raises :class:`GeocodingError`."""


class AddressApiGeocoder:
    """The French national address API (``/search/?q=…``, GeoJSON answers), or any server speaking it."""

    def __init__(self, url: str | None = None, *, timeout: float = 5.0, min_score: float = 0.4):
        self.url = url or settings.GEOCODER_URL
        self.timeout = timeout
        self.min_score = min_score

    def geocode(self, query: str, postcode: str = "") -> GeocodeResult | None:
        params = {"q": query[:200], "limit": "1"}
        if postcode:
            params["postcode"] = postcode
        separator = "&" if "?" in self.url else "?"
        request = urllib.request.Request(  # noqa: S310 - scheme checked just below
            f"{self.url}{separator}{urllib.parse.urlencode(params)}", headers={"Accept": "application/json"}
        )
        if not request.full_url.lower().startswith(("http://", "https://")):
            raise GeocodingError("Adresse du géocodeur invalide : http(s) attendu.")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310 - scheme checked
                payload = json.loads(response.read(2 * 2**20))
        except urllib.error.HTTPError as exc:
            raise GeocodingError(f"Le géocodeur a répondu {exc.code}.") from exc
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            raise GeocodingError(f"Géocodeur injoignable : {getattr(exc, 'reason', exc)}.") from exc
        except ValueError as exc:
            raise GeocodingError("Réponse du géocodeur illisible.") from exc
        features = payload.get("features") if isinstance(payload, dict) else None
        if not features:
            return None
        feature = features[0]
        properties = feature.get("properties", {})
        score = float(properties.get("score", 1.0))
        if score < self.min_score:
            return None
        try:
            longitude, latitude = (float(v) for v in feature["geometry"]["coordinates"][:2])
        except (KeyError, TypeError, ValueError) as exc:
            raise GeocodingError("Réponse du géocodeur sans coordonnées.") from exc
        return GeocodeResult(latitude, longitude, properties.get("postcode", ""), properties.get("city", ""), score)


@dataclasses.dataclass
class GeocodingStats:
    found: int = 0
    failed: int = 0


def retry_delay(attempts: int) -> dt.timedelta:
    """1 h, 2 h, 4 h… capped at a week."""
    return min(dt.timedelta(hours=2 ** max(attempts - 1, 0)), MAX_DELAY)


def geocode_pending(
    geocoder: Geocoder | None = None, *, source: str | None = None, limit: int = 1000
) -> GeocodingStats:
    """Geocode the due addresses (of ``source`` if given); record failures for a later retry."""
    geocoder = geocoder or AddressApiGeocoder()
    now = timezone.now()
    stats = GeocodingStats()
    due = PendingGeocode.objects.filter(next_attempt_at__lte=now).select_related("address")
    if source:
        due = due.filter(source=source)
    answers: dict[tuple[str, str], GeocodeResult | None | GeocodingError] = {}
    touched: set[int] = set()
    for pending in due[:limit]:
        key = (pending.query, pending.postcode)
        if key not in answers:
            try:
                answers[key] = geocoder.geocode(pending.query, pending.postcode)
            except GeocodingError as exc:
                answers[key] = exc
        answer = answers[key]
        if isinstance(answer, GeocodeResult):
            address = pending.address
            address.latitude, address.longitude = answer.latitude, answer.longitude
            if not address.postcode and answer.postcode:
                address.postcode = answer.postcode
            if not address.department_code:
                department = department_from_postcode(address.postcode)
                if department:
                    address.department_code = department.code
                    address.department_name = address.department_name or department.name
                    address.region = address.region or department.region
            address.save()
            pending.delete()
            touched.add(address.mission_id)
            stats.found += 1
            continue
        pending.attempts += 1
        pending.last_error = str(answer) if answer is not None else "Adresse introuvable."
        pending.next_attempt_at = now + retry_delay(pending.attempts)
        pending.save(update_fields=["attempts", "last_error", "next_attempt_at"])
        stats.failed += 1
    if touched:
        announce(Mission, touched)
    return stats
