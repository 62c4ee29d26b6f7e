"""Fast inserts for large imports: PostgreSQL ``COPY`` with primary keys drawn from the table's sequence.

``bulk_create`` builds a model instance per row and adapts every value in Python; for a 100,000-mission feed that
alone costs more than the rest of the import. Rows here are plain dicts of attribute names; missing attributes take
the field's default, ``auto_now``/``auto_now_add`` fields take ``now``. Other databases fall back to ``bulk_create``.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from operator import itemgetter
from typing import Any

from django.db import connection, models

_EMPTY_JSON_LIST = "[]"


def _json_text(value: Any) -> str | None:
    """JSON as text for COPY (the server parses it into jsonb); far cheaper than a Jsonb dumper per value."""
    if value is None:
        return None
    if value == []:
        return _EMPTY_JSON_LIST
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _json_texts() -> Callable[[Any], str | None]:
    """:func:`_json_text` remembering the text of lists of strings (tags, activities…), which feeds repeat on most
    missions: one ``json.dumps`` per distinct list in a chunk rather than per mission and field."""
    known: dict[tuple[str, ...], str] = {}

    def text(value: Any) -> str | None:
        if type(value) is not list or not value or not all(type(item) is str for item in value):
            return _json_text(value)
        key = tuple(value)
        cached = known.get(key)
        if cached is None:
            cached = known[key] = _json_text(value)
        return cached

    return text


def _plan(model: type[models.Model]) -> tuple[list[models.Field], dict[str, Any], set[str], set[str]]:
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    defaults: dict[str, Any] = {}
    for field in fields:
        if isinstance(field, models.JSONField):
            defaults[field.attname] = field.get_default()  # list/dict: only serialised, never shared for writing
        elif field.has_default() and callable(field.default):
            defaults[field.attname] = None  # callables (uuid4, now…) must be given per row
        else:
            defaults[field.attname] = field.get_default()
    json_fields = {f.attname for f in fields if isinstance(f, models.JSONField)}
    auto_now = {f.attname for f in fields if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)}
    return fields, defaults, json_fields, auto_now


def copy_insert(model: type[models.Model], rows: list[dict[str, Any]], *, now: dt.datetime) -> list[int]:
    """Insert ``rows`` and return their primary keys, in order."""
    if not rows:
        return []
    fields, defaults, json_fields, auto_now = _plan(model)
    table = model._meta.db_table
    pk_column = model._meta.pk.column
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [table, pk_column, len(rows)],
        )
        pks = [row[0] for row in cursor.fetchall()]
        columns = ", ".join(connection.ops.quote_name(c) for c in [pk_column, *(f.column for f in fields)])
        # Each row read in one C call (the defaults under the row, an itemgetter over every column), then only the
        # JSON and auto_now columns touched: a Python branch per column and row was most of the writer's time.
        names = [f.attname for f in fields]
        read = itemgetter(*names) if len(names) > 1 else lambda row: (row[names[0]],)
        json_columns = [i + 1 for i, name in enumerate(names) if name in json_fields]
        now_columns = [i + 1 for i, name in enumerate(names) if name in auto_now]
        json_text = _json_texts()
        with cursor.cursor.copy(f"COPY {connection.ops.quote_name(table)} ({columns}) FROM STDIN") as copy:
            write_row = copy.write_row
            for pk, row in zip(pks, rows, strict=True):
                values = [pk, *read(defaults | row)]
                for i in json_columns:
                    values[i] = json_text(values[i])
                for i in now_columns:
                    values[i] = values[i] or now
                write_row(values)
    return pks
