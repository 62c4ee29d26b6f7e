"""A partial index of the pages that start a hidden section for being unpublished with children: the public
visibility rule (``cms.core.visibility.hidden_sections_q``) reads them in every statement that lists public pages,
and without it that read is a scan of the whole page tree."""

from django.db import migrations

CREATE = (
    "CREATE INDEX IF NOT EXISTS core_page_unpublished_sections ON wagtailcore_page (path) "
    "WHERE NOT live AND numchild > 0"
)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_distance_function"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [
        migrations.RunSQL(CREATE, reverse_sql="DROP INDEX IF EXISTS core_page_unpublished_sections"),
    ]
