"""Shared fixtures; the test database is PostgreSQL (DATABASE_URL), checked once before anything runs.

The demo content (``seed_demo``) is seeded once per session, the first time a test asks for ``demo``, inside a
transaction that stays open until the session ends and is then rolled back; every test that uses it runs in its own
savepoint on top. Tests that use the demo run after all the others (see ``pytest_collection_modifyitems``), so no other
test ever sees demo content and a session that needs no demo never pays for it.
"""

from __future__ import annotations

import pytest
from django.conf import settings
from django.db import transaction
from django.test import override_settings

#: Missions the shared demo is seeded with: enough for every listing, few enough to seed in seconds.
DEMO_MISSIONS = 150
DEMO_ADMIN_PASSWORD = "demo-password-for-tests-42"
DEMO_PARTNER_PASSWORD = "demo-partner-password-42"
DEMO_MEMBER_PASSWORD = "demo-member-password-42"
DEMO_FIXTURES = {"demo", "demo_content"}


def pytest_sessionstart(session: pytest.Session) -> None:
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


@pytest.fixture(autouse=True)
def _no_announcement_left_over():
    """Each test starts with no queued content announcement: ids announced by an earlier test whose transaction was
    rolled back would otherwise ride along with this test's first commit (``cms.core.changes``), and an import of 3
    missions would update the index as a large one."""
    from cms.core.changes import discard_pending

    discard_pending()


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Run the tests that use the demo last (stable order otherwise, after pytest-django's own ordering).

    In parallel (``make test``: pytest-xdist) each worker runs the tests it is handed in this order, so the demo's
    tests stay last on every worker; a worker that reaches them seeds its own demo.
    """
    items.sort(key=lambda item: bool(DEMO_FIXTURES & set(getattr(item, "fixturenames", ()))))


@pytest.fixture(scope="session")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """The ``seed_demo`` content, seeded once for the session and rolled back at its end; yields the seed report."""
    from cms.core.demo.seed import seed_demo

    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("demo-media")),
        transaction.atomic(),
    ):
        report = seed_demo(
            n_missions=DEMO_MISSIONS,
            admin_password=DEMO_ADMIN_PASSWORD,
            partner_password=DEMO_PARTNER_PASSWORD,
            member_password=DEMO_MEMBER_PASSWORD,
        )
        yield report
        transaction.set_rollback(True)


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


@pytest.fixture
def _migrated_data_restored(django_db_setup, django_db_blocker):
    """After the test, reload what migrations seeded (taxonomy, Wagtail's root page and site, roles…).

    Requested before ``transactional_db`` by :func:`committed_db`, so that it tears down after it: Django's serialized
    rollback reloads that data when a test *starts* and leaves the database flushed when it ends, which would take it
    from every test that runs after (the session's ``demo`` among them).
    """
    yield
    from django.db import connection

    with django_db_blocker.unblock():
        connection.creation.deserialize_db_from_string(connection._test_serialized_contents)
        connection.close()


@pytest.fixture
def committed_db(_migrated_data_restored, transactional_db, django_db_serialized_rollback):
    """A database without the test's wrapping transaction, as in production: every write commits, and other
    connections (writer threads, a concurrent session) see it. Emptied and restored to its migrated state afterwards.
    """


@pytest.fixture(scope="module")
def scratch_database_url(django_db_setup) -> str:
    """An empty database of its own on the test server, for a subprocess that migrates and fills it (dropped after)."""
    import uuid

    import psycopg
    from psycopg import sql

    from cms.core.localdb import database_url

    database = settings.DATABASES["default"]
    name = f"{database['NAME']}_scratch_{uuid.uuid4().hex[:8]}"
    params = {"host": database["HOST"] or None, "port": database["PORT"] or None, "user": database["USER"] or None}
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as connection:
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    yield database_url(database, name)
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as connection:
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


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
    """``manage.py collectstatic`` with the production settings, as ``make serve`` runs it, into a directory of the
    session's own: production servers started by tests set ``STATIC_ROOT`` to it (their pages name hashed files)."""
    import subprocess
    import sys

    from tests.servers import ROOT, production_env

    static_root = tmp_path_factory.mktemp("static")
    env = production_env("postgres://unused@127.0.0.1:1/unused", STATIC_ROOT=str(static_root))
    subprocess.run(  # noqa: S603 - our own interpreter and manage.py
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=600,
    )
    return static_root
