"""How a test on a committed database (``committed_db`` in tests/conftest.py) leaves the database as it found it.

Before the first such test of a session, the rows that migrations seeded are copied into a schema of their own
(:data:`PRISTINE_SCHEMA`, out of Django's search path). After each such test, in one transaction, every table that
holds a row is emptied and the copied rows are put back: a handful of ``DELETE`` and ``INSERT … SELECT`` statements,
where Django's ``flush`` would truncate every table and reload the migrated data object by object.

Every foreign key Django creates is deferrable, so the order in which tables are emptied and filled does not matter;
:func:`snapshot` checks that no other kind exists. Sequences are left where the test took them, as ``flush`` leaves
them.
"""

from __future__ import annotations

from typing import Any

from psycopg import sql

PRISTINE_SCHEMA = "test_pristine"

_TABLES = """
SELECT c.relname FROM pg_class c
WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'p') AND NOT c.relispartition
ORDER BY c.relname
"""


def snapshot(connection: Any) -> list[str]:
    """Copy the rows of every table of the current schema that holds some into :data:`PRISTINE_SCHEMA` (replacing
    an earlier copy); returns the names of the copied tables."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_constraint WHERE contype = 'f' AND NOT condeferrable"
            " AND connamespace = current_schema()::regnamespace"
        )
        if cursor.fetchone()[0]:
            raise RuntimeError("a foreign key that cannot be deferred: the committed database cannot be restored")
        tables = _tables_with_rows(cursor)
        schema = sql.Identifier(PRISTINE_SCHEMA)
        cursor.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(schema))
        cursor.execute(sql.SQL("CREATE SCHEMA {}").format(schema))
        for table in tables:
            cursor.execute(
                sql.SQL("CREATE TABLE {}.{} AS TABLE {}").format(schema, sql.Identifier(table), sql.Identifier(table))
            )
    return tables


def restore(connection: Any, tables: list[str]) -> None:
    """Empty every table that holds a row and copy ``tables`` back from :data:`PRISTINE_SCHEMA`, in one transaction."""
    from django.db import transaction

    schema = sql.Identifier(PRISTINE_SCHEMA)
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        for table in _tables_with_rows(cursor):
            cursor.execute(sql.SQL("DELETE FROM {}").format(sql.Identifier(table)))
        for table in tables:
            cursor.execute(
                sql.SQL("INSERT INTO {} SELECT * FROM {}.{}").format(
                    sql.Identifier(table), schema, sql.Identifier(table)
                )
            )


def _tables_with_rows(cursor: Any) -> list[str]:
    cursor.execute(_TABLES)
    tables = [name for (name,) in cursor.fetchall()]
    if not tables:
        return []
    cursor.execute(
        sql.SQL(" UNION ALL ").join(
            sql.SQL("SELECT {} WHERE EXISTS (SELECT FROM {})").format(sql.Literal(table), sql.Identifier(table))
            for table in tables
        )
    )
    return [name for (name,) in cursor.fetchall()]
