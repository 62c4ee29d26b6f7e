"""Reading engagement XML feeds as they are in the wild, and refusing hostile ones."""

import io

import pytest

from cms.missions.models import Mission
from importers.engagement_xml import iter_missions
from importers.errors import FeedError
from importers.feeds import import_source
from tests.factories.importers import FeedSourceFactory

from .feeds import FIXTURES


def test_the_sample_feed_reads_as_one_mission_with_two_addresses():
    (entry,) = iter_missions((FIXTURES / "correct-feed.xml").open("rb"))

    assert entry["clientId"] == "32132143"
    assert [a["city"] for a in entry["addresses"]["address"]] == ["Paris", "Orléans"]
    assert entry["addresses"]["address"][0]["location"] == {"lat": "48.8541", "lon": "2.3643"}


def test_an_xxe_feed_is_refused_with_a_clear_error():
    with pytest.raises(FeedError, match="DTD"):
        list(iter_missions((FIXTURES / "xxe.xml").open("rb")))


def test_a_billion_laughs_feed_is_refused_with_a_clear_error():
    with pytest.raises(FeedError, match="^Flux refusé"):
        list(iter_missions((FIXTURES / "billion_laughs.xml").open("rb")))


def test_invalid_utf8_is_reported_as_such():
    with pytest.raises(FeedError, match="UTF-8"):
        list(iter_missions((FIXTURES / "invalid_utf8.xml").open("rb")))


def test_a_truncated_feed_is_reported_after_the_missions_it_could_read():
    entries = iter_missions((FIXTURES / "truncated.xml").open("rb"))

    assert next(entries)["clientId"] == "tronc-1"
    with pytest.raises(FeedError, match="tronqué"):
        next(entries)


def test_unescaped_html_in_a_description_is_kept_as_markup():
    entries = list(iter_missions((FIXTURES / "hostile_html.xml").open("rb")))

    assert entries[1]["description"] == (
        "<p>Atelier <em>participatif</em> chaque samedi.</p><ul><li>Outils fournis</li></ul>"
    )


@pytest.mark.django_db
def test_hostile_html_never_reaches_the_stored_description():
    import_source(FeedSourceFactory(), stream=(FIXTURES / "hostile_html.xml").open("rb"))

    stored = Mission.objects.get(client_id="html-1").description_html
    assert "<script" not in stored
    assert "onclick" not in stored
    assert "onerror" not in stored
    assert "javascript:" not in stored
    assert '<a href="https://www.example.org/info" rel="noopener noreferrer nofollow">en savoir plus</a>' in stored


@pytest.mark.django_db
def test_legacy_flat_address_fields_and_lonlat_are_read():
    import_source(FeedSourceFactory(), stream=(FIXTURES / "legacy_flat_address.xml").open("rb"))

    address = Mission.objects.get(client_id="legacy-1").addresses.get()
    assert (address.street, address.postcode, address.city) == ("3 place du Capitole", "31000", "Toulouse")
    assert (address.latitude, address.longitude) == (43.6045, 1.4437)
    assert (address.department_code, address.region) == ("31", "Occitanie")


@pytest.mark.django_db
def test_swapped_coordinates_of_a_french_address_are_put_back():
    import_source(FeedSourceFactory(), stream=(FIXTURES / "legacy_flat_address.xml").open("rb"))

    address = Mission.objects.get(client_id="legacy-2").addresses.get()
    assert (address.latitude, address.longitude) == (45.7597, 4.8467)


@pytest.mark.django_db
def test_an_unknown_domain_is_filed_under_autre_with_a_warning():
    report = import_source(FeedSourceFactory(), stream=(FIXTURES / "legacy_flat_address.xml").open("rb"))

    assert Mission.objects.get(client_id="legacy-2").domain.slug == "autre"
    assert Mission.objects.get(client_id="legacy-1").domain.slug == "solidarite-insertion"
    (entry,) = report.errors
    assert entry["client_id"] == "legacy-2"
    assert entry["refused"] is False
    assert entry["messages"] == ["Domaine inconnu « cuisine moléculaire » : mission classée dans « autre »."]


@pytest.mark.django_db
def test_french_flags_and_remote_values_are_read():
    import_source(FeedSourceFactory(), stream=(FIXTURES / "legacy_flat_address.xml").open("rb"))

    first, second = Mission.objects.order_by("client_id")
    assert (first.remote, first.open_to_minors) == ("no", True)
    assert second.remote == "possible"


@pytest.mark.django_db
def test_a_negative_compensation_in_the_sample_is_refused_in_french():
    import_source(FeedSourceFactory(), stream=(FIXTURES / "invalid-compensation-feed.xml").open("rb"))

    refused = Mission.objects.get()
    assert refused.moderation_status == "refused"
    assert refused.moderation_reason == "Le montant d'indemnisation ne peut pas être négatif."


@pytest.mark.django_db
def test_an_unsafe_feed_is_recorded_as_a_failed_run_and_archives_nothing():
    source = FeedSourceFactory()
    import_source(source, stream=(FIXTURES / "correct-feed.xml").open("rb"))

    report = import_source(source, stream=(FIXTURES / "xxe.xml").open("rb"))

    assert report.status == "failed"
    assert "DTD" in report.fatal
    assert Mission.objects.get().archived_at is None


def test_an_empty_mission_element_still_counts_as_an_entry():
    assert list(iter_missions(io.BytesIO(b"<source><mission/></source>"))) == [{}]
