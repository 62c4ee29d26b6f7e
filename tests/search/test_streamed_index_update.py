"""An import's search index update runs while the import goes on: each chunk's missions, once committed, are handed
to ``search.indexing.StreamingUpdate`` (``cms.core.changes.announcing_in_steps``), which writes them in bulk batches
beside the reading of the next chunks instead of after the whole run.

These tests run without the test transaction (``committed_db``), as imports do in production.
"""

from __future__ import annotations

import io
import logging

import pytest
from django.db import DatabaseError, connection

from cms.missions.models import Mission
from importers.engagement_xml import EngagementXmlImporter
from search.backends import database
from search.base import SearchQuery, get_backend
from search.indexing import KINDS
from tests.factories.importers import FeedSourceFactory
from tests.importers.feeds import mission, xml_feed

from .test_bulk_index_update import _gin_indexes, _pending_pages

MISSIONS = 10


class Importer(EngagementXmlImporter):
    chunk_size = 2


@pytest.fixture
def streamed(settings, monkeypatch):
    """Updates of 4 ids or more stream in bulk mode, in batches of 2 (5,000 and 2,000 in production)."""
    settings.SEARCH_BACKEND = "database"
    settings.SEARCH_LARGE_UPDATE = 4
    monkeypatch.setattr("search.indexing.BATCH", 2)


def _feed(n: int = MISSIONS) -> io.BytesIO:
    return io.BytesIO(xml_feed(*(mission(f"m{i}", title=f"Maraude solidaire {i}") for i in range(n))))


def _documents(source) -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM search_missiondocument d JOIN missions_mission m ON m.id = d.mission_id "
            "WHERE m.source = %s",
            [source.slug],
        )
        return cursor.fetchone()[0]


def _found() -> int:
    return get_backend("database").search(KINDS["missions"], SearchQuery(text="maraude")).total


def test_an_imports_first_chunks_are_searchable_before_its_last_chunk_is_read(committed_db, streamed):
    source = FeedSourceFactory()
    indexed_while_reading: list[int] = []

    report = Importer(source, progress=lambda importer: indexed_while_reading.append(_documents(source))).run(_feed())

    assert report.created == MISSIONS
    # When the 5th and last chunk is read, chunks 1 to 4 are committed and handed over: 4 batches of 2 submitted to
    # the two index writers, each of which finished its first batch before taking its second.
    assert indexed_while_reading[-1] >= 4
    assert _documents(source) == MISSIONS
    assert _found() == MISSIONS


def test_a_streamed_import_does_not_update_the_index_again_at_its_end(committed_db, streamed, monkeypatch):
    calls: list[int] = []
    update = database.DatabaseBackend._refresh

    def counted(self, kind, pks):
        calls.extend(pks)
        return update(self, kind, pks)

    monkeypatch.setattr(database.DatabaseBackend, "_refresh", counted)

    Importer(FeedSourceFactory()).run(_feed())

    assert sorted(calls) == sorted(Mission.objects.values_list("pk", flat=True))  # each mission once


def test_an_index_batch_that_fails_during_an_import_is_redone_at_its_end_and_leaves_the_gin_indexes_merged_and_off(
    committed_db, streamed, monkeypatch, caplog
):
    caplog.set_level(logging.ERROR, logger="search.indexing")
    refresh = database.DatabaseBackend._refresh
    failures: list[list[int]] = []

    def first_fails(self, kind, pks):
        if not failures:
            failures.append(pks)
            raise DatabaseError("panne simulée de l'index")
        return refresh(self, kind, pks)

    monkeypatch.setattr(database.DatabaseBackend, "_refresh", first_fails)
    source = FeedSourceFactory()

    report = Importer(source).run(_feed())

    assert (report.created, report.fatal) == (MISSIONS, "")
    assert failures
    assert "retried at its end" in caplog.text
    assert _documents(source) == MISSIONS
    assert _found() == MISSIONS
    indexes = _gin_indexes()
    assert set(map(tuple, indexes.values())) == {("fastupdate=off",)}
    assert {index: _pending_pages(index) for index in indexes} == dict.fromkeys(indexes, 0)


def test_an_import_below_the_bulk_threshold_is_indexed_once_at_its_end(committed_db, streamed, caplog):
    caplog.set_level(logging.DEBUG, logger="search.backends.database")
    source = FeedSourceFactory()
    indexed_while_reading: list[int] = []

    Importer(source, progress=lambda importer: indexed_while_reading.append(_documents(source))).run(_feed(3))

    assert indexed_while_reading == [0, 0]
    assert "fast update on" not in caplog.text
    assert _documents(source) == 3


def test_an_index_that_keeps_failing_does_not_fail_the_import_and_leaves_the_gin_indexes_merged_and_off(
    committed_db, streamed, monkeypatch, caplog
):
    caplog.set_level(logging.ERROR, logger="search.indexing")

    def always_fails(self, kind, pks):
        raise DatabaseError("index hors service")

    monkeypatch.setattr(database.DatabaseBackend, "_refresh", always_fails)
    source = FeedSourceFactory()

    report = Importer(source).run(_feed())

    assert (report.created, report.fatal) == (MISSIONS, "")
    assert "run manage.py search_reindex" in caplog.text
    assert _documents(source) == 0
    indexes = _gin_indexes()
    assert set(map(tuple, indexes.values())) == {("fastupdate=off",)}
    assert {index: _pending_pages(index) for index in indexes} == dict.fromkeys(indexes, 0)
