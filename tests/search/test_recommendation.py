"""Mission recommendations on either search backend: hard rules, ranking, reasons, diversity, redirections."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cms.taxonomy.models import Domain, Programme
from cms.tracking.models import Application, DailyStat
from search.backends.database.hits import NEAREST_RADII
from search.base import Near, SearchQuery, Sort
from search.missions import MISSIONS
from search.models import MissionDocument, MissionPlace
from search.recommendation import InvalidProfile, Profile, recommend, similar
from search.recommendation_weights import Intent
from tests.factories.missions import MissionAddressFactory, MissionFactory
from tests.factories.organisations import OrganizationFactory

LYON = (45.7640, 4.8357)
#: About 3 km north of LYON.
LYON_NORTH = (45.7910, 4.8357)
PARIS = (48.8566, 2.3522)


def mission_at(place: tuple[float, float], **fields):
    mission = MissionFactory(**fields)
    MissionAddressFactory(mission=mission, latitude=place[0], longitude=place[1])
    return mission


def domain(slug: str) -> Domain:
    return Domain.objects.get(slug=slug)


def programme(slug: str) -> Programme:
    return Programme.objects.get(slug=slug)


def ids(result) -> list[int]:
    return [item.mission_id for item in result]


def in_lyon(**fields) -> Profile:
    return Profile(latitude=LYON[0], longitude=LYON[1], radius_km=20, **fields)


@pytest.fixture
def today() -> dt.date:
    return timezone.localdate()


def test_a_close_mission_in_the_persons_domain_comes_first_with_its_french_reasons(backend, reindex, today):
    wanted = mission_at(
        LYON_NORTH, domain=domain("environnement"), open_to_minors=True, start_date=today + dt.timedelta(days=14)
    )
    mission_at(LYON, domain=domain("sport"), open_to_minors=True)
    reindex()

    result = recommend(in_lyon(age=17, domains=("environnement",)), 5)

    first = result.items[0]
    assert first.mission_id == wanted.pk
    assert first.reasons[:4] == [
        "À 3 km de chez toi",
        "Dans ton domaine : environnement",
        "Ouvert à tes 17 ans",
        "Commence dans 2 semaines",
    ]
    assert {part.name for part in first.parts} >= {"distance", "interest", "intent", "start", "popularity"}
    assert first.score == pytest.approx(sum(part.weight * part.value for part in first.parts))


def test_a_minor_never_gets_a_mission_closed_to_minors(backend, reindex):
    mission_at(LYON, open_to_minors=False)
    reindex()

    assert recommend(in_lyon(age=16), 5).items == []


def test_a_full_mission_is_not_recommended(backend, reindex, today):
    full = mission_at(LYON, places=1)
    free = mission_at(LYON, places=1)
    Application.objects.create(
        token="t1", mission_id=full.pk, channel="site", clicked_at=timezone.now(), status="validated"
    )
    reindex()

    assert ids(recommend(in_lyon(), 5).items) == [free.pk]


def test_a_mission_ending_before_the_person_can_start_is_not_recommended(backend, reindex, today):
    mission_at(LYON, end_date=today + dt.timedelta(days=10))
    later = mission_at(LYON, end_date=today + dt.timedelta(days=200))
    reindex()

    assert ids(recommend(in_lyon(start_date=today + dt.timedelta(days=30)), 5).items) == [later.pk]


def test_a_far_mission_comes_only_when_fully_remote_and_remote_is_accepted(backend, reindex):
    remote = mission_at(PARIS, remote="full")
    mission_at(PARIS, remote="no")
    reindex()

    assert recommend(in_lyon(), 5).items == []
    result = recommend(in_lyon(remote_accepted=True), 5).items
    assert ids(result) == [remote.pk]
    assert "Mission à distance" in result[0].reasons


def test_one_organisation_does_not_fill_the_list(backend, reindex):
    busy = OrganizationFactory()
    for _ in range(3):
        mission_at(LYON, organization=busy, domain=domain("environnement"))
    other = mission_at(LYON_NORTH, domain=domain("environnement"))
    reindex()

    result = recommend(in_lyon(domains=("environnement",)), 2).items

    assert other.pk in ids(result)


def test_popular_missions_rank_higher_but_new_ones_are_not_buried(backend, reindex, today):
    popular, new = mission_at(LYON), mission_at(LYON)
    for kind, count in (("click", 40), ("application", 12)):
        DailyStat.objects.create(day=today, kind=kind, mission_id=popular.pk, channel="site", count=count, visitors=1)
    reindex()

    result = recommend(in_lyon(), 5).items
    parts = {item.mission_id: {p.name: p.value for p in item.parts} for item in result}

    assert ids(result) == [popular.pk, new.pk]
    assert parts[new.pk]["popularity"] == pytest.approx(0.5)
    assert parts[popular.pk]["popularity"] > 0.5


def test_the_intent_favours_its_programmes(backend, reindex):
    volunteering = mission_at(LYON, programme=programme("benevolat"))
    civic = mission_at(LYON, programme=programme("service-civique"))
    reindex()

    assert ids(recommend(in_lyon(intent=Intent.FIND_MY_WAY), 5).items)[0] == civic.pk
    assert ids(recommend(in_lyon(intent=Intent.BE_USEFUL), 5).items)[0] == volunteering.pk


def test_a_person_too_old_for_the_asked_programme_is_told_and_redirected(backend, reindex):
    mission_at(LYON, programme=programme("service-civique"))
    civic_reserve = mission_at(LYON, programme=programme("reserve-civique"))
    reindex()

    result = recommend(in_lyon(age=27, programmes=("service-civique",)), 5)

    redirection = result.redirections[0]
    assert redirection.message == ("Service civique est ouvert de 16 à 25 ans : à 27 ans, tu ne peux pas y participer.")
    alternatives = [a.programme for a in redirection.alternatives]
    assert alternatives[:2] == ["corps-europeen-solidarite", "reserve-civique"]
    assert redirection.alternatives[1].reason == "Ouvert à tes 27 ans (dès 16 ans)"
    assert ids(result.items) == [civic_reserve.pk]


def test_similar_missions_are_near_in_the_same_domain_and_exclude_the_mission_itself(backend, reindex, today):
    over = mission_at(LYON, domain=domain("sport"), end_date=today - dt.timedelta(days=1))
    close = mission_at(LYON_NORTH, domain=domain("sport"))
    other_domain = mission_at(LYON, domain=domain("education"))
    reindex()

    result = similar(over.pk, 5)

    assert ids(result)[0] == close.pk
    assert over.pk not in ids(result)
    assert other_domain.pk in ids(result)[1:]


def test_similar_missions_of_an_unknown_mission_is_none(db):
    assert similar(10**9, 5) is None


@pytest.mark.parametrize(
    ("profile", "message"),
    [
        (Profile(age=200), "L'âge doit être compris entre 1 et 120 ans."),
        (Profile(domains=("jardinage-lunaire",)), "Domaine inconnu : « jardinage-lunaire »."),
        (Profile(programmes=("inconnu",)), "Dispositif inconnu : « inconnu »."),
        (Profile(postcode="ABCDE"), "Code postal inconnu : « ABCDE »."),
        (Profile(latitude=45.0), "Indiquez à la fois la latitude et la longitude."),
    ],
)
def test_a_wrong_profile_is_refused_in_french(db, profile, message):
    with pytest.raises(InvalidProfile, match=message):
        recommend(profile, 5)


def _search_statements(queries) -> list[str]:
    table = MissionDocument._meta.db_table
    return [q["sql"] for q in queries if table in q["sql"]]


def test_a_search_without_count_reads_its_page_and_counts_nothing(database_backend):
    near = mission_at(LYON_NORTH)
    mission_at(PARIS)
    database_backend.rebuild(MISSIONS, MISSIONS.records())
    query = SearchQuery(near=Near(*LYON, 20), sort=Sort.DISTANCE, facets=(), count=False)

    with CaptureQueriesContext(connection) as queries:
        result = database_backend.search(MISSIONS, query)

    assert ([hit.pk for hit in result.hits], result.total, result.next_cursor) == ([near.pk], None, None)
    assert not [sql for sql in _search_statements(queries) if "COUNT(" in sql.upper()]


def test_a_search_with_its_total_still_counts_it(database_backend):
    mission_at(LYON_NORTH)
    database_backend.rebuild(MISSIONS, MISSIONS.records())
    query = SearchQuery(near=Near(*LYON, 20), sort=Sort.DISTANCE, facets=())

    with CaptureQueriesContext(connection) as queries:
        result = database_backend.search(MISSIONS, query)

    assert result.total == 1
    assert [sql for sql in _search_statements(queries) if "COUNT(" in sql.upper()]


def test_the_engine_reads_one_page_per_candidate_search_without_counting(database_backend, today):
    mission_at(LYON_NORTH, domain=domain("environnement"))
    database_backend.rebuild(MISSIONS, MISSIONS.records())
    profile = in_lyon(age=20, domains=("environnement",))

    with CaptureQueriesContext(connection) as queries:
        recommend(profile, 10, today=today)

    places = MissionPlace._meta.db_table
    place_reads = [q["sql"] for q in queries if places in q["sql"]]
    # The nearby search and the one within the person's domains, each from the nearest places (one to three
    # circles); the places carry every filter of the engine, so no document is read.
    assert 2 <= len(place_reads) <= 2 * len(NEAREST_RADII)
    assert not _search_statements(queries)
    assert not [sql for sql in place_reads if "COUNT(" in sql.upper()]
