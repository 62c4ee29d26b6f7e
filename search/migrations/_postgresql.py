"""What the search migrations share (a leading underscore keeps Django from reading this module as a migration)."""

from __future__ import annotations

from collections.abc import Callable, Sequence


def on_postgresql(statements: Sequence[str]) -> Callable:
    """A ``RunPython`` function running ``statements`` (PostgreSQL's own DDL, which Django's operations do not
    express). Earlier migrations ran them on PostgreSQL only, when the demo still ran on SQLite."""

    def apply(apps, schema_editor) -> None:
        for statement in statements:
            schema_editor.execute(statement)

    return apply
