"""Text folding is one rule (``search.folding``): the database function the SQL paths call is the body derived from
it, and Python and SQL fold a table of tricky French texts the same way."""

from __future__ import annotations

import pytest
from django.db import connection

from search.folding import FUNCTION, fold, fold_sql, function_body

EXAMPLES = [
    ("Élève", "eleve"),
    ("CŒUR DE VILLE", "coeur de ville"),
    ("Œuvre d'art", "oeuvre d'art"),
    ("Ægir et Cæcilia", "aegir et caecilia"),
    ("L'ÉTÉ", "l'ete"),
    ("l’été", "lete"),  # a typographic apostrophe is no ASCII letter: dropped, on both paths
    ("Saint-Étienne", "saint-etienne"),
    ("  Île-de-France ", "  ile-de-france "),
    ("naïve façade", "naive facade"),
    ("ﬁlm ﬂou", "film flou"),
    ("Straße", "strae"),
    ("café ☕", "cafe "),
    ("déjà-vu N°5", "deja-vu n5"),  # a degree sign is no ordinal: dropped, on both paths
    ("", ""),
]


@pytest.mark.parametrize(("text", "folded"), EXAMPLES, ids=[text or "empty" for text, _ in EXAMPLES])
def test_python_and_the_database_fold_a_text_the_same_way(db, text, folded):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {fold_sql('%s')}", [text])
        in_sql = cursor.fetchone()[0]

    assert (fold(text), in_sql) == (folded, folded)


def test_null_folds_to_the_empty_string_on_both_paths(db):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {fold_sql('NULL')}")

        assert cursor.fetchone()[0] == fold(None) == ""


def test_the_database_function_is_the_one_derived_from_the_rule(db):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT prosrc, provolatile FROM pg_proc WHERE proname = %s AND pg_function_is_visible(oid)", [FUNCTION]
        )
        (source, volatility), *others = cursor.fetchall()

    assert others == []
    assert volatility == "i", "the folding function must be IMMUTABLE (inlined by the planner, usable in indexes)"
    assert source.strip() == function_body(), (
        "search.folding's rule changed without a migration replacing the database function: add one "
        "(CREATE OR REPLACE FUNCTION with search.folding.function_body())"
    )
