"""Shared fixtures; the test database is PostgreSQL (DATABASE_URL), checked once before anything runs."""

from __future__ import annotations

import pytest
from django.conf import settings


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


@pytest.fixture
def home_page(db):
    from cms.pages.models import HomePage

    return HomePage.objects.get(depth=2)


@pytest.fixture
def offers_index(db):
    from cms.offers.models import OffersIndexPage

    return OffersIndexPage.objects.get()
