import pytest
from django.core import signing
from django.core.exceptions import ValidationError

from cms.cards import lifecycle
from cms.cards.models import CardCheckGrant, CardStatus
from cms.cards.qr import qr_payload
from cms.partners_api.models import ApiKey, Scope
from tests.factories.cards import CardFactory
from tests.factories.offers import PartnerPageFactory

pytestmark = pytest.mark.django_db

VERIFY = "query ($payload: String!) { verifyCard(payload: $payload) { status firstName } }"


@pytest.fixture
def cashier_key(offers_index):
    key, secret = ApiKey.create_key(name="Caisse", source="caisse", scopes=[Scope.VERIFY_CARDS])
    CardCheckGrant.objects.create(api_key=key, partner=PartnerPageFactory())
    return secret


@pytest.mark.parametrize(
    ("status", "answer"),
    [(CardStatus.ACTIVE, "VALID"), (CardStatus.SUSPENDED, "SUSPENDED"), (CardStatus.EXPIRED, "EXPIRED")],
)
def test_a_cashier_learns_the_cards_state_and_the_first_name_only(gql, cashier_key, status, answer):
    card = CardFactory(young_person__first_name="Léa")
    payload = qr_payload(card)
    if status == CardStatus.SUSPENDED:
        lifecycle.suspend(card, lifecycle.SYSTEM, "Motif")
    elif status == CardStatus.EXPIRED:
        lifecycle.expire(card)

    body, _ = gql(VERIFY, {"payload": payload}, token=cashier_key)

    assert body["data"]["verifyCard"] == {"status": answer, "firstName": "Léa"}


def test_an_old_payload_is_invalid(gql, cashier_key, settings):
    settings.CARDS_QR_SECONDS = -1
    payload = qr_payload(CardFactory())

    body, _ = gql(VERIFY, {"payload": payload}, token=cashier_key)

    assert body["data"]["verifyCard"] == {"status": "INVALID", "firstName": None}


def test_a_forged_payload_is_invalid(gql, cashier_key):
    card = CardFactory()
    forged = signing.dumps({"n": card.number}, salt="autre chose")

    body, _ = gql(VERIFY, {"payload": forged}, token=cashier_key)

    assert body["data"]["verifyCard"]["status"] == "INVALID"


def test_a_partner_key_without_the_grant_cannot_verify_cards(gql):
    _, secret = ApiKey.create_key(name="Push", source="push", scopes=[Scope.VERIFY_CARDS])

    body, _ = gql(VERIFY, {"payload": qr_payload(CardFactory())}, token=secret)

    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"


def test_a_granted_key_without_the_verify_cards_scope_is_refused_in_french(gql, offers_index):
    key, secret = ApiKey.create_key(name="Lecture", scopes=[Scope.READ_OFFERS])
    CardCheckGrant.objects.create(api_key=key, partner=PartnerPageFactory())

    body, _ = gql(VERIFY, {"payload": qr_payload(CardFactory())}, token=secret)

    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert "vérifier des cartes" in body["errors"][0]["message"]


def test_a_grant_cannot_be_given_to_a_key_without_the_verify_cards_scope(offers_index):
    key, _ = ApiKey.create_key(name="Lecture", scopes=[Scope.READ_OFFERS])
    grant = CardCheckGrant(api_key=key, partner=PartnerPageFactory())

    with pytest.raises(ValidationError, match="vérifier des cartes"):
        grant.full_clean()


def test_verifying_needs_a_partner_key(gql):
    body, _ = gql(VERIFY, {"payload": qr_payload(CardFactory())})

    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
