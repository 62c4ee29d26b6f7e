"""The places' coordinates index carries each place's document: a geographic search reads the places of its radius
(their documents for the facets, their coordinates for the distance) from the index alone, without visiting the
table, which matters around a big city where a radius holds tens of thousands of places."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('search', '0007_index_without_constraints'),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='missionplace',
            name='search_mplace_geo_idx',
        ),
        migrations.AddIndex(
            model_name='missionplace',
            index=models.Index(fields=['latitude', 'longitude'], include=('document',), name='search_mplace_geo_cov_idx'),
        ),
    ]
