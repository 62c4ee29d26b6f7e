"""JSON Feed and RSS of missions and offers: partner rules, tracked links, ETag/Last-Modified and 304."""

from __future__ import annotations

from defusedxml import ElementTree

from cms.tracking.models import Event
from search.base import get_backend
from search.offers import OFFERS
from tests.factories.offers import OfferPageFactory
from tests.factories.syndication import DiffusionPartnerFactory, reading_key
from tests.tracking.conftest import BROWSER


def test_the_json_feed_lists_missions_with_tracked_links(client, missions):
    partner = DiffusionPartnerFactory()

    response = client.get("/syndication/missions.json", {"partenaire": str(partner.public_id)})

    feed = response.json()
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert sorted(item["url"].rsplit("/r/", 1)[1] for item in feed["items"]) == sorted(
        f"{m.pk}/api?src=p{partner.pk}" for m in missions.values()
    )


def test_the_rss_feed_is_valid_xml_with_one_item_per_mission(client, missions):
    response = client.get("/syndication/missions.rss", {"departmentName": "Rhône"})

    assert response["Content-Type"].startswith("application/rss+xml")
    items = ElementTree.fromstring(response.content).findall("./channel/item")
    assert [item.findtext("title") for item in items] == ["Lire à Lyon"]
    assert items[0].findtext("link").endswith(f"/r/{missions['lyon'].pk}/api")


def test_a_feed_shows_only_what_its_partner_rules_allow(client, missions):
    partner = DiffusionPartnerFactory(departments=["75"])

    feed = client.get("/syndication/missions.json", {"partenaire": str(partner.public_id)}).json()

    assert [item["title"] for item in feed["items"]] == ["Jardiner à Paris"]


def test_a_feed_read_with_a_key_follows_the_key_partner_and_counts_usage(client, missions):
    partner = DiffusionPartnerFactory(departments=["69"])
    key, secret = reading_key(partner)

    feed = client.get("/syndication/missions.json", headers={"x-api-key": secret}).json()

    assert [item["title"] for item in feed["items"]] == ["Lire à Lyon"]
    assert (key.usage.get().requests, key.usage.get().items) == (1, 1)


def test_links_of_a_feed_read_with_a_key_are_counted_under_that_key_even_beside_another_key(client, missions):
    partner = DiffusionPartnerFactory(departments=["69"])
    first, first_secret = reading_key(partner)
    second, second_secret = reading_key(partner)

    [one] = client.get("/syndication/missions.json", headers={"x-api-key": first_secret}).json()["items"]
    [two] = client.get("/syndication/missions.json", headers={"x-api-key": second_secret}).json()["items"]

    assert one["url"].endswith(f"/r/{missions['lyon'].pk}/api?src={first.prefix}")
    assert two["url"].endswith(f"/r/{missions['lyon'].pk}/api?src={second.prefix}")


def test_offer_links_of_a_feed_go_through_the_offer_click_redirect(client, offers_index):
    offer = OfferPageFactory(link_url="https://boutique.example/offre")
    get_backend().rebuild(OFFERS, OFFERS.records())
    key, secret = reading_key(DiffusionPartnerFactory())

    [item] = client.get("/syndication/offers.json", headers={"x-api-key": secret}).json()["items"]
    followed = client.get("/r/" + item["url"].split("/r/", 1)[1], HTTP_USER_AGENT=BROWSER)

    assert item["url"].endswith(f"/r/o/{offer.pk}/api?src={key.prefix}")
    assert followed["Location"].startswith("https://boutique.example/offre?")
    assert Event.objects.get().offer_id == offer.pk


def test_a_feed_carries_etag_last_modified_and_cache_control(client, missions):
    response = client.get("/syndication/missions.json")

    assert response["ETag"].startswith('"')
    assert response["Last-Modified"].endswith("GMT")
    assert "max-age=60" in response["Cache-Control"]
    assert "public" in response["Cache-Control"]


def test_a_matching_etag_gets_304_without_a_body(client, missions):
    etag = client.get("/syndication/missions.json")["ETag"]

    response = client.get("/syndication/missions.json", headers={"If-None-Match": etag})

    assert response.status_code == 304
    assert response.content == b""


def test_a_matching_last_modified_gets_304(client, missions):
    modified = client.get("/syndication/missions.rss")["Last-Modified"]

    assert client.get("/syndication/missions.rss", headers={"If-Modified-Since": modified}).status_code == 304


def test_an_unknown_key_on_a_feed_is_refused_with_401(client, db):
    assert client.get("/syndication/missions.json", headers={"x-api-key": "trmp_nimporte-quoi"}).status_code == 401


def test_a_malformed_partner_id_gets_a_french_400(client, db):
    response = client.get("/syndication/missions.json", {"partenaire": "pas-un-uuid"})

    assert response.status_code == 400
    assert "identifiant de partenaire" in response.json()["message"]


def test_the_offer_feed_answers_in_both_formats(client, db):
    assert client.get("/syndication/offers.json").json()["items"] == []
    assert client.get("/syndication/offers.rss").status_code == 200
