"""The French analysis of each backend against the table of ``analysis_examples.py``."""

from __future__ import annotations

import pytest
from django.db import connection

from search.backends.database.tables import TEXT_CONFIG
from search.indexing import KINDS

from .analysis_examples import DIFFERING, EXAMPLES


def tokens(backend, text: str) -> tuple[str, ...]:
    """The tokens ``backend`` indexes ``text`` under, in order."""
    if backend.__class__.__name__ == "DatabaseBackend":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT coalesce(array_agg(lexeme ORDER BY positions[1]), '{}') FROM unnest(to_tsvector(%s, %s))",
                [TEXT_CONFIG, text],
            )
            return tuple(cursor.fetchone()[0])
    kind = KINDS["missions"]
    backend.ensure_index(kind)
    from search.backends.elasticsearch import alias_name

    analyzed = backend.client.indices.analyze(index=alias_name(kind), analyzer="french_folded", text=text)
    return tuple(token["token"] for token in analyzed.body["tokens"])


@pytest.mark.parametrize("example", EXAMPLES, ids=[example.text for example in EXAMPLES])
def test_each_backend_analyses_the_examples_as_the_table_says(backend, example):
    expected = example.database if backend.__class__.__name__ == "DatabaseBackend" else example.elasticsearch
    assert tokens(backend, example.text) == expected


def test_every_difference_of_the_analysis_says_why():
    assert DIFFERING
    assert [example.text for example in DIFFERING if not example.why] == []


def test_rows_that_agree_give_no_reason():
    assert [example.text for example in EXAMPLES if example not in DIFFERING and example.why] == []
