"""The click redirect of offers: a partner's feed or widget sends the visitor to the offer, counting the click."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from cms.tracking.models import Event, Kind
from tests.factories.offers import OfferPageFactory
from tests.tracking.conftest import BROWSER

pytestmark = pytest.mark.django_db


@pytest.fixture
def offer():
    return OfferPageFactory(link_url="https://boutique.example/reduction?code=cje")


def click(client, path: str, agent: str = BROWSER):
    return client.get(path, HTTP_USER_AGENT=agent)


def test_an_offer_click_redirects_to_its_own_link_with_utm_parameters_and_no_token(client, offer):
    response = click(client, f"/r/o/{offer.pk}/widget?src=p7")

    target = urlsplit(response["Location"])
    query = parse_qs(target.query)
    assert response.status_code == 302
    assert (target.netloc, target.path, query["code"]) == ("boutique.example", "/reduction", ["cje"])
    assert (query["utm_medium"], query["utm_campaign"]) == (["widget"], ["p7"])
    assert "trmp_token" not in query


def test_an_offer_click_is_recorded_with_the_offer_channel_and_source(client, offer):
    click(client, f"/r/o/{offer.pk}/api?src=trmp_abcdefgh")

    event = Event.objects.get()
    assert (event.kind, event.offer_id, event.mission_id) == (Kind.CLICK, offer.pk, None)
    assert (event.channel, event.source) == ("api", "trmp_abcdefgh")


def test_a_second_offer_click_within_the_window_is_not_counted(client, offer):
    click(client, f"/r/o/{offer.pk}/widget")
    click(client, f"/r/o/{offer.pk}/widget")

    assert Event.objects.count() == 1


def test_a_robot_is_sent_to_the_offer_but_not_counted(client, offer):
    response = click(client, f"/r/o/{offer.pk}/widget", agent="Googlebot/2.1 (+http://www.google.com/bot.html)")

    assert response.status_code == 302
    assert not Event.objects.exists()


def test_an_offer_without_a_link_sends_to_its_page(client, settings):
    offer = OfferPageFactory(link_url="")

    response = click(client, f"/r/o/{offer.pk}/widget")

    assert response.status_code == 302
    assert urlsplit(response["Location"]).path == urlsplit(offer.get_full_url()).path


@pytest.mark.parametrize("path", ["/r/o/999999/widget", "/r/o/{pk}/inconnu", "/r/o/abc/widget"])
def test_an_unknown_offer_or_channel_gets_the_french_404(client, offer, path):
    response = click(client, path.format(pk=offer.pk))

    assert response.status_code == 404
    assert not Event.objects.exists()


def test_an_unpublished_offer_is_not_a_target(client, offer):
    offer.unpublish()

    assert click(client, f"/r/o/{offer.pk}/widget").status_code == 404
