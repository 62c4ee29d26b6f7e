"""``searchMissions`` / ``searchOffers`` as front-ends call them: the operations of ``frontend_contract``."""

from __future__ import annotations

from pathlib import Path

import pytest
import strawberry
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cms.missions.models import Mission
from cms.taxonomy.models import Domain
from graphql_api.search.queries import Query
from search.base import get_backend
from search.indexing import KINDS
from tests.factories.missions import MissionAddressFactory, MissionFactory
from tests.factories.offers import OfferPageFactory, OfferStoreFactory

pytestmark = pytest.mark.django_db

OPERATIONS = Path(__file__).resolve().parents[2] / "frontend_contract" / "operations"
SEARCH_MISSIONS = (OPERATIONS / "search_missions.graphql").read_text()
SEARCH_OFFERS = (OPERATIONS / "search_offers.graphql").read_text()
schema = strawberry.Schema(query=Query)


@pytest.fixture
def reindex(settings):
    settings.SEARCH_BACKEND = "database"

    def run():
        for kind in KINDS.values():
            get_backend().rebuild(kind, kind.records())

    return run


def execute(operation: str, **variables) -> dict:
    result = schema.execute_sync(operation, variable_values=variables)
    assert result.errors is None, result.errors
    return result.data


def test_search_missions_returns_hits_in_order_with_total_and_labelled_facets(reindex):
    environment = Domain.objects.get(slug="environnement")
    best = MissionFactory(title="Chantier nature et jardinage", domain=environment)
    MissionFactory(title="Atelier lecture", description_html="<p>Un peu de jardinage.</p>")
    reindex()
    data = execute(SEARCH_MISSIONS, query="jardinage")["searchMissions"]
    assert [hit["mission"]["title"] for hit in data["hits"]][0] == best.title
    assert data["totalCount"] == 2
    domains = next(f for f in data["facets"] if f["name"] == "domain")["values"]
    assert {"value": "environnement", "label": "Environnement", "count": 1, "selected": False} in domains


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite gives no highlighted snippets")
def test_search_missions_highlights_the_matched_words_escaped(reindex):
    MissionFactory(title="Chantier <nature> et jardinage")
    reindex()
    hit = execute(SEARCH_MISSIONS, query="jardinage")["searchMissions"]["hits"][0]
    assert hit["highlights"][0] == {"field": "title", "snippet": "Chantier &lt;nature&gt; et <mark>jardinage</mark>"}


def test_search_missions_near_a_point_gives_the_distance_of_each_hit(reindex):
    MissionAddressFactory(latitude=45.7719, longitude=4.8902)
    reindex()
    data = execute(SEARCH_MISSIONS, near={"lat": 45.7640, "lon": 4.8357, "radiusKm": 10}, sort="DISTANCE")
    assert [round(hit["distanceKm"], 1) for hit in data["searchMissions"]["hits"]] == [4.3]


def test_a_hit_the_public_may_no_longer_see_is_not_shown_even_if_the_index_lags(reindex):
    mission = MissionFactory()
    reindex()
    Mission.objects.filter(pk=mission.pk).update(live=False)
    assert execute(SEARCH_MISSIONS)["searchMissions"]["hits"] == []


def test_loading_a_page_of_hits_takes_a_constant_number_of_queries(reindex):
    MissionFactory.create_batch(2)
    reindex()
    with CaptureQueriesContext(connection) as few:
        execute(SEARCH_MISSIONS)
    MissionFactory.create_batch(8)
    reindex()
    with CaptureQueriesContext(connection) as many:
        execute(SEARCH_MISSIONS)
    assert len(many) == len(few)


def test_search_offers_filters_by_channel_and_includes_nationwide_offers_near_a_point(reindex):
    store = OfferStoreFactory(offer__nationwide=False, offer__channel="in_store")
    nationwide = OfferPageFactory(nationwide=True, channel="in_store")
    OfferPageFactory(nationwide=True, channel="online")
    reindex()
    data = execute(
        SEARCH_OFFERS,
        filters={"channel": ["in_store"]},
        near={"lat": 45.7640, "lon": 4.8357, "radiusKm": 5},
        includeEverywhere=True,
        sort="DISTANCE",
    )["searchOffers"]
    assert [hit["offer"]["id"] for hit in data["hits"]] == [str(store.offer.pk), str(nationwide.pk)]
    channels = next(f for f in data["facets"] if f["name"] == "channel")["values"]
    assert [(v["label"], v["count"], v["selected"]) for v in channels] == [
        ("En magasin", 2, True),
        ("En ligne", 1, False),
    ]


def test_a_bad_search_is_a_graphql_error_in_french_and_no_data():
    result = schema.execute_sync(SEARCH_MISSIONS, variable_values={"after": "nimportequoi"})
    assert [error.message for error in result.errors] == ["Curseur de pagination invalide."]
    assert result.data is None
