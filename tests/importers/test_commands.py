import io
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from cms.core.localdb import database_url
from cms.missions.models import Mission
from cms.offers.models import OfferPage, PromoCode
from importers.locking import LOCK_NAMESPACE
from importers.models import ImportRun
from tests.factories.importers import FeedSourceFactory
from tests.factories.offers import OfferPageFactory, PartnerPageFactory

from .feeds import FIXTURES, mission, xml_feed

ROOT = Path(__file__).resolve().parents[2]


def test_import_feeds_reads_a_local_file_and_prints_a_summary_table(db):
    FeedSourceFactory(name="Réseau lecture")
    out = io.StringIO()

    call_command("import_feeds", "--source", "Réseau lecture", "--file", str(FIXTURES / "correct-feed.xml"), stdout=out)

    assert Mission.objects.count() == 1
    lines = out.getvalue().splitlines()
    assert lines[0].split(" | ")[:4] == ["flux          ", "statut ", "lues", "créées"]
    assert "Réseau lecture" in lines[2]


def test_import_feeds_dry_run_writes_nothing(db):
    FeedSourceFactory(name="Réseau lecture")

    call_command(
        "import_feeds",
        "--source",
        "Réseau lecture",
        "--file",
        str(FIXTURES / "correct-feed.xml"),
        "--dry-run",
        stdout=io.StringIO(),
    )

    assert not Mission.objects.exists()


def test_import_feeds_runs_only_the_sources_that_are_due(db, http_server):
    http_server.routes["/flux.xml"] = (200, {}, xml_feed(mission("a")))
    due = FeedSourceFactory(url=http_server.url("/flux.xml"))
    FeedSourceFactory(url=http_server.url("/autre.xml"), active=False)

    call_command("import_feeds", "--no-geocode", stdout=io.StringIO())
    call_command("import_feeds", "--no-geocode", stdout=io.StringIO())

    assert due.runs.count() == 1
    assert len(http_server.requests) == 1


def _wait_for(condition, what: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"toujours pas : {what}"
        time.sleep(0.1)


def _lock_held(source) -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND classid = %s::oid AND objid = %s::oid "
            "AND objsubid = 2 AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
            [LOCK_NAMESPACE, source.pk],
        )
        return cursor.fetchone()[0] > 0


@pytest.mark.slow
def test_an_import_killed_by_the_system_is_marked_interrupted_when_the_next_one_starts(committed_db, http_server):
    release = threading.Event()

    def feed_that_hangs(path, headers):
        release.wait(60)
        return 200, {}, xml_feed(mission("a"))

    http_server.routes["/flux.xml"] = (200, {}, feed_that_hangs)
    source = FeedSourceFactory(url=http_server.url("/flux.xml"))
    db = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": database_url(db),
        "DJANGO_SETTINGS_MODULE": "cms.settings.test",
    }
    child = subprocess.Popen(  # noqa: S603 - our own interpreter and manage.py, with arguments we built
        [sys.executable, "manage.py", "import_feeds", "--source", source.slug, "--no-geocode"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_for(lambda: http_server.requests, "l'import n'a pas demandé le flux")
        assert source.runs.get().status == ImportRun.Status.RUNNING
        child.send_signal(signal.SIGKILL)
        child.wait(30)
    finally:
        release.set()
        if child.poll() is None:
            child.kill()
    _wait_for(lambda: not _lock_held(source), "le verrou de l'import tué n'est pas libéré", timeout=30)
    assert source.runs.get().status == ImportRun.Status.RUNNING

    http_server.routes["/flux.xml"] = (200, {}, xml_feed(mission("a")))
    call_command("import_feeds", "--source", source.slug, "--no-geocode", stdout=io.StringIO())

    assert list(source.runs.order_by("started_at").values_list("status", flat=True)) == ["interrupted", "success"]


def test_import_feeds_fails_loudly_when_a_feed_fails(db):
    FeedSourceFactory(name="Flux cassé")

    with pytest.raises(CommandError, match="a échoué"):
        call_command(
            "import_feeds", "--source", "Flux cassé", "--file", str(FIXTURES / "xxe.xml"), stdout=io.StringIO()
        )


def test_import_feeds_needs_a_source_for_a_file(db):
    with pytest.raises(CommandError, match="--file demande --source"):
        call_command("import_feeds", "--file", str(FIXTURES / "correct-feed.xml"))


def test_import_offers_csv_creates_the_partner_offers(db, tmp_path):
    partner = PartnerPageFactory(slug="velos-du-rhone")
    path = tmp_path / "offres.csv"
    path.write_text("title;discount_value\n-15 % sur les vélos;15\n", encoding="utf-8")
    out = io.StringIO()

    call_command("import_offers_csv", "velos-du-rhone", str(path), stdout=out)

    assert OfferPage.objects.child_of(partner).count() == 1
    assert "1 offre(s)" in out.getvalue()


def test_import_promo_codes_adds_the_codes(db, tmp_path):
    offer = OfferPageFactory(kind=OfferPage.Kind.CODE)
    path = tmp_path / "codes.csv"
    path.write_text("CJE-1\nCJE-2\n", encoding="utf-8")

    call_command("import_promo_codes", str(offer.pk), str(path), stdout=io.StringIO())

    assert PromoCode.objects.filter(offer=offer).count() == 2
