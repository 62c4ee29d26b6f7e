"""Typo tolerance on folded title words (``search.typos``): ``title_folded`` holds them one space apart, and
``search_title_word`` decides whether a title holds a word, a word it begins or a word one edit away."""

from django.db import migrations, models

#: Whether the space-separated ``words`` hold ``word`` (or, with ``prefix``, a word it begins; with ``typo``, a word
#: one insertion, deletion, replacement or swap of two adjacent letters away, the first letter unchanged).
CREATE = """
CREATE OR REPLACE FUNCTION search_title_word(words text, word text, prefix boolean, typo boolean) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
SELECT EXISTS (
    SELECT 1 FROM unnest(string_to_array(words, ' ')) AS t(w)
    WHERE t.w = word
       OR (prefix AND starts_with(t.w, word))
       OR (typo AND left(t.w, 1) = left(word, 1) AND abs(length(t.w) - length(word)) <= 1 AND EXISTS (
           SELECT 1 FROM generate_series(2, greatest(length(t.w), length(word))) AS g(i)
           WHERE (length(t.w) = length(word)
                  AND (left(t.w, g.i - 1) || substr(t.w, g.i + 1) = left(word, g.i - 1) || substr(word, g.i + 1)
                       OR left(t.w, g.i - 1) || substr(t.w, g.i + 1, 1) || substr(t.w, g.i, 1)
                          || substr(t.w, g.i + 2) = word))
              OR (length(t.w) = length(word) + 1 AND left(t.w, g.i - 1) || substr(t.w, g.i + 1) = word)
              OR (length(word) = length(t.w) + 1 AND left(word, g.i - 1) || substr(word, g.i + 1) = t.w)))
)
$$
"""
#: Titles indexed before: missions' words from their title, offers' (title and subtitle) from their folded text.
REFOLD = [
    "UPDATE search_missiontext SET title_folded = array_to_string(ARRAY(SELECT f.word FROM (SELECT "
    "search_fold(w.m[1]) AS word, w.n FROM regexp_matches(coalesce(title, ''), '[[:alnum:]]+', 'g') "
    "WITH ORDINALITY AS w(m, n)) f WHERE f.word <> '' ORDER BY f.n), ' ')",
    "UPDATE search_offertext SET title_folded = btrim(regexp_replace(title_folded, '[^a-z0-9]+', ' ', 'g'))",
]
HELP = "The folded title words, one space apart (typo tolerance)."


class Migration(migrations.Migration):
    dependencies = [("search", "0010_fold_function")]

    operations = [
        migrations.RunSQL(CREATE, reverse_sql="DROP FUNCTION IF EXISTS search_title_word(text, text, boolean, boolean)"),
        migrations.RunSQL(REFOLD, reverse_sql=migrations.RunSQL.noop),
        migrations.AlterField("missiontext", "title_folded", models.CharField(help_text=HELP, max_length=255)),
        migrations.AlterField("offertext", "title_folded", models.CharField(help_text=HELP, max_length=255)),
    ]
