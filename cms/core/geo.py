"""French geography helpers shared by models, importers and search: departments, regions, distances.

The department table is the official list (INSEE codes, 2016 regions); postcodes map to departments by their prefix,
with the Corsican and overseas exceptions handled explicitly.
"""

from __future__ import annotations

import math
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.db.models import F, FloatField, Func, Value

EARTH_RADIUS_KM = 6371.0088


class Department(NamedTuple):
    code: str
    name: str
    region: str


_ARA = "Auvergne-Rhône-Alpes"
_BFC = "Bourgogne-Franche-Comté"
_BRE = "Bretagne"
_CVL = "Centre-Val de Loire"
_COR = "Corse"
_GES = "Grand Est"
_HDF = "Hauts-de-France"
_IDF = "Île-de-France"
_NOR = "Normandie"
_NAQ = "Nouvelle-Aquitaine"
_OCC = "Occitanie"
_PDL = "Pays de la Loire"
_PAC = "Provence-Alpes-Côte d'Azur"

DEPARTMENTS: dict[str, Department] = {
    d.code: d
    for d in (
        Department("01", "Ain", _ARA),
        Department("02", "Aisne", _HDF),
        Department("03", "Allier", _ARA),
        Department("04", "Alpes-de-Haute-Provence", _PAC),
        Department("05", "Hautes-Alpes", _PAC),
        Department("06", "Alpes-Maritimes", _PAC),
        Department("07", "Ardèche", _ARA),
        Department("08", "Ardennes", _GES),
        Department("09", "Ariège", _OCC),
        Department("10", "Aube", _GES),
        Department("11", "Aude", _OCC),
        Department("12", "Aveyron", _OCC),
        Department("13", "Bouches-du-Rhône", _PAC),
        Department("14", "Calvados", _NOR),
        Department("15", "Cantal", _ARA),
        Department("16", "Charente", _NAQ),
        Department("17", "Charente-Maritime", _NAQ),
        Department("18", "Cher", _CVL),
        Department("19", "Corrèze", _NAQ),
        Department("2A", "Corse-du-Sud", _COR),
        Department("2B", "Haute-Corse", _COR),
        Department("21", "Côte-d'Or", _BFC),
        Department("22", "Côtes-d'Armor", _BRE),
        Department("23", "Creuse", _NAQ),
        Department("24", "Dordogne", _NAQ),
        Department("25", "Doubs", _BFC),
        Department("26", "Drôme", _ARA),
        Department("27", "Eure", _NOR),
        Department("28", "Eure-et-Loir", _CVL),
        Department("29", "Finistère", _BRE),
        Department("30", "Gard", _OCC),
        Department("31", "Haute-Garonne", _OCC),
        Department("32", "Gers", _OCC),
        Department("33", "Gironde", _NAQ),
        Department("34", "Hérault", _OCC),
        Department("35", "Ille-et-Vilaine", _BRE),
        Department("36", "Indre", _CVL),
        Department("37", "Indre-et-Loire", _CVL),
        Department("38", "Isère", _ARA),
        Department("39", "Jura", _BFC),
        Department("40", "Landes", _NAQ),
        Department("41", "Loir-et-Cher", _CVL),
        Department("42", "Loire", _ARA),
        Department("43", "Haute-Loire", _ARA),
        Department("44", "Loire-Atlantique", _PDL),
        Department("45", "Loiret", _CVL),
        Department("46", "Lot", _OCC),
        Department("47", "Lot-et-Garonne", _NAQ),
        Department("48", "Lozère", _OCC),
        Department("49", "Maine-et-Loire", _PDL),
        Department("50", "Manche", _NOR),
        Department("51", "Marne", _GES),
        Department("52", "Haute-Marne", _GES),
        Department("53", "Mayenne", _PDL),
        Department("54", "Meurthe-et-Moselle", _GES),
        Department("55", "Meuse", _GES),
        Department("56", "Morbihan", _BRE),
        Department("57", "Moselle", _GES),
        Department("58", "Nièvre", _BFC),
        Department("59", "Nord", _HDF),
        Department("60", "Oise", _HDF),
        Department("61", "Orne", _NOR),
        Department("62", "Pas-de-Calais", _HDF),
        Department("63", "Puy-de-Dôme", _ARA),
        Department("64", "Pyrénées-Atlantiques", _NAQ),
        Department("65", "Hautes-Pyrénées", _OCC),
        Department("66", "Pyrénées-Orientales", _OCC),
        Department("67", "Bas-Rhin", _GES),
        Department("68", "Haut-Rhin", _GES),
        Department("69", "Rhône", _ARA),
        Department("70", "Haute-Saône", _BFC),
        Department("71", "Saône-et-Loire", _BFC),
        Department("72", "Sarthe", _PDL),
        Department("73", "Savoie", _ARA),
        Department("74", "Haute-Savoie", _ARA),
        Department("75", "Paris", _IDF),
        Department("76", "Seine-Maritime", _NOR),
        Department("77", "Seine-et-Marne", _IDF),
        Department("78", "Yvelines", _IDF),
        Department("79", "Deux-Sèvres", _NAQ),
        Department("80", "Somme", _HDF),
        Department("81", "Tarn", _OCC),
        Department("82", "Tarn-et-Garonne", _OCC),
        Department("83", "Var", _PAC),
        Department("84", "Vaucluse", _PAC),
        Department("85", "Vendée", _PDL),
        Department("86", "Vienne", _NAQ),
        Department("87", "Haute-Vienne", _NAQ),
        Department("88", "Vosges", _GES),
        Department("89", "Yonne", _BFC),
        Department("90", "Territoire de Belfort", _BFC),
        Department("91", "Essonne", _IDF),
        Department("92", "Hauts-de-Seine", _IDF),
        Department("93", "Seine-Saint-Denis", _IDF),
        Department("94", "Val-de-Marne", _IDF),
        Department("95", "Val-d'Oise", _IDF),
        Department("971", "Guadeloupe", "Guadeloupe"),
        Department("972", "Martinique", "Martinique"),
        Department("973", "Guyane", "Guyane"),
        Department("974", "La Réunion", "La Réunion"),
        Department("976", "Mayotte", "Mayotte"),
    )
}


def department_from_postcode(postcode: str | None) -> Department | None:
    """The department a French postcode belongs to, or None when it cannot tell."""
    code = (postcode or "").strip().replace(" ", "")
    if len(code) == 4 and code.isdigit():
        code = "0" + code
    if len(code) != 5 or not code.isdigit():
        return None
    if code.startswith("97"):
        return DEPARTMENTS.get(code[:3])
    if code.startswith("20"):
        return DEPARTMENTS["2A"] if int(code) < 20200 else DEPARTMENTS["2B"]
    return DEPARTMENTS.get(code[:2])


def address_department(code: str | None, postcode: str | None) -> Department | None:
    """The department of an address: its own code when it is a known one ("1" read as "01"), else its postcode's.

    The one rule, applied when an address is written (the model's ``save``, the importers); everything that reads
    addresses afterwards (the search index, its SQL build included) takes the stored code as it is.
    """
    cleaned = (code or "").strip().upper()
    if cleaned.isdigit() and len(cleaned) == 1:
        cleaned = "0" + cleaned
    return DEPARTMENTS.get(cleaned) or department_from_postcode(postcode)


def validate_coordinates(latitude: float | None, longitude: float | None) -> None:
    """Both or neither, each within its range; raises a French ValidationError otherwise."""
    if latitude is None and longitude is None:
        return
    if latitude is None or longitude is None:
        raise ValidationError("Indiquez à la fois la latitude et la longitude.")
    if not -90 <= latitude <= 90:
        raise ValidationError({"latitude": "La latitude doit être comprise entre -90 et 90."})
    if not -180 <= longitude <= 180:
        raise ValidationError({"longitude": "La longitude doit être comprise entre -180 et 180."})


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres (the rule :func:`distance_function_body` writes in SQL)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp = p2 - p1
    dl = math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


#: The database function computing :func:`haversine_km` (migration ``core/0002_distance_function``), which every SQL
#: distance calls: one rule, and one small node for Django to compile instead of a tree of twenty.
DISTANCE_FUNCTION = "great_circle_km"


def distance_function_body() -> str:
    """The SQL of :func:`haversine_km` from ($1, $2) to ($3, $4): a plain SQL expression, which PostgreSQL inlines
    into the query that calls it (so index conditions and costs stay as if written out)."""
    a = (
        "power(sin(radians($3 - $1) / 2), 2)"
        " + cos(radians($1)) * cos(radians($3)) * power(sin(radians($4 - $2) / 2), 2)"
    )
    return f"SELECT {2 * EARTH_RADIUS_KM!r} * asin(least(1.0::float8, sqrt({a})))"


class DistanceKm(Func):
    """SQL expression: great-circle distance in km from (``latitude``, ``longitude``) to the row's coordinates."""

    function = DISTANCE_FUNCTION
    output_field = FloatField()

    def __init__(self, latitude: float, longitude: float, lat_field: str = "latitude", lon_field: str = "longitude"):
        super().__init__(Value(float(latitude)), Value(float(longitude)), F(lat_field), F(lon_field))


def bounding_box(lat: float, lon: float, radius_km: float) -> tuple[float, float, float, float]:
    """(min_lat, max_lat, min_lon, max_lon) enclosing a circle: a cheap, index-friendly prefilter."""
    dlat = math.degrees(radius_km / EARTH_RADIUS_KM)
    cos_lat = max(math.cos(math.radians(lat)), 1e-6)
    dlon = min(180.0, math.degrees(radius_km / (EARTH_RADIUS_KM * cos_lat)))
    return lat - dlat, lat + dlat, lon - dlon, lon + dlon


def inscribed_box(lat: float, lon: float, radius_km: float) -> tuple[float, float, float, float]:
    """(min_lat, max_lat, min_lon, max_lon) of a box inside a circle: every point of it is within ``radius_km``.

    A search tests the exact distance only for the places of the bounding box outside this one. Half the circle's
    haversine term goes to each axis: hav(Δφ) + cos φ₁ cos φ₂ hav(Δλ) stays under hav(r/R) for every point, with
    cos φ₂ taken at the box's latitude closest to the equator (its largest value).
    """
    limit = math.sin(radius_km / EARTH_RADIUS_KM / 2) ** 2 * (1 - 1e-9)
    dlat = 2 * math.asin(math.sqrt(min(1.0, limit / 2)))
    low, high = math.radians(lat) - dlat, math.radians(lat) + dlat
    widest = 1.0 if low <= 0 <= high else max(math.cos(low), math.cos(high))
    scale = math.cos(math.radians(lat)) * widest
    dlon = math.pi if scale <= 0 or limit / (2 * scale) >= 1 else 2 * math.asin(math.sqrt(limit / (2 * scale)))
    dlat, dlon = math.degrees(dlat), min(180.0, math.degrees(dlon))
    return lat - dlat, lat + dlat, lon - dlon, lon + dlon
