import io
import json

import pytest

from cms.missions.models import Mission
from importers.csv_feed import iter_csv_missions
from importers.errors import FeedError
from importers.feeds import import_source
from importers.json_feed import iter_json_missions
from importers.models import FeedSource
from tests.factories.importers import FeedSourceFactory

JSON_MISSION = {
    "clientId": "j-1",
    "title": "Collecter des denrées alimentaires",
    "description": "Tenir un point de collecte le samedi.",
    "applicationUrl": "https://www.example.org/j-1",
    "startAt": "2027-02-01T09:00:00.000Z",
    "places": 3,
    "openToMinors": True,
    "tags": ["solidarité", "alimentation"],
    "addresses": [
        {
            "street": "2 rue Sainte-Catherine",
            "postalCode": "33000",
            "city": "Bordeaux",
            "location": {"lat": 44.84, "lon": -0.57},
        }
    ],
}


def test_a_json_array_of_missions_is_streamed():
    entries = list(iter_json_missions(io.BytesIO(json.dumps([JSON_MISSION, JSON_MISSION]).encode())))

    assert [e["clientId"] for e in entries] == ["j-1", "j-1"]


def test_a_json_object_with_a_missions_array_is_read():
    entries = list(iter_json_missions(io.BytesIO(json.dumps({"missions": [JSON_MISSION]}).encode())))

    assert entries[0]["addresses"][0]["location"] == {"lat": 44.84, "lon": -0.57}


def test_truncated_json_is_reported():
    with pytest.raises(FeedError, match="JSON illisible ou tronqué"):
        list(iter_json_missions(io.BytesIO(json.dumps([JSON_MISSION]).encode()[:-20])))


@pytest.mark.django_db
def test_a_json_feed_imports_like_the_xml_one():
    source = FeedSourceFactory(format=FeedSource.Format.JSON)

    report = import_source(source, stream=io.BytesIO(json.dumps([JSON_MISSION]).encode()))

    stored = Mission.objects.get()
    assert report.created == 1
    assert (stored.places, stored.open_to_minors, stored.tags) == (3, True, ["solidarité", "alimentation"])
    assert stored.addresses.get().department_code == "33"


@pytest.mark.django_db
def test_a_json_mission_whose_client_id_is_too_long_is_refused_not_stored_under_a_cut_one():
    source = FeedSourceFactory(format=FeedSource.Format.JSON)
    too_long = {**JSON_MISSION, "clientId": "j" * 256}

    report = import_source(source, stream=io.BytesIO(json.dumps([too_long, JSON_MISSION]).encode()))

    assert (report.refused, report.created) == (1, 1)
    assert "trop long : 256 caractères" in report.errors[0]["messages"][0]
    assert list(Mission.objects.values_list("client_id", flat=True)) == ["j-1"]


@pytest.mark.django_db
def test_an_unchanged_json_feed_is_not_rewritten():
    source = FeedSourceFactory(format=FeedSource.Format.JSON)
    import_source(source, stream=io.BytesIO(json.dumps([JSON_MISSION]).encode()))

    report = import_source(source, stream=io.BytesIO(json.dumps([JSON_MISSION]).encode()))

    assert report.unchanged == 1


CSV_FEED = (
    "clientId;title;description;applicationUrl;startAt;postalCode;city;lonLat;tags;remote\n"
    "c-1;Nettoyer les berges;Ramassage de déchets au bord du Rhône.;https://www.example.org/c-1;"
    "15/04/2027;69007;Lyon;4.84,45.75;environnement, nature;non\n"
)


def test_csv_lines_read_as_missions_with_semicolons_and_a_bom():
    (entry,) = iter_csv_missions(io.BytesIO(b"\xef\xbb\xbf" + CSV_FEED.encode()))

    assert entry["clientId"] == "c-1"
    assert entry["lonLat"] == "4.84,45.75"


def test_invalid_utf8_in_a_csv_feed_is_reported():
    with pytest.raises(FeedError, match="UTF-8"):
        list(iter_csv_missions(io.BytesIO(CSV_FEED.encode("latin-1"))))


@pytest.mark.django_db
def test_a_csv_feed_imports_with_its_flat_address():
    source = FeedSourceFactory(format=FeedSource.Format.CSV)

    import_source(source, stream=io.BytesIO(CSV_FEED.encode()))

    stored = Mission.objects.get()
    assert stored.tags == ["environnement", "nature"]
    address = stored.addresses.get()
    assert (address.city, address.latitude, address.longitude) == ("Lyon", 45.75, 4.84)
