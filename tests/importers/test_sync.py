"""Sync semantics of feed imports: upsert by (source, client id), archive and restore, failures, locks, runs."""

import contextlib
import datetime as dt
import io

import psycopg
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cms.core import changes
from cms.core.changes import contents_changed
from cms.missions.models import MISSION_ADDRESSES_MAX, MISSION_LIST_ITEMS_MAX, Mission
from cms.organisations.models import Organization
from importers.base import BaseImporter
from importers.engagement_xml import EngagementXmlImporter
from importers.feeds import import_source
from importers.locking import LOCK_NAMESPACE, mark_interrupted_runs
from importers.models import FeedSource, ImportRun, PendingGeocode
from tests.factories.importers import FeedSourceFactory

from .feeds import FIXTURES, mission, xml_feed

pytestmark = pytest.mark.django_db


@pytest.fixture
def source():
    return FeedSourceFactory(slug="lire-et-faire-lire")


def run(source, *missions, **kwargs):
    return import_source(source, stream=io.BytesIO(xml_feed(*missions)), **kwargs)


def test_a_new_feed_creates_accepted_live_missions_with_addresses_and_organisation(source):
    report = run(source, mission("a"), mission("b"))

    assert (report.created, report.refused, report.complete) == (2, 0, True)
    created = Mission.objects.get(source="lire-et-faire-lire", client_id="a")
    assert created.live
    assert created.moderation_status == Mission.Moderation.ACCEPTED
    assert created.description_text == "Animer des ateliers de lecture pour des enfants de 6 à 10 ans."
    assert [(a.city, a.department_code, a.region) for a in created.addresses.all()] == [
        ("Lyon", "69", "Auvergne-Rhône-Alpes")
    ]
    assert created.organization.name == "Lire et faire lire"
    assert Organization.objects.filter(source="lire-et-faire-lire").count() == 1
    assert Mission.objects.public().count() == 2


def test_reimporting_an_unchanged_feed_writes_nothing(source):
    run(source, mission("a"), mission("b"))
    before = dict(Mission.objects.values_list("client_id", "updated_at"))

    report = run(source, mission("a"), mission("b"))

    assert (report.unchanged, report.created, report.updated) == (2, 0, 0)
    assert dict(Mission.objects.values_list("client_id", "updated_at")) == before


def test_a_changed_mission_is_updated_and_its_addresses_replaced(source):
    run(source, mission("a"))
    moved = [{"street": "1 quai de Loire", "postalCode": "45000", "city": "Orléans", "lat": "47.8951", "lon": "1.9108"}]

    report = run(source, mission("a", title="Lire des contes aux enfants", addresses=moved))

    assert (report.updated, report.unchanged) == (1, 0)
    updated = Mission.objects.get(client_id="a")
    assert updated.title == "Lire des contes aux enfants"
    assert [a.city for a in updated.addresses.all()] == ["Orléans"]


def test_a_mission_missing_from_a_complete_feed_is_archived_not_deleted(source):
    run(source, mission("a"), mission("b"))

    report = run(source, mission("a"))

    assert report.archived == 1
    gone = Mission.objects.get(client_id="b")
    assert gone.archived_at is not None
    assert not Mission.objects.public().filter(pk=gone.pk).exists()


def test_an_archived_mission_that_comes_back_is_restored(source):
    run(source, mission("a"), mission("b"))
    run(source, mission("a"))

    report = run(source, mission("a"), mission("b"))

    assert (report.restored, report.unchanged) == (1, 1)
    assert Mission.objects.get(client_id="b").archived_at is None


def test_missions_of_another_source_are_never_archived(source):
    other = FeedSourceFactory(slug="autre-flux")
    run(other, mission("x"))

    run(source, mission("a"))

    assert Mission.objects.get(source="autre-flux", client_id="x").archived_at is None


def test_an_empty_feed_archives_nothing_and_warns(source):
    run(source, mission("a"))

    report = import_source(source, stream=(FIXTURES / "empty.xml").open("rb"))

    assert report.archived == 0
    assert report.status == ImportRun.Status.FAILED
    assert "Flux vide" in report.fatal
    assert Mission.objects.get(client_id="a").archived_at is None
    source.refresh_from_db()
    assert source.failing_since is not None


def test_a_truncated_feed_archives_nothing_and_keeps_what_it_read(source):
    run(source, mission("a"))

    report = import_source(source, stream=(FIXTURES / "truncated.xml").open("rb"))

    assert "tronqué" in report.fatal
    assert report.archived == 0
    assert Mission.objects.get(client_id="a").archived_at is None
    assert Mission.objects.filter(client_id="tronc-1").exists()


def test_a_feed_failing_for_less_than_seven_days_keeps_its_missions(source):
    run(source, mission("a"))
    FeedSource.objects.filter(pk=source.pk).update(failing_since=timezone.now() - dt.timedelta(days=6))
    source.refresh_from_db()

    report = import_source(source, stream=io.BytesIO(b"<source><mission>"))

    assert report.archived == 0
    assert Mission.objects.get(client_id="a").archived_at is None


def test_a_feed_failing_for_seven_days_in_a_row_gets_its_missions_archived(source):
    run(source, mission("a"), mission("b"))
    FeedSource.objects.filter(pk=source.pk).update(failing_since=timezone.now() - dt.timedelta(days=7, hours=1))
    source.refresh_from_db()

    report = import_source(source, stream=io.BytesIO(b"<source><mission>"))

    assert report.archived == 2
    assert "missions ont été archivées" in report.warnings[-1]
    assert not Mission.objects.filter(source=source.slug, archived_at__isnull=True).exists()


def test_a_complete_run_ends_the_failure_streak(source):
    FeedSource.objects.filter(pk=source.pk).update(failing_since=timezone.now() - dt.timedelta(days=3))
    source.refresh_from_db()

    run(source, mission("a"))

    source.refresh_from_db()
    assert source.failing_since is None
    assert source.last_success_at is not None


@contextlib.contextmanager
def lock_held_by_another_session(source):
    """The import lock of ``source``, held by another database session, as a live import elsewhere holds it.

    Released by that session before it closes: the server frees a closing session's locks only once its backend has
    exited, which a busy machine can leave for after the next statement of the test.
    """
    settings = connection.settings_dict
    with (
        psycopg.connect(
            host=settings["HOST"], port=settings["PORT"] or 5432, user=settings["USER"], dbname=settings["NAME"]
        ) as other,
        other.cursor() as cursor,
    ):
        cursor.execute("SELECT pg_advisory_lock(%s, %s)", [LOCK_NAMESPACE, source.pk])
        try:
            yield
        finally:
            cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [LOCK_NAMESPACE, source.pk])


def test_a_second_import_of_the_same_source_does_not_run_while_one_holds_the_lock(source):
    with lock_held_by_another_session(source):
        report = run(source, mission("a"))

    assert report.skipped
    assert "déjà en cours" in report.fatal
    assert ImportRun.objects.get(pk=report.run_id).status == ImportRun.Status.SKIPPED
    assert not Mission.objects.filter(source=source.slug).exists()


def test_the_lock_is_released_after_a_run(source):
    run(source, mission("a"))

    assert not run(source, mission("a")).skipped


class CrashingImporter(EngagementXmlImporter):
    """Fails inside the transaction of its second chunk, like a worker losing its database mid-import."""

    chunk_size = 2

    def _upsert_organizations(self, items):
        self._chunks = getattr(self, "_chunks", 0) + 1
        ids = super()._upsert_organizations(items)
        if self._chunks == 2:
            raise RuntimeError("connexion perdue")
        return ids


def test_a_crash_mid_import_rolls_back_the_chunk_in_flight_and_archives_nothing(source):
    run(source, mission("old-1"), mission("old-2"))
    feed = xml_feed(mission("new-1"), mission("new-2"), mission("new-3"), mission("new-4"))

    with pytest.raises(RuntimeError, match="connexion perdue"):
        CrashingImporter(source).run(io.BytesIO(feed))

    live = set(Mission.objects.filter(archived_at__isnull=True).values_list("client_id", flat=True))
    assert live == {"old-1", "old-2", "new-1", "new-2"}
    failed = ImportRun.objects.filter(source=source).first()
    assert failed.status == ImportRun.Status.FAILED
    assert "connexion perdue" in failed.message


def test_refused_missions_are_stored_with_their_french_reasons(source):
    report = run(source, mission("a", title="Bénévolat", places="0", applicationUrl=None))

    refused = Mission.objects.get(client_id="a")
    assert report.refused == 1
    assert refused.moderation_status == Mission.Moderation.REFUSED
    assert refused.moderation_reason.splitlines() == [
        "Titre trop court : « Bénévolat » ne compte qu'un mot.",
        "Lien de candidature manquant.",
        "Nombre de places invalide (0) : il doit être supérieur à zéro.",
    ]
    assert refused.places is None
    assert not Mission.objects.public().exists()


def test_a_refused_mission_is_accepted_once_the_feed_fixes_it(source):
    run(source, mission("a", description=None))

    report = run(source, mission("a"))

    assert report.updated == 1
    assert Mission.objects.get(client_id="a").moderation_status == Mission.Moderation.ACCEPTED


def _refuse_as_staff(client_id: str) -> None:
    """What the admin's mission form does when staff refuse a mission (cms.missions.forms.MissionAdminForm)."""
    Mission.objects.filter(client_id=client_id).update(
        moderation_status=Mission.Moderation.REFUSED,
        moderation_reason="Mission hors charte (décision de l'équipe).",
        moderated_at=timezone.now(),
        moderated_by_staff=True,
    )


def test_a_mission_refused_by_staff_stays_refused_when_the_feed_changes_it(source):
    run(source, mission("a"))
    _refuse_as_staff("a")

    report = run(source, mission("a", title="Lire des contes aux enfants"))

    kept = Mission.objects.get(client_id="a")
    assert report.updated == 1
    assert kept.title == "Lire des contes aux enfants"
    assert (kept.moderation_status, kept.moderation_reason) == (
        Mission.Moderation.REFUSED,
        "Mission hors charte (décision de l'équipe).",
    )
    assert not Mission.objects.public().exists()


def test_a_mission_accepted_by_staff_is_refused_again_when_the_feed_breaks_it(source):
    run(source, mission("a", description=None))
    Mission.objects.filter(client_id="a").update(moderation_status="accepted", moderated_by_staff=True)

    run(source, mission("a", title="Bénévolat", description=None))

    broken = Mission.objects.get(client_id="a")
    assert broken.moderation_status == Mission.Moderation.REFUSED
    assert not broken.moderated_by_staff


def test_every_run_is_recorded_with_its_counts_and_the_client_ids_in_error(source):
    run(source, mission("a"), mission("b"))

    run(source, mission("a"), mission("c", description=None))

    last = ImportRun.objects.filter(source=source).first()
    assert (last.seen, last.created, last.unchanged, last.archived, last.refused) == (2, 0, 1, 1, 1)
    assert last.errors == [
        {
            "client_id": "c",
            "title": "Accompagner des enfants vers la lecture c",
            "refused": True,
            "messages": ["Description manquante."],
        }
    ]
    assert last.finished_at is not None
    assert last.status == ImportRun.Status.SUCCESS


def test_changed_missions_are_announced_once_after_the_run(source, django_capture_on_commit_callbacks):
    changes._batch().clear()  # earlier tests' announcements died with their rolled-back transactions
    heard = []

    def listener(sender, pks, **kwargs):
        if sender is Mission:
            heard.append(pks)

    contents_changed.connect(listener)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            ImporterWithSmallChunks(source).run(io.BytesIO(xml_feed(mission("a"), mission("b"), mission("c"))))
    finally:
        contents_changed.disconnect(listener)

    assert heard == [frozenset(Mission.objects.values_list("pk", flat=True))]


class ImporterWithSmallChunks(EngagementXmlImporter):
    chunk_size = 1


def test_a_dry_run_reports_without_writing(source):
    run(source, mission("a"))

    report = run(source, mission("b"), dry_run=True)

    assert (report.created, report.archived) == (1, 1)
    assert list(Mission.objects.values_list("client_id", "archived_at")) == [("a", None)]
    assert ImportRun.objects.count() == 1


def test_a_client_id_repeated_in_the_feed_keeps_the_first_mission(source):
    report = run(source, mission("a"), mission("a", title="Doublon de la mission"))

    assert report.created == 1
    assert Mission.objects.get(client_id="a").title == "Accompagner des enfants vers la lecture a"
    assert "double" in report.errors[0]["messages"][0]


def test_a_mission_without_client_id_is_reported_and_not_stored(source):
    report = run(source, mission("", title="Mission sans identifiant"))

    assert report.refused == 1
    assert report.errors[0]["messages"] == ["Identifiant (clientId) manquant."]
    assert not Mission.objects.exists()


def test_a_client_id_too_long_to_store_refuses_that_mission_whole_and_the_others_are_imported(source):
    report = run(source, mission("x" * 300), mission("b"))

    assert (report.refused, report.created, report.complete) == (1, 1, True)
    assert report.errors[0]["messages"] == ["Identifiant (clientId) trop long : 300 caractères pour 255 au maximum."]
    assert list(Mission.objects.values_list("client_id", flat=True)) == ["b"]


def _addresses(count: int) -> list[dict]:
    return [{"postalCode": "69002", "city": "Lyon", "lat": "45.764", "lon": "4.8357"}] * count


def test_a_mission_with_more_addresses_than_allowed_is_refused_and_stored_without_them(source):
    report = run(source, mission("a", addresses=_addresses(MISSION_ADDRESSES_MAX + 1)), mission("b"))

    assert (report.refused, report.created) == (1, 1)
    refused = Mission.objects.get(client_id="a")
    assert refused.moderation_status == Mission.Moderation.REFUSED
    assert refused.moderation_reason == f"Trop d'adresses : {MISSION_ADDRESSES_MAX + 1} pour 50 au maximum."
    assert not refused.addresses.exists()
    assert Mission.objects.public().get().client_id == "b"


def test_a_mission_with_as_many_addresses_as_allowed_is_accepted(source):
    run(source, mission("a", addresses=_addresses(MISSION_ADDRESSES_MAX)))

    accepted = Mission.objects.public().get()
    assert accepted.addresses.count() == MISSION_ADDRESSES_MAX


def test_a_mission_with_too_many_tags_is_refused_with_a_french_reason(source):
    tags = ",".join(f"étiquette {i}" for i in range(MISSION_LIST_ITEMS_MAX + 1))

    run(source, mission("a", tags=tags))

    refused = Mission.objects.get(client_id="a")
    assert refused.moderation_reason == "Trop d'éléments dans « étiquettes » : 51 pour 50 au maximum."
    assert refused.tags == []


def test_an_organisation_client_id_too_long_to_store_refuses_the_mission_not_the_run(source):
    report = run(source, mission("a", organizationClientId="o" * 300), mission("b"))

    assert (report.refused, report.created) == (1, 1)
    refused = Mission.objects.get(client_id="a")
    assert refused.moderation_reason.startswith("Identifiant de l'organisation (organizationClientId) trop long : 300")
    assert refused.organization is None
    assert not Organization.objects.filter(client_id__startswith="ooo").exists()


def test_a_run_marks_interrupted_the_run_a_killed_process_left_running(source):
    dead = ImportRun.objects.create(source=source, started_at=timezone.now() - dt.timedelta(hours=1))

    run(source, mission("a"))

    dead.refresh_from_db()
    assert dead.status == ImportRun.Status.INTERRUPTED
    assert dead.get_status_display() == "Interrompu (processus arrêté)"
    assert dead.finished_at is not None
    assert "processus a été arrêté" in dead.message
    assert ImportRun.objects.filter(status=ImportRun.Status.SUCCESS).count() == 1


def test_a_run_whose_lock_is_held_still_shows_as_running(source):
    live = ImportRun.objects.create(source=source)
    with lock_held_by_another_session(source):
        assert mark_interrupted_runs() == 0
        assert run(source, mission("a")).skipped

    live.refresh_from_db()
    assert live.status == ImportRun.Status.RUNNING
    assert mark_interrupted_runs() == 1


def test_addresses_without_coordinates_wait_for_the_geocoder(source):
    run(source, mission("a", addresses=[{"street": "3 place du Capitole", "postalCode": "31000", "city": "Toulouse"}]))

    pending = PendingGeocode.objects.get()
    assert pending.query == "3 place du Capitole 31000 Toulouse"
    assert pending.address.mission.client_id == "a"


def test_a_high_refusal_rate_warns_staff(source):
    report = run(source, *[mission(str(i), description=None) for i in range(4)], mission("ok"))

    assert report.status == ImportRun.Status.WARNING
    assert "Taux de refus élevé : 80 %" in report.warnings[0]
    assert FeedSource.objects.with_warnings().get() == source


def test_an_organisation_changed_in_the_feed_is_updated_not_duplicated(source):
    run(source, mission("a"))

    run(source, mission("a", organizationName="Lire et faire lire — Rhône"))

    assert list(Organization.objects.filter(source=source.slug).values_list("name", flat=True)) == [
        "Lire et faire lire — Rhône"
    ]


def test_the_base_importer_requires_a_parse_hook(source):
    with pytest.raises(NotImplementedError):
        BaseImporter(source).run(io.BytesIO(b""))


class LargeRunImporter(EngagementXmlImporter):
    """Counts a run of two missions as large, so that it refreshes the planner statistics."""

    analyze_after = 2


def _analyze_count(table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute("SELECT analyze_count FROM pg_stat_user_tables WHERE relname = %s", [table])
        return cursor.fetchone()[0]


def test_a_large_run_refreshes_the_planner_statistics_of_the_mission_tables(source):
    before = {table: _analyze_count(table) for table in ("missions_mission", "missions_missionaddress")}

    LargeRunImporter(source).run(io.BytesIO(xml_feed(mission("a"), mission("b"))))

    assert {table: _analyze_count(table) for table in before} == {table: n + 1 for table, n in before.items()}


def test_a_large_run_leaves_the_statistics_of_the_wide_text_columns_to_autovacuum(source):
    with CaptureQueriesContext(connection) as queries:
        LargeRunImporter(source).run(io.BytesIO(xml_feed(mission("a"), mission("b"))))

    (analyze,) = [q["sql"] for q in queries.captured_queries if q["sql"].startswith('ANALYZE "missions_mission"')]
    assert '"moderation_status"' in analyze
    assert '"description_html"' not in analyze


def test_a_small_run_leaves_the_planner_statistics_to_autovacuum(source):
    before = _analyze_count("missions_mission")

    run(source, mission("a"), mission("b"))

    assert _analyze_count("missions_mission") == before
