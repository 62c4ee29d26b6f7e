"""The search SQL takes every table and column name from ``Model._meta``: a field stored under another column changes
the SQL, a field that does not exist fails loudly, and nothing is written literally."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import FieldDoesNotExist
from django.db import connection
from django.db.models import Value

from cms.missions.models import Mission, MissionAddress
from cms.organisations.models import Organization
from cms.taxonomy.models import Domain, Programme
from search import missions
from search.backends.database.facets import selected_column
from search.backends.database.tables import DOCUMENTS
from search.missions import MISSIONS, sql_records
from search.offers import OFFERS

#: The aliases ``sql_records`` gives the content tables.
ALIASES = {"m": Mission, "a": MissionAddress, "o": Organization, "p": Programme, "d": Domain}
_REFERENCE = re.compile(r'\b([maopd])\.("?)([A-Za-z_][A-Za-z0-9_]*)\2')


def _references(sql: str) -> set[tuple[str, str, bool]]:
    """(alias, column, quoted) of every ``alias.column`` of the content tables in ``sql``."""
    return {(alias, column, bool(quote)) for alias, quote, column in _REFERENCE.findall(sql)}


def test_every_column_of_the_mission_sql_is_a_quoted_column_of_its_model():
    sql = sql_records([1, 2]).ctes
    references = _references(sql)

    assert {alias for alias, _, _ in references} == set(ALIASES)
    for alias, column, quoted in references:
        assert quoted, f"{alias}.{column} is written literally: take it from {ALIASES[alias].__name__}._meta"
        assert column in {f.column for f in ALIASES[alias]._meta.concrete_fields}, f"{alias}.{column}"


def test_the_mission_sql_follows_the_columns_the_models_declare(monkeypatch):
    for model in ALIASES.values():
        for field in model._meta.concrete_fields:
            monkeypatch.setattr(field, "column", f"renamed_{field.column}")
        monkeypatch.setattr(model._meta, "db_table", f"renamed_{model._meta.db_table}")

    sql = sql_records([1, 2]).ctes

    columns = {column for alias, column, _ in _references(sql)}
    assert columns
    assert all(column.startswith("renamed_") for column in columns)
    for model in ALIASES.values():
        assert f'"{model._meta.db_table}"' in sql


def test_a_column_the_model_does_not_have_fails_loudly():
    with pytest.raises(FieldDoesNotExist):
        _ = missions._Columns(Mission, "m").no_such_field


def _facet_columns(kind) -> list[str]:
    names = [facet.db for facet in kind.facets.values() if not facet.multi]
    names += [facet.key or facet.array for facet in kind.facets.values() if facet.multi and (facet.key or facet.array)]
    return names + ([kind.combination] if kind.combination else [])


@pytest.mark.parametrize("kind", [MISSIONS, OFFERS], ids=lambda kind: kind.name)
def test_facet_counts_name_each_selected_column_as_the_database_returns_it(db, kind):
    document = DOCUMENTS[kind.name]
    names = _facet_columns(kind)
    sql, params = document.objects.values(*names).annotate(hit_ok=Value(True)).query.sql_with_params()

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM ({sql}) AS matched LIMIT 0", params)  # noqa: S608 - compiled by the ORM
        returned = [column.name for column in cursor.description]

    assert returned == [selected_column(document, name) for name in [*names, "hit_ok"]]
