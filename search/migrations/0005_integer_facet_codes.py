"""Integer codes for the mission facets on PostgreSQL, and facet indexes read in group order.

Filters and facet counts compare small integers rather than slugs: ``domain_code`` and ``programme_code`` are the
taxonomy terms' primary keys (stable across renames), ``remote_code`` follows ``search.missions.REMOTE_CODES``, and
``facets_combined`` packs the three (``search.missions.combination``) so that the single-valued facets are counted by
grouping one column. ``department_key`` is the sorted department codes comma-joined, which the department facet
groups by. Existing documents get their values here (no rebuild needed).

The covering index of migration 0004 (keyed on the visibility window) is replaced by two indexes keyed on the
grouping columns, the visibility window included: counting the facets of every visible mission is then an index-only
scan in group order with a streaming aggregate, no hash table. The
department index also carries the codes, so that the department counts under a domain, programme or remote filter
stay index-only. Only the department index has ``department_key``, and it is the larger of the two: with the key in
the smaller index too, the planner read that one and hashed the groups instead.
"""

from django.db import migrations, models

from ._postgresql import on_postgresql as run

FORWARD = [
    "UPDATE search_missiondocument d SET domain_code = t.id FROM taxonomy_domain t WHERE t.slug = d.domain",
    "UPDATE search_missiondocument d SET programme_code = t.id FROM taxonomy_programme t WHERE t.slug = d.programme",
    "UPDATE search_missiondocument SET remote_code = CASE remote WHEN 'no' THEN 1 WHEN 'possible' THEN 2 "
    "WHEN 'full' THEN 3 END, facets_combined = (coalesce(domain_code, 0)::bigint * 1073741824 "
    "+ coalesce(programme_code, 0)) * 4 + CASE remote WHEN 'no' THEN 1 WHEN 'possible' THEN 2 WHEN 'full' THEN 3 "
    "ELSE 0 END, department_key = array_to_string(ARRAY(SELECT e "
    "FROM jsonb_array_elements_text(departments) WITH ORDINALITY AS t(e, n) ORDER BY n), ',')",
    # The updates queue the deferred foreign-key checks of the rows; an index cannot be created before they run.
    "SET CONSTRAINTS ALL IMMEDIATE",
    "DROP INDEX IF EXISTS search_mdoc_facets_idx",
    "CREATE INDEX IF NOT EXISTS search_mdoc_combined_idx ON search_missiondocument (facets_combined) "
    "INCLUDE (visible_until, visible_from)",
    "CREATE INDEX IF NOT EXISTS search_mdoc_departments_idx ON search_missiondocument (department_key COLLATE \"C\") "
    "INCLUDE (visible_until, visible_from, domain_code, programme_code, remote_code, facets_combined)",
]
BACKWARD = [
    "DROP INDEX IF EXISTS search_mdoc_combined_idx",
    "DROP INDEX IF EXISTS search_mdoc_departments_idx",
    "CREATE INDEX IF NOT EXISTS search_mdoc_facets_idx ON search_missiondocument (visible_until, visible_from) "
    "INCLUDE (domain, programme, remote, departments)",
]


class Migration(migrations.Migration):
    dependencies = [
        ("missions", "0004_importers2_moderated_by_staff"),
        ("taxonomy", "0001_initial"),
        ("search", "0004_covering_index_for_facet_counts"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="missiondocument", name="search_mdoc_domain_idx"),
        migrations.RemoveIndex(model_name="missiondocument", name="search_mdoc_programme_idx"),
        migrations.RemoveIndex(model_name="missiondocument", name="search_mdoc_remote_idx"),
        migrations.AddField(model_name="missiondocument", name="domain_code", field=models.IntegerField(null=True)),
        migrations.AddField(
            model_name="missiondocument", name="facets_combined", field=models.BigIntegerField(default=0)
        ),
        migrations.AddField(model_name="missiondocument", name="programme_code", field=models.IntegerField(null=True)),
        migrations.AddField(
            model_name="missiondocument", name="remote_code", field=models.PositiveSmallIntegerField(null=True)
        ),
        migrations.AddField(
            model_name="missiondocument", name="department_key", field=models.TextField(blank=True, default="")
        ),
        migrations.AddIndex(
            model_name="missiondocument",
            index=models.Index(fields=["domain_code"], name="search_mdoc_domain_code_idx"),
        ),
        migrations.AddIndex(
            model_name="missiondocument",
            index=models.Index(fields=["programme_code"], name="search_mdoc_programme_code_idx"),
        ),
        migrations.AddIndex(
            model_name="missiondocument",
            index=models.Index(fields=["remote_code"], name="search_mdoc_remote_code_idx"),
        ),
        migrations.RunPython(run(FORWARD), run(BACKWARD)),
    ]
