"""The "near" filter shared by offers (stores) and missions (addresses).

A bounding box (``cms.core.geo.bounding_box``) keeps the index on (latitude, longitude) useful; the exact
great-circle distance (``cms.core.geo.DistanceKm``, the database function of ``haversine_km``) then drops the corners
of the box. It returns a sub-query of owner ids so that
the outer query stays one statement whatever the number of matches.
"""

from __future__ import annotations

import strawberry
from django.db.models import QuerySet

from cms.core.geo import DistanceKm, bounding_box

from .errors import BadUserInput

MAX_RADIUS_KM = 500.0


@strawberry.input(description="Un point et un rayon en kilomètres (500 au plus).")
class NearInput:
    latitude: float
    longitude: float
    radius_km: float = 10.0


def check_near(near: NearInput) -> None:
    if not -90 <= near.latitude <= 90 or not -180 <= near.longitude <= 180:
        raise BadUserInput("Coordonnées invalides : latitude entre -90 et 90, longitude entre -180 et 180.")
    if not 0 < near.radius_km <= MAX_RADIUS_KM:
        raise BadUserInput(f"Le rayon doit être compris entre 0 et {MAX_RADIUS_KM:g} km.", argument="radiusKm")


def owners_near(points: QuerySet, owner_field: str, near: NearInput) -> QuerySet:
    """Ids (``owner_field``) of the rows of ``points`` within ``near.radius_km`` of the point."""
    check_near(near)
    min_lat, max_lat, min_lon, max_lon = bounding_box(near.latitude, near.longitude, near.radius_km)
    return (
        points.filter(latitude__gte=min_lat, latitude__lte=max_lat, longitude__gte=min_lon, longitude__lte=max_lon)
        .annotate(distance_km=DistanceKm(near.latitude, near.longitude))
        .filter(distance_km__lte=near.radius_km)
        .values(owner_field)
    )
