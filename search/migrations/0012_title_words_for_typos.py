"""Typo tolerance on folded title words (``search.typos``): ``title_folded`` holds them one space apart, and
``search_title_word`` decides whether a title holds a word, a word it begins or a word one edit away."""

from django.db import migrations, models

#: Whether the space-separated ``words`` hold ``word`` (or, with ``prefix``, a word it begins; with ``typo``, a word
#: one insertion, deletion, replacement or swap of two adjacent letters away, the first letter unchanged).
CREATE = """
CREATE OR REPLACE FUNCTION search_title_word(words text, word text, prefix boolean, typo boolean) RETURNS boolean
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
AS $$
DECLARE
    w text;
    lw int;
    lq int := length(word);
    p int;
BEGIN
    FOREACH w IN ARRAY string_to_array(words, ' ') LOOP
        IF w = word OR (prefix AND starts_with(w, word)) THEN
            RETURN true;
        END IF;
        lw := length(w);
        CONTINUE WHEN NOT typo OR abs(lw - lq) > 1 OR left(w, 1) <> left(word, 1);
        -- The first position where they differ: the one edit must be there.
        p := 2;
        WHILE p <= least(lw, lq) AND substr(w, p, 1) = substr(word, p, 1) LOOP
            p := p + 1;
        END LOOP;
        IF lw = lq THEN
            IF substr(w, p + 1) = substr(word, p + 1)
               OR (substr(w, p, 1) = substr(word, p + 1, 1) AND substr(w, p + 1, 1) = substr(word, p, 1)
                   AND substr(w, p + 2) = substr(word, p + 2)) THEN
                RETURN true;
            END IF;
        ELSIF lw = lq + 1 AND substr(w, p + 1) = substr(word, p) THEN
            RETURN true;
        ELSIF lq = lw + 1 AND substr(word, p + 1) = substr(w, p) THEN
            RETURN true;
        END IF;
    END LOOP;
    RETURN false;
END
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
    dependencies = [("search", "0011_mission_document_activities")]

    operations = [
        migrations.RunSQL(CREATE, reverse_sql="DROP FUNCTION IF EXISTS search_title_word(text, text, boolean, boolean)"),
        migrations.RunSQL(REFOLD, reverse_sql=migrations.RunSQL.noop),
        migrations.AlterField("missiontext", "title_folded", models.CharField(help_text=HELP, max_length=255)),
        migrations.AlterField("offertext", "title_folded", models.CharField(help_text=HELP, max_length=255)),
    ]
