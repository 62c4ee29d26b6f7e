"""``recommendedMissions`` and ``similarMissions`` through GraphQL: shape, French errors, constant query counts."""

from __future__ import annotations

from pathlib import Path

import pytest

from search.base import get_backend
from search.missions import MISSIONS
from tests.factories.missions import MissionAddressFactory, MissionFactory

OPERATIONS = Path(__file__).resolve().parents[2] / "frontend_contract" / "operations"
RECOMMENDED = (OPERATIONS / "recommended_missions.graphql").read_text(encoding="utf-8")
SIMILAR = (OPERATIONS / "similar_missions.graphql").read_text(encoding="utf-8")
LYON = {"latitude": 45.764, "longitude": 4.8357, "radiusKm": 20}


@pytest.fixture
def missions(db, settings):
    settings.SEARCH_BACKEND = "database"
    created = [MissionFactory(open_to_minors=True) for _ in range(12)]
    for mission in created:
        MissionAddressFactory(mission=mission)
    get_backend().rebuild(MISSIONS, MISSIONS.records())
    return created


def test_recommended_missions_return_missions_with_reasons_and_score_parts(run_query, missions):
    result = run_query(RECOMMENDED, {"profile": {"age": 17, **LYON}, "first": 5})

    items = result.data["recommendedMissions"]["items"]
    assert result.errors == []
    assert len(items) == 5
    assert "Ouvert à tes 17 ans" in items[0]["reasons"]
    assert {part["name"] for part in items[0]["scoreParts"]} >= {"distance", "interest", "popularity"}
    assert items[0]["mission"]["organisation"]["name"]


def test_a_birth_date_stands_for_the_age(run_query, missions):
    result = run_query(RECOMMENDED, {"profile": {"birthDate": "2000-01-01", **LYON}})

    assert result.data["recommendedMissions"]["items"] == []  # 26: too old for the service civique


def test_recommended_missions_redirect_a_person_too_old_for_the_programme(run_query, missions):
    result = run_query(RECOMMENDED, {"profile": {"age": 27, "programmes": ["service-civique"], **LYON}})

    redirection = result.data["recommendedMissions"]["redirections"][0]
    assert redirection["programme"] == "service-civique"
    assert "tu ne peux pas y participer" in redirection["message"]
    assert redirection["alternatives"]


def test_a_wrong_profile_gets_a_french_error(run_query, missions):
    result = run_query(RECOMMENDED, {"profile": {"age": 200}})

    assert result.codes == ["BAD_USER_INPUT"]
    assert result.errors[0].message == "L'âge doit être compris entre 1 et 120 ans."


def test_similar_missions_of_an_unknown_mission_is_not_found_in_french(run_query, missions):
    result = run_query(SIMILAR, {"missionId": "999999999"})

    assert result.codes == ["NOT_FOUND"]
    assert result.errors[0].message == "Mission introuvable."


def test_similar_missions_propose_other_missions(run_query, missions):
    result = run_query(SIMILAR, {"missionId": str(missions[0].pk), "first": 3})

    found = [item["mission"]["databaseId"] for item in result.data["similarMissions"]]
    assert len(found) == 3
    assert missions[0].pk not in found


#: Two searches (all missions near, and those in the person's domains), each a few statements in the database
#: backend (savepoint, planner settings, count, distances, page), then the hard rules, tracking figures and the page.
RECOMMENDATION_QUERIES = 28


@pytest.mark.parametrize("first", [2, 10])
def test_recommended_missions_take_the_same_queries_whatever_their_number(
    run_query, missions, django_assert_max_num_queries, first
):
    with django_assert_max_num_queries(RECOMMENDATION_QUERIES):
        result = run_query(RECOMMENDED, {"profile": {"age": 20, "domains": ["education"], **LYON}, "first": first})

    assert len(result.data["recommendedMissions"]["items"]) == first


def test_similar_missions_take_a_bounded_number_of_queries(run_query, missions, django_assert_max_num_queries):
    with django_assert_max_num_queries(RECOMMENDATION_QUERIES):
        result = run_query(SIMILAR, {"missionId": str(missions[0].pk), "first": 5})

    assert len(result.data["similarMissions"]) == 5
