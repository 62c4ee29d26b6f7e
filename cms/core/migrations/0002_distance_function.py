"""The great-circle distance function of ``cms.core.geo`` (its rule, frozen here: a later change of the rule replaces
it in a new migration; ``tests/test_geo_and_html.py`` fails until one does)."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION great_circle_km(float8, float8, float8, float8) RETURNS float8
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$SELECT 12742.0176 * asin(least(1.0::float8, sqrt(power(sin(radians($3 - $1) / 2), 2) + cos(radians($1)) * cos(radians($3)) * power(sin(radians($4 - $2) / 2), 2))))$$
"""


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_invitation"),
    ]

    operations = [
        migrations.RunSQL(CREATE, reverse_sql="DROP FUNCTION IF EXISTS great_circle_km(float8, float8, float8, float8)"),
    ]
