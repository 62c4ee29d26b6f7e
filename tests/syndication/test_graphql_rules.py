"""GraphQL read with a partner key: the same queries as the front-ends, never beyond the partner's rules."""

from __future__ import annotations

import pytest

from cms.missions.models import Mission
from tests.factories.offers import OfferPageFactory
from tests.factories.syndication import DiffusionPartnerFactory, reading_key

LIST = "{ missions(first: 10) { totalCount edges { node { title } } } }"
SEARCH = "{ searchMissions { totalCount hits { mission { title } } } }"


@pytest.fixture
def lyon_secret(db) -> str:
    return reading_key(DiffusionPartnerFactory(departments=["69"]))[1]


def ask(client, query, secret=None):
    headers = {"X-Api-Key": secret} if secret else {}
    return client.get("/graphql/", {"query": query}, headers=headers).json()


def test_the_mission_list_with_a_partner_key_keeps_to_its_rules(client, missions, lyon_secret):
    data = ask(client, LIST, lyon_secret)["data"]["missions"]

    assert [e["node"]["title"] for e in data["edges"]] == ["Lire à Lyon"]
    assert data["totalCount"] == 1


def test_the_same_list_without_a_key_shows_every_public_mission(client, missions):
    assert ask(client, LIST)["data"]["missions"]["totalCount"] == 2


def test_the_search_total_with_a_partner_key_counts_only_what_it_may_show(client, missions, lyon_secret):
    data = ask(client, SEARCH, lyon_secret)["data"]["searchMissions"]

    assert [hit["mission"]["title"] for hit in data["hits"]] == ["Lire à Lyon"]
    assert data["totalCount"] == 1


def test_one_mission_outside_the_rules_is_not_found(client, missions, lyon_secret):
    query = f'{{ mission(id: "{missions["paris"].pk}") {{ title }} }}'

    [error] = ask(client, query, lyon_secret)["errors"]

    assert error["extensions"]["code"] == "NOT_FOUND"


def test_an_answer_to_a_partner_key_is_never_publicly_cacheable(client, missions, lyon_secret):
    response = client.get("/graphql/", {"query": LIST}, headers={"X-Api-Key": lyon_secret})

    assert "private" in response["Cache-Control"]
    assert "public" not in response["Cache-Control"]
    assert "X-Api-Key" in response["Vary"]


def test_with_a_key_the_link_to_apply_goes_through_the_click_redirect_counted_under_the_key(client, missions):
    Mission.objects.update(application_url="https://association.example/candidater")
    key, secret = reading_key(DiffusionPartnerFactory(departments=["69"]))
    query = f'{{ mission(id: "{missions["lyon"].pk}") {{ applicationUrl }} }}'

    with_key = ask(client, query, secret)["data"]["mission"]["applicationUrl"]
    without = ask(client, query)["data"]["mission"]["applicationUrl"]

    assert with_key.endswith(f"/r/{missions['lyon'].pk}/api?src={key.prefix}")
    assert without == "https://association.example/candidater"


def test_with_a_key_an_offer_link_goes_through_the_offer_click_redirect(client, offers_index):
    offer = OfferPageFactory(link_url="https://boutique.example/offre")
    key, secret = reading_key(DiffusionPartnerFactory())
    query = f'{{ offer(id: "{offer.pk}") {{ linkUrl }} }}'

    assert ask(client, query, secret)["data"]["offer"]["linkUrl"].endswith(f"/r/o/{offer.pk}/api?src={key.prefix}")
    assert ask(client, query)["data"]["offer"]["linkUrl"] == "https://boutique.example/offre"
