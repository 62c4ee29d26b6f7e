"""PostgreSQL text search: extensions, the ``french_unaccent`` configuration and the GIN indexes. No-op on SQLite.

The GIN indexes have ``fastupdate`` off: a pending list would make every search scan it linearly after a rebuild.
"""

from django.db import migrations

from ._postgresql import on_postgresql as run

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    """
    DO $$ BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'french_unaccent') THEN
            CREATE TEXT SEARCH CONFIGURATION french_unaccent (COPY = french);
            ALTER TEXT SEARCH CONFIGURATION french_unaccent
                ALTER MAPPING FOR hword, hword_part, word WITH unaccent, french_stem;
        END IF;
    END $$
    """,
    "CREATE INDEX IF NOT EXISTS search_mtext_vector_gin ON search_missiontext USING gin (search_vector) WITH (fastupdate = off)",
    "CREATE INDEX IF NOT EXISTS search_mtext_title_trgm ON search_missiontext USING gin (title_folded gin_trgm_ops) WITH (fastupdate = off)",
    "CREATE INDEX IF NOT EXISTS search_mdoc_departments_gin ON search_missiondocument USING gin (departments) WITH (fastupdate = off)",
    "CREATE INDEX IF NOT EXISTS search_otext_vector_gin ON search_offertext USING gin (search_vector) WITH (fastupdate = off)",
    "CREATE INDEX IF NOT EXISTS search_otext_title_trgm ON search_offertext USING gin (title_folded gin_trgm_ops) WITH (fastupdate = off)",
]

BACKWARD = [
    "DROP INDEX IF EXISTS search_mtext_vector_gin",
    "DROP INDEX IF EXISTS search_mtext_title_trgm",
    "DROP INDEX IF EXISTS search_mdoc_departments_gin",
    "DROP INDEX IF EXISTS search_otext_vector_gin",
    "DROP INDEX IF EXISTS search_otext_title_trgm",
    "DROP TEXT SEARCH CONFIGURATION IF EXISTS french_unaccent",
]


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [migrations.RunPython(run(FORWARD), run(BACKWARD))]
