"""Template databases kept between test runs (the migrated database, the seeded demo), as pytest-django's
``--reuse-db`` keeps a test database, but keyed on what built them so that a stale one is never reused.

A template is named after a key (a hash of its inputs) and kept on the test server, with what the tests read back
from its build pickled in :func:`kept_directory` (shared by the clones that test against one server). It is built
under a temporary name and renamed to its key's name only once complete: a build that failed or was interrupted
leaves nothing that a later run would take for finished. Building a template drops its other versions.

The migrated template's key covers every migration file of every installed app; the project's modules that connect
``post_migrate`` receivers; the project's modules that these or the migrations import (seeded vocabularies, roles…),
models aside (migrations declare what models change); the Wagtail hooks (registered snippets get permissions); the
settings; the versions of the distributions the project runs on; and the current month (the tracking migration
creates the partitions around it). The demo's key adds every file of the project's packages and today's date (its
dates are relative to the day it was seeded).
"""

from __future__ import annotations

import ast
import functools
import hashlib
import importlib.util
import os
import pickle
import re
import shutil
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from importlib import metadata
from pathlib import Path
from typing import Any, TypeVar

from filelock import FileLock
from psycopg import sql

from tests.shared import database_exists, server

_T = TypeVar("_T")

ROOT = Path(__file__).resolve().parent.parent
PROJECT_PACKAGES = ("cms", "importers", "search", "graphql_api")


def kept_directory() -> Path:
    """Where the kept templates' lock and build results live: beside the test server that holds the templates.

    An embedded server's data directory lies inside the clone (``var/postgres``): its templates are the clone's own,
    and so is this directory (``var/test-databases``). Any other server (the machine's, or the one ``DATABASE_URL``
    names) gets a directory of the user's cache named after its address (host or socket directory, and port), shared
    by every clone and worktree of the project testing against it: they share its templates, so they share the lock
    that keeps one from dropping a template another is copying, and a fresh clone reuses what an identical one built.
    """
    from django.conf import settings

    database = settings.DATABASES["default"]
    host = database.get("HOST") or "localhost"
    if Path(host).is_absolute() and Path(host).resolve().is_relative_to(ROOT):
        directory = Path(settings.VAR_DIR) / "test-databases"
    else:
        cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
        server_name = re.sub(r"[^\w.-]+", "_", f"{host}:{database.get('PORT') or 5432}").strip("_")
        directory = cache / "tremplin" / "test-databases" / server_name
    directory.mkdir(parents=True, exist_ok=True)
    return directory


@contextmanager
def templates_lock(database: str) -> Iterator[Path]:
    """Holds the lock on the kept templates of test database ``database`` (across workers and runs: nobody builds one
    twice, and nobody is connected to a template while it is copied); yields the directory of their build results."""
    directory = kept_directory()
    with FileLock(directory / f"{database}.lock"):
        yield directory


def kept_template(directory: Path, prefix: str, key: str, build: Callable[[str, Path], _T]) -> tuple[str, _T, Path]:
    """The template database ``{prefix}_{key}``, its build result and its files directory; built first if missing.

    ``build(name, files)`` creates and fills database ``name`` (its files, such as images, under ``files``) and
    returns what the tests need from it (pickled). Call it under :func:`templates_lock`.
    """
    name = f"{prefix}_{key[:12]}"
    result_path, files = directory / f"{name}.pickle", directory / f"{name}-files"
    if database_exists(name) and result_path.exists():
        return name, pickle.loads(result_path.read_bytes()), files  # noqa: S301 - written by this project's tests
    _drop_versions(directory, prefix)
    building = f"{prefix}_building"
    files.mkdir()
    result = build(building, files)
    result_path.write_bytes(pickle.dumps(result))
    with server() as connection:
        connection.execute(
            sql.SQL("ALTER DATABASE {} RENAME TO {}").format(sql.Identifier(building), sql.Identifier(name))
        )
    return name, result, files


def _drop_versions(directory: Path, prefix: str) -> None:
    """Drop every database and build result of ``prefix`` (older keys, an interrupted build)."""
    with server() as connection:
        names = connection.execute(
            "SELECT datname FROM pg_database WHERE left(datname, %s) = %s", [len(prefix) + 1, f"{prefix}_"]
        ).fetchall()
        for (name,) in names:
            connection.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))
    for path in directory.glob(f"{prefix}_*"):
        if path.is_dir():
            shutil.rmtree(path)
        else:
            path.unlink()


@functools.cache
def migrated_key() -> str:
    """A hash of everything that changes what migrating an empty database produces."""
    from django.apps import apps
    from django.db.migrations.loader import MigrationLoader
    from django.utils import timezone

    files: set[Path] = set()
    for app in apps.get_app_configs():
        module, _ = MigrationLoader.migrations_module(app.label)
        spec = importlib.util.find_spec(module) if module else None
        if spec is not None and spec.submodule_search_locations:
            for location in spec.submodule_search_locations:
                files.update(Path(location).glob("*.py"))
    project = [path for package in PROJECT_PACKAGES for path in (ROOT / package).rglob("*.py")]
    receivers = {path for path in project if "post_migrate" in path.read_text()}
    snippets = {path for path in project if path.name == "wagtail_hooks.py"}  # snippets get extra permissions
    files |= _project_imports(files | receivers) | receivers | snippets | set((ROOT / "cms" / "settings").glob("*.py"))
    digest = _digest(files)
    digest.update("\n".join(_runtime_distributions()).encode())
    digest.update(f"{timezone.localdate():%Y-%m}".encode())
    return digest.hexdigest()


def _runtime_distributions() -> list[str]:
    """``name==version`` of every distribution the project runs on: its own requirements (not its extras) and the
    installed apps' distributions, with what they require in turn; the test and bench tools aside, so that the
    virtualenvs of two Python versions with the same runtime share the templates."""
    from django.apps import apps
    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name

    owners = metadata.packages_distributions()
    pending = {"tremplin", *(name for app in apps.get_app_configs() for name in owners.get(app.name.split(".")[0], ()))}
    found: dict[str, str] = {}
    while pending:
        name = canonicalize_name(pending.pop())
        if name in found:
            continue
        try:
            distribution = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            continue
        found[name] = distribution.version
        for requirement in map(Requirement, distribution.requires or ()):
            if requirement.marker is None or requirement.marker.evaluate({"extra": ""}):
                pending.add(requirement.name)
    found.pop("tremplin", None)  # the project's files are hashed themselves
    return sorted(f"{name}=={version}" for name, version in found.items())


@functools.cache
def demo_key(parameters: str) -> str:
    """A hash of everything that changes what seeding the demo produces: the migrated template, every file of the
    project's packages, the tests' ``parameters`` for it and today's date."""
    from django.utils import timezone

    files = {
        path
        for package in PROJECT_PACKAGES
        for path in (ROOT / package).rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    }
    digest = _digest(files)
    digest.update(f"{parameters} {migrated_key()} {timezone.localdate():%Y-%m-%d}".encode())
    return digest.hexdigest()


def _digest(files: Iterable[Path]) -> Any:
    """The files' contents, each named as the import system finds it (relative to its ``sys.path`` entry: the project
    or a site-packages), so that neither the clone's place nor the virtualenv's changes the hash."""
    entries = {ROOT, *(Path(entry).resolve() for entry in sys.path if entry)}
    roots = sorted(entries, key=lambda root: len(root.parts))
    named = {}
    for path in files:
        resolved = path.resolve()
        root = next((root for root in reversed(roots) if resolved.is_relative_to(root)), None)
        named[str(resolved.relative_to(root)) if root else str(resolved)] = resolved
    digest = hashlib.sha256()
    for name in sorted(named):
        digest.update(name.encode())
        digest.update(named[name].read_bytes())
    return digest


def _project_imports(files: Iterable[Path]) -> set[Path]:
    """The project's modules that the project's ``files`` import, directly or through each other, models aside."""
    found: set[Path] = set()
    pending = [path for path in files if path.resolve().is_relative_to(ROOT)]
    while pending:
        for module in _imported_modules(pending.pop()):
            spec = _spec(module)
            if spec is None or spec.origin is None or not spec.origin.endswith(".py"):
                continue
            path = Path(spec.origin)
            if "models" in path.relative_to(ROOT).with_suffix("").parts:
                continue  # what models declare reaches the database through the migrations, which are hashed
            if path not in found:
                found.add(path)
                pending.append(path)
    return found


def _imported_modules(path: Path) -> Iterator[str]:
    """The project's modules that ``path`` (a module of the project) imports, and the names it imports from them
    (which may be modules too)."""
    parts = path.resolve().relative_to(ROOT).with_suffix("").parts
    package = ".".join(parts[:-1])
    for node in ast.walk(ast.parse(path.read_bytes())):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{parent}.{base}" if base else parent
            names = [base, *(f"{base}.{alias.name}" for alias in node.names)]
        else:
            continue
        yield from (name for name in names if name.split(".")[0] in PROJECT_PACKAGES)


def _spec(name: str) -> Any:
    try:
        return importlib.util.find_spec(name)
    except (ImportError, ValueError):
        return None
