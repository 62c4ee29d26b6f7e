"""The click redirect: one click counted, the visitor sent to the mission's own application URL, never elsewhere."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from cms.missions.models import Mission
from cms.tracking.models import Event, Kind
from cms.tracking.tokens import read_token
from tests.factories.missions import MissionFactory
from tests.tracking.conftest import BROWSER

pytestmark = pytest.mark.django_db


@pytest.fixture
def mission():
    return MissionFactory(application_url="https://partenaire.example/candidater?offre=42")


def click(client, path: str, **headers):
    return client.get(path, HTTP_USER_AGENT=headers.pop("agent", BROWSER), **headers)


def test_a_click_redirects_to_the_missions_application_url_with_a_token_and_utm_parameters(client, mission):
    response = click(client, f"/r/{mission.pk}/widget?src=campagne-ete")

    assert response.status_code == 302
    target = urlsplit(response["Location"])
    query = parse_qs(target.query)
    assert (target.scheme, target.netloc, target.path) == ("https", "partenaire.example", "/candidater")
    assert query["offre"] == ["42"]
    assert query["utm_source"] == ["tremplin"]
    assert query["utm_medium"] == ["widget"]
    assert query["utm_campaign"] == ["campagne-ete"]
    assert read_token(query["trmp_token"][0]).mission_id == mission.pk


def test_a_click_is_recorded_once_with_its_channel_and_an_anonymous_visitor(client, mission):
    click(client, f"/r/{mission.pk}/site")

    event = Event.objects.get()
    assert (event.kind, event.mission_id, event.channel, event.user_id) == (Kind.CLICK, mission.pk, "site", None)
    assert len(event.visitor) == 32
    assert "127.0.0.1" not in event.visitor


def test_a_second_click_within_five_minutes_is_not_counted_and_keeps_the_first_token(client, mission):
    first = click(client, f"/r/{mission.pk}/site")["Location"]
    second = click(client, f"/r/{mission.pk}/site")["Location"]

    assert Event.objects.count() == 1
    assert parse_qs(urlsplit(first).query)["trmp_token"] == parse_qs(urlsplit(second).query)["trmp_token"]


def test_clicks_from_two_visitors_are_both_counted(client, mission):
    click(client, f"/r/{mission.pk}/site")
    click(client, f"/r/{mission.pk}/site", agent=BROWSER + " Edg/120")

    assert Event.objects.count() == 2


@pytest.mark.parametrize("agent", ["Googlebot/2.1 (+http://www.google.com/bot.html)", "curl/8.5.0", ""])
def test_a_robot_is_redirected_but_not_counted(client, mission, agent):
    response = click(client, f"/r/{mission.pk}/site", agent=agent)

    assert response.status_code == 302
    assert "trmp_token" not in response["Location"]
    assert not Event.objects.exists()


@pytest.mark.parametrize(
    "path",
    [
        "/r/0/site",
        "/r/abc/site",
        "/r/99999999999999999999999999/site",
        "/r/١٢/site",
        "/r/{pk}/inconnu",
        "/r/{pk}/site/../../admin",
        "/r/{pk}/SITE",
    ],
)
def test_a_malformed_link_gets_the_french_not_found_page(client, mission, path):
    response = click(client, path.format(pk=mission.pk))

    assert response.status_code == 404
    assert "Mission introuvable" in response.content.decode()
    assert not Event.objects.exists()


@pytest.mark.parametrize(
    "change",
    [
        {"moderation_status": Mission.Moderation.REFUSED, "moderation_reason": "Hors charte"},
        {"live": False},
    ],
)
def test_a_hidden_mission_gets_the_french_not_found_page(client, change):
    mission = MissionFactory(application_url="https://partenaire.example/", **change)

    response = click(client, f"/r/{mission.pk}/site")

    assert response.status_code == 404
    assert "n'existe pas" in response.content.decode()


@pytest.mark.parametrize(
    "url", ["", "javascript:alert(1)", "//evil.example/x", "ftp://partenaire.example/", "https:///nohost"]
)
def test_a_mission_without_a_usable_application_url_gets_the_not_found_page(client, url):
    mission = MissionFactory()
    Mission.objects.filter(pk=mission.pk).update(application_url=url)

    response = click(client, f"/r/{mission.pk}/site")

    assert response.status_code == 404
    assert not Event.objects.exists()


@pytest.mark.parametrize(
    "query",
    [
        "?next=https://evil.example/",
        "?src=https://evil.example/",
        "?src=%0d%0aLocation:%20https://evil.example/",
        "?utm_source=evil&trmp_token=forged",
    ],
)
def test_the_request_cannot_change_where_the_visitor_goes(client, mission, query):
    response = click(client, f"/r/{mission.pk}/campaign{query}")

    target = urlsplit(response["Location"])
    assert response.status_code == 302
    assert target.netloc == "partenaire.example"
    assert "evil" not in response["Location"]
    assert parse_qs(target.query)["utm_source"] == ["tremplin"]


def test_a_signed_in_person_is_recorded_by_id(client, mission, django_user_model):
    user = django_user_model.objects.create_user("jeune@example.fr", password="x")
    client.force_login(user)

    click(client, f"/r/{mission.pk}/site")

    assert Event.objects.get().user_id == user.pk
