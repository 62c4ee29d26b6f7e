"""Monthly partitions of ``tracking_event``.

The migration creates the partitioned table, a DEFAULT partition (so an insert never fails for want of a month) and
the months around its date; ``ensure_partitions`` (run by ``manage.py tracking_aggregate``, daily) adds the coming
months. A month whose rows already fell into the DEFAULT partition gets them moved into its new partition in the
same transaction. Old months can be detached (``ALTER TABLE tracking_event DETACH PARTITION tracking_event_YYYY_MM``)
and handed to a warehouse whole.
"""

from __future__ import annotations

import datetime as dt

from django.db import connection, transaction

TABLE = "tracking_event"
DEFAULT_PARTITION = f"{TABLE}_default"


def month_start(day: dt.date, shift: int = 0) -> dt.date:
    index = day.year * 12 + day.month - 1 + shift
    return dt.date(index // 12, index % 12 + 1, 1)


def partition_name(month: dt.date) -> str:
    return f"{TABLE}_{month:%Y_%m}"


def existing_partitions(using=connection) -> set[str]:
    with using.cursor() as cursor:
        cursor.execute(
            "SELECT child.relname FROM pg_inherits JOIN pg_class parent ON parent.oid = inhparent "
            "JOIN pg_class child ON child.oid = inhrelid WHERE parent.relname = %s",
            [TABLE],
        )
        return {name for (name,) in cursor.fetchall()}


def ensure_partitions(today: dt.date, *, months_before: int = 0, months_ahead: int = 3, using=connection) -> list[str]:
    """Create the missing monthly partitions from ``months_before`` to ``months_ahead`` around ``today``."""
    created = []
    present = existing_partitions(using)
    for shift in range(-months_before, months_ahead + 1):
        start = month_start(today, shift)
        name = partition_name(start)
        if name in present:
            continue
        end = month_start(start, 1)
        bounds = [f"{start.isoformat()} 00:00+00", f"{end.isoformat()} 00:00+00"]
        with transaction.atomic(using=using.alias), using.cursor() as cursor:
            cursor.execute(f"CREATE TABLE {name} (LIKE {TABLE} INCLUDING DEFAULTS INCLUDING CONSTRAINTS)")
            move = (
                f"WITH moved AS (DELETE FROM {DEFAULT_PARTITION} WHERE occurred_at >= %s AND occurred_at < %s "  # noqa: S608
                f"RETURNING *) INSERT INTO {name} SELECT * FROM moved"
            )  # table names are this module's, never input
            cursor.execute(move, bounds)
            cursor.execute(f"ALTER TABLE {TABLE} ATTACH PARTITION {name} FOR VALUES FROM (%s) TO (%s)", bounds)
        created.append(name)
    return created
