"""``searchMissionFacetValues`` / ``searchOfferFacetValues`` as front-ends call them: every value of one facet, page by
page, through the operations of ``frontend_contract`` POSTed to ``/graphql/``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cms.taxonomy.models import OfferCategory
from search.base import get_backend
from search.indexing import KINDS
from tests.factories.missions import MissionAddressFactory
from tests.factories.offers import OfferPageFactory

pytestmark = pytest.mark.django_db

OPERATIONS = Path(__file__).resolve().parents[2] / "frontend_contract" / "operations"
MISSION_FACET_VALUES = (OPERATIONS / "search_mission_facet_values.graphql").read_text()
OFFER_FACET_VALUES = (OPERATIONS / "search_offer_facet_values.graphql").read_text()
#: The SQL statements of one page of department values, whatever its size: the search's transaction (a savepoint
#: inside the test's), its two planner settings, the count of the matches (the text fallback needs it) and the
#: grouped department sets; department labels are read from code, a taxonomy facet adds its labels' query.
FACET_PAGE_QUERIES = 6


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


def in_departments(*codes: str) -> None:
    for code in codes:
        MissionAddressFactory(latitude=45.76, longitude=4.83, department_code=code)


def test_every_department_of_a_mission_search_is_reached_page_by_page_with_its_label(client, reindex):
    in_departments("75", "38", "69", "69")
    reindex()
    first = post(client, MISSION_FACET_VALUES, facet="department", first=2)["data"]["searchMissionFacetValues"]
    after = first["endCursor"]
    second = post(client, MISSION_FACET_VALUES, facet="department", first=2, after=after)["data"]
    nodes = first["nodes"] + second["searchMissionFacetValues"]["nodes"]
    assert [(n["value"], n["label"], n["count"]) for n in nodes] == [
        ("38", "Isère", 1),
        ("69", "Rhône", 2),
        ("75", "Paris", 1),
    ]
    assert (first["totalCount"], first["hasNextPage"], second["searchMissionFacetValues"]["hasNextPage"]) == (
        3,
        True,
        False,
    )


def test_offer_categories_are_paged_with_their_labels_and_the_selected_ones_flagged(client, reindex):
    culture, sport = OfferCategory.objects.order_by("slug")[:2]
    for chosen in (culture, sport):
        offer = OfferPageFactory()
        offer.categories.set([chosen])
        offer.save()
    reindex()
    data = post(client, OFFER_FACET_VALUES, facet="category", filters={"category": [sport.slug]})["data"]
    nodes = data["searchOfferFacetValues"]["nodes"]
    assert [(n["value"], n["label"], n["selected"]) for n in nodes] == [
        (culture.slug, culture.label, False),
        (sport.slug, sport.label, True),
    ]


def test_an_unknown_facet_is_a_french_error_and_no_data(client, db):
    response = post(client, MISSION_FACET_VALUES, facet="ville")
    assert [error["message"] for error in response["errors"]] == ["Facette inconnue : « ville »."]
    assert response["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert response["data"] is None


def test_a_cursor_the_api_did_not_give_is_a_french_error(client, db):
    response = post(client, MISSION_FACET_VALUES, facet="department", after="nimportequoi")
    assert [error["message"] for error in response["errors"]] == [
        "Curseur de valeurs de facette invalide : reprenez un endCursor reçu."
    ]


def test_a_page_of_more_than_200_values_is_refused_before_searching(client, db):
    response = post(client, MISSION_FACET_VALUES, facet="department", first=201)
    assert response["data"] is None
    assert "au plus 200" in response["errors"][0]["message"]


def test_a_page_of_values_takes_the_same_statements_whatever_its_size(client, reindex, django_assert_num_queries):
    in_departments(*[f"{n:02}" for n in range(1, 31)])
    reindex()
    for size in (2, 30):
        with django_assert_num_queries(FACET_PAGE_QUERIES):
            data = post(client, MISSION_FACET_VALUES, facet="department", first=size)["data"]
        assert len(data["searchMissionFacetValues"]["nodes"]) == size
