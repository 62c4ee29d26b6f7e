"""Write-behind: outside any transaction on PostgreSQL, a thread writes each chunk while the next one is read.

These tests run without the test transaction (``committed_db``), as imports do in production; the rest of the suite
runs inside one, where the importer writes its chunks itself.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
import pytest
from django.db import IntegrityError, connection, transaction

from cms.missions.models import Mission
from cms.organisations.models import Organization
from importers.engagement_xml import EngagementXmlImporter
from importers.models import ImportRun
from search.base import SearchQuery, get_backend
from search.indexing import KINDS
from tests.factories.importers import FeedSourceFactory

from .feeds import mission, xml_feed

#: New missions are COPYed: a refusal then surfaces as psycopg's own error rather than Django's wrapper.
WRITE_ERRORS = (IntegrityError, psycopg.IntegrityError)
_REPORT_COUNTS = ("seen", "created", "updated", "unchanged", "archived", "restored", "refused", "error_count")
#: Ids, the source, and timestamps of the run (``posted_at`` defaults to the time a mission is first written).
_VOLATILE = {"id", "source", "created_at", "updated_at", "moderated_at", "last_synced_at", "posted_at"}


class Importer(EngagementXmlImporter):
    chunk_size = 2


def _import(source, *missions, behind: set[bool]):
    """Run one import, noting in ``behind`` whether chunks were being written behind the reader."""
    importer = Importer(source, progress=lambda imp: behind.add(imp._writer is not None))
    report = importer.run(io.BytesIO(xml_feed(*missions)))
    return tuple(getattr(report, name) for name in _REPORT_COUNTS)


def _runs(source, behind: set[bool]) -> list[tuple]:
    """Three runs that create, refuse, update, leave unchanged, archive and restore, over several chunks."""
    first = [mission(f"m{i}") for i in range(1, 6)] + [mission("bad", applicationUrl=None)]
    second = [mission("m1"), mission("m2", title="Lire des contes aux enfants"), mission("m4"), mission("m5")]
    second += [mission("m6", organizationClientId="org-b", organizationName="Les Petits Lecteurs")]
    third = [*second, mission("m3")]
    return [_import(source, *feed, behind=behind) for feed in (first, second, third)]


@contextmanager
def _database_refuses(client_id: str) -> Iterator[None]:
    """PostgreSQL itself refuses to store the mission ``client_id`` (a trigger raising a unique violation): a real
    write error in the writer thread, the kind a constraint raises, without touching the importer's code."""
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE FUNCTION test_refuse_mission() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            f"IF NEW.client_id = '{client_id}' THEN "
            "RAISE EXCEPTION 'mission refusée par la base' USING ERRCODE = 'unique_violation'; END IF; "
            "RETURN NEW; END $$"
        )
        cursor.execute(
            "CREATE TRIGGER test_refuse_mission BEFORE INSERT ON missions_mission "
            "FOR EACH ROW EXECUTE FUNCTION test_refuse_mission()"
        )
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("DROP TRIGGER test_refuse_mission ON missions_mission")
            cursor.execute("DROP FUNCTION test_refuse_mission()")


def _snapshot(source) -> dict[str, tuple]:
    """What the runs left of each mission of ``source``, without ids, source and timestamps."""
    missions = Mission.objects.filter(source=source.slug).select_related("organization").prefetch_related("addresses")
    state = {}
    for m in missions:
        fields = {f.attname: getattr(m, f.attname) for f in m._meta.concrete_fields if f.attname not in _VOLATILE}
        fields["archived_at"] = fields["archived_at"] is not None
        fields["organization_id"] = m.organization.client_id if m.organization else None
        addresses = [
            (a.sort_order, a.street, a.postcode, a.city, a.department_code, a.latitude, a.longitude)
            for a in m.addresses.all()
        ]
        state[m.client_id] = (sorted(fields.items()), addresses)
    return state


def test_an_import_written_behind_gives_the_same_missions_and_counts_as_one_written_in_line(committed_db):
    behind_source = FeedSourceFactory(slug="ecrit-en-arriere")
    inline_source = FeedSourceFactory(slug="ecrit-en-ligne")
    behind: set[bool] = set()
    inline: set[bool] = set()

    behind_reports = _runs(behind_source, behind)
    with transaction.atomic():  # inside a transaction the importer writes each chunk itself
        inline_reports = _runs(inline_source, inline)

    assert (behind, inline) == ({True}, {False})
    assert behind_reports == inline_reports
    assert behind_reports[1][_REPORT_COUNTS.index("archived")] == 2  # m3, and the refused "bad"
    assert behind_reports[2][_REPORT_COUNTS.index("restored")] == 1
    assert _snapshot(behind_source) == _snapshot(inline_source)
    assert len(_snapshot(behind_source)) == 7


def test_a_chunk_that_fails_to_write_behind_stops_the_run_keeps_the_committed_chunks_and_archives_nothing(
    committed_db,
):
    source = FeedSourceFactory(slug="lire-et-faire-lire")
    behind: set[bool] = set()
    _import(source, mission("old-1"), mission("old-2"), mission("old-3"), behind=behind)
    feed = [mission("new-1"), mission("new-2")]
    feed += [mission("new-3"), mission("new-4")]  # the second chunk, which the database refuses
    feed += [mission("new-5"), mission("new-6")]

    with _database_refuses("new-3"), pytest.raises(WRITE_ERRORS):
        _import(source, *feed, behind=behind)

    assert behind == {True}
    live = set(Mission.objects.filter(source=source.slug, archived_at__isnull=True).values_list("client_id", flat=True))
    assert live == {"old-1", "old-2", "old-3", "new-1", "new-2"}
    assert Mission.objects.get(client_id="new-1").addresses.get().city == "Lyon"
    failed = ImportRun.objects.filter(source=source).latest("started_at")
    assert (failed.status, failed.complete, failed.archived) == (ImportRun.Status.FAILED, False, 0)
    assert failed.message.startswith("Import interrompu par une erreur inattendue (")
    assert "mission refusée par la base" in failed.message


def test_the_missions_a_failed_run_committed_are_searchable(committed_db, settings):
    settings.SEARCH_BACKEND = "database"
    source = FeedSourceFactory(slug="lire-et-faire-lire")
    behind: set[bool] = set()
    _import(source, mission("old-1"), behind=behind)
    feed = [mission("new-1", title="Jardiner avec les voisins"), mission("new-2")]
    feed += [mission("new-3")]

    with _database_refuses("new-3"), pytest.raises(WRITE_ERRORS):
        _import(source, *feed, behind=behind)

    found = get_backend("database").search(KINDS["missions"], SearchQuery(text="jardiner"))
    assert [hit.pk for hit in found.hits] == [Mission.objects.get(client_id="new-1").pk]


def test_an_organisation_staff_took_over_does_not_stop_the_feed_that_lists_it_again(committed_db):
    source = FeedSourceFactory(slug="lire-et-faire-lire")
    behind: set[bool] = set()
    _import(source, mission("m1", organizationClientId="org-b", organizationName="Les Petits Lecteurs"), behind=behind)
    taken_over = Organization.objects.get(source=source.slug, client_id="org-b")
    # Staff take the organisation over: no longer the feed's, it keeps the slug the importer derives for "org-b".
    Organization.objects.filter(pk=taken_over.pk).update(source="", client_id="")

    counts = _import(
        source, mission("m2", organizationClientId="org-b", organizationName="Les Petits Lecteurs"), behind=behind
    )

    assert counts[_REPORT_COUNTS.index("created")] == 1
    again = Organization.objects.get(source=source.slug, client_id="org-b")
    assert again.pk != taken_over.pk
    assert again.slug == f"{taken_over.slug}-2"
    assert Mission.objects.get(source=source.slug, client_id="m2").organization_id == again.pk
    taken_over.refresh_from_db()
    assert (taken_over.source, taken_over.client_id) == ("", "")
