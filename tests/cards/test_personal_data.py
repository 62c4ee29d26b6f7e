"""Who sees what of people: each person only themselves, referents only those they follow, partners only counts."""

from decimal import Decimal

import pytest

from cms.cards.activations import activate_offer, mark_used
from cms.cards.models import AccessToken, Activation, Card, CardEvent, YoungPerson
from cms.cards.savings import savings_of
from cms.cards.signin import issue_token
from cms.offers.onboarding import onboard_partner
from tests.factories.cards import CardFactory
from tests.factories.offers import OfferPageFactory, PromoCodeFactory

pytestmark = pytest.mark.django_db

ME = "query { me { profile { lastName } activations { value } } }"


def test_a_young_person_sees_only_their_own_activations(gql):
    mine, theirs = CardFactory().young_person, CardFactory().young_person
    offer = PromoCodeFactory(code="A").offer
    PromoCodeFactory(offer=offer, code="B")
    activate_offer(mine, offer.pk)
    activate_offer(theirs, offer.pk)

    body, _ = gql(ME, token=issue_token(mine))

    assert body["data"]["me"] == {"profile": {"lastName": mine.last_name}, "activations": [{"value": "A"}]}


def test_without_a_token_nobody_sees_any_personal_data(gql):
    CardFactory()

    body, _ = gql(ME)

    assert body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


def test_a_partner_sees_how_often_its_offers_are_used_but_never_by_whom(client, offers_index):
    onboarding = onboard_partner("Cinéma Lumière", user_emails=["caisse@cinema.example.fr"])
    offer = OfferPageFactory(parent=onboarding.page, title="Place à 5 €")
    person = CardFactory(young_person__last_name="Confidentiel", young_person__email="secret@example.fr").young_person
    activate_offer(person, offer.pk)
    client.force_login(onboarding.users[0])

    usage = client.get("/admin/cards/offer-usage/")
    activations = client.get("/admin/cards/activations/")

    page = usage.content.decode()
    assert "Place à 5 €" in page
    assert "<td>1</td>" in page
    assert "Confidentiel" not in page
    assert "secret@example.fr" not in page
    assert activations.status_code in (302, 403)


def test_exporting_my_data_returns_everything_held_about_me(gql):
    card = CardFactory(young_person__email="lea@example.fr")
    activate_offer(card.young_person, OfferPageFactory(title="Cinéma").pk)

    body, _ = gql("mutation { exportMyData }", token=issue_token(card.young_person))

    data = body["data"]["exportMyData"]
    assert data["profile"]["email"] == "lea@example.fr"
    assert data["card"]["number"] == card.number
    assert [event["action"] for event in data["card"]["history"]] == ["invited", "activated"]
    assert [activation["offer"] for activation in data["activations"]] == ["Cinéma"]


def test_deleting_my_account_erases_me_and_keeps_anonymous_savings(gql):
    card = CardFactory(young_person__email="lea@example.fr")
    person = card.young_person
    token = issue_token(person)
    activation = activate_offer(person, OfferPageFactory(estimated_saving=Decimal("4")).pk)
    mark_used(person, activation.pk, Decimal("6"))

    body, _ = gql("mutation { deleteMyAccount }", token=token)
    after, _ = gql(ME, token=token)

    assert body["data"]["deleteMyAccount"] is True
    assert not YoungPerson.objects.filter(email="lea@example.fr").exists()
    assert not Card.objects.filter(pk=card.pk).exists()
    assert not CardEvent.objects.filter(card_id=card.pk).exists()
    assert not AccessToken.objects.exists()
    kept = Activation.objects.get()
    assert kept.young_person_id is None
    assert savings_of(Activation.objects.all()).total == Decimal("6.00")
    assert after["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


def test_an_offers_usage_screens_never_list_who_activated_it():
    from wagtail.models import ReferenceIndex

    offer = OfferPageFactory()
    activate_offer(CardFactory().young_person, offer.pk)

    assert not ReferenceIndex.get_references_to(offer).exists()
