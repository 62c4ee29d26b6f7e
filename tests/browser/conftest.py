"""A real headless Chromium (Debian's ``chromium`` package, driven by Playwright) against pytest-django's live server.

Playwright never downloads a browser here: it launches ``/usr/bin/chromium``, and every test skips with the reason
when that is missing. The browser is offline: a request to anything but the live server is refused and recorded, so a
page that needs the internet fails its test instead of passing on a connected machine.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
#: The password ``tests.factories.users.UserFactory`` gives every account.
FACTORY_PASSWORD = "mot-de-passe-de-test"  # noqa: S105
LOCAL_HOSTS = {"localhost", "127.0.0.1", "[::1]", "::1"}


@contextmanager
def chromium() -> Iterator:
    """Chromium through Playwright's sync API.

    Inside ``sync_playwright`` the code runs with an event loop marked as running in this thread, where Django uses
    other database connections (asgiref keeps thread-critical locals per context then) and refuses them unless
    ``DJANGO_ALLOW_ASYNC_UNSAFE`` is set: it is set for as long as the browser lives, and the connections opened
    meanwhile are closed before the loop stops, so that none is left behind for the tests that follow.
    """
    from django.db import connections
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the test's own ORM calls are still synchronous.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
            try:
                yield browser
            finally:
                browser.close()
                connections.close_all()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


class OfflinePage:
    """A browser tab that reaches only the local server; ``blocked`` lists what it tried to fetch elsewhere."""

    def __init__(self, context) -> None:
        self.blocked: list[str] = []
        context.route("**/*", self._local_only)
        self.tab = context.new_page()

    def _local_only(self, route) -> None:
        url = route.request.url
        if urlsplit(url).scheme in ("data", "blob") or urlsplit(url).hostname in LOCAL_HOSTS:
            route.continue_()
        else:
            self.blocked.append(url)
            route.abort("internetdisconnected")


@pytest.fixture(scope="session")
def app_server(django_db_setup, django_db_blocker) -> Iterator:
    """The project served by a thread on a free port, static files included.

    pytest-django's ``live_server`` fixture is not used: its autouse helper sets ``transactional_db`` up before
    ``committed_db`` and so flushes the migrated data after it was restored, leaving the next tests without it.
    """
    from pytest_django.live_server_helper import LiveServer

    with django_db_blocker.unblock():
        server = LiveServer("localhost:0")
    yield server
    server.stop()


@pytest.fixture(scope="module")
def browser(app_server) -> Iterator:
    """One Chromium for the tests of a module that this worker runs (each test has a context of its own: cookies,
    storage and cache are not shared): starting it costs more CPU than most of these tests.

    It is started before the tests' database fixtures, so that those run in the same context as the test (see
    :func:`chromium`); nothing but browser tests run while it lives, a module's tests being contiguous on a worker
    (they must sort together: pytest-django runs the tests on ``db`` first, and these use ``committed_db`` or
    nothing).
    """
    if not CHROMIUM.exists():
        pytest.skip(f"Chromium is not installed at {CHROMIUM} (Debian: apt-get install -y chromium)")
    with chromium() as launched:
        yield launched


@pytest.fixture
def offline_page(browser, committed_db) -> Iterator[OfflinePage]:
    """A tab in a fresh browser context on the live server, with the database committed so the server thread sees
    it."""
    with offline_context(browser) as page:
        yield page


@contextmanager
def offline_context(browser) -> Iterator[OfflinePage]:
    """A tab in a browser context of its own (French, a desktop's window), closed when the block ends."""
    context = browser.new_context(locale="fr-FR", viewport={"width": 1400, "height": 1000})
    context.set_default_timeout(20_000)
    try:
        yield OfflinePage(context)
    finally:
        context.close()


def sign_in(tab, server_url: str, username: str, password: str = FACTORY_PASSWORD) -> None:
    """Sign in through the admin's form (the factories' password) and wait for the admin's home page."""
    from django.urls import reverse

    tab.goto(f"{server_url}{reverse('wagtailadmin_login')}")
    tab.fill("input[name=username]", username)
    tab.fill("input[name=password]", password)
    tab.locator("form button[type=submit]").click()
    tab.wait_for_url(f"{server_url}{reverse('wagtailadmin_home')}")
