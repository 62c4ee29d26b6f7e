"""The card's front-end operations (``frontend_contract/operations/cards/``): valid, and running the whole journey."""

from pathlib import Path

import pytest
from graphql import parse, validate

from cms.offers.models import OfferPage
from graphql_api.schema import schema
from tests.cards.conftest import last_code
from tests.factories.cards import CardFactory
from tests.factories.offers import OfferPageFactory, PromoCodeFactory

DIRECTORY = Path(__file__).resolve().parents[2] / "frontend_contract" / "operations" / "cards"
OPERATIONS = sorted(DIRECTORY.glob("*.graphql"))


def operation(name: str) -> str:
    return (DIRECTORY / f"{name}.graphql").read_text(encoding="utf-8")


def test_there_is_an_operation_for_every_card_screen():
    assert {path.stem for path in OPERATIONS} >= {
        "request_sign_in_code",
        "verify_sign_in_code",
        "me",
        "update_profile",
        "activate_offer",
        "mark_activation_used",
        "my_young_people",
        "invite_young_people",
        "suspend_card",
        "reactivate_card",
        "verify_card",
        "export_my_data",
        "delete_my_account",
    }


@pytest.mark.parametrize("path", OPERATIONS, ids=lambda path: path.stem)
def test_operation_is_valid_against_the_schema(path):
    assert validate(schema._schema, parse(path.read_text(encoding="utf-8"))) == []


@pytest.mark.django_db
def test_a_young_person_signs_in_uses_an_offer_and_sees_it_on_their_screen(
    gql, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    CardFactory(young_person__email="lea@example.fr", young_person__first_name="Léa")
    offer = PromoCodeFactory(code="CJE-BIENVENUE", offer__usage_rule=OfferPage.UsageRule.ONCE).offer
    OfferPageFactory()
    with django_capture_on_commit_callbacks(execute=True):
        gql(operation("request_sign_in_code"), {"contact": "lea@example.fr"})
    signed_in, _ = gql(operation("verify_sign_in_code"), {"contact": "lea@example.fr", "code": last_code()})
    token = signed_in["data"]["verifySignInCode"]["token"]

    activated, _ = gql(operation("activate_offer"), {"offerId": str(offer.pk)}, token=token)
    with django_assert_max_num_queries(11):
        me, _ = gql(operation("me"), token=token)

    assert activated["data"]["activateOffer"]["value"] == "CJE-BIENVENUE"
    screen = me["data"]["me"]
    assert screen["profile"]["firstName"] == "Léa"
    assert screen["card"]["status"] == "ACTIVE"
    assert [a["value"] for a in screen["activations"]] == ["CJE-BIENVENUE"]
    assert screen["savings"]["activations"] == 1
