"""``recommendedOffers``: offers a cardholder may use now, in their interests, near them, each with French reasons."""

from __future__ import annotations

from pathlib import Path

import pytest

from cms.cards.activations import activate_offer
from cms.cards.models import CardStatus
from cms.cards.signin import issue_token
from cms.offers.models import OfferPage
from search.base import get_backend
from search.offers import OFFERS
from tests.factories.cards import CardFactory
from tests.factories.offers import OfferPageFactory, OfferStoreFactory, PromoCodeFactory
from tests.factories.taxonomy import OfferCategoryFactory

pytestmark = pytest.mark.django_db

RECOMMENDED = (
    Path(__file__).resolve().parents[2] / "frontend_contract" / "operations" / "cards" / "recommended_offers.graphql"
).read_text(encoding="utf-8")
#: Place Bellecour, Lyon; the factories' stores are there.
LYON = {"latitude": 45.7578, "longitude": 4.8320}


@pytest.fixture
def food(offers_index):
    return OfferCategoryFactory(slug="alimentation", label="Alimentation")


@pytest.fixture
def holder(food):
    person = CardFactory(young_person__latitude=45.7670, young_person__longitude=4.8320).young_person
    return person


def local_offer(title: str, *, category=None, **fields) -> OfferPage:
    """An in-store offer whose only store is in Lyon."""
    offer = OfferPageFactory(title=title, nationwide=False, **fields)
    if category is not None:
        offer.categories.add(category)
        offer.save()
    OfferStoreFactory(offer=offer, **LYON)
    return offer


def index() -> None:
    get_backend().rebuild(OFFERS, OFFERS.records())


@pytest.fixture(autouse=True)
def _database_search(settings):
    settings.SEARCH_BACKEND = "database"


def recommended(gql, person, **variables) -> dict:
    body, _ = gql(RECOMMENDED, variables, token=issue_token(person))
    return body


def titles(body: dict) -> list[str]:
    return [item["offer"]["title"] for item in body["data"]["recommendedOffers"]["items"]]


def test_offers_in_the_holder_s_categories_near_them_come_first_with_french_reasons(gql, holder, food):
    holder.offer_categories.add(food)
    local_offer("Panier de légumes", category=food)
    local_offer("Place de cinéma")
    index()

    body = recommended(gql, holder)

    first = body["data"]["recommendedOffers"]["items"][0]
    assert titles(body) == ["Panier de légumes", "Place de cinéma"]
    assert first["reasons"][:3] == [
        "Près de chez toi : 1 km",
        "Dans ta catégorie : alimentation",
        "Pas encore utilisée",
    ]
    assert body["data"]["recommendedOffers"]["interestsFrom"] == "PROFILE"


def test_without_chosen_interests_the_categories_of_past_activations_count(gql, holder, food):
    used = local_offer("Courses -10 %", category=food)
    local_offer("Épicerie solidaire", category=food)
    local_offer("Salle d'escalade")
    activate_offer(holder, used.pk)
    index()

    body = recommended(gql, holder)

    assert body["data"]["recommendedOffers"]["interestsFrom"] == "ACTIVATIONS"
    assert body["data"]["recommendedOffers"]["interests"] == ["Alimentation"]
    assert "Comme tes offres déjà utilisées : alimentation" in body["data"]["recommendedOffers"]["items"][0]["reasons"]


def test_an_offer_used_once_is_left_out_and_a_reusable_one_says_so(gql, holder):
    once = local_offer("Une fois", usage_rule=OfferPage.UsageRule.ONCE)
    again = local_offer("Sans limite", usage_rule=OfferPage.UsageRule.UNLIMITED)
    activate_offer(holder, once.pk)
    activate_offer(holder, again.pk)
    index()

    items = recommended(gql, holder)["data"]["recommendedOffers"]["items"]

    assert [item["offer"]["title"] for item in items] == ["Sans limite"]
    assert "Utilisable à nouveau" in items[0]["reasons"]


def test_an_offer_within_its_interval_is_left_out(gql, holder):
    weekly = local_offer("Chaque semaine", usage_rule=OfferPage.UsageRule.EVERY_N_DAYS, usage_interval_days=7)
    activate_offer(holder, weekly.pk)
    index()

    assert titles(recommended(gql, holder)) == []


def test_a_code_offer_without_free_codes_is_left_out(gql, holder):
    empty = local_offer("Plus de codes", kind=OfferPage.Kind.CODE)
    stocked = PromoCodeFactory(offer=local_offer("Encore des codes", kind=OfferPage.Kind.CODE)).offer
    index()

    assert titles(recommended(gql, holder)) == [stocked.title]
    assert empty.title not in titles(recommended(gql, holder))


def test_a_store_out_of_reach_is_left_out_but_a_nationwide_offer_is_not(gql, holder):
    far = OfferPageFactory(title="Magasin à Lille", nationwide=False)
    OfferStoreFactory(offer=far, postcode="59000", city="Lille", latitude=50.6292, longitude=3.0573)
    OfferPageFactory(title="Partout en France", nationwide=True)
    index()

    body = recommended(gql, holder)

    assert titles(body) == ["Partout en France"]
    assert "Valable partout en France" in body["data"]["recommendedOffers"]["items"][0]["reasons"]


def test_with_only_a_postcode_stores_of_the_department_are_near(gql, food):
    person = CardFactory(young_person__postcode="69003").young_person
    local_offer("Dans le Rhône")
    far = OfferPageFactory(title="Dans le Nord", nationwide=False)
    OfferStoreFactory(offer=far, postcode="59000", city="Lille", latitude=50.6292, longitude=3.0573)
    index()

    body = recommended(gql, person)

    assert titles(body) == ["Dans le Rhône"]
    assert "Un magasin dans ton département" in body["data"]["recommendedOffers"]["items"][0]["reasons"]


def test_a_suspended_card_gets_the_activation_refusal_in_french(gql, food):
    person = CardFactory(status=CardStatus.SUSPENDED).young_person

    body = recommended(gql, person)

    error = body["errors"][0]
    assert (error["extensions"]["code"], error["extensions"]["reason"]) == ("FORBIDDEN", "CARD_NOT_ACTIVE")
    assert error["message"] == "Votre carte n'est pas active : vous ne pouvez pas utiliser d'offre."


def test_an_anonymous_caller_is_asked_to_sign_in(gql, food):
    body, _ = gql(RECOMMENDED)

    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


def test_too_many_offers_asked_get_a_french_error(gql, holder):
    body = recommended(gql, holder, first=21)

    assert body["errors"][0]["message"] == "Le nombre d'offres doit être compris entre 1 et 20."


#: Sign-in (token, person, card), interests (2), three searches in the database backend (a few statements each),
#: the candidates, the person's activations, free codes, categories and needs, then the offers' page with its fields.
RECOMMENDED_OFFERS_QUERIES = 28


@pytest.mark.parametrize("first", [2, 8])
def test_recommended_offers_take_the_same_queries_whatever_their_number(
    gql, holder, food, django_assert_max_num_queries, first
):
    holder.offer_categories.add(food)
    for n in range(10):
        local_offer(f"Offre {n}", category=food if n % 2 else None)
    index()
    token = issue_token(holder)

    with django_assert_max_num_queries(RECOMMENDED_OFFERS_QUERIES):
        body, _ = gql(RECOMMENDED, {"first": first}, token=token)

    assert len(body["data"]["recommendedOffers"]["items"]) == first
