import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone

from cms.cards.activations import ActivationRefused, activate_offer, mark_used
from cms.cards.models import CardStatus
from cms.cards.signin import issue_token
from cms.offers.models import OfferPage
from cms.offers.onboarding import onboard_partner
from tests.factories.cards import CardFactory
from tests.factories.offers import OfferPageFactory, PromoCodeFactory
from tests.factories.taxonomy import OfferCategoryFactory

pytestmark = pytest.mark.django_db

ACTIVATE = """
mutation ($offerId: ID!) {
  activateOffer(offerId: $offerId) { id kind value instructions saving offerTitle }
}"""
MARK_USED = """
mutation ($id: ID!, $amount: Decimal) { markActivationUsed(activationId: $id, amount: $amount) { saving usedAt } }"""
SAVINGS = "query { me { savings { total activations byCategory { label amount } byMonth { label amount } } } }"


@pytest.fixture
def holder():
    return CardFactory().young_person


def refusal(person, offer) -> str:
    with pytest.raises(ActivationRefused) as refused:
        activate_offer(person, offer.pk)
    return refused.value.code


def test_a_code_offer_hands_out_one_code_of_its_pool(gql, holder):
    code = PromoCodeFactory(code="CJE-UNIQUE")

    body, _ = gql(ACTIVATE, {"offerId": str(code.offer.pk)}, token=issue_token(holder))

    assert body["data"]["activateOffer"]["value"] == "CJE-UNIQUE"
    assert body["data"]["activateOffer"]["kind"] == "code"
    code.refresh_from_db()
    assert code.assigned_at is not None


@pytest.mark.parametrize(
    ("kind", "extra", "value"),
    [
        (OfferPage.Kind.VOUCHER, {"barcode_value": "3760001234567"}, "3760001234567"),
        (OfferPage.Kind.LINK, {"link_url": "https://boutique.example.fr/cje"}, "https://boutique.example.fr/cje"),
        (OfferPage.Kind.CARD, {}, ""),
    ],
)
def test_each_kind_of_offer_gives_what_it_is_used_with(holder, kind, extra, value):
    offer = OfferPageFactory(kind=kind, **extra)

    activation = activate_offer(holder, offer.pk)

    assert activation.value == value


def test_a_suspended_card_cannot_use_offers(gql):
    person = CardFactory(status=CardStatus.SUSPENDED).young_person
    offer = OfferPageFactory()

    body, _ = gql(ACTIVATE, {"offerId": str(offer.pk)}, token=issue_token(person))

    error = body["errors"][0]
    assert (error["extensions"]["code"], error["extensions"]["reason"]) == ("FORBIDDEN", "CARD_NOT_ACTIVE")
    assert error["message"] == "Votre carte n'est pas active : vous ne pouvez pas utiliser d'offre."


def test_an_offer_past_its_validity_cannot_be_used(holder):
    offer = OfferPageFactory(valid_until=timezone.localdate() - datetime.timedelta(days=1))

    assert refusal(holder, offer) == "OFFER_NOT_VALID"


def test_an_unpublished_offer_cannot_be_used(holder):
    offer = OfferPageFactory()
    offer.unpublish()

    assert refusal(holder, offer) == "OFFER_NOT_VALID"


def test_a_once_offer_is_used_only_once(holder):
    offer = OfferPageFactory(usage_rule=OfferPage.UsageRule.ONCE)
    activate_offer(holder, offer.pk)

    assert refusal(holder, offer) == "ALREADY_USED"


def test_an_every_n_days_offer_says_when_it_comes_back(holder):
    offer = OfferPageFactory(usage_rule=OfferPage.UsageRule.EVERY_N_DAYS, usage_interval_days=7)
    activate_offer(holder, offer.pk)

    with pytest.raises(ActivationRefused) as refused:
        activate_offer(holder, offer.pk)

    back = timezone.localdate() + datetime.timedelta(days=7)
    assert str(refused.value).endswith(f"de nouveau disponible le {back:%d/%m/%Y}.")


def test_an_unlimited_offer_can_be_used_again(holder):
    offer = OfferPageFactory(usage_rule=OfferPage.UsageRule.UNLIMITED)
    activate_offer(holder, offer.pk)

    assert activate_offer(holder, offer.pk).pk


def test_an_empty_pool_says_there_are_no_codes_left(holder):
    code = PromoCodeFactory()
    activate_offer(CardFactory().young_person, code.offer.pk)

    with pytest.raises(ActivationRefused, match="plus de codes"):
        activate_offer(holder, code.offer.pk)


def test_the_partner_is_warned_once_when_its_codes_run_low(holder, settings, django_capture_on_commit_callbacks):
    settings.CARDS_LOW_STOCK_THRESHOLD = 2
    partner = onboard_partner("Librairie du Centre", user_emails=["stock@librairie.example.fr"]).page
    offer = OfferPageFactory(parent=partner, kind=OfferPage.Kind.CODE)
    for _ in range(4):
        PromoCodeFactory(offer=offer)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(3):
            activate_offer(CardFactory().young_person, offer.pk)

    assert [message.to for message in mail.outbox] == [["stock@librairie.example.fr"]]
    assert "Il reste 2 code(s)" in mail.outbox[0].body


def test_a_declared_saving_replaces_the_estimate(gql, holder):
    activation = activate_offer(holder, OfferPageFactory(estimated_saving=Decimal("8.50")).pk)

    body, _ = gql(MARK_USED, {"id": str(activation.pk), "amount": "12.30"}, token=issue_token(holder))

    assert body["data"]["markActivationUsed"]["saving"] == "12.30"


@pytest.mark.parametrize("amount", ["-1", "100000", "NaN"])
def test_a_declared_saving_out_of_bounds_is_refused_in_french(gql, holder, amount):
    activation = activate_offer(holder, OfferPageFactory().pk)

    body, _ = gql(MARK_USED, {"id": str(activation.pk), "amount": amount}, token=issue_token(holder))

    assert body["errors"][0]["message"] == "Le montant économisé doit être compris entre 0 et 500 €."


def test_nobody_marks_someone_elses_activation(gql, holder):
    activation = activate_offer(holder, OfferPageFactory().pk)
    other = CardFactory().young_person

    body, _ = gql(MARK_USED, {"id": str(activation.pk)}, token=issue_token(other))

    assert body["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    assert mark_used(other, activation.pk) is None


def test_savings_are_totalled_per_category_and_per_month(gql, holder):
    food, culture = OfferCategoryFactory(label="Alimentation"), OfferCategoryFactory(label="Culture")
    first = activate_offer(holder, OfferPageFactory(estimated_saving=Decimal("5"), categories=[food]).pk)
    activate_offer(holder, OfferPageFactory(estimated_saving=Decimal("7.50"), categories=[culture]).pk)
    mark_used(holder, first.pk, Decimal("10"))
    month = timezone.now().strftime("%Y-%m")

    body, _ = gql(SAVINGS, token=issue_token(holder))

    assert body["data"]["me"]["savings"] == {
        "total": "17.50",
        "activations": 2,
        "byCategory": [{"label": "Alimentation", "amount": "10.00"}, {"label": "Culture", "amount": "7.50"}],
        "byMonth": [{"label": month, "amount": "17.50"}],
    }
