"""The text folding function of ``search.folding`` (its rule, frozen here: a later change of the rule replaces it in
a new migration; ``tests/search/test_folding.py`` fails until one does)."""

from django.db import migrations

CREATE = r"""
CREATE OR REPLACE FUNCTION search_fold(text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$SELECT regexp_replace(normalize(replace(replace(lower(coalesce($1, '')), 'œ', 'oe'), 'æ', 'ae'), NFKD), '[^\x01-\x7f]+', '', 'g')$$
"""


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0009_text_without_sqlite_matching"),
    ]

    operations = [
        migrations.RunSQL(CREATE, reverse_sql="DROP FUNCTION IF EXISTS search_fold(text)"),
    ]
