"""Shared fixtures; the test database is PostgreSQL (DATABASE_URL), checked once before anything runs.

The demo content (``seed_demo``) is seeded the first time a test asks for ``demo``, into a template database kept
between runs while nothing it depends on changes (``tests/kept_databases.py``), that each worker then copies and works
on for the rest of its session (``demo``); every test that uses it runs in its own transaction on top. Tests that use
the demo run after all the others (see ``pytest_collection_modifyitems``), so no other test ever sees demo content and
a session that needs no demo never pays for it.
"""

from __future__ import annotations

import gc
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.conf import settings
from django.db import transaction
from django.test import override_settings

from tests import committed
from tests.kept_databases import demo_key, kept_template, migrated_key, templates_lock
from tests.shared import connected_to, create_database, drop_database, once_per_run, shared_dir

#: Missions the shared demo is seeded with: enough for every listing, few enough to seed in seconds.
DEMO_MISSIONS = 150
DEMO_ADMIN_PASSWORD = "demo-password-for-tests-42"
DEMO_PARTNER_PASSWORD = "demo-partner-password-42"
DEMO_MEMBER_PASSWORD = "demo-member-password-42"
DEMO_FIXTURES = {"demo", "demo_content"}


#: The whole run's test database name (``test_<name>``), before pytest-xdist gives each worker its own suffix.
_TEST_DATABASE = ""


def pytest_sessionstart(session: pytest.Session) -> None:
    global _TEST_DATABASE  # noqa: PLW0603 - read once, before pytest-django renames the database per worker
    database = settings.DATABASES["default"]
    if "postgresql" not in database["ENGINE"]:
        return
    import psycopg

    try:
        psycopg.connect(
            host=database.get("HOST") or None,
            port=database.get("PORT") or None,
            user=database.get("USER") or None,
            password=database.get("PASSWORD") or None,
            dbname="postgres",
            connect_timeout=5,
        ).close()
    except psycopg.OperationalError as exc:
        where = f"{database.get('HOST') or 'socket'}:{database.get('PORT') or 5432}"
        pytest.exit(
            f"PostgreSQL is not reachable at {where} ({exc}).\n"
            "Start it (on Debian: pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start) "
            "or point DATABASE_URL at a running server.",
            returncode=3,
        )
    _TEST_DATABASE = (database.get("TEST") or {}).get("NAME") or f"test_{database['NAME']}"


@pytest.fixture(autouse=True)
def _no_announcement_left_over():
    """Each test starts with no queued content announcement: ids announced by an earlier test whose transaction was
    rolled back would otherwise ride along with this test's first commit (``cms.core.changes``), and an import of 3
    missions would update the index as a large one."""
    from cms.core.changes import discard_pending

    discard_pending()


@pytest.fixture(autouse=True)
def _settings_left_as_found() -> Iterator[None]:
    """A test leaves the settings as it found them: an ``@override_settings`` around a test that also changes
    pytest-django's ``settings`` is undone in the wrong order and leaks into every later test of the worker (a task
    backend left on the database made e-mails and index updates wait for a worker that never came)."""
    wrapped = settings._wrapped
    values = dict(vars(wrapped))
    yield
    assert not (changed := _changed_settings(wrapped, values)), f"settings left changed by this test: {changed}"


_UNSET = object()


def _changed_settings(wrapped: object, values: dict[str, object]) -> str:
    """The names of the settings changed since ``wrapped`` (``settings._wrapped``, the settings object in place) held
    ``values``: set on it since, or overridden by an ``override_settings`` still in place, which puts a settings object
    of its own there."""
    current = settings._wrapped
    if current is wrapped:
        now = vars(wrapped)
        names = {name for name in values.keys() | now.keys() if now.get(name, _UNSET) is not values.get(name, _UNSET)}
    else:
        names = {
            name
            for name in set(dir(current)) | set(dir(wrapped))
            if getattr(current, name, _UNSET) is not getattr(wrapped, name, _UNSET)
        }
    changed = ", ".join(sorted(name for name in names if name.isupper() and name != "SETTINGS_MODULE"))
    return changed or ("an override_settings left in place" if current is not wrapped else "")


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Run the tests that use the demo last (stable order otherwise, after pytest-django's own ordering).

    In parallel (``make test``: pytest-xdist) each worker runs the tests it is handed in this order, so the demo's
    tests stay last on every worker; a worker that reaches them copies the run's demo (seeding it if it is first).
    """
    items.sort(key=lambda item: bool(DEMO_FIXTURES & set(getattr(item, "fixturenames", ()))))


def pytest_collection_finish(session: pytest.Session) -> None:
    """What is alive once the tests are collected (Django, Wagtail, the GraphQL schema, every test module) lives until
    the process ends: frozen (``gc.freeze``), it is left out of the cyclic collector's full scans, which would
    otherwise walk its several hundred thousand objects again and again; the young generation is collected every
    :data:`~importers.base.GC_THRESHOLD` allocations instead of 700, as during an import."""
    from importers.base import GC_THRESHOLD

    gc.freeze()
    gc.set_threshold(GC_THRESHOLD, *gc.get_threshold()[1:])


@pytest.fixture(scope="session")
def django_db_setup(
    request,
    django_test_environment,
    django_db_blocker,
    django_db_use_migrations,
    django_db_keepdb,
    django_db_createdb,
    django_db_modify_db_settings,
):
    """pytest-django's test database, copied (``CREATE DATABASE … TEMPLATE``) from a migrated template kept between
    runs (``tests/kept_databases.py``) instead of each worker running every migration.

    With ``--reuse-db`` or ``--no-migrations`` this is pytest-django's own set-up, unchanged.
    """
    from django.db import connection

    if django_db_keepdb or not django_db_use_migrations:
        yield from _pytest_django_db_setup(request, django_db_blocker, django_db_use_migrations, django_db_keepdb)
        return
    own = (connection.settings_dict.get("TEST") or {}).get("NAME") or f"test_{connection.settings_dict['NAME']}"
    before = connection.settings_dict["NAME"]
    with django_db_blocker.unblock():
        drop_database(own)
        with templates_lock(_TEST_DATABASE) as directory:
            create_database(own, template=migrated_template(directory, connection))
        connection.close()
        settings.DATABASES[connection.alias]["NAME"] = connection.settings_dict["NAME"] = own
    yield
    with django_db_blocker.unblock():
        connection.creation.destroy_test_db(before, verbosity=0)


def migrated_template(directory: Path, connection) -> str:
    """The migrated template every worker's test database is copied from (built if this key has none yet); call it
    under :func:`templates_lock`."""
    return kept_template(
        directory, f"{_TEST_DATABASE}_migrated", migrated_key(), lambda name, _: _migrate(connection, name)
    )[0]


@contextmanager
def migrated_template_locked() -> Iterator[str]:
    """The migrated template's name, while nobody else may connect to it (to copy it)."""
    from django.db import connection

    with templates_lock(_TEST_DATABASE) as directory:
        yield migrated_template(directory, connection)


def _migrate(connection, name: str) -> None:
    """Create and migrate database ``name`` (as pytest-django would a test database)."""
    test = connection.settings_dict.setdefault("TEST", {})
    own, before = test.get("NAME"), connection.settings_dict["NAME"]
    test["NAME"] = name
    try:
        connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    finally:
        connection.close()
        test["NAME"] = own
        settings.DATABASES[connection.alias]["NAME"] = connection.settings_dict["NAME"] = before


def _pytest_django_db_setup(request, django_db_blocker, use_migrations: bool, keepdb: bool):
    """pytest-django's ``django_db_setup``, for the options the template does not serve."""
    from django.test.utils import setup_databases, teardown_databases
    from pytest_django.fixtures import _disable_migrations

    if not use_migrations:
        _disable_migrations()
    with django_db_blocker.unblock():
        config = setup_databases(verbosity=0, interactive=False, keepdb=keepdb, serialized_aliases=[])
    yield
    if not keepdb:
        with django_db_blocker.unblock():
            teardown_databases(config, verbosity=0)


@pytest.fixture(scope="session")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """The ``seed_demo`` content, on a database of this worker's own for the rest of the session; yields the seed
    report.

    The demo is seeded into a template database kept between runs (``tests/kept_databases.py``), copied from the
    migrated template; every worker works on a copy of it (``CREATE DATABASE … TEMPLATE``, a file copy on the server)
    and of its images, dropped when its session ends.
    """
    from django.core.cache import caches
    from django.db import connection

    own = connection.settings_dict["NAME"]
    media = tmp_path_factory.mktemp("demo-media")
    copy = f"{own}_demo"
    with django_db_blocker.unblock():
        drop_database(copy)
        with templates_lock(_TEST_DATABASE) as directory:  # nobody is on a template while it is copied
            migrated = migrated_template(directory, connection)
            template, report, files = kept_template(
                directory,
                f"{_TEST_DATABASE}_demo",
                demo_key(f"{DEMO_MISSIONS} {DEMO_ADMIN_PASSWORD} {DEMO_PARTNER_PASSWORD} {DEMO_MEMBER_PASSWORD}"),
                lambda name, files: _seed_demo(name, migrated, files),
            )
            create_database(copy, template=template)
        shutil.copytree(files, media, dirs_exist_ok=True)
        try:
            with connected_to(copy), override_settings(MEDIA_ROOT=media):
                for cache in caches.all():  # a cached site root or page built before the demo existed
                    cache.clear()
                yield report
        finally:
            drop_database(copy)


def _seed_demo(name: str, migrated: str, media: Path):
    """Copy the migrated template to database ``name`` and seed the demo into it, its images into ``media``."""
    from cms.core.changes import discard_pending
    from cms.core.demo.seed import seed_demo

    create_database(name, template=migrated)
    with connected_to(name), override_settings(MEDIA_ROOT=media), transaction.atomic():
        report = seed_demo(
            n_missions=DEMO_MISSIONS,
            admin_password=DEMO_ADMIN_PASSWORD,
            partner_password=DEMO_PARTNER_PASSWORD,
            member_password=DEMO_MEMBER_PASSWORD,
        )
        discard_pending()  # as in any other test: its announcements are not delivered
    return report


@pytest.fixture
def demo_content(demo, db):
    """The demo for one test, in a savepoint: what the test changes is undone, the demo stays."""
    return demo


@pytest.fixture
def home_page(db):
    from cms.pages.models import HomePage

    return HomePage.objects.get(depth=2)


@pytest.fixture
def offers_index(db):
    from cms.offers.models import OffersIndexPage

    return OffersIndexPage.objects.get()


@pytest.fixture(scope="session")
def _pristine_tables(django_db_setup, django_db_blocker) -> list[str]:
    """The tables whose migrated rows :func:`committed_db` puts back, copied aside before the session's first test on
    a committed database (every test before it left the database as migrations left it)."""
    from django.db import connection

    with django_db_blocker.unblock():
        return committed.snapshot(connection)


@pytest.fixture
def committed_db(request, _pristine_tables, django_db_blocker):
    """A database without the test's wrapping transaction, as in production: every write commits, and other
    connections (writer threads, a concurrent session) see it. Restored to its migrated state afterwards
    (``tests/committed.py``).

    pytest-django's ``transactional_db`` is not used: it truncates every table after each test, and its serialized
    rollback reloads the migrated data object by object before and after. A test cannot have both this and ``db``,
    whose transaction would hide its writes from other connections.
    """
    if {"db", "transactional_db"} & set(request.fixturenames) or request.node.get_closest_marker("django_db"):
        raise pytest.UsageError(f"{request.node.nodeid}: committed_db excludes db, transactional_db and django_db")
    with committed_writes(_pristine_tables, django_db_blocker):
        yield


@contextmanager
def committed_writes(pristine_tables: list[str], django_db_blocker) -> Iterator[None]:
    """What :func:`committed_db` gives a test, for a block (a fixture of a wider scope that writes, then only reads
    what it made): database access without a wrapping transaction, the database restored when the block ends."""
    from django.db import connection, connections

    with django_db_blocker.unblock():
        try:
            yield
        finally:
            connections.close_all()  # a connection the block left in a failed transaction
            committed.restore(connection, pristine_tables)
            connections.close_all()


@pytest.fixture
def announced():
    """``announced(Model)`` → the list, growing as they are delivered, of the primary-key sets announced for
    ``Model`` (``cms.core.changes``) from then until the end of the test."""
    from cms.core.changes import contents_changed

    receivers = []

    def listen(model: type) -> list[frozenset]:
        heard: list[frozenset] = []

        def receiver(sender, pks, **kwargs):
            heard.append(pks)

        contents_changed.connect(receiver, sender=model, weak=False)
        receivers.append((receiver, model))
        return heard

    yield listen
    for receiver, model in receivers:
        contents_changed.disconnect(receiver, sender=model)


@pytest.fixture
def task_worker(monkeypatch):
    """Runs django-tasks-db's worker in this process and the test's transaction until no task is ready (with
    ``TASKS`` on the database backend). The worker process itself: tests/tasks/test_worker.py."""
    from django_tasks_db.management.commands.db_worker import Worker

    monkeypatch.setattr("django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None)

    def run() -> None:
        Worker(
            queue_names=["*"],
            interval=0,
            batch=True,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id="test-worker",
            excluded_queue_names=[],
        ).run()

    return run


@pytest.fixture(scope="session")
def collected_static(tmp_path_factory):
    """``manage.py collectstatic`` with the production settings, as ``make serve`` runs it, once per run into a
    directory every worker shares: production servers started by tests set ``STATIC_ROOT`` to it (their pages name
    hashed files)."""
    static_root = shared_dir(tmp_path_factory) / "static"
    once_per_run(tmp_path_factory, "collected-static", lambda: _collect_static(static_root))
    return static_root


def _collect_static(static_root: Path) -> None:
    import subprocess
    import sys

    from tests.servers import ROOT, production_env

    env = production_env("postgres://unused@127.0.0.1:1/unused", STATIC_ROOT=str(static_root))
    subprocess.run(  # noqa: S603 - our own interpreter and manage.py
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=600,
    )
