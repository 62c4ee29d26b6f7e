"""A real headless Chromium (Debian's ``chromium`` package, driven by Playwright) against pytest-django's live server.

Playwright never downloads a browser here: it launches ``/usr/bin/chromium``, and every test skips with the reason
when that is missing. The browser is offline: a request to anything but the live server is refused and recorded, so a
page that needs the internet fails its test instead of passing on a connected machine.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
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
LOCAL_HOSTS = {"localhost", "127.0.0.1", "[::1]", "::1"}


@pytest.fixture(scope="session")
def browser() -> Iterator:
    if not CHROMIUM.exists():
        pytest.skip(f"Chromium is not installed at {CHROMIUM} (Debian: apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the test's own ORM calls are still synchronous.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
            yield chromium
            chromium.close()
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


@pytest.fixture
def offline_page(browser, committed_db, live_server) -> Iterator[OfflinePage]:
    """A fresh tab (own cookies) on the live server, with the database committed so the server thread sees it."""
    context = browser.new_context(locale="fr-FR", viewport={"width": 1400, "height": 1000})
    context.set_default_timeout(20_000)
    yield OfflinePage(context)
    context.close()
