"""The demo's SQLite path: the flag lock and plain bulk inserts standing in for the advisory lock and COPY.

A child process gets a fresh SQLite database (``cms.settings.dev``, as ``make demo``), migrates it and imports a
small feed (see ``sqlite_import.py``); PostgreSQL-only code paths would fail there.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from .feeds import mission, xml_feed

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """What the child process saw importing the feed into a fresh SQLite database (run once for this module)."""
    tmp_path = tmp_path_factory.mktemp("sqlite")
    feed = tmp_path / "feed.xml"
    feed.write_bytes(xml_feed(mission("a"), mission("b"), mission("c", description=None)))
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'demo.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "cms.settings.dev",
    }

    done = subprocess.run(  # noqa: S603 - our own module, with arguments we built
        [sys.executable, "-m", "tests.importers.sqlite_import", str(feed)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )

    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_a_feed_imports_on_sqlite_with_the_flag_lock_and_plain_bulk_inserts(demo):
    assert {key: value for key, value in demo.items() if key != "search"} == {
        "vendor": "sqlite",
        "first": ["success", 2, 1],
        "second": ["success", 3, 0],
        "lock_released": True,
        "while_running": ["skipped"],
        "missions": 3,
        "addresses": 3,
    }


def test_imported_missions_are_indexed_and_searchable_on_sqlite(demo):
    assert demo["search"] == {"documents": 2, "places": 2, "found": 2}
