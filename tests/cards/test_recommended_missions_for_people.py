"""``recommendedMissions`` without a profile: the signed-in young person's stored one, or (``forPerson``) that of a
young person the signed-in referent follows; the same engine and reasons as a given profile, private answers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cms.cards.signin import issue_token
from search.base import get_backend
from search.missions import MISSIONS
from tests.factories.cards import CardFactory, RecommendationProfileFactory, ReferentFactory, YoungPersonFactory
from tests.factories.missions import MissionAddressFactory, MissionFactory

OPERATIONS = Path(__file__).resolve().parents[2] / "frontend_contract" / "operations"
RECOMMENDED = (OPERATIONS / "recommended_missions.graphql").read_text(encoding="utf-8")
MINE = (OPERATIONS / "cards" / "my_recommended_missions.graphql").read_text(encoding="utf-8")
FOR_PERSON = (OPERATIONS / "cards" / "recommended_missions_for_person.graphql").read_text(encoding="utf-8")
LYON = {"latitude": 45.764, "longitude": 4.8357}

NOT_FOLLOWED = "Vous ne pouvez demander des recommandations que pour un jeune que vous suivez."

pytestmark = pytest.mark.django_db


@pytest.fixture
def missions(settings):
    settings.SEARCH_BACKEND = "database"
    created = [MissionFactory() for _ in range(12)]
    for mission in created:
        MissionAddressFactory(mission=mission)
    get_backend().rebuild(MISSIONS, MISSIONS.records())
    return created


@pytest.fixture
def person(missions):
    """A 20-year-old in Lyon, interested in the first mission's domain, who stored a recommendation profile."""
    stored = RecommendationProfileFactory(
        young_person__latitude=LYON["latitude"], young_person__longitude=LYON["longitude"]
    )
    stored.young_person.domains.set([missions[0].domain])
    CardFactory(young_person=stored.young_person)
    return stored.young_person


def ranked(body: dict) -> list[tuple[int, tuple[str, ...]]]:
    return [
        (item["mission"]["databaseId"], tuple(item["reasons"])) for item in body["data"]["recommendedMissions"]["items"]
    ]


def test_a_signed_in_young_person_gets_missions_for_their_stored_profile(gql, person, missions):
    body, _ = gql(MINE, {"first": 5}, token=issue_token(person))

    items = body["data"]["recommendedMissions"]["items"]
    assert len(items) == 5
    assert "Ouvert à tes 20 ans" in items[0]["reasons"]
    assert f"Dans ton domaine : {missions[0].domain.label.lower()}" in {r for item in items for r in item["reasons"]}


def test_the_stored_profile_ranks_as_the_same_profile_given_explicitly(gql, person, missions):
    given = {
        "age": 20,
        **LYON,
        "postcode": person.postcode,
        "radiusKm": 20,
        "domains": [missions[0].domain.slug],
        "intent": "FIND_MY_WAY",
        "remoteAccepted": True,
    }

    mine, _ = gql(MINE, {"first": 10}, token=issue_token(person))
    explicit, _ = gql(RECOMMENDED, {"profile": given, "first": 10})

    assert ranked(mine) == ranked(explicit)


def test_a_young_person_without_a_stored_profile_is_told_in_french_how_to_get_one(gql, missions):
    card = CardFactory()

    body, _ = gql(MINE, token=issue_token(card.young_person))

    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert body["errors"][0]["message"].startswith("Votre profil de recherche de missions n'est pas encore enregistré")


def test_an_anonymous_visitor_without_a_profile_is_asked_for_one_in_french(gql, missions):
    body, _ = gql(MINE)

    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert body["errors"][0]["message"] == "Indiquez un profil (profile), ou connectez-vous pour utiliser le vôtre."


def test_a_given_profile_still_works_for_anonymous_visitors_by_get_and_may_be_cached(client, missions):
    variables = json.dumps({"profile": {"age": 20, **LYON}, "first": 3})

    response = client.get("/graphql/", {"query": RECOMMENDED, "variables": variables})

    assert len(response.json()["data"]["recommendedMissions"]["items"]) == 3
    assert "public" in response["Cache-Control"]


def test_a_referent_gets_for_a_young_person_they_follow_what_that_person_gets(gql, person):
    mine, _ = gql(MINE, {"first": 10}, token=issue_token(person))
    followed, response = gql(FOR_PERSON, {"person": str(person.pk), "first": 10}, token=issue_token(person.referent))

    assert ranked(followed) == ranked(mine)
    assert "no-store" in response["Cache-Control"]


def test_a_young_person_without_a_referent_and_one_with_get_the_same_engine(gql, person):
    """« Accompagné ou non »: with or without a referent, the same stored profile ranks the same way."""
    followed, _ = gql(MINE, {"first": 10}, token=issue_token(person))
    person.referent = None
    person.save()

    alone, _ = gql(MINE, {"first": 10}, token=issue_token(person))

    assert ranked(alone) == ranked(followed)


@pytest.mark.parametrize("whom", ["someone-elses", "unknown", "malformed", "huge"])
def test_a_referent_asking_for_someone_they_do_not_follow_gets_the_same_refusal(gql, person, whom):
    other = YoungPersonFactory()
    asked = {"someone-elses": str(other.pk), "unknown": "999999999", "malformed": "abc", "huge": "9" * 30}[whom]

    body, _ = gql(FOR_PERSON, {"person": asked}, token=issue_token(person.referent))

    assert body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert body["errors"][0]["message"] == NOT_FOLLOWED


def test_a_young_person_cannot_ask_for_someone_else(gql, person):
    other = CardFactory(young_person__referent=person.referent).young_person

    body, _ = gql(FOR_PERSON, {"person": str(person.pk)}, token=issue_token(other))

    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"


def test_a_referent_is_told_when_the_young_person_has_stored_no_profile(gql, missions):
    referent = ReferentFactory()
    followed = CardFactory(young_person__referent=referent).young_person

    body, _ = gql(FOR_PERSON, {"person": str(followed.pk)}, token=issue_token(referent))

    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert body["errors"][0]["message"].startswith("Ce jeune n'a pas encore enregistré son profil")


def test_a_profile_and_a_followed_person_together_are_refused_in_french(gql, person):
    query = "query($p: ID!) { recommendedMissions(profile: {age: 20}, forPerson: $p) { items { score } } }"

    body, _ = gql(query, {"p": str(person.pk)}, token=issue_token(person.referent))

    assert (
        body["errors"][0]["message"]
        == "Indiquez soit un profil (profile), soit un jeune suivi (forPerson), pas les deux."
    )


def test_personal_recommendations_are_never_sent_by_get(client, person):
    response = client.get(
        "/graphql/",
        {"query": "{ recommendedMissions { items { score } } }"},
        headers={"Authorization": f"Bearer {issue_token(person)}"},
    )

    assert response.json()["errors"][0]["message"] == "Les opérations de la Carte jeune engagé s'envoient en POST."
    assert "no-store" in response["Cache-Control"]


#: The token with the person and their stored profile (one query), their domains, then the searches, hard rules,
#: tracking figures and the page, as for a given profile; measured: 22 for 2 or 10 missions.
PERSONAL_RECOMMENDATION_QUERIES = 22


@pytest.mark.parametrize("first", [2, 10])
def test_a_signed_in_young_persons_recommendations_take_the_same_queries_whatever_their_number(
    gql, person, django_assert_max_num_queries, first
):
    token = issue_token(person)
    with django_assert_max_num_queries(PERSONAL_RECOMMENDATION_QUERIES):
        body, _ = gql(MINE, {"first": first}, token=token)

    assert len(body["data"]["recommendedMissions"]["items"]) == first


@pytest.mark.parametrize("first", [2, 10])
def test_a_referents_recommendations_for_a_young_person_take_the_same_queries_whatever_their_number(
    gql, person, django_assert_max_num_queries, first
):
    token = issue_token(person.referent)
    with django_assert_max_num_queries(PERSONAL_RECOMMENDATION_QUERIES + 1):  # the followed person, looked up
        body, _ = gql(FOR_PERSON, {"person": str(person.pk), "first": first}, token=token)

    assert len(body["data"]["recommendedMissions"]["items"]) == first
