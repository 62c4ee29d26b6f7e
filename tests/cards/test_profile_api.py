import pytest

from cms.cards.models import CardStatus
from cms.cards.signin import issue_token
from tests.factories.cards import CardFactory
from tests.factories.taxonomy import OfferCategoryFactory

pytestmark = pytest.mark.django_db

UPDATE = """
mutation ($input: ProfileInput!) {
  updateProfile(input: $input) { postcode offerCategories complete termsAcceptedAt digestConsentAt }
}"""
ME = "query { me { card { status qrPayload history { action status } } } }"


def test_completing_the_profile_activates_an_invited_card(gql):
    card = CardFactory(status=CardStatus.INVITED, young_person__terms_accepted_at=None, young_person__postcode="")
    OfferCategoryFactory(slug="culture")

    body, _ = gql(
        UPDATE,
        {"input": {"postcode": "75011", "offerCategories": ["culture"], "acceptTerms": True}},
        token=issue_token(card.young_person),
    )

    profile = body["data"]["updateProfile"]
    assert (profile["postcode"], profile["offerCategories"], profile["complete"]) == ("75011", ["culture"], True)
    card.refresh_from_db()
    assert card.status == CardStatus.ACTIVE


def test_a_malformed_postcode_is_refused_in_french(gql):
    card = CardFactory()

    body, _ = gql(UPDATE, {"input": {"postcode": "7501"}}, token=issue_token(card.young_person))

    assert body["errors"][0]["message"] == "Code postal invalide (5 chiffres)."


def test_an_unknown_interest_is_refused_in_french(gql):
    card = CardFactory()

    body, _ = gql(UPDATE, {"input": {"needs": ["licornes"]}}, token=issue_token(card.young_person))

    assert body["errors"][0]["message"] == "Valeur(s) inconnue(s) : licornes."


def test_the_weekly_digest_is_opt_in_and_can_be_withdrawn(gql):
    token = issue_token(CardFactory().young_person)

    opted_in, _ = gql(UPDATE, {"input": {"weeklyDigest": True}}, token=token)
    withdrawn, _ = gql(UPDATE, {"input": {"weeklyDigest": False}}, token=token)

    assert opted_in["data"]["updateProfile"]["digestConsentAt"] is not None
    assert withdrawn["data"]["updateProfile"]["digestConsentAt"] is None


def test_an_active_card_shows_its_qr_payload_and_its_history(gql):
    card = CardFactory()

    body, _ = gql(ME, token=issue_token(card.young_person))

    shown = body["data"]["me"]["card"]
    assert shown["qrPayload"]
    assert shown["history"] == [{"action": "INVITED", "status": "INVITED"}, {"action": "ACTIVATED", "status": "ACTIVE"}]


def test_a_suspended_card_shows_no_qr_payload(gql):
    card = CardFactory(status=CardStatus.SUSPENDED)

    body, _ = gql(ME, token=issue_token(card.young_person))

    assert body["data"]["me"]["card"]["qrPayload"] is None
