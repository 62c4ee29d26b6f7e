"""Applications: partners confirm them server-to-server with their key, or the thank-you tag reports them."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from cms.partners_api.models import ApiKey, Scope
from cms.tracking.models import Application, ApplicationStatus, Event, Kind
from tests.factories.missions import MissionFactory
from tests.tracking.conftest import BROWSER

PARTNER_OPERATIONS = Path(__file__).resolve().parents[2] / "frontend_contract" / "operations" / "partners"
REPORT = (PARTNER_OPERATIONS / "report_application.graphql").read_text(encoding="utf-8")

pytestmark = pytest.mark.django_db


@pytest.fixture
def mission():
    return MissionFactory(source="partenaire-a", application_url="https://partenaire.example/candidater")


@pytest.fixture
def token(client, mission) -> str:
    response = client.get(f"/r/{mission.pk}/api?src=trmp_abcdefgh", HTTP_USER_AGENT=BROWSER)
    return parse_qs(urlsplit(response["Location"]).query)["trmp_token"][0]


def report(client, token: str, status: str, secret: str | None):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {secret}"} if secret else {}
    response = client.post(
        "/graphql/",
        {"query": REPORT, "variables": {"token": token, "status": status}},
        content_type="application/json",
        **headers,
    )
    return response.json()


def key_for(source: str, scopes: tuple[str, ...] = (Scope.REPORT_APPLICATIONS,)) -> str:
    return ApiKey.create_key(name="Partenaire", source=source, scopes=list(scopes))[1]


def test_a_partner_reports_an_application_for_a_token(client, mission, token):
    body = report(client, token, "PENDING", key_for("partenaire-a"))

    assert body["data"]["reportApplication"] == {"missionId": mission.pk, "status": "PENDING", "created": True}
    application = Application.objects.get()
    assert (application.channel, application.source) == ("api", "trmp_abcdefgh")
    assert Event.objects.filter(kind=Kind.APPLICATION, mission_id=mission.pk).count() == 1


def test_a_later_status_updates_the_application_and_appends_a_status_event(client, token):
    secret = key_for("partenaire-a")
    report(client, token, "PENDING", secret)

    body = report(client, token, "CARRIED_OUT", secret)

    assert body["data"]["reportApplication"]["created"] is False
    assert Application.objects.get().status == ApplicationStatus.CARRIED_OUT
    assert list(Event.objects.exclude(kind=Kind.CLICK).order_by("kind").values_list("kind", "status")) == [
        ("application", "pending"),
        ("application_status", "carried_out"),
    ]


def test_reporting_needs_an_api_key(client, token):
    body = report(client, token, "VALIDATED", None)

    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert not Application.objects.exists()


def test_a_key_without_the_report_applications_scope_is_refused(client, mission, token):
    body = report(client, token, "VALIDATED", key_for(mission.source, scopes=(Scope.PUSH_MISSIONS,)))

    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert "déclarer des candidatures" in body["errors"][0]["message"]
    assert not Application.objects.exists()


def test_a_partner_cannot_report_an_application_to_another_partners_mission(client, token):
    body = report(client, token, "VALIDATED", key_for("partenaire-b"))

    assert "n'est pas publiée avec votre clé" in body["errors"][0]["message"]
    assert not Application.objects.exists()


def test_a_forged_token_is_refused_in_french(client, mission):
    body = report(client, f"0123456789abcdef~{mission.pk}~site~~1700000000.forged", "VALIDATED", key_for("x"))

    assert body["errors"][0]["message"].startswith("Jeton de suivi invalide")
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


def test_the_tag_is_javascript_that_reports_to_our_endpoint(client):
    response = client.get("/r/tag.js")

    assert response["Content-Type"].startswith("application/javascript")
    assert "/r/candidature/" in response.content.decode()
    assert "trmp_token" in response.content.decode()


def test_the_tags_beacon_reports_a_pending_application(client, mission, token):
    response = client.post("/r/candidature/", token, content_type="text/plain")

    assert response.status_code == 204
    assert Application.objects.get().status == ApplicationStatus.PENDING


def test_the_tag_never_changes_a_status_the_partner_set(client, token):
    report(client, token, "VALIDATED", key_for("partenaire-a"))

    client.get("/r/candidature/", {"t": token})

    assert Application.objects.get().status == ApplicationStatus.VALIDATED
    assert Event.objects.filter(kind__startswith="application").count() == 1


def test_the_tag_answers_a_bad_token_in_french(client):
    response = client.post("/r/candidature/", "n'importe quoi", content_type="text/plain")

    assert response.status_code == 400
    assert "Jeton de suivi invalide" in response.content.decode()
