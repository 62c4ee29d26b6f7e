"""Bulk index updates (an import's): outside any transaction on PostgreSQL, GIN indexes take their entries in a
pending list for the duration, then are switched back to ``fastupdate = off`` and merged; when a search holds them,
the update goes on with plain inserts instead of waiting.

These tests run without the test transaction (``committed_db``), as an import's index update does in production.
"""

from __future__ import annotations

import io
import logging
import threading
import time

import psycopg
import pytest
from django.db import connection

from importers.engagement_xml import EngagementXmlImporter
from search.base import SearchQuery, get_backend
from search.indexing import KINDS
from tests.factories.importers import FeedSourceFactory
from tests.importers.feeds import mission, xml_feed

_CITIES = [
    ("69002", "Lyon", "45.764", "4.8357"),
    ("75011", "Paris", "48.8594", "2.3765"),
    ("13001", "Marseille", "43.2999", "5.3841"),
]
_DOMAINS = ["education", "sport"]
MISSIONS = 12


@pytest.fixture
def large_updates_from(settings):
    """Index updates of that many ids or more run in bulk mode (5,000 in production)."""

    def lower(threshold: int) -> None:
        settings.SEARCH_BACKEND = "database"
        settings.SEARCH_LARGE_UPDATE = threshold

    return lower


def _import_missions() -> None:
    """Import ``MISSIONS`` missions spread over three departments and two domains; the import announces them all."""
    feed = []
    for i in range(MISSIONS):
        postcode, city, lat, lon = _CITIES[i % 3]
        address = {"street": "1 place de la Mairie", "postalCode": postcode, "city": city, "lat": lat, "lon": lon}
        feed.append(mission(f"m{i}", title=f"Tutorat solidaire {i}", domain=_DOMAINS[i % 2], addresses=[address]))
    report = EngagementXmlImporter(FeedSourceFactory()).run(io.BytesIO(xml_feed(*feed)))
    assert report.created == MISSIONS


def _gin_indexes() -> dict[str, list[str]]:
    """Every GIN index of the mission documents' tables, with its storage options."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, c.reloptions FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
            "JOIN pg_am am ON am.oid = c.relam JOIN pg_class t ON t.oid = i.indrelid "
            "WHERE am.amname = 'gin' AND t.relname LIKE 'search_mission%%'"
        )
        return dict(cursor.fetchall())


def _pending_pages(index: str) -> int:
    """Pages left in the index's pending list (merging them reports how many there were)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT gin_clean_pending_list(%s::regclass)", [index])
        return cursor.fetchone()[0]


def _search(**kwargs):
    return get_backend("database").search(KINDS["missions"], SearchQuery(**kwargs))


def _facet(result, name: str) -> dict[str, int]:
    return {value.value: value.count for value in result.facets[name]}


def test_a_bulk_index_update_leaves_every_document_searchable_and_the_gin_indexes_merged_and_off(
    committed_db, large_updates_from, caplog
):
    large_updates_from(10)
    caplog.set_level(logging.DEBUG, logger="search.backends.database")

    _import_missions()

    assert "fast update on" in caplog.text
    found = _search(text="tutorat")
    assert found.total == MISSIONS
    assert _facet(found, "department") == {"69": 4, "75": 4, "13": 4}
    assert _facet(found, "domain") == {"education": 6, "sport": 6}
    assert _search(text="tutorat", filters={"department": ["75"], "domain": ["sport"]}).total == 2
    indexes = _gin_indexes()
    assert indexes
    assert set(map(tuple, indexes.values())) == {("fastupdate=off",)}
    assert {index: _pending_pages(index) for index in indexes} == dict.fromkeys(indexes, 0)


def test_a_bulk_index_update_falls_back_to_plain_inserts_when_a_search_holds_the_gin_indexes(
    committed_db, large_updates_from, caplog
):
    large_updates_from(10)
    caplog.set_level(logging.DEBUG, logger="search.backends.database")
    settings = connection.settings_dict
    searcher = psycopg.connect(
        host=settings["HOST"] or None, port=settings["PORT"] or None, user=settings["USER"], dbname=settings["NAME"]
    )
    try:
        # A search left in an open transaction: planning it locked every index of the table until it ends.
        searcher.execute("SELECT count(*) FROM search_missiondocument WHERE search_vector @@ 'tutorat'::tsquery")
        started = time.monotonic()
        _import_missions()
        waited = time.monotonic() - started
    finally:
        searcher.rollback()
        searcher.close()

    assert "inserting without fast update" in caplog.text
    # The missions' indexes (the ones the search holds): other kinds may be updated by whatever else ran before.
    switched = [r.getMessage() for r in caplog.records if "fast update on" in r.getMessage()]
    assert not [message for message in switched if "search_m" in message]
    assert waited < 30  # gave up on the lock after its 1 s timeout instead of waiting for the search to end
    found = _search(text="tutorat")
    assert found.total == MISSIONS
    assert _facet(found, "department") == {"69": 4, "75": 4, "13": 4}
    indexes = _gin_indexes()
    assert set(map(tuple, indexes.values())) == {("fastupdate=off",)}
    assert {index: _pending_pages(index) for index in indexes} == dict.fromkeys(indexes, 0)


def _analyze_counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT relname, analyze_count FROM pg_stat_user_tables WHERE relname IN "
            "('search_missiondocument', 'search_missiontext', 'search_missionplace')"
        )
        return dict(cursor.fetchall())


def test_a_bulk_index_update_ends_with_fresh_statistics_on_every_index_table(committed_db, large_updates_from):
    large_updates_from(10)
    before = _analyze_counts()

    _import_missions()

    assert _analyze_counts() == {table: count + 1 for table, count in before.items()}


def test_a_bulk_index_update_writes_its_batches_side_by_side_on_two_connections(
    committed_db, large_updates_from, monkeypatch
):
    from search.backends import database

    large_updates_from(10)
    monkeypatch.setattr("search.indexing.BATCH", 4)
    threads = set()
    refresh = database.DatabaseBackend._refresh

    def spy(self, kind, pks):
        threads.add(threading.current_thread().name)
        return refresh(self, kind, pks)

    monkeypatch.setattr(database.DatabaseBackend, "_refresh", spy)

    _import_missions()

    assert len(threads) == 2  # each writer thread has a connection of its own
    assert _search(text="tutorat").total == MISSIONS


def test_a_gin_index_left_in_fast_update_by_a_killed_import_is_switched_back_off_by_the_next_bulk_update(
    committed_db, large_updates_from
):
    large_updates_from(10)
    left_on = sorted(_gin_indexes())[0]
    with connection.cursor() as cursor:
        cursor.execute(f"ALTER INDEX {connection.ops.quote_name(left_on)} SET (fastupdate = on)")

    _import_missions()

    assert set(map(tuple, _gin_indexes().values())) == {("fastupdate=off",)}
    assert _pending_pages(left_on) == 0
    assert _search(text="tutorat").total == MISSIONS
