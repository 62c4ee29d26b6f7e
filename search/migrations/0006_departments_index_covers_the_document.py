"""The department index also carries the document's id, so a geographic search's facets read no document row.

When a place narrows the missions, the facet counts join the documents to the places found in the radius; with
``mission_id`` in ``search_mdoc_departments_idx`` (which already held the visibility window, the facet codes and the
department key) that side of the join is an index-only scan of the narrow index instead of a scan of the heap, whose
rows carry the weighted tsvector. Goes with the department key split instead of the jsonb array
(``_counts_in_one_pass``). PostgreSQL only.
"""

from django.db import migrations

from ._postgresql import on_postgresql as run

WITH_ID = (
    'CREATE INDEX IF NOT EXISTS search_mdoc_departments_idx ON search_missiondocument (department_key COLLATE "C") '
    "INCLUDE (visible_until, visible_from, domain_code, programme_code, remote_code, facets_combined, mission_id)"
)
WITHOUT_ID = (
    'CREATE INDEX IF NOT EXISTS search_mdoc_departments_idx ON search_missiondocument (department_key COLLATE "C") '
    "INCLUDE (visible_until, visible_from, domain_code, programme_code, remote_code, facets_combined)"
)
DROP = "DROP INDEX IF EXISTS search_mdoc_departments_idx"


class Migration(migrations.Migration):
    dependencies = [("search", "0005_integer_facet_codes")]

    operations = [migrations.RunPython(run([DROP, WITH_ID]), run([DROP, WITHOUT_ID]))]
