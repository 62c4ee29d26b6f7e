"""What the pytest-xdist workers of one run build once and share: results kept in the run's temporary directory,
and PostgreSQL databases cloned from a template (``CREATE DATABASE … TEMPLATE``) on the test server.

A worker that needs something built takes a file lock (``filelock``, as pytest-xdist's documentation recommends),
builds it if no worker has yet, and leaves the result for the others; without xdist it is the same, with one process.
"""

from __future__ import annotations

import os
import pickle
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import psycopg
import pytest
from django.conf import settings
from filelock import FileLock
from psycopg import sql

_T = TypeVar("_T")


def shared_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A directory that every worker of this run sees (the run's base temporary directory)."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


@contextmanager
def run_lock(tmp_path_factory: pytest.TempPathFactory, name: str) -> Iterator[Path]:
    """Holds the run-wide lock ``name``; yields the shared directory."""
    directory = shared_dir(tmp_path_factory)
    with FileLock(directory / f"{name}.lock"):
        yield directory


def once_per_run(tmp_path_factory: pytest.TempPathFactory, name: str, build: Callable[[], _T]) -> _T:
    """``build()``'s result, built by the first worker that asks and read back (pickled) by the others.

    A build that raises leaves nothing behind: the next worker that asks builds again (and fails alike).
    """
    with run_lock(tmp_path_factory, name) as directory:
        path = directory / f"{name}.pickle"
        if path.exists():
            return pickle.loads(path.read_bytes())  # noqa: S301 - written by this run's own workers
        result = build()
        path.write_bytes(pickle.dumps(result))
        return result


@contextmanager
def server() -> Iterator[psycopg.Connection]:
    """An autocommit connection to the test server's ``postgres`` database, for creating and dropping databases."""
    database = settings.DATABASES["default"]
    with psycopg.connect(
        host=database.get("HOST") or None,
        port=database.get("PORT") or None,
        user=database.get("USER") or None,
        password=database.get("PASSWORD") or None,
        dbname="postgres",
        autocommit=True,
    ) as connection:
        yield connection


def create_database(name: str, *, template: str | None = None) -> None:
    """Create database ``name`` (a copy of ``template`` when given, which nobody may be connected to)."""
    query = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
    if template is not None:
        query = sql.SQL("{} TEMPLATE {}").format(query, sql.Identifier(template))
    with server() as connection:
        connection.execute(query)


def drop_database(name: str) -> None:
    with server() as connection:
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


@contextmanager
def connected_to(name: str) -> Iterator[None]:
    """Points Django's default connection at database ``name`` until the block ends (the connection is closed on the
    way in and out, so that it reconnects to the right one)."""
    from django.db import connection

    previous = connection.settings_dict["NAME"]
    _switch(connection, name)
    try:
        yield
    finally:
        _switch(connection, previous)


def _switch(connection: Any, name: str) -> None:
    connection.close()
    connection.settings_dict["NAME"] = name
    settings.DATABASES[connection.alias]["NAME"] = name


def database_exists(name: str) -> bool:
    with server() as connection:
        return connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is not None


@contextmanager
def scratch_database_url(*, template: str | None = None) -> Iterator[str]:
    """A database of its own on the test server (empty, or a copy of ``template``), for a subprocess that migrates and
    fills it (dropped after)."""
    import uuid

    from cms.core.localdb import database_url

    name = f"{settings.DATABASES['default']['NAME']}_scratch_{uuid.uuid4().hex[:8]}"
    create_database(name, template=template)
    try:
        yield database_url(settings.DATABASES["default"], name)
    finally:
        drop_database(name)
