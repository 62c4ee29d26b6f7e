import io
import json

import pytest
from django.core.management import call_command
from django.utils import timezone

from cms.missions.models import MissionAddress
from cms.settings.base import tasks_for
from importers.feeds import import_source
from importers.geocoding import AddressApiGeocoder, geocode_pending
from importers.models import PendingGeocode
from tests.factories.importers import FeedSourceFactory

from .feeds import mission, xml_feed

pytestmark = pytest.mark.django_db

TOULOUSE = {
    "type": "FeatureCollection",
    "features": [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [1.4437, 43.6045]},
            "properties": {"score": 0.93, "postcode": "31000", "city": "Toulouse"},
        }
    ],
}


@pytest.fixture
def without_coordinates():
    feed = xml_feed(mission("a", addresses=[{"street": "3 place du Capitole", "city": "Toulouse"}]))
    import_source(FeedSourceFactory(), stream=io.BytesIO(feed))


def test_missing_coordinates_are_found_by_the_address_api(http_server, without_coordinates):
    http_server.routes["/search/"] = (200, {"Content-Type": "application/json"}, json.dumps(TOULOUSE).encode())

    stats = geocode_pending(AddressApiGeocoder(http_server.url("/search/")))

    address = MissionAddress.objects.get()
    assert stats.found == 1
    assert (address.latitude, address.longitude) == (43.6045, 1.4437)
    assert (address.postcode, address.department_code, address.region) == ("31000", "31", "Occitanie")
    assert not PendingGeocode.objects.exists()
    assert "q=3+place+du+Capitole+Toulouse" in http_server.requests[0][0]


def test_a_geocoder_failure_is_recorded_and_retried_later(http_server, without_coordinates):
    http_server.routes["/search/"] = (503, {}, b"indisponible")

    stats = geocode_pending(AddressApiGeocoder(http_server.url("/search/")))

    pending = PendingGeocode.objects.get()
    assert stats.failed == 1
    assert pending.attempts == 1
    assert pending.last_error == "Le géocodeur a répondu 503."
    assert pending.next_attempt_at > timezone.now()
    assert geocode_pending(AddressApiGeocoder(http_server.url("/search/"))).failed == 0


def test_an_address_the_geocoder_cannot_find_is_recorded(http_server, without_coordinates):
    http_server.routes["/search/"] = (200, {}, json.dumps({"features": []}).encode())

    geocode_pending(AddressApiGeocoder(http_server.url("/search/")))

    assert PendingGeocode.objects.get().last_error == "Adresse introuvable."
    assert MissionAddress.objects.get().latitude is None


def test_a_retry_that_succeeds_clears_the_failure(http_server, without_coordinates):
    http_server.routes["/search/"] = (503, {}, b"")
    geocode_pending(AddressApiGeocoder(http_server.url("/search/")))
    PendingGeocode.objects.update(next_attempt_at=timezone.now())
    http_server.routes["/search/"] = (200, {}, json.dumps(TOULOUSE).encode())

    stats = geocode_pending(AddressApiGeocoder(http_server.url("/search/")))

    assert stats.found == 1
    assert not PendingGeocode.objects.exists()


def test_import_feeds_leaves_geocoding_to_the_task_worker(http_server, without_coordinates, settings, task_worker):
    # Both through pytest-django's ``settings``: an ``@override_settings`` around a test that also changes ``settings``
    # is restored first, and the fixture's own restore then puts the decorator's values back for the rest of the run.
    settings.TASKS = tasks_for("database")
    http_server.routes["/search/"] = (200, {"Content-Type": "application/json"}, json.dumps(TOULOUSE).encode())
    settings.GEOCODER_URL = http_server.url("/search/")
    out = io.StringIO()

    call_command("import_feeds", stdout=out)
    assert "Géocodage des adresses en attente confié au worker des tâches." in out.getvalue()
    assert MissionAddress.objects.get().latitude is None
    task_worker()

    assert (MissionAddress.objects.get().latitude, MissionAddress.objects.get().longitude) == (43.6045, 1.4437)
