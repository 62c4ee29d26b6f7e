"""What the search migrations share (a leading underscore keeps Django from reading this module as a migration)."""

from __future__ import annotations

from collections.abc import Callable, Sequence


def on_postgresql(statements: Sequence[str]) -> Callable:
    """A ``RunPython`` function running ``statements`` on PostgreSQL only: SQLite (the demo) has no such indexes."""

    def apply(apps, schema_editor) -> None:
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return apply
