"""``searchMissions`` / ``searchOffers`` as front-ends call them: the operations of ``frontend_contract``, POSTed to
the real ``/graphql/`` endpoint (root schema, its limits and extensions)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cms.missions.models import Mission
from cms.taxonomy.models import Domain, OfferCategory
from search.base import get_backend
from search.indexing import KINDS
from tests.factories.missions import MissionAddressFactory, MissionFactory
from tests.factories.offers import OfferPageFactory, OfferStoreFactory

pytestmark = pytest.mark.django_db

OPERATIONS = Path(__file__).resolve().parents[2] / "frontend_contract" / "operations"
SEARCH_MISSIONS = (OPERATIONS / "search_missions.graphql").read_text()
SEARCH_OFFERS = (OPERATIONS / "search_offers.graphql").read_text()
SEARCH_MISSION_TITLES = """
query ($first: Int) { searchMissions(first: $first) { totalCount hits { mission { title } } } }
"""


@pytest.fixture
def reindex(settings):
    settings.SEARCH_BACKEND = "database"

    def run():
        for kind in KINDS.values():
            get_backend().rebuild(kind, kind.records())

    return run


def post(client, operation: str, **variables) -> dict:
    body = json.dumps({"query": operation, "variables": variables})
    return client.post("/graphql/", body, content_type="application/json").json()


@pytest.fixture
def execute(client):
    def run(operation: str, **variables) -> dict:
        response = post(client, operation, **variables)
        assert "errors" not in response, response["errors"]
        return response["data"]

    return run


def test_search_missions_returns_hits_in_order_with_total_and_labelled_facets(reindex, execute):
    environment = Domain.objects.get(slug="environnement")
    best = MissionFactory(title="Chantier nature et jardinage", domain=environment)
    MissionFactory(title="Atelier lecture", description_html="<p>Un peu de jardinage.</p>")
    reindex()
    data = execute(SEARCH_MISSIONS, query="jardinage")["searchMissions"]
    assert data["hits"][0]["mission"]["title"] == best.title
    assert data["hits"][0]["mission"]["databaseId"] == best.pk
    assert data["hits"][0]["mission"]["domain"] == {"slug": "environnement", "label": "Environnement"}
    assert data["totalCount"] == 2
    domains = next(f for f in data["facets"] if f["name"] == "domain")["values"]
    assert {"value": "environnement", "label": "Environnement", "count": 1, "selected": False} in domains


def test_search_missions_highlights_the_matched_words_escaped(reindex, execute):
    MissionFactory(title="Chantier <nature> et jardinage")
    reindex()
    hit = execute(SEARCH_MISSIONS, query="jardinage")["searchMissions"]["hits"][0]
    assert hit["highlights"][0] == {"field": "title", "snippet": "Chantier &lt;nature&gt; et <mark>jardinage</mark>"}


def test_search_missions_near_a_point_gives_the_distance_of_each_hit(reindex, execute):
    MissionAddressFactory(latitude=45.7719, longitude=4.8902)
    reindex()
    data = execute(SEARCH_MISSIONS, near={"latitude": 45.7640, "longitude": 4.8357, "radiusKm": 10}, sort="DISTANCE")
    assert [round(hit["distanceKm"], 1) for hit in data["searchMissions"]["hits"]] == [4.3]


def test_a_hit_the_public_may_no_longer_see_is_not_shown_even_if_the_index_lags(reindex, execute):
    mission = MissionFactory()
    reindex()
    Mission.objects.filter(pk=mission.pk).update(live=False)
    assert execute(SEARCH_MISSIONS)["searchMissions"]["hits"] == []


def _queries_for_a_page(execute, size: int) -> int:
    with CaptureQueriesContext(connection) as queries:
        data = execute(SEARCH_MISSIONS, first=size)["searchMissions"]
    assert len(data["hits"]) == size
    return len(queries)


def test_loading_5_or_50_hits_with_their_relations_takes_the_same_number_of_queries(reindex, execute):
    for mission in MissionFactory.create_batch(50):
        MissionAddressFactory(mission=mission)
    reindex()
    assert _queries_for_a_page(execute, 5) == _queries_for_a_page(execute, 50)


def test_search_offers_hits_load_partner_categories_and_stores_in_a_constant_number_of_queries(reindex, execute):
    def queries_for(size: int) -> int:
        with CaptureQueriesContext(connection) as queries:
            data = execute(SEARCH_OFFERS, first=size)["searchOffers"]
        assert len(data["hits"]) == size
        return len(queries)

    for store in OfferStoreFactory.create_batch(12):
        store.offer.categories.add(OfferCategory.objects.order_by("pk").first())
    reindex()
    assert queries_for(3) == queries_for(12)


def test_a_page_of_more_than_100_hits_is_refused_before_searching(client, db):
    response = post(client, SEARCH_MISSION_TITLES, first=101)
    assert response["data"] is None
    assert response["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert "au plus 100" in response["errors"][0]["message"]


def test_the_page_size_is_charged_to_the_hits_of_a_search(client, db, settings):
    settings.GRAPHQL_MAX_COST = 150
    assert "errors" not in post(client, SEARCH_MISSION_TITLES, first=10)
    response = post(client, SEARCH_MISSION_TITLES, first=100)
    assert response["errors"][0]["extensions"]["limit"] == "cost"


def test_search_offers_filters_by_channel_and_includes_nationwide_offers_near_a_point(reindex, execute):
    store = OfferStoreFactory(offer__nationwide=False, offer__channel="in_store")
    nationwide = OfferPageFactory(nationwide=True, channel="in_store")
    OfferPageFactory(nationwide=True, channel="online")
    reindex()
    data = execute(
        SEARCH_OFFERS,
        filters={"channel": ["in_store"]},
        near={"latitude": 45.7640, "longitude": 4.8357, "radiusKm": 5},
        includeEverywhere=True,
        sort="DISTANCE",
    )["searchOffers"]
    assert [hit["offer"]["databaseId"] for hit in data["hits"]] == [store.offer.pk, nationwide.pk]
    channels = next(f for f in data["facets"] if f["name"] == "channel")["values"]
    assert [(v["label"], v["count"], v["selected"]) for v in channels] == [
        ("En magasin", 2, True),
        ("En ligne", 1, False),
    ]


def test_a_bad_search_is_a_graphql_error_in_french_and_no_data(client, db):
    response = post(client, SEARCH_MISSIONS, after="nimportequoi")
    assert [error["message"] for error in response["errors"]] == ["Curseur de pagination invalide."]
    assert response["data"] is None


def test_a_hit_whose_mission_was_deleted_behind_the_index_is_left_out(client, reindex):
    kept, gone = MissionFactory.create_batch(2, title="Collecte alimentaire")
    reindex()
    # No signal and no cascade: the index keeps a document whose mission is gone (it has no foreign-key constraint).
    Mission.objects.filter(pk=gone.pk)._raw_delete(Mission.objects.db)

    response = post(client, SEARCH_MISSION_TITLES, first=10)

    assert "errors" not in response
    assert [hit["mission"]["title"] for hit in response["data"]["searchMissions"]["hits"]] == [kept.title]


SEARCH_MISSIONS_BY_FILTERS = """
query ($filters: MissionSearchFilters) { searchMissions(filters: $filters) { hits { mission { title } } } }
"""


def _searched_titles(execute, filters: dict) -> list[str]:
    hits = execute(SEARCH_MISSIONS_BY_FILTERS, filters=filters)["searchMissions"]["hits"]
    return sorted(hit["mission"]["title"] for hit in hits)


def test_search_missions_eligible_at_a_minor_age_keeps_missions_open_to_minors(reindex, execute):
    MissionFactory(title="Ouverte aux mineurs", open_to_minors=True)
    MissionFactory(title="Majeurs seulement", open_to_minors=False)
    reindex()

    assert _searched_titles(execute, {"eligibleAtAge": 16}) == ["Ouverte aux mineurs"]


def test_search_missions_by_activity_keeps_missions_offering_one_of_them(reindex, execute):
    MissionFactory(title="Logistique", activities=["logistique", "distribution"])
    MissionFactory(title="Jardinage", activities=["jardinage"])
    MissionFactory(title="Sans activité", activities=[])
    reindex()

    assert _searched_titles(execute, {"activity": ["distribution", "sport"]}) == ["Logistique"]


def test_search_missions_still_accepts_the_deprecated_age_filter(reindex, execute):
    MissionFactory(title="Ouverte aux mineurs", open_to_minors=True)
    MissionFactory(title="Majeurs seulement", open_to_minors=False)
    reindex()

    assert _searched_titles(execute, {"age": 16}) == ["Ouverte aux mineurs"]


MISSION_LIST_BY_FILTERS = """
query ($filters: MissionFilter) { missions(filters: $filters) { totalCount } }
"""


@pytest.mark.parametrize("age", [0, 121])
def test_an_impossible_age_gets_the_same_french_message_in_lists_and_search(client, age):
    listed = post(client, MISSION_LIST_BY_FILTERS, filters={"eligibleAtAge": age})
    searched = post(client, SEARCH_MISSIONS_BY_FILTERS, filters={"eligibleAtAge": age})

    messages = {listed["errors"][0]["message"], searched["errors"][0]["message"]}
    assert messages == {"L'âge doit être compris entre 1 et 120 ans."}
