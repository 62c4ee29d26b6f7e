import io

import pytest
from django.core.management import CommandError, call_command

from cms.missions.models import Mission
from cms.offers.models import OfferPage, PromoCode
from tests.factories.importers import FeedSourceFactory
from tests.factories.offers import OfferPageFactory, PartnerPageFactory

from .feeds import FIXTURES, mission, xml_feed

pytestmark = pytest.mark.django_db


def test_import_feeds_reads_a_local_file_and_prints_a_summary_table():
    FeedSourceFactory(name="Réseau lecture")
    out = io.StringIO()

    call_command("import_feeds", "--source", "Réseau lecture", "--file", str(FIXTURES / "correct-feed.xml"), stdout=out)

    assert Mission.objects.count() == 1
    lines = out.getvalue().splitlines()
    assert lines[0].split(" | ")[:4] == ["flux          ", "statut ", "lues", "créées"]
    assert "Réseau lecture" in lines[2]


def test_import_feeds_dry_run_writes_nothing():
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


def test_import_feeds_runs_only_the_sources_that_are_due(http_server):
    http_server.routes["/flux.xml"] = (200, {}, xml_feed(mission("a")))
    due = FeedSourceFactory(url=http_server.url("/flux.xml"))
    FeedSourceFactory(url=http_server.url("/autre.xml"), active=False)

    call_command("import_feeds", "--no-geocode", stdout=io.StringIO())
    call_command("import_feeds", "--no-geocode", stdout=io.StringIO())

    assert due.runs.count() == 1
    assert len(http_server.requests) == 1


def test_import_feeds_fails_loudly_when_a_feed_fails():
    FeedSourceFactory(name="Flux cassé")

    with pytest.raises(CommandError, match="a échoué"):
        call_command(
            "import_feeds", "--source", "Flux cassé", "--file", str(FIXTURES / "xxe.xml"), stdout=io.StringIO()
        )


def test_import_feeds_needs_a_source_for_a_file():
    with pytest.raises(CommandError, match="--file demande --source"):
        call_command("import_feeds", "--file", str(FIXTURES / "correct-feed.xml"))


def test_import_offers_csv_creates_the_partner_offers(tmp_path):
    partner = PartnerPageFactory(slug="velos-du-rhone")
    path = tmp_path / "offres.csv"
    path.write_text("title;discount_value\n-15 % sur les vélos;15\n", encoding="utf-8")
    out = io.StringIO()

    call_command("import_offers_csv", "velos-du-rhone", str(path), stdout=out)

    assert OfferPage.objects.child_of(partner).count() == 1
    assert "1 offre(s)" in out.getvalue()


def test_import_promo_codes_adds_the_codes(tmp_path):
    offer = OfferPageFactory(kind=OfferPage.Kind.CODE)
    path = tmp_path / "codes.csv"
    path.write_text("CJE-1\nCJE-2\n", encoding="utf-8")

    call_command("import_promo_codes", str(offer.pk), str(path), stdout=io.StringIO())

    assert PromoCode.objects.filter(offer=offer).count() == 2
