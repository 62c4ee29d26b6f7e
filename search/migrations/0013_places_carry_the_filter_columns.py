"""A mission's places carry copies of its document's visibility and filter columns, included in the places'
coordinates index: the nearest places of a distance search are then read already filtered, from the index alone.
The existing places take their documents' values before the index is built."""

from django.db import migrations, models

COPIED = (
    "visible_from",
    "visible_until",
    "domain_code",
    "programme_code",
    "remote_code",
    "open_to_minors",
    "accessible",
    "min_age",
    "max_age",
)


def copy_from_documents(apps, schema_editor):
    place = apps.get_model("search", "MissionPlace")._meta
    document = apps.get_model("search", "MissionDocument")._meta
    qn = schema_editor.quote_name
    assignments = ", ".join(f"{qn(name)} = d.{qn(name)}" for name in COPIED)
    schema_editor.execute(
        f"UPDATE {qn(place.db_table)} AS p SET {assignments} FROM {qn(document.db_table)} AS d "  # noqa: S608
        f"WHERE d.{qn(document.pk.column)} = p.{qn(place.get_field('document').column)}"
    )


class Migration(migrations.Migration):

    dependencies = [
        ('search', '0012_title_words_for_typos'),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='missionplace',
            name='search_mplace_geo_cov_idx',
        ),
        migrations.AddField(
            model_name='missionplace',
            name='accessible',
            field=models.BooleanField(default=False),
        ),
        migrations.AddField(
            model_name='missionplace',
            name='domain_code',
            field=models.IntegerField(null=True),
        ),
        migrations.AddField(
            model_name='missionplace',
            name='max_age',
            field=models.PositiveSmallIntegerField(null=True),
        ),
        migrations.AddField(
            model_name='missionplace',
            name='min_age',
            field=models.PositiveSmallIntegerField(null=True),
        ),
        migrations.AddField(
            model_name='missionplace',
            name='open_to_minors',
            field=models.BooleanField(default=False),
        ),
        migrations.AddField(
            model_name='missionplace',
            name='programme_code',
            field=models.IntegerField(null=True),
        ),
        migrations.AddField(
            model_name='missionplace',
            name='remote_code',
            field=models.PositiveSmallIntegerField(null=True),
        ),
        migrations.AddField(
            model_name='missionplace',
            name='visible_from',
            field=models.DateField(null=True),
        ),
        migrations.AddField(
            model_name='missionplace',
            name='visible_until',
            field=models.DateField(null=True),
        ),
        migrations.RunPython(copy_from_documents, migrations.RunPython.noop, elidable=True),
        migrations.AddIndex(
            model_name='missionplace',
            index=models.Index(fields=['latitude', 'longitude'], include=('document', 'visible_from', 'visible_until', 'domain_code', 'programme_code', 'remote_code', 'open_to_minors', 'accessible', 'min_age', 'max_age'), name='search_mplace_geo_cov_idx'),
        ),
    ]
