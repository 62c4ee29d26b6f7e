"""A young person's stored recommendation profile: edited with ``updateProfile``, checked like a given profile,
shown to them and to card staff, exported and erased with the rest of their data."""

from __future__ import annotations

from pathlib import Path

import pytest

from cms.cards.models import RecommendationProfile
from cms.cards.signin import issue_token
from cms.core.recommendation_profile import HOURS_MESSAGE, RADIUS_MESSAGE
from tests.factories.cards import CardFactory, RecommendationProfileFactory

pytestmark = pytest.mark.django_db

OPERATIONS = Path(__file__).resolve().parents[2] / "frontend_contract" / "operations"
UPDATE = (OPERATIONS / "cards" / "update_profile.graphql").read_text(encoding="utf-8")
RECOMMENDED = (OPERATIONS / "recommended_missions.graphql").read_text(encoding="utf-8")


def test_a_young_person_stores_their_recommendation_profile(gql):
    card = CardFactory()
    wanted = {
        "radiusKm": 15,
        "intent": "BE_USEFUL",
        "hoursPerWeek": 10,
        "startDate": "2030-09-01",
        "remoteAccepted": True,
        "accessibilityNeeds": True,
    }

    body, _ = gql(UPDATE, {"input": wanted}, token=issue_token(card.young_person))

    assert body["data"]["updateProfile"]["recommendation"] == wanted
    stored = RecommendationProfile.objects.get(young_person=card.young_person)
    assert (stored.radius_km, stored.intent, stored.start_date.isoformat()) == (15, "be_useful", "2030-09-01")


def test_only_the_recommendation_fields_sent_change(gql):
    stored = RecommendationProfileFactory(radius_km=20, intent="find_my_way", hours_per_week=8)
    CardFactory(young_person=stored.young_person)

    body, _ = gql(UPDATE, {"input": {"hoursPerWeek": 12}}, token=issue_token(stored.young_person))

    shown = body["data"]["updateProfile"]["recommendation"]
    assert (shown["radiusKm"], shown["intent"], shown["hoursPerWeek"]) == (20, "FIND_MY_WAY", 12)


def test_a_profile_without_recommendation_fields_stores_no_recommendation_profile(gql):
    card = CardFactory()

    body, _ = gql(UPDATE, {"input": {"city": "Lyon"}}, token=issue_token(card.young_person))

    assert body["data"]["updateProfile"]["recommendation"] is None
    assert not RecommendationProfile.objects.exists()


@pytest.mark.parametrize(
    ("field", "value", "message"), [("radiusKm", 0, RADIUS_MESSAGE), ("hoursPerWeek", 80, HOURS_MESSAGE)]
)
def test_a_stored_value_is_refused_with_the_message_a_given_profile_gets(gql, field, value, message):
    card = CardFactory()

    stored, _ = gql(UPDATE, {"input": {field: value, "city": "Paris"}}, token=issue_token(card.young_person))
    given, _ = gql(RECOMMENDED, {"profile": {field: value}})

    assert stored["errors"][0]["message"] == given["errors"][0]["message"] == message
    assert stored["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    card.young_person.refresh_from_db()
    assert card.young_person.city == "Lyon"  # the whole change was refused
    assert not RecommendationProfile.objects.exists()


def test_an_unknown_postcode_is_refused_once_the_profile_serves_recommendations(gql):
    stored = RecommendationProfileFactory()
    CardFactory(young_person=stored.young_person)

    body, _ = gql(UPDATE, {"input": {"postcode": "00000"}}, token=issue_token(stored.young_person))

    assert body["errors"][0]["message"] == "Code postal inconnu : « 00000 »."


def test_card_staff_see_the_recommendation_profiles(client, card_staff):
    stored = RecommendationProfileFactory(young_person__last_name="Lefebvre")

    response = client.get("/admin/cards/recommendation-profiles/")

    assert response.status_code == 200
    assert "Lefebvre" in response.content.decode()
    assert client.get(f"/admin/cards/recommendation-profiles/edit/{stored.pk}/").status_code == 200


def test_card_staff_get_the_french_message_for_a_radius_out_of_range(client, card_staff):
    stored = RecommendationProfileFactory()

    response = client.post(
        f"/admin/cards/recommendation-profiles/edit/{stored.pk}/",
        {"young_person": stored.young_person.pk, "radius_km": "5000", "intent": "be_useful"},
    )

    assert response.status_code == 200
    assert RADIUS_MESSAGE in response.content.decode()
    stored.refresh_from_db()
    assert stored.radius_km == 20


def test_exporting_my_data_includes_my_recommendation_profile(gql):
    stored = RecommendationProfileFactory(radius_km=12, intent="find_job")
    CardFactory(young_person=stored.young_person)

    body, _ = gql("mutation { exportMyData }", token=issue_token(stored.young_person))

    exported = body["data"]["exportMyData"]["recommendationProfile"]
    assert (exported["radiusKm"], exported["intent"], exported["remoteAccepted"]) == (12, "find_job", True)


def test_deleting_my_account_erases_my_recommendation_profile(gql):
    stored = RecommendationProfileFactory()
    CardFactory(young_person=stored.young_person)

    gql("mutation { deleteMyAccount }", token=issue_token(stored.young_person))

    assert not RecommendationProfile.objects.exists()
