"""The "near" filter shared by offers (stores) and missions (addresses).

A bounding box (``cms.core.geo.bounding_box``) keeps the index on (latitude, longitude) useful; the exact
great-circle distance (the haversine of ``cms.core.geo.haversine_km``, written as SQL functions that PostgreSQL and
SQLite both provide through Django) then drops the corners of the box. It returns a sub-query of owner ids so that
the outer query stays one statement whatever the number of matches.
"""

from __future__ import annotations

import strawberry
from django.db.models import F, FloatField, QuerySet, Value
from django.db.models.functions import ASin, Cos, Least, Power, Radians, Sin, Sqrt

from cms.core.geo import EARTH_RADIUS_KM, bounding_box

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


def distance_km(latitude: float, longitude: float, lat_field: str = "latitude", lon_field: str = "longitude"):
    """SQL expression: great-circle distance in km from (latitude, longitude) to the row's coordinates."""
    lat0 = Radians(Value(latitude, output_field=FloatField()))
    lon0 = Radians(Value(longitude, output_field=FloatField()))
    lat1 = Radians(F(lat_field))
    lon1 = Radians(F(lon_field))
    half_dlat = Sin((lat1 - lat0) / 2)
    half_dlon = Sin((lon1 - lon0) / 2)
    a = Power(half_dlat, 2) + Cos(lat0) * Cos(lat1) * Power(half_dlon, 2)
    return 2 * EARTH_RADIUS_KM * ASin(Least(Value(1.0, output_field=FloatField()), Sqrt(a)))


def owners_near(points: QuerySet, owner_field: str, near: NearInput) -> QuerySet:
    """Ids (``owner_field``) of the rows of ``points`` within ``near.radius_km`` of the point."""
    check_near(near)
    min_lat, max_lat, min_lon, max_lon = bounding_box(near.latitude, near.longitude, near.radius_km)
    return (
        points.filter(latitude__gte=min_lat, latitude__lte=max_lat, longitude__gte=min_lon, longitude__lte=max_lon)
        .annotate(distance_km=distance_km(near.latitude, near.longitude))
        .filter(distance_km__lte=near.radius_km)
        .values(owner_field)
    )
