"""The weighted tsvector moves from the text tables to the document rows, so that a text match needs no join.

Existing vectors are copied over on PostgreSQL (the index stays true without a rebuild); the GIN indexes follow the
column (the old ones go with the dropped columns). No-op beyond the schema on SQLite.
"""

import django.contrib.postgres.search
from django.db import migrations

from ._postgresql import on_postgresql as run

COPY = [
    "UPDATE search_missiondocument d SET search_vector = t.search_vector "
    "FROM search_missiontext t WHERE t.document_id = d.mission_id",
    "UPDATE search_offerdocument d SET search_vector = t.search_vector "
    "FROM search_offertext t WHERE t.document_id = d.offer_id",
    "CREATE INDEX IF NOT EXISTS search_mdoc_vector_gin ON search_missiondocument "
    "USING gin (search_vector) WITH (fastupdate = off)",
    "CREATE INDEX IF NOT EXISTS search_odoc_vector_gin ON search_offerdocument "
    "USING gin (search_vector) WITH (fastupdate = off)",
]
COPY_BACK = [
    "UPDATE search_missiontext t SET search_vector = d.search_vector "
    "FROM search_missiondocument d WHERE t.document_id = d.mission_id",
    "UPDATE search_offertext t SET search_vector = d.search_vector "
    "FROM search_offerdocument d WHERE t.document_id = d.offer_id",
    "CREATE INDEX IF NOT EXISTS search_mtext_vector_gin ON search_missiontext "
    "USING gin (search_vector) WITH (fastupdate = off)",
    "CREATE INDEX IF NOT EXISTS search_otext_vector_gin ON search_offertext "
    "USING gin (search_vector) WITH (fastupdate = off)",
]


class Migration(migrations.Migration):
    dependencies = [("search", "0002_postgresql_text_search")]

    operations = [
        migrations.AddField(
            model_name="missiondocument",
            name="search_vector",
            field=django.contrib.postgres.search.SearchVectorField(null=True),
        ),
        migrations.AddField(
            model_name="offerdocument",
            name="search_vector",
            field=django.contrib.postgres.search.SearchVectorField(null=True),
        ),
        migrations.RunPython(run(COPY), run(COPY_BACK)),
        migrations.RemoveField(model_name="missiontext", name="search_vector"),
        migrations.RemoveField(model_name="offertext", name="search_vector"),
    ]
