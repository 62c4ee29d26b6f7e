import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from cms.core.geo import (
    DISTANCE_FUNCTION,
    bounding_box,
    department_from_postcode,
    distance_function_body,
    haversine_km,
    inscribed_box,
    validate_coordinates,
)
from cms.core.html import html_to_text, sanitize_html


@pytest.mark.parametrize(
    ("postcode", "code"),
    [("75011", "75"), ("1000", "01"), ("20090", "2A"), ("20200", "2B"), ("97400", "974"), ("abcde", None), ("", None)],
)
def test_postcodes_map_to_their_department(postcode, code):
    department = department_from_postcode(postcode)
    assert (department.code if department else None) == code


def test_paris_to_lyon_is_about_392_km():
    assert haversine_km(48.8566, 2.3522, 45.7640, 4.8357) == pytest.approx(392, abs=2)


@pytest.mark.parametrize(
    "points",
    [
        (48.8566, 2.3522, 45.7640, 4.8357),
        (45.0, 5.0, 45.0, 5.0),
        (-20.88, 55.45, 43.3, 5.37),
        (0.0, 179.9, 0.0, -179.9),
    ],
)
def test_python_and_the_database_measure_the_same_distance(db, points):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {DISTANCE_FUNCTION}(%s, %s, %s, %s)", list(points))
        in_sql = cursor.fetchone()[0]

    assert in_sql == pytest.approx(haversine_km(*points), abs=1e-9)


def test_the_database_distance_function_is_the_one_derived_from_the_rule(db):
    with connection.cursor() as cursor:
        cursor.execute("SELECT prosrc, provolatile FROM pg_proc WHERE proname = %s", [DISTANCE_FUNCTION])
        (source, volatility), *others = cursor.fetchall()

    assert others == []
    assert volatility == "i", "the distance function must be IMMUTABLE (inlined by the planner)"
    assert source.strip() == distance_function_body(), (
        "cms.core.geo's distance rule changed without a migration replacing the database function: add one "
        "(CREATE OR REPLACE FUNCTION with cms.core.geo.distance_function_body())"
    )


def test_a_bounding_box_contains_its_circle():
    min_lat, max_lat, min_lon, max_lon = bounding_box(45.0, 5.0, 20)
    assert haversine_km(45.0, 5.0, max_lat, 5.0) == pytest.approx(20, rel=1e-3)
    assert haversine_km(45.0, 5.0, 45.0, max_lon) == pytest.approx(20, rel=1e-2)
    assert min_lat < 45.0 < max_lat
    assert min_lon < 5.0 < max_lon


@pytest.mark.parametrize(
    ("lat", "lon", "radius"),
    [(48.8566, 2.3522, 20), (45.0, 5.0, 0.5), (-20.88, 55.45, 50), (0.01, -60.0, 300), (-0.3, 10, 2000), (89.0, 0, 80)],
)
def test_every_point_of_an_inscribed_box_is_within_the_radius(lat, lon, radius):
    min_lat, max_lat, min_lon, max_lon = inscribed_box(lat, lon, radius)
    steps = [i / 20 for i in range(21)]
    points = [(min_lat + (max_lat - min_lat) * a, min_lon + (max_lon - min_lon) * b) for a in steps for b in steps]
    farthest = max(haversine_km(lat, lon, p_lat, p_lon) for p_lat, p_lon in points)
    assert 0.9 * radius < farthest <= radius  # inside, and not a degenerate box


def test_half_a_coordinate_is_refused():
    with pytest.raises(ValidationError, match="à la fois la latitude et la longitude"):
        validate_coordinates(45.0, None)


def test_hostile_html_loses_scripts_handlers_and_javascript_urls():
    cleaned = sanitize_html(
        '<p onclick="steal()">Bonjour<script>alert(1)</script> <a href="javascript:alert(1)">x</a>'
        '<img src=x onerror=alert(1)><a href="https://example.fr">lien</a></p>'
    )
    assert "script" not in cleaned
    assert "onclick" not in cleaned
    assert "onerror" not in cleaned
    assert "javascript:" not in cleaned
    assert '<a href="https://example.fr"' in cleaned


def test_html_becomes_readable_plain_text():
    assert html_to_text("<ul><li>Un</li><li>Deux&nbsp;trois</li></ul>") == "Un\nDeux trois"
